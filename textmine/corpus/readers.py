"""Corpus readers: files, folders and stdin as a re-iterable stream of documents.

A :class:`Corpus` keeps only its sources and options; every ``iter()`` reopens them (gensim's
``LineSentence`` pattern), so stages can make several passes without holding the corpus in
memory. Standard input can be read once only, so it is spooled to a temporary file on the first
pass and replayed from there.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Literal, Sequence, get_args

from textmine.corpus.decoding import COMPRESSED, line_starts, open_text, open_text_range, strip_compression
from textmine.corpus.normalize import normalize_text
from textmine.errors import InputError

__all__ = ["Corpus", "FileRange", "open_corpus", "as_corpus", "iter_json_records", "FORMATS"]

Format = Literal["auto", "text", "jsonl", "csv", "tsv"]
FORMATS = get_args(Format)
DocUnit = Literal["line", "file"]
_BY_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv"}
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class _Options:
    format: str
    field: str | None
    column: str | int | None
    doc: str
    encoding: str | None


def _format_of(path: Path, requested: str) -> str:
    if requested != "auto":
        return requested
    return _BY_SUFFIX.get(strip_compression(path).suffix.lower(), "text")


def _iter_text(stream, path: Path, options: _Options) -> Iterator[str]:
    if options.doc == "file":
        yield stream.read()
    else:
        yield from stream


def iter_json_records(path: str | os.PathLike) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSON-lines file (compressed or not).

    Raises InputError naming the file and line for invalid JSON or a line that is not an object.
    """
    path = Path(path)
    with open_text(path) as stream:
        yield from _json_records(stream, path)


def _json_records(stream, path: Path) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InputError(f"{path}, line {number}: expected a JSON object, got {type(record).__name__}")
        yield number, record


def _iter_jsonl(stream, path: Path, options: _Options) -> Iterator[str]:
    for number, record in _json_records(stream, path):
        if options.field not in record:
            raise InputError(f"{path}, line {number}: no field {options.field!r} (found: {sorted(record)}); "
                             "pass the field that holds the text with field=/--field")
        value = record[options.field]
        if not isinstance(value, str):
            raise InputError(f"{path}, line {number}: field {options.field!r} holds "
                             f"{type(value).__name__}, expected a string")
        yield value


def _iter_table(stream, path: Path, options: _Options) -> Iterator[str]:
    delimiter = "\t" if _format_of(path, options.format) == "tsv" else ","
    rows = csv.reader(stream, delimiter=delimiter)
    column = options.column
    if isinstance(column, str) and not column.isdigit():
        header = next(rows, [])
        if column not in header:
            raise InputError(f"{path}: no column {column!r} in the header {header}; "
                             "pass a header name or a 0-based column index")
        index = header.index(column)
    else:
        index = int(column)
    for number, row in enumerate(rows, 2 if isinstance(column, str) and not column.isdigit() else 1):
        if not row:
            continue
        if index >= len(row):
            raise InputError(f"{path}, row {number}: {len(row)} columns, no column {index}")
        yield row[index]


_READERS = {"text": _iter_text, "csv": _iter_table, "tsv": _iter_table}


@dataclass(frozen=True)
class FileRange:
    """Bytes [start, end) of a plain file, cut at line starts, in the encoding detected for the
    whole file: the unit a corpus is split into for counting on several workers."""

    path: Path
    start: int
    end: int
    encoding: str


# Encodings in which the byte 0x0A only ever ends a line, so a file can be cut after one.
_LINE_SAFE = {"utf-8", "utf-8-sig", "utf_8", "gb18030", "gbk", "gb2312", "big5", "ascii"}


