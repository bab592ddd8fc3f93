"""Writing files atomically: a temporary file in the same folder, then a rename.

A run that fails half-way leaves earlier outputs as they were; a reader never sees a
half-written file. Commands check their targets with ``check_file`` / ``check_folder`` /
``check_outputs`` before computing, so a bad path is refused before anything is written. A file
that cannot be written is an ``InputError`` naming it (one line on the command line), not a
traceback.

An output replaces only a regular file, or takes a name that is free: never a symbolic link
(the rename would replace the link, not write where it points), a device, a FIFO or a socket
(``/dev/stdout``, ``/dev/full``); never an input of the run (the scenario file, its seed); and
two outputs of one run never share a path (``check_outputs``).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from simulate.errors import InputError


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_folder(path: str | Path, option: str) -> Path:
    """A folder to write into: it may not exist yet, but no part of it may be a file, and it
    is not a symbolic link (outputs are never written through one)."""
    path = Path(path)
    if path.is_symlink():
        raise InputError(
            f"{path}: {option} is a symbolic link; name the folder itself ({path.resolve()})"
        )
    _check_parents(path, path, option)
    return path


def check_file(path: str | Path, option: str, inputs: Iterable[str | Path] = ()) -> Path:
    """A file to write: free or a regular file (``replaceable``), not one of ``inputs`` (the
    files the run reads), in a folder that can be made."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: {option} needs a file name, and this is a folder")
    _check_parents(path, path.parent, option)  # first: a file where a folder is meant
    problem = replaceable(path)
    if problem:
        raise InputError(f"{path}: {option}: {problem}")
    for source in inputs:
        if source is not None and same_file(path, source):
            raise InputError(
                f"{path}: {option} names an input of this run ({source}), which it would replace"
            )
    return path


def check_outputs(
    outputs: Mapping[str, str | Path | None], inputs: Iterable[str | Path] = ()
) -> None:
    """The files of one run, by option (None: not asked for): each as ``check_file`` checks
    it, and no two on one path (the second would replace the first)."""
    inputs = [i for i in inputs if i is not None]
    seen: list[tuple[str, Path]] = []
    for option, path in outputs.items():
        if path is None:
            continue
        path = check_file(path, option, inputs)
        for other, earlier in seen:
            if same_file(path, earlier):
                raise InputError(f"{path}: {other} and {option} name the same file")
        seen.append((option, path))


def replaceable(path: str | Path) -> str | None:
    """Why an output may not take ``path`` (None: it may): only a free name or a regular file
    is replaced; a symbolic link, a device, a FIFO or a socket never (the rename would put a
    file where the link or the device was)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be checked ({exc.strerror or exc})"
    if stat.S_ISLNK(mode):
        return "is a symbolic link; outputs replace only regular files (name its target)"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, a FIFO or a socket); outputs replace only files"
    return None


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: the same path once links are followed, or (both
    existing) the same file by device and inode."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


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
    """Write ``data`` to ``path`` atomically, only over a regular file or a free name."""
    return write_files({Path(path): data})[0]


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write the outputs of one run together: each to a temporary file beside its target
    first, and only when all are written, rename them into place one after the other. A
    failure or an interrupt (Ctrl-C) while writing leaves every target as it was and no
    temporary file behind; only regular files or free names are replaced."""
    for path in files:
        problem = replaceable(path)
        if problem:
            raise InputError(f"{path}: cannot write: {problem}")
    temps: dict[Path, str] = {}
    try:
        for path, data in files.items():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                temps[path] = tmp
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(tmp, _umask_mode())  # mkstemp makes 0600; outputs are ordinary files
            except OSError as exc:
                raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        for path in list(temps):
            try:
                os.replace(temps[path], path)
            except OSError as exc:
                raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
            del temps[path]
    finally:  # on any way out, KeyboardInterrupt included: no temporary file left
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return list(files)


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def json_bytes(data: Any) -> bytes:
    """JSON as every output of seatsim writes it: indented, UTF-8, a newline at the end."""
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def write_json(path: str | Path, data: Any) -> Path:
    return write_bytes(path, json_bytes(data))
