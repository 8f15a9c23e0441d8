"""Annotated and raw texts for entity linking: reading, checking and writing CCKS 2019 lines.

A text is ``{text_id, text, mention_data[{mention, offset, kb_id}]}``; offsets may be strings (as in
CCKS) or ints, and ``kb_id`` may be ``"NIL"``. Every mention is checked against its text when read,
because a shifted offset silently poisons the priors and the pruning counts otherwise. Text is not
normalised: offsets refer to the characters as given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from textmine.atomic import write_jsonl
from textmine.corpus import iter_json_records
from textmine.corpus.decoding import open_text, strip_compression
from textmine.errors import InputError
from textmine.linking.kb import NIL

__all__ = ["Link", "LinkedText", "load_texts", "iter_texts", "write_texts"]


@dataclass(frozen=True)
class Link:
    """A mention: a name at ``offset`` (characters) in a text, linked to ``kb_id`` (``"NIL"``: not in the
    KB), with the linker's calibrated ``score`` (None for gold annotations)."""

    mention: str
    offset: int
    kb_id: str = NIL
    score: float | None = None

    @property
    def end(self) -> int:
        return self.offset + len(self.mention)


@dataclass(frozen=True)
class LinkedText:
    """A text and its mentions (gold when read from annotated data, predicted after linking)."""

    text_id: str
    text: str
    mentions: tuple[Link, ...] = field(default=())

    def to_json(self) -> dict:
        """The CCKS 2019 record (offsets as strings, like the original data)."""
        data = []
        for m in self.mentions:
            item = {"kb_id": m.kb_id, "mention": m.mention, "offset": str(m.offset)}
            if m.score is not None:
                item["score"] = round(m.score, 4)
            data.append(item)
        return {"text_id": self.text_id, "text": self.text, "mention_data": data}


def _mention(item, text: str, where: str) -> Link:
    if not isinstance(item, dict) or "mention" not in item or "offset" not in item:
        raise InputError(f"{where}: each mention_data item needs 'mention' and 'offset', got {item!r:.80}")
    name = item["mention"]
    try:
        offset = int(item["offset"])
    except (TypeError, ValueError) as exc:
        raise InputError(f"{where}: offset {item['offset']!r} of mention {name!r} is not an integer") from exc
    if not isinstance(name, str) or not name:
        raise InputError(f"{where}: mention {name!r} is not a non-empty string")
    if text[offset: offset + len(name)] != name or offset < 0:
        raise InputError(f"{where}: mention {name!r} at offset {offset} does not match the text there "
                         f"({text[max(offset, 0): max(offset, 0) + len(name)]!r}); offsets count characters from 0")
    kb_id = item.get("kb_id", NIL)
    return Link(name, offset, str(kb_id) if kb_id not in (None, "") else NIL)


def _record(record: dict, where: str, default_id: str) -> LinkedText:
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: no string field 'text' (found: {sorted(record)}); expected "
                         "{text_id, text, mention_data[{mention, offset, kb_id}]}")
    items = record.get("mention_data") or []
    if not isinstance(items, list):
        raise InputError(f"{where}: 'mention_data' must be a list")
    mentions = sorted((_mention(item, text, where) for item in items), key=lambda m: (m.offset, -len(m.mention)))
    return LinkedText(str(record.get("text_id", default_id)), text, tuple(mentions))


def iter_texts(path: str | os.PathLike, *, format: str = "auto") -> Iterator[LinkedText]:
    """Stream texts from a CCKS JSON-lines file (``format="jsonl"``) or plain text, a text a line
    (``format="text"``; text_id = line number from 1, blank lines skipped, no mentions). ``"auto"``
    goes by the suffix."""
    path = Path(path)
    if format == "auto":
        format = "jsonl" if strip_compression(path).suffix.lower() in (".jsonl", ".json", ".ndjson") else "text"
    if format == "jsonl":
        for number, record in iter_json_records(path):
            yield _record(record, f"{path}, line {number}", str(number))
    elif format == "text":
        with open_text(path) as stream:
            for number, line in enumerate(stream, 1):
                line = line.rstrip("\r\n")
                if line.strip():
                    yield LinkedText(str(number), line)
    else:
        raise InputError(f"format={format!r}; expected 'auto', 'jsonl' or 'text'")


def load_texts(paths: str | os.PathLike | Sequence[str | os.PathLike], *, format: str = "auto") -> list[LinkedText]:
    """All texts of one or several files, in memory (training needs several passes)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    texts = [t for path in paths for t in iter_texts(path, format=format)]
    if not texts:
        raise InputError(f"{', '.join(map(str, paths))} holds no texts")
    return texts


def write_texts(texts: Iterable[LinkedText], path: str | os.PathLike) -> int:
    """Write CCKS JSON lines atomically (a failure mid-way leaves no file); return the line count."""
    return write_jsonl((text.to_json() for text in texts), path)
