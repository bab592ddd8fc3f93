"""Election results from CSV tables: the long form people keep in spreadsheets.

Two tables (docs/formats.md, "CSV input"):

- results: ``list,votes[,kind][,exempt][,official_seats]`` for one constituency, or
  ``district,list,votes[,kind][,exempt][,official_seats]`` for several;
- district seats: ``district,seats[,blank]``, needed exactly when the results have a district
  column; ``blank`` (optional) is each district's blank ballots, for a district threshold on
  valid votes (the lists' votes + blank).

The first line is a header; columns may come in any order; empty columns at the right (as
spreadsheets sometimes save them) are dropped. Text must be UTF-8 (a UTF-8 byte-order mark is
dropped; a UTF-16 one is refused). Counts are whole numbers written plainly
(``1234``), with comma thousands separators in quotes (``"1,234"``) or with space separators
(``1 234``, also no-break and thin spaces). ``1.234`` is refused: it could be 1234 or a decimal.
Every error is one line naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from simulate.district import District
from simulate.errors import InputError

RESULT_COLUMNS = ("district", "list", "votes", "kind", "exempt", "official_seats")
SEAT_COLUMNS = ("district", "seats", "blank")

_PLAIN = re.compile(r"[0-9]+")
_COMMAS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_SPACES = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+")
_DOTS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_YES = {"yes", "true", "1", "y", "x"}
_NO = {"no", "false", "0", "n", ""}


class _Table:
    """A CSV table read whole: its header (lower-case names) and rows with line numbers."""

    def __init__(self, path: str | Path, allowed: tuple[str, ...], required: tuple[str, ...]):
        self.where = str(path)
        text = _read_text(path)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            records = [(reader.line_num, row) for row in reader]
        except csv.Error as exc:
            raise InputError(
                f"{self.where}: line {reader.line_num}: not valid CSV ({exc})"
            ) from None
        # a record's line_num is the line it ends on; read only after the record (above)
        records = [(line, row) for line, row in records if any(c.strip() for c in row)]
        if not records:
            raise InputError(f"{self.where}: empty (no header)")
        line, header = records[0]
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            raise InputError(
                f"{self.where}: line {line}: the header has no commas "
                f"({header[0]!r}): seatsim reads comma-separated tables"
            )
        while len(header) > 1 and not header[-1].strip():
            header = header[:-1]  # empty columns at the right, as spreadsheets save them
        self.columns: list[str] = []
        for j, cell in enumerate(header, 1):
            name = cell.strip().lower().replace(" ", "_")
            if name not in allowed:
                raise InputError(
                    f"{self.where}: line {line}, column {j} ({cell.strip() or 'empty'}): "
                    f"unknown column (expected {', '.join(allowed)})"
                )
            if name in self.columns:
                raise InputError(f"{self.where}: line {line}, column {j} ({name}): repeated column")
            self.columns.append(name)
        for name in required:
            if name not in self.columns:
                raise InputError(
                    f"{self.where}: line {line}: missing column {name!r} "
                    f"(the header has {', '.join(self.columns)})"
                )
        self.header_line = line
        self.rows: list[tuple[int, dict[str, str]]] = []
        for line, row in records[1:]:
            if len(row) > len(self.columns) and not any(
                c.strip() for c in row[len(self.columns) :]
            ):
                row = row[: len(self.columns)]  # the empty columns at the right
            if len(row) != len(self.columns):
                hint = ""
                if len(row) > len(self.columns):
                    hint = ' (a thousands separator outside quotes? write "1,234" or 1234)'
                raise InputError(
                    f"{self.where}: line {line}: {len(row)} fields, the header has "
                    f"{len(self.columns)}{hint}"
                )
            self.rows.append((line, {c: v.strip() for c, v in zip(self.columns, row, strict=True)}))
        if not self.rows:
            raise InputError(f"{self.where}: no rows after the header")

    def at(self, line: int, column: str) -> str:
        """'results.csv: line 4, column 3 (votes)'."""
        return f"{self.where}: line {line}, column {self.columns.index(column) + 1} ({column})"

    def name(self, line: int, row: dict[str, str], column: str) -> str:
        value = row[column]
        if not value:
            raise InputError(f"{self.at(line, column)}: empty")
        return value

    def count(self, line: int, row: dict[str, str], column: str) -> int:
        return parse_count(row[column], self.at(line, column))


def _read_text(path: str | Path) -> str:
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{where}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.__class__.__name__})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{where}: line 1, column 1: UTF-16 text (its byte-order mark): save as UTF-8"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{where}: line {line}, column {column} (byte): not UTF-8 text; save the table as UTF-8"
        ) from None
    if "\ufeff" in text:
        line = text[: text.index("\ufeff")].count("\n") + 1
        raise InputError(f"{where}: line {line}: a byte-order mark inside the text")
    return text


def parse_count(text: str, where: str) -> int:
    """A whole number ≥ 0 from a cell: ``1234``, ``"1,234"``, ``1 234``; anything else is an
    error naming ``where`` (a decimal, a sign, ``1.234`` which may be either)."""
    s = text.strip()
    if not s:
        raise InputError(f"{where}: empty (a count is needed)")
    if _PLAIN.fullmatch(s):
        return int(s)
    if _COMMAS.fullmatch(s):
        return int(s.replace(",", ""))
    if _SPACES.fullmatch(s):
        return int(re.sub(r"[ \u00a0\u202f]", "", s))
    if s.startswith("-") and parse_quiet(s[1:]) is not None:
        raise InputError(f"{where}: {s!r} is negative")
    if _DOTS.fullmatch(s):
        raise InputError(
            f"{where}: {s!r} is ambiguous (a thousands separator or a decimal point?): "
            f"write {s.replace('.', '')} without separators"
        )
    raise InputError(f"{where}: {s!r} is not a whole number")


def parse_quiet(text: str) -> int | None:
    try:
        return parse_count(text, "")
    except InputError:
        return None


def _flag(table: _Table, line: int, row: dict[str, str], column: str) -> bool:
    value = row.get(column, "").lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InputError(f"{table.at(line, column)}: {row[column]!r} is not yes or no")


def read_seats_csv(path: str | Path) -> dict[str, tuple[int, int]]:
    """``{district: (seats, line)}`` from a ``district,seats[,blank]`` table."""
    return {d: (n, line) for d, (n, line, _) in _read_seats(path).items()}


def _read_seats(path: str | Path) -> dict[str, tuple[int, int, int | None]]:
    """``{district: (seats, line, blank)}``; blank is None without a ``blank`` column."""
    table = _Table(path, SEAT_COLUMNS, SEAT_COLUMNS[:2])
    seats: dict[str, tuple[int, int, int | None]] = {}
    for line, row in table.rows:
        name = table.name(line, row, "district")
        if name in seats:
            raise InputError(
                f"{table.at(line, 'district')}: district {name!r} again (first on line "
                f"{seats[name][1]})"
            )
        n = table.count(line, row, "seats")
        if n < 1:
            raise InputError(f"{table.at(line, 'seats')}: district {name!r} has no seats")
        blank = table.count(line, row, "blank") if "blank" in row else None
        seats[name] = (n, line, blank)
    return seats


def read_election_csv(path: str | Path, district_seats: str | Path | None = None) -> dict[str, Any]:
    """What ``Election.from_csv`` builds an election from: its name, path, house size and
    districts, and each list's fields (``parties``: dicts of ``Party``'s fields), read from a
    results table (and the seats table of a districted one)."""
    table = _Table(path, RESULT_COLUMNS, ("list", "votes"))
    districted = "district" in table.columns
    if districted and district_seats is None:
        raise InputError(
            f"{table.where}: line {table.header_line}, column "
            f"{table.columns.index('district') + 1} (district): a districted table needs the "
            "seats of each district: a table district,seats (--district-seats FILE.csv)"
        )
    if not districted and district_seats is not None:
        raise InputError(
            f"{district_seats}: district seats given, but {table.where} has no district column"
        )
    seats = _read_seats(district_seats) if district_seats is not None else {}

    lists: dict[str, dict] = {}  # name → first line, kind, exempt, votes, official seats
    cells: dict[tuple[str, str], int] = {}  # (district, list) → line
    by_district: dict[str, dict[str, int]] = {}
    official: dict[str, dict[str, int]] = {}
    first_line: dict[str, int] = {}
    for line, row in table.rows:
        district = table.name(line, row, "district") if districted else ""
        name = table.name(line, row, "list")
        key = (district, name)
        if key in cells:
            where = f" in district {district!r}" if districted else ""
            raise InputError(
                f"{table.at(line, 'list')}: list {name!r}{where} again (first on line {cells[key]})"
            )
        cells[key] = line
        votes = table.count(line, row, "votes")
        kind = row.get("kind", "").lower() or None
        exempt = _flag(table, line, row, "exempt") if "exempt" in row else False
        known = lists.get(name)
        if known is None:
            known = lists[name] = {
                "line": line,
                "kind": kind,
                "exempt": exempt,
                "votes": 0,
                "official": 0,
            }
        for column, value in (("kind", kind), ("exempt", exempt)):
            if column in row and known[column] != value:
                raise InputError(
                    f"{table.at(line, column)}: list {name!r} has {column} {value!r} here and "
                    f"{known[column]!r} on line {known['line']}"
                )
        known["votes"] += votes
        if row.get("official_seats"):
            n = table.count(line, row, "official_seats")
            official.setdefault(district, {})[name] = n
            if known["official"] is not None:
                known["official"] += n
        elif "official_seats" in row:
            known["official"] = None  # not known in every row: no total either
        if districted and district not in seats:
            raise InputError(
                f"{table.at(line, 'district')}: district {district!r} is not in the seats "
                f"table {district_seats}"
            )
        by_district.setdefault(district, {})[name] = votes
        first_line.setdefault(district, line)
    for district, (_, line, _) in seats.items():
        if district not in by_district:
            raise InputError(
                f"{district_seats}: line {line}, column 1 (district): district {district!r} "
                f"has no results in {table.where}"
            )
    has_official = "official_seats" in table.columns
    parties = [
        {
            "name": name,
            "votes": info["votes"],
            "official_seats": info["official"] if has_official else None,
            "kind": info["kind"],
            "exempt": info["exempt"],
        }
        for name, info in lists.items()
    ]
    districts = (
        tuple(
            District(
                name=d,
                seats=seats[d][0],
                votes=votes,
                official_seats=official.get(d) if has_official else None,
                blank=seats[d][2],
            )
            for d, votes in by_district.items()
        )
        if districted
        else ()
    )
    return {
        "name": Path(path).stem,
        "parties": parties,
        "seats": sum(d.seats for d in districts) if districted else None,
        "path": str(path),
        "districts": districts,
    }


__all__ = ["RESULT_COLUMNS", "SEAT_COLUMNS", "parse_count", "read_election_csv", "read_seats_csv"]
