"""Atomic file output: results appear whole or not at all, and never in place of what is not ours.

Every stage writes through these helpers, so a crash, a kill or a bad input half-way through
never leaves a truncated TSV or vector file that a later run might mistake for a result. They also
keep what a user already has safe:

- a path naming a stream (``-`` for stdout, a device, a FIFO, anything under /dev or /proc) is
  written straight through: nothing is renamed onto it and nothing is created beside it;
- a symbolic link is followed: its target is replaced and the link stays;
- a folder is replaced only when textmine wrote it (a textmine JSON in it, or nothing in it that
  the new folder does not hold again), unless the caller asked for it (:func:`replacing_folders`,
  the CLI's ``--force``);
- a failure (no space, no permission) is an :class:`OutputError` naming the output, never a hidden
  temporary, and leaves no temporary and no folder it made.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

from textmine.errors import OutputError

__all__ = ["atomic_folder", "atomic_open", "atomic_dir_file", "copy_to_stream", "dump_json", "is_stream",
           "new_folders", "partial_path",
           "plain_mode", "replace_folder", "replacing_folders", "target", "write_json", "write_jsonl"]

_REPLACE_ANY_FOLDER = contextvars.ContextVar("replace_any_folder", default=False)
_STREAM_ROOTS = ("/dev/", "/proc/")
_PARTIAL = ".partial"
_OURS_MAX_BYTES = 1 << 20  # a textmine config or manifest is small; larger JSON files are not opened to check


def is_stream(path: str | os.PathLike) -> bool:
    """Whether ``path`` is written as a stream: ``-`` (stdout), anything under /dev or /proc, or an
    existing device, FIFO or socket (a symbolic link to one included)."""
    text = os.fspath(path)
    if text == "-" or os.path.abspath(text).startswith(_STREAM_ROOTS):
        return True
    try:
        mode = os.stat(text).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def target(path: str | os.PathLike) -> Path:
    """Where writing ``path`` lands: a symbolic link's final target (so the link stays a link), else ``path``."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def partial_path(final: Path) -> Path:
    """The hidden name beside ``final`` under which a command's output waits until all of them are written."""
    return final.parent / f".{final.name}{_PARTIAL}"


def _shown(path: Path) -> Path:
    """The name a user gave: ``final`` for its :func:`partial_path`."""
    name = path.name
    if name.startswith(".") and name.endswith(_PARTIAL):
        return path.parent / name[1:-len(_PARTIAL)]
    return path


