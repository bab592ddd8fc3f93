"""Writing files atomically: a temporary file in the same folder, then a rename.

A run that fails half-way leaves earlier outputs as they were; a reader never sees a
half-written file. Commands check their targets with ``check_file`` / ``check_folder`` before
computing, so a bad path is refused before anything is written. A file that cannot be written
is an ``InputError`` naming it (one line on the command line), not a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from simulate.errors import InputError


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_folder(path: str | Path, option: str) -> Path:
    """A folder to write into: it may not exist yet, but no part of it may be a file."""
    path = Path(path)
    _check_parents(path, path, option)
    return path


def check_file(path: str | Path, option: str) -> Path:
    """A file to write: not a folder, in a folder that can be made."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: {option} needs a file name, and this is a folder")
    _check_parents(path, path.parent, option)
    return path


def _check_parents(target: Path, folder: Path, option: str) -> None:
    """The nearest existing part of ``folder`` must be a folder that takes a new file: tried
    with an empty file, removed at once (permission bits do not tell: a read-only file system,
    or a folder that refuses files even to root)."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                what = "this" if part == target else str(part)
                raise InputError(f"{target}: {option} needs a folder, and {what} is a file")
            try:
                fd, probe = tempfile.mkstemp(prefix=".seatsim-probe.", dir=part)
            except OSError as exc:
                raise InputError(
                    f"{target}: {option}: cannot write in {part} ({exc.strerror or exc})"
                ) from None
            os.close(fd)
            os.unlink(probe)
            return


def write_bytes(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _umask_mode())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, data: Any) -> Path:
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