class Corpus:
    """A re-iterable stream of normalised documents (str) read from files, folders or stdin.

    Build one with :func:`open_corpus`. Iterating twice reads the sources twice; nothing is cached
    except standard input, which is spooled to a temporary file on the first pass.
    """

    def __init__(self, files: Sequence[Path | str], options: _Options, normalize: bool = True,
                 t2s: bool = False):
        self.files = list(files)
        self.options = options
        self.normalize = normalize
        self.t2s = t2s
        self._stdin_copy: Path | None = None
        self._stream = None
        self._stream_start = 0
        self._done_bytes = 0

    def __repr__(self) -> str:
        return f"Corpus({len(self.files)} files, format={self.options.format!r}, doc={self.options.doc!r})"

    def __iter__(self) -> Iterator[str]:
        self._done_bytes = 0
        for file in self.files:
            for document in self._iter_file(file):
                if self.normalize:
                    document = normalize_text(document, t2s=self.t2s)
                elif self.options.doc != "file":
                    document = document.rstrip("\r\n")
                if document.strip():
                    yield document
            self._done_bytes += self._size(file)

    def fingerprint(self) -> dict:
        """What decides the documents this corpus reads: each source's content hash (blake2b, as in
        stage manifests) with the format it is read in, and the reading options that change the
        text. A fitted word finder records it, so that its counts are never used on other text.
        Standard input is spooled (read) first."""
        from textmine.manifest import fingerprint

        files, formats = [], set()
        for file in self.files:
            source = self._spool_stdin() if file == "-" else self._source(file)
            fmt = _format_of(Path("stdin.txt") if file == "-" else source, self.options.format)
            digest = fingerprint([source])[str(source)]
            if isinstance(file, FileRange):
                digest += f"[{file.start}:{file.end}]"
            files.append([str(file), digest, fmt])
            formats.add(fmt)
        options = {"doc": self.options.doc, "encoding": self.options.encoding, "normalize": self.normalize,
                   "t2s": self.t2s}
        if "jsonl" in formats:
            options["field"] = self.options.field
        if formats & {"csv", "tsv"}:
            options["column"] = str(self.options.column)
        return {"files": files, "options": options}

    @property
    def nbytes(self) -> int | None:
        """Size on disk of all the sources (compressed, as stored), the total of a progress bar;
        None while standard input has not been read."""
        if "-" in self.files and self._stdin_copy is None:
            return None
        return sum(self._size(file) for file in self.files)

    def bytes_read(self) -> int:
        """How far the current pass has read, in the units of ``nbytes``: the files done plus the
        position in the open one (its file offset, so compressed files count compressed bytes)."""
        stream, start = self._stream, self._stream_start
        try:
            within = os.lseek(stream.fileno(), 0, os.SEEK_CUR) - start if stream is not None else 0
        except (OSError, ValueError):  # closed between the check and the call
            within = 0
        return self._done_bytes + within

    def _size(self, file: Path | str | FileRange) -> int:
        if isinstance(file, FileRange):
            return file.end - file.start
        return self._source(file).stat().st_size

    def partitions(self, size: int = 64 << 20) -> list["Corpus"]:
        """This corpus as consecutive corpora of about ``size`` bytes each, in order: their
        documents, read one after another, are exactly this corpus's. Plain files of one document
        a line (text or JSON lines, in an encoding where 0x0A only ends lines) are cut at line
        starts; compressed, CSV/TSV and whole-file documents stay one partition per file."""
        if size < 1:
            raise InputError(f"partition size must be at least 1 byte, got {size}")
        units: list[Path | FileRange] = []
        for file in self.files:
            if file == "-":
                raise InputError("standard input cannot be split for workers; pass files")
            units.extend(self._cut(file, size))
        parts: list[list] = [[]]
        filled = 0
        for unit in units:                  # small files share a partition, in order
            if filled >= size:
                parts.append([])
                filled = 0
            parts[-1].append(unit)
            filled += self._size(unit)
        return [Corpus(files, self.options, self.normalize, self.t2s) for files in parts]

    def _cut(self, file: Path | FileRange, size: int) -> list[Path | FileRange]:
        path = file.path if isinstance(file, FileRange) else Path(file)
        fmt = _format_of(path, self.options.format)
        if isinstance(file, FileRange) or self.options.doc == "file" or fmt in ("csv", "tsv") \
                or path.suffix.lower() in COMPRESSED or path.stat().st_size <= size:
            return [file]
        with open_text(path, self.options.encoding) as stream:
            encoding = stream.encoding
        if codecs.lookup(encoding).name not in {codecs.lookup(e).name for e in _LINE_SAFE}:
            return [file]
        cuts = line_starts(path, size)
        return [FileRange(path, a, b, encoding) for a, b in zip(cuts, cuts[1:])]

    def _source(self, file: Path | str | FileRange) -> Path:
        if isinstance(file, FileRange):
            return file.path
        return self._stdin_copy if file == "-" else Path(file)

    def _open(self, file: Path | str | FileRange):
        if isinstance(file, FileRange):
            return file.path, open_text_range(file.path, file.start, file.end, file.encoding)
        path = self._spool_stdin() if file == "-" else Path(file)
        return path, open_text(path, self.options.encoding)

    def _iter_file(self, file: Path | str | FileRange) -> Iterator[str]:
        path, stream = self._open(file)
        fmt = _format_of(path, self.options.format)
        with stream:
            self._stream, self._stream_start = stream, file.start if isinstance(file, FileRange) else 0
            try:
                if fmt == "jsonl":
                    yield from _iter_jsonl(stream, path, self.options)
                else:
                    yield from _READERS[fmt](stream, path if file != "-" else Path("<stdin>"), self.options)
            finally:
                self._stream = None

    def _spool_stdin(self) -> Path:
        if self._stdin_copy is None:
            handle = tempfile.NamedTemporaryFile(prefix="textmine-stdin-", suffix=".txt", delete=False)
            with handle:
                shutil.copyfileobj(sys.stdin.buffer, handle)
            self._stdin_copy = Path(handle.name)
        return self._stdin_copy

    def __del__(self):
        if self._stdin_copy is not None:
            self._stdin_copy.unlink(missing_ok=True)


