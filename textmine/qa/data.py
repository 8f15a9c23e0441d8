"""Training examples for question generation: ``{passage, answer, question}`` records and adapters.

Users bring span-style reading-comprehension files; the adapters turn each into examples whose
passage was cut at sentence punctuation to ``max_len`` characters, keeping only the pieces that
contain the answer (the model sees at most ``max_len`` passage tokens, and a question is only
learnable from the part of the passage that holds its answer). Data without answer spans (the
insurance QA set) become passage -> question examples with an empty answer.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, get_args

from textmine.corpus import iter_json_records, iter_sentences
from textmine.corpus.decoding import open_text
from textmine.checks import check_int
from textmine.errors import InputError

__all__ = ["QAExample", "cut_passage", "iter_passage_pieces", "passage_pieces", "word_bounds", "read_examples",
           "write_examples", "read_squad", "read_span_jsonl", "insurance_examples", "load_examples"]

log = logging.getLogger(__name__)

FIELDS = ("passage", "answer", "question")


@dataclass(frozen=True)
class QAExample:
    """One training pair: the ``question`` asked about ``answer`` (a substring of ``passage``, or '')."""

    passage: str
    answer: str
    question: str

    def to_dict(self) -> dict:
        return {"passage": self.passage, "answer": self.answer, "question": self.question}


def passage_pieces(passage: str, max_len: int) -> list[str]:
    """Cut ``passage`` into pieces of at most ``max_len`` characters, ending at sentence punctuation.

    Sentences (:func:`textmine.corpus.iter_sentences`) are packed greedily, so every piece is as long
    as it can be without splitting a sentence (an over-long sentence is itself cut at clauses).
    """
    return list(iter_passage_pieces(passage, max_len))


def iter_passage_pieces(passage: str, max_len: int) -> Iterator[str]:
    """The pieces of :func:`passage_pieces` one after the other: a document of ten million characters
    is cut as it is read, never held as a list of pieces."""
    if max_len < 1:
        raise InputError(f"max_len must be a positive number of characters, got {max_len}")
    current = ""
    for sentence in iter_sentences(passage, max_len=max_len):
        if current and len(current) + len(sentence) > max_len:
            yield current
            current = ""
        current += sentence
    if current:
        yield current


def word_bounds(text: str, segment: Callable[[str], list[str]]) -> tuple[set[int], set[int]]:
    """Character offsets where the words of ``text`` start, and where they end (exclusive), as
    ``segment`` (a tokenizer of :mod:`textmine.corpus.tokenizers`, which drops whitespace) cuts it."""
    starts, ends, position = set(), set(), 0
    for word in segment(text):
        position = text.index(word, position)
        starts.add(position)
        position += len(word)
        ends.add(position)
    return starts, ends


def cut_passage(passage: str, answer: str, max_len: int) -> list[str]:
    """The pieces of ``passage`` (see :func:`passage_pieces`) that contain ``answer``.

    An empty answer keeps only the first piece (the passage's opening is what a question about the
    whole passage is most likely to be about). An answer longer than ``max_len`` fits no piece and
    gives an empty list.
    """
    pieces = passage_pieces(passage, max_len)
    if not answer:
        return pieces[:1]
    return [piece for piece in pieces if answer in piece]


def _examples(passage: str, answer: str, question: str, max_len: int) -> Iterator[QAExample]:
    passage, answer, question = passage.strip(), answer.strip(), question.strip()
    if not passage or not question:
        return
    for piece in cut_passage(passage, answer, max_len):
        yield QAExample(piece, answer, question)


def _check_path(path: Path) -> None:
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file; expected a QA data file")


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    _check_path(path)
    return iter_json_records(path)


def _field(path: Path, number: int, record: dict, name: str, *, allow_empty: bool = False) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise InputError(f"{path}, line {number}: field {name!r} is missing or not a string; "
                         f"expected fields {', '.join(FIELDS)}")
    if not value.strip() and not allow_empty:
        raise InputError(f"{path}, line {number}: field {name!r} is empty")
    return value


def read_examples(path: str | os.PathLike, *, max_len: int = 128) -> list[QAExample]:
    """Read textmine's own JSON lines ``{passage, answer, question}`` (answer may be '').

    Raises
    ------
    InputError
        The file is missing, a line is not a JSON object, a field is missing / not a string, the
        passage or question is empty, or the answer is not in the passage (each names file and line).
    """
    path = Path(path)
    out: list[QAExample] = []
    for number, record in _json_lines(path):
        passage = _field(path, number, record, "passage")
        question = _field(path, number, record, "question")
        answer = _field(path, number, record, "answer", allow_empty=True)
        if answer.strip() not in passage:
            raise InputError(f"{path}, line {number}: field 'answer' ({answer[:30]!r}) is not a substring "
                             "of field 'passage'")
        out.extend(_examples(passage, answer, question, max_len))
    if not out:
        raise InputError(f"{path} holds no examples; expected JSON lines with fields {', '.join(FIELDS)}")
    return out


def write_examples(examples: Iterable[QAExample], path: str | os.PathLike) -> int:
    """Write examples as JSON lines atomically; returns how many were written."""
    from textmine.atomic import write_jsonl

    return write_jsonl((example.to_dict() for example in examples), path)


def _one_or_many(path: Path, number: int, record: dict, name: str) -> list:
    """``record[name + "s"]`` or ``record[name]``, as a list (a single string becomes one item)."""
    value = record.get(name + "s", record.get(name))
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise InputError(f"{path}, line {number}: field '{name}' or '{name}s' is missing; expected "
                         "a string or a list of strings")
    return value


def read_span_jsonl(path: str | os.PathLike, *, max_len: int = 128) -> list[QAExample]:
    """WebQA / SogouQA-style JSON lines: ``{question, passages|passage|evidence..., answer|answers}``.

    Accepted shapes per line: ``passage`` (str) or ``passages`` (list of str or of ``{passage}``
    dicts), and ``answer`` (str) or ``answers`` (list of str). Every passage that contains an answer
    gives examples; lines without any (answer, passage) match are skipped and counted in the log.
    """
    path = Path(path)
    out: list[QAExample] = []
    skipped = 0
    for number, record in _json_lines(path):
        question = _field(path, number, record, "question")
        passages = [p.get("passage", "") if isinstance(p, dict) else str(p)
                    for p in _one_or_many(path, number, record, "passage")]
        answers = _one_or_many(path, number, record, "answer")
        found = [ex for p in passages for a in answers if isinstance(a, str) and a.strip() and a.strip() in p
                 for ex in _examples(p, a, question, max_len)]
        skipped += not found
        out.extend(found[:1] if len(answers) > 1 else found)
    if skipped:
        log.info("%s: %d lines had no answer inside a passage and were skipped", path, skipped)
    return out


def read_squad(path: str | os.PathLike, *, max_len: int = 128) -> list[QAExample]:
    """DuReader / CMRC / SQuAD-style JSON ``{data: [{paragraphs: [{context, qas: [...]}]}]}``.

    Each question's first answer is used; the passage is cut around it (pieces containing it).
    """
    path = Path(path)
    _check_path(path)
    try:
        with open_text(path) as handle:
            raw = json.loads(handle.read())
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}); expected SQuAD-style {{data: [...]}}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("data"), list):
        raise InputError(f"{path}: field 'data' is missing; expected SQuAD-style "
                         "{data: [{paragraphs: [{context, qas: [{question, answers}]}]}]}")
    out: list[QAExample] = []
    for i, article in enumerate(raw["data"]):
        for j, para in enumerate(article.get("paragraphs", [])):
            context = para.get("context")
            if not isinstance(context, str):
                raise InputError(f"{path}: data[{i}].paragraphs[{j}] has no string field 'context'")
            for qa in para.get("qas", []):
                answers = [a.get("text", "") for a in qa.get("answers", []) if isinstance(a, dict)]
                answers = [a for a in answers if a.strip() and a.strip() in context]
                if answers and isinstance(qa.get("question"), str):
                    out.extend(_examples(context, answers[0], qa["question"], max_len))
    return out


def insurance_examples(split: str = "train", *, max_len: int = 128, limit: int | None = None) -> list[QAExample]:
    """Insurance QA (docs/data.md) as passage -> question examples: each question with its first answer
    passage, answer empty (the data has no spans). ``limit`` keeps the first ``limit`` questions."""
    from textmine.corpus import datasets

    answers = datasets.insurance_answers()
    out: list[QAExample] = []
    for record in datasets.insurance_questions(split)[:limit]:
        passage = next((answers[a] for a in record["answer_ids"] if answers.get(a)), "")
        out.extend(_examples(passage, "", record["question"], max_len))
    return out


#: Bounds of qa generate's counts, checked for the model and the clauses alike: beyond them a run
#: only exhausts memory.
MAX_PAIRS = 1000
MAX_BATCH = 4096


def check_counts(n_pairs: int, batch_size: int) -> None:
    """Refuse pairs per passage or passages per batch out of range, naming the CLI options."""
    check_int("n_pairs (--pairs)", n_pairs, 1, MAX_PAIRS, "pairs per passage")
    check_int("batch_size (--batch-size)", batch_size, 1, MAX_BATCH, "passages decoded together")


#: how :func:`load_examples` reads a file: the one list the stage, the CLI and the check share
ExampleFormat = Literal["auto", "textmine", "span", "squad", "insurance"]


def load_examples(path: str | os.PathLike, *, format: ExampleFormat = "auto", max_len: int = 128) -> list[QAExample]:
    """Read training data in any supported format.

    ``format``: ``"textmine"`` (JSON lines {passage, answer, question}), ``"span"`` (WebQA/SogouQA-like
    JSON lines), ``"squad"`` (SQuAD-like JSON), ``"insurance"`` (the packaged data; ``path`` is the
    split name) or ``"auto"`` (``.json`` -> squad; JSON lines with a ``passage`` and ``answer`` -> textmine,
    else span).
    """
    if format == "insurance" or (format == "auto" and str(path).startswith("insurance:")):
        return insurance_examples(str(path).split(":", 1)[-1] or "train", max_len=max_len)
    path = Path(path)
    if format == "auto":
        if path.suffix == ".json":
            format = "squad"
        else:
            first = next(_json_lines(path), (0, {}))[1]
            format = "textmine" if {"passage", "answer", "question"} <= set(first) else "span"
    readers = {"textmine": read_examples, "span": read_span_jsonl, "squad": read_squad}
    if format not in readers:
        raise InputError(f"format={format!r} is unknown; expected one of {', '.join(get_args(ExampleFormat))}")
    examples = readers[format](path, max_len=max_len)
    if not examples:
        raise InputError(f"{path} ({format}) gave no examples: no question whose answer is in its passage")
    return examples
