"""Opening corpus files: decompression, binary refusal and encoding detection.

Chinese corpora arrive as UTF-8 (with or without a BOM) or as GB18030/GBK. We sniff the first
block instead of trusting a flag: strict UTF-8 first, because GB18030 accepts almost any byte
string and would "succeed" on UTF-8 text too; then strict GB18030 (a superset of GBK and GB2312).
A NUL byte or bytes neither encoding accepts mean the file is binary and is refused by name.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import os
from pathlib import Path
from typing import IO, Callable

from textmine.errors import InputError

__all__ = ["COMPRESSED", "detect_encoding", "line_starts", "open_text", "open_text_range", "strip_compression"]

_SNIFF_BYTES = 1 << 16
COMPRESSED: dict[str, Callable[[str], IO[bytes]]] = {
    ".gz": lambda p: gzip.open(p, "rb"),
    ".bz2": lambda p: bz2.open(p, "rb"),
    ".xz": lambda p: lzma.open(p, "rb"),
}


def strip_compression(path: Path) -> Path:
    """``a.jsonl.gz`` -> ``a.jsonl``: the suffix that says what the content is."""
    return path.with_suffix("") if path.suffix.lower() in COMPRESSED else path


def _open_binary(path: Path) -> IO[bytes]:
    opener = COMPRESSED.get(path.suffix.lower())
    return opener(str(path)) if opener else open(path, "rb")


def _decodes(sample: bytes, encoding: str) -> bool:
    # An incremental decoder with final=False tolerates a character cut at the end of the sample.
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
        return True
    except UnicodeDecodeError:
        return False


def detect_encoding(sample: bytes, name: str = "<input>") -> str:
    """The encoding of a file whose first bytes are ``sample``: utf-8-sig or gb18030.

    Raises InputError for binary content (NUL bytes, or bytes neither encoding decodes).
    """
    if b"\x00" in sample:
        raise InputError(f"{name} looks binary (it contains NUL bytes); expected a text corpus")
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(sample, encoding):
            return encoding
    raise InputError(f"{name} is neither UTF-8 nor GB18030/GBK text (binary or unknown encoding); "
                     "convert it to UTF-8 or pass encoding=")


class _NamedDecodeErrors(io.TextIOWrapper):
    """A text stream whose decode errors name the file instead of raising a bare UnicodeDecodeError."""

    def __init__(self, raw: IO[bytes], encoding: str, name: str):
        super().__init__(raw, encoding=encoding, errors="strict", newline=None)
        self._name = name

    def _wrap(self, call, *args):
        try:
            return call(*args)
        except UnicodeDecodeError as exc:
            raise InputError(f"{self._name}: bytes that are not valid {self.encoding} after the start "
                             f"of the file ({exc.reason}); the file mixes encodings or is binary") from exc

    def readline(self, size=-1):
        return self._wrap(super().readline, size)

    def read(self, size=-1):
        return self._wrap(super().read, size)

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def open_text(path: str | os.PathLike, encoding: str | None = None) -> IO[str]:
    """Open a (possibly compressed) text file for streaming, detecting its encoding.

    Raises InputError when the path is missing, a folder, empty, binary or undecodable.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist")
    if path.is_dir():
        raise InputError(f"{path} is a folder; pass its files, or open it as a folder corpus")
    try:
        with _open_binary(path) as probe:
            sample = probe.read(_SNIFF_BYTES)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise InputError(f"{path} cannot be read as {path.suffix} compressed data: {exc}") from exc
    if not sample:
        raise InputError(f"{path} is empty")
    chosen = encoding or detect_encoding(sample, str(path))
    return _NamedDecodeErrors(_open_binary(path), chosen, str(path))


class _ByteRange(io.RawIOBase):
    """Bytes [start, end) of a plain file, read as a stream of its own."""

    def __init__(self, path: Path, start: int, end: int):
        self._file = open(path, "rb")
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        got = self._file.readinto(memoryview(buffer)[:max(self._left, 0)])
        self._left -= got
        return got

    def fileno(self) -> int:
        return self._file.fileno()

    def close(self) -> None:
        self._file.close()
        super().close()


def open_text_range(path: str | os.PathLike, start: int, end: int, encoding: str) -> IO[str]:
    """Bytes [start, end) of a plain (uncompressed) file as text in ``encoding``, which the caller
    detected from the file's start: one partition of a file cut at line starts (see ``line_starts``)."""
    path = Path(path)
    return _NamedDecodeErrors(io.BufferedReader(_ByteRange(path, start, end)), encoding, f"{path}@{start}")


def line_starts(path: str | os.PathLike, size: int) -> list[int]:
    """Offsets that cut a plain file into pieces of about ``size`` bytes, each cut moved forward to
    the start of a line (so every line lies in one piece), from 0 to the file's size.

    Only for encodings in which the byte 0x0A is always a line end (UTF-8, GB18030, GBK, Big5)."""
    path = Path(path)
    total = path.stat().st_size
    cuts = [0]
    with open(path, "rb") as stream:
        for guess in range(size, total, size):
            if guess <= cuts[-1]:
                continue
            stream.seek(guess - 1)
            stream.readline()           # the rest of the line the guess falls in
            at = stream.tell()
            if at < total:
                cuts.append(at)
    return cuts + [total]