def plain_mode(path: Path, directory: bool = False) -> int:
    """The mode a plain ``open(path, "w")`` (or ``mkdir``) would leave: an existing file's own, else
    0666 (0777 for a folder) less the umask. mkstemp and mkdtemp make 0600 / 0700 temporaries, which
    would hide every output from other users and web servers."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return _new_mode(directory)


def _new_mode(directory: bool) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


@contextlib.contextmanager
def replacing_folders() -> Iterator[None]:
    """Within the block, folders textmine did not write may be replaced too (the CLI's ``--force``)."""
    token = _REPLACE_ANY_FOLDER.set(True)
    try:
        yield
    finally:
        _REPLACE_ANY_FOLDER.reset(token)


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those made, deepest first (to undo)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
    return missing


@contextlib.contextmanager
def new_folders(folder: str | os.PathLike, keep: Iterable[str] = ()) -> Iterator[None]:
    """Make ``folder`` and its missing parents; if the block fails, remove what it made, with what
    the block wrote into them: a failed run leaves neither an empty folder nor part of its outputs.
    A file named in ``keep`` (a training checkpoint, to resume from) keeps the folders."""
    made = _make_parents(Path(folder))
    try:
        yield
    except BaseException:
        if made and not any((Path(folder) / name).exists() for name in keep):
            shutil.rmtree(made[-1], ignore_errors=True)
        raise


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _about(exc: OSError, path: Path) -> bool:
    """Whether ``exc`` is about writing ``path``: no file named, a temporary beside it, it, or a parent."""
    if exc.filename is None:
        return True
    named = Path(os.path.abspath(exc.filename))
    final = Path(os.path.abspath(path))
    return named.name.startswith(f".{final.name}.") or named == final or named in final.parents


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Make ``path``'s folder; on failure remove the folders made and name ``path`` in the error."""
    made: list[Path] = []
    try:
        made = _make_parents(path.parent)
        yield
    except OSError as exc:
        _remove_empty(made)
        if not _about(exc, path):
            raise
        reason = (exc.strerror or str(exc)).lower()
        raise OutputError(f"cannot write {_shown(path)}: {reason}") from exc
    except BaseException:
        _remove_empty(made)
        raise


def _open_stream(path: str | os.PathLike, mode: str, encoding: str | None) -> IO:
    encoding = None if "b" in mode else encoding
    if os.fspath(path) == "-":
        sys.stdout.flush()                      # what print() buffered comes first
        return open(sys.stdout.fileno(), mode, encoding=encoding, closefd=False)
    return open(path, mode, encoding=encoding)


def copy_to_stream(source: Path, stream: str | os.PathLike) -> None:
    """Write the file ``source`` to ``stream`` (see :func:`is_stream`)."""
    if source.is_dir():
        raise OutputError(f"cannot write a folder to {stream}: it is a stream or device; give a folder path")
    with open(source, "rb") as src, _open_stream(stream, "wb", None) as dest:
        shutil.copyfileobj(src, dest)


def _file_target(path: str | os.PathLike) -> Path:
    """Where a file goes; a folder there is refused before any work is done for it."""
    path = target(path)
    if path.is_dir():
        raise OutputError(f"cannot write {_shown(path)}: it is a folder; give a file name")
    return path


@contextlib.contextmanager
def _published(path: Path, suffix: str) -> Iterator[Path]:
    """A temporary file beside ``path``, renamed onto it with plain modes only if the block succeeds."""
    with _writing(path):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
        os.close(fd)
        try:
            yield Path(tmp)
            os.chmod(tmp, plain_mode(path))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it onto ``path`` only if the block succeeds
    (a stream is written directly)."""
    if is_stream(path):
        with _open_stream(path, mode, encoding) as handle:
            yield handle
        return
    path = _file_target(path)
    with _published(path, ".tmp") as tmp, open(tmp, mode, encoding=None if "b" in mode else encoding) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_dir_file(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path for writers that want a file name (numpy, torch, gensim), then rename
    (or copy to a stream)."""
    if is_stream(path):
        with tempfile.TemporaryDirectory(prefix="textmine-") as scratch:
            tmp = Path(scratch) / f"stream{''.join(Path(path).suffixes)}"
            yield tmp
            copy_to_stream(tmp, path)
        return
    path = _file_target(path)
    with _published(path, ".tmp" + "".join(path.suffixes)) as tmp:
        yield tmp


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh temporary folder beside ``path``; if the block succeeds it replaces ``path``
    whole (a saved model: readers never see it half-written, and a crash keeps the old one)."""
    if is_stream(path):
        raise OutputError(f"cannot write a folder to {path}: it is a stream or device; give a folder path")
    path = target(path)
    with _writing(path):
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
        try:
            yield tmp
            replace_folder(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def replace_folder(new: Path, path: Path) -> None:
    """Move the folder ``new`` to ``path``, replacing a folder there only if textmine wrote it.

    Modes are made plain (some writers, safetensors among them, leave 0600 files). The old folder
    goes by two renames, so it is never half-deleted.
    """
    file_mode, dir_mode = _new_mode(False), _new_mode(True)
    for root, dirs, files in os.walk(new):
        for name in files:
            os.chmod(os.path.join(root, name), file_mode)
        for name in dirs:
            os.chmod(os.path.join(root, name), dir_mode)
    os.chmod(new, plain_mode(path, directory=True))
    if not os.path.lexists(path):
        os.replace(new, path)
        return
    if not path.is_dir():
        raise OutputError(f"cannot write the folder {path}: it is a file, not a folder")
    foreign = _foreign_entries(path, new)
    if foreign and not _REPLACE_ANY_FOLDER.get():
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(f"refusing to replace the folder {path}: textmine did not write it (it holds {shown}); "
                          f"choose another path, or pass --force to overwrite it")
    old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
    os.replace(path, old / "previous")
    os.replace(new, path)
    shutil.rmtree(old)


def _foreign_entries(folder: Path, new: Path) -> list[str]:
    """What in ``folder`` would be lost that textmine did not write: nothing when a textmine JSON
    (a manifest or a model config) marks it ours, else its entries the new folder does not hold."""
    entries = sorted(os.listdir(folder))
    if any(_is_textmine_json(folder / name) for name in entries if name.endswith(".json")):
        return []
    again = set(os.listdir(new))
    return [name for name in entries if name not in again]


def _is_textmine_json(path: Path) -> bool:
    try:
        if path.stat().st_size > _OURS_MAX_BYTES:
            return False
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and ("textmine_version" in record or "textmine" in record)


def write_json(path: str | os.PathLike, obj) -> None:
    """Write ``obj`` as sorted, indented UTF-8 JSON, atomically."""
    with atomic_open(path) as handle:
        dump_json(obj, handle)


def dump_json(obj, handle: IO) -> None:
    """``obj`` as sorted, indented UTF-8 JSON, the way every textmine JSON file is written."""
    json.dump(obj, handle, ensure_ascii=False, indent=2, sort_keys=True)
    handle.write("\n")


def write_jsonl(records, path: str | os.PathLike) -> int:
    """Write an iterable of JSON-able objects a line each, atomically; return how many were written."""
    count = 0
    with atomic_open(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