def _expand(path: str | os.PathLike, glob: str) -> list[Path | str]:
    if str(path) == "-":
        return ["-"]
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist")
    if not path.is_dir():
        return [path]
    files = sorted(p for p in path.glob(glob)
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise InputError(f"folder {path} has no files matching {glob!r}")
    return files


def open_corpus(paths: str | os.PathLike | Iterable[str | os.PathLike], *, format: Format = "auto",
                field: str | None = None, column: str | int | None = None, glob: str = "**/*",
                encoding: str | None = None, doc: DocUnit = "line", normalize: bool = True,
                t2s: bool = False) -> Corpus:
    """Open files, folders (recursive, filtered by ``glob``) or ``"-"`` (stdin) as one Corpus.

    This signature is the one schema of corpus options: the CLI's "reading the input" options and
    the check of a pipeline file's ``[corpus]`` table are both built from it.

    Parameters
    ----------
    paths : path or list of path
        Files, folders, or ``-`` for stdin.
    format : {"auto", "text", "jsonl", "csv", "tsv"}
        Input format; auto picks by extension (compression suffix stripped first): .jsonl/.ndjson/.json
        -> jsonl, .csv -> csv, .tsv -> tsv, anything else -> text.
    field : str or None
        JSON lines: the field holding the text.
    column : str, int or None
        CSV/TSV: the column (header name or 0-based index) holding the text.
    glob : str
        Files to take from folders.
    encoding : str or None
        Force an encoding instead of detecting UTF-8 / GB18030.
    doc : {"line", "file"}
        A document per non-blank line (or record), or per text file.
    normalize : bool
        NFKC-normalise each document and fold its whitespace (textmine.corpus.normalize_text).
    t2s : bool
        Convert traditional to simplified characters (needs opencc).

    Missing paths, unknown formats and absent field/column options fail here; empty, binary and
    undecodable files fail, naming the file, when the corpus is first read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise InputError("no input paths given")
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if doc not in get_args(DocUnit):
        raise InputError(f"doc must be 'line' or 'file', got {doc!r}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; e.g. utf-8, gb18030, big5") from None
    files = [file for path in paths for file in _expand(path, glob)]
    for file in files:
        fmt = _format_of(Path(file) if file != "-" else Path("stdin.txt"), format)
        if fmt == "jsonl" and not field:
            raise InputError(f"{file} is JSON lines: say which field holds the text with field=/--field")
        if fmt in ("csv", "tsv") and column is None:
            raise InputError(f"{file} is {fmt.upper()}: say which column holds the text with column=/--column")
    return Corpus(files, _Options(format, field, column, doc, encoding), normalize=normalize, t2s=t2s)


def as_corpus(obj, *, name: str = "corpus") -> Iterable[str]:
    """Accept a Corpus or a list/tuple of str; refuse a bare str or a one-shot iterator.

    A bare str would iterate as single characters, and a generator would be empty on the second
    pass of a multi-pass stage; both are refused with the fix in the message.
    """
    if isinstance(obj, str):
        raise InputError(f"{name} is a single str; pass a list of documents or open_corpus(path)")
    if iter(obj) is obj:
        raise InputError(f"{name} is a one-shot iterator; pass a list of documents or open_corpus(path), "
                         "which can be read several times")
    return obj
