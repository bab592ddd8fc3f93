"""Results from CSV tables (simulate.csvinput): what is read, and every refusal named by file,
line and column (DESIGN.md, "Districts and CSV")."""

import re

import pytest

from simulate import Election, InputError
from simulate.csvinput import parse_count


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


SEATS = "district,seats\nNorth,5\nSouth,3\n"


def test_one_constituency(tmp_path):
    path = write(tmp_path, "r.csv", "list,votes,kind\nA,1200,party\nB, 800 ,coalition\n")
    e = Election.from_csv(path)
    assert e.names == ("A", "B") and list(e.votes) == [1200, 800]
    assert [p.kind for p in e.parties] == ["party", "coalition"]
    assert e.seats is None and e.districts == () and e.name == "r"


def test_districts_with_their_seats(tmp_path):
    results = write(
        tmp_path,
        "r.csv",
        "district,list,votes,official_seats\n"
        "North,A,1000,3\nNorth,B,500,2\nSouth,A,300,0\nSouth,C,1200,3\n",
    )
    e = Election.from_csv(results, write(tmp_path, "s.csv", SEATS))
    assert e.names == ("A", "B", "C") and list(e.votes) == [1300, 500, 1200]
    assert e.seats == 8 and e.district_names == ("North", "South")
    assert e.district_votes().tolist() == [[1000, 500, 0], [300, 0, 1200]]
    assert [p.official_seats for p in e.parties] == [3, 2, 3]
    assert e.districts[1].official_seats == {"A": 0, "C": 3}


def test_columns_in_any_order_with_exempt_and_a_bom(tmp_path):
    text = "\ufeffVotes,List,Kind,Exempt\n100,A,party,no\n40,M,minority,yes\n"
    e = Election.from_csv(write(tmp_path, "r.csv", text))
    assert [p.exempt for p in e.parties] == [False, True]


@pytest.mark.parametrize(
    "cell, value",
    [
        ("1234", 1234),
        ('"1,234"', 1234),
        ("1 234", 1234),
        ("1\u00a0234\u00a0567", 1234567),
        ('"12,345,678"', 12345678),
        ("0", 0),
    ],
)
def test_thousands_separators(tmp_path, cell, value):
    e = Election.from_csv(write(tmp_path, "r.csv", f"list,votes\nA,{cell}\nB,1\n"))
    assert e.parties[0].votes == value


@pytest.mark.parametrize(
    "text, message",
    [
        ("1.234", "ambiguous"),
        ("-5", "negative"),
        ("12.5", "not a whole number"),
        ("1,23", "not a whole number"),
        ("1 23", "not a whole number"),
        ("1e3", "not a whole number"),
        ("", "empty"),
        ("1,234 567", "not a whole number"),
    ],
)
def test_counts_refused(text, message):
    with pytest.raises(InputError, match=message):
        parse_count(text, "here")


# Each bad table: the file's text, the line and column the error must name, and its words.
BAD = [
    ("list,kind\nA,party\n", 1, None, "missing column 'votes'"),
    ("list,votes,party\nA,1,x\n", 1, 3, "unknown column"),
    ("list,votes,votes\nA,1,1\n", 1, 3, "repeated column"),
    ("list,votes\nA,1\nA,2\n", 3, 1, "list 'A' again (first on line 2)"),
    ("list,votes\nA,-3\n", 2, 2, "negative"),
    ("list,votes\nA,2.5\n", 2, 2, "not a whole number"),
    ("list,votes\nA,1.500\n", 2, 2, "ambiguous"),
    ("list,votes\n,1\n", 2, 1, "empty"),
    ("list,votes\nA,1,234\n", 2, None, "3 fields, the header has 2 (a thousands separator"),
    ("list;votes\nA;1\n", 1, None, "no commas"),
    ("list,votes,kind\nA,1,party\nB,1,party\n", None, None, None),  # fine
    ("district,list,votes,kind\nN,A,1,party\nS,A,1,bloc\n", 3, 4, "kind 'bloc' here"),
    ("list,votes,exempt\nA,1,perhaps\n", 2, 3, "not yes or no"),
    ("list,votes\n", None, None, "no rows after the header"),
]


