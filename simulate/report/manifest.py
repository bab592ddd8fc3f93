"""The manifest of a folder of figures: which files seatsim wrote there, with their SHA-256.

``seatsim figures`` removes a figure it no longer makes only when the manifest proves the
file is its own and unchanged: a file it did not write, or one edited since, is never
deleted. The manifest is written last, so after an interrupted run it still describes the
files of the last complete one (any newer file it does not list is left alone next time).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from simulate.report.atomic import write_json

MANIFEST = ".seatsim-figures.json"


@dataclass(frozen=True)
class Entry:
    """One file seatsim wrote: its digest, the scenario it draws (the file's stem) and what
    it shows (``seats``, ``seats-vs-…``, ``mc-changes``, …; ``label`` names the rule set of a
    ``seats-vs`` figure)."""

    sha256: str
    scenario: str
    figure: str
    label: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"sha256": self.sha256, "scenario": self.scenario, "figure": self.figure}
        if self.label is not None:
            out["label"] = self.label
        return out


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> dict[str, Entry]:
    """The folder's manifest by file name; empty when there is none or it cannot be read
    (then nothing is ever deleted on its word)."""
    path = folder / MANIFEST
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        raw = json.loads(path.read_text(encoding="utf-8"))
        files = raw["files"]
        return {
            str(name): Entry(str(e["sha256"]), str(e["scenario"]), str(e["figure"]), e.get("label"))
            for name, e in files.items()
            if "/" not in str(name) and "\\" not in str(name) and not str(name).startswith(".")
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def is_ours(folder: Path, name: str, entry: Entry) -> bool:
    """Whether ``folder/name`` is a regular file (not a link) with the digest seatsim wrote."""
    path = folder / name
    try:
        if path.is_symlink() or not path.is_file():
            return False
        return digest(path.read_bytes()) == entry.sha256
    except OSError:
        return False


def write_manifest(folder: Path, entries: dict[str, Entry]) -> Path:
    data = {
        "schema": 1,
        "what": "files written by seatsim figures; see simulate/report/manifest.py",
        "files": {name: entries[name].as_dict() for name in sorted(entries)},
    }
    return write_json(folder / MANIFEST, data)


__all__ = ["MANIFEST", "Entry", "digest", "is_ours", "read_manifest", "write_manifest"]