@pytest.mark.parametrize("text, line, column, words", BAD)
def test_bad_results_name_file_line_and_column(tmp_path, text, line, column, words):
    path = write(tmp_path, "bad.csv", text)
    seats = write(tmp_path, "s.csv", "district,seats\nN,1\nS,1\n") if "district" in text else None
    if words is None:
        Election.from_csv(path, seats)
        return
    with pytest.raises(InputError) as exc:
        Election.from_csv(path, seats)
    message = str(exc.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert words in message
    if line is not None:
        assert f"line {line}" in message
    if column is not None:
        assert re.search(rf"column {column} \(", message)


def test_bad_seats_tables(tmp_path):
    results = write(tmp_path, "r.csv", "district,list,votes\nNorth,A,10\nSouth,A,5\n")
    cases = [
        (
            "district,seats\nNorth,2\n",
            "r.csv: line 3, column 1 (district): district 'South' is not in the seats table",
        ),
        (
            "district,seats\nNorth,2\nSouth,0\n",
            "s.csv: line 3, column 2 (seats): district 'South' has no seats",
        ),
        (
            "district,seats\nNorth,2\nSouth,1\nEast,4\n",
            "s.csv: line 4, column 1 (district): district 'East' has no results",
        ),
        (
            "district,seats\nNorth,2\nNorth,1\n",
            "s.csv: line 3, column 1 (district): district 'North' again (first on line 2)",
        ),
        ("district,seats\nNorth,two\n", "s.csv: line 2, column 2 (seats): 'two' is not a whole"),
        ("district,sits\nNorth,2\n", "s.csv: line 1, column 2 (sits): unknown column"),
    ]
    for text, words in cases:
        seats = write(tmp_path, "s.csv", text)
        with pytest.raises(InputError) as exc:
            Election.from_csv(results, seats)
        assert words in str(exc.value), str(exc.value)


def test_districts_need_a_seats_table_and_only_then(tmp_path):
    results = write(tmp_path, "r.csv", "district,list,votes\nNorth,A,10\n")
    with pytest.raises(InputError, match=r"r.csv: line 1, column 1 \(district\): .*seats"):
        Election.from_csv(results)
    single = write(tmp_path, "one.csv", "list,votes\nA,10\n")
    with pytest.raises(InputError, match="has no district column"):
        Election.from_csv(single, write(tmp_path, "s.csv", "district,seats\nNorth,2\n"))


def test_encodings(tmp_path):
    utf16 = write(tmp_path, "u16.csv", "list,votes\nA,1\n", encoding="utf-16")
    with pytest.raises(InputError, match="u16.csv: line 1, column 1: UTF-16"):
        Election.from_csv(utf16)
    latin = write(tmp_path, "latin.csv", "list,votes\nA,1\nK\xf6ln,2\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin.csv: line 3, column 2 \(byte\): not UTF-8"):
        Election.from_csv(latin)
    with pytest.raises(InputError, match="no such file"):
        Election.from_csv(tmp_path / "nothing.csv")
    names = write(tmp_path, "names.csv", 'list,votes\n"Köln, Süd",3\nA,1\n')
    assert Election.from_csv(names).names == ("Köln, Süd", "A")


def test_empty_columns_at_the_right_are_dropped(tmp_path):
    """Spreadsheets may save empty trailing columns ("A,100,,"): dropped, header and rows;
    a value in one of them is still an extra field."""
    path = write(tmp_path, "r.csv", "list,votes,,\nA,100,,\nB,50\n")
    assert list(Election.from_csv(path).votes) == [100, 50]
    path = write(tmp_path, "r.csv", "list,votes,,\nA,100,,x\n")
    with pytest.raises(InputError, match="line 2: 4 fields, the header has 2"):
        Election.from_csv(path)
