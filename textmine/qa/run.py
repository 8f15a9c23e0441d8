"""Whole-file operations behind the CLI: generate pairs for a corpus, evaluate a run on held-out data."""

from __future__ import annotations

import json
import os
from typing import Iterable, Iterator, Sequence

from tqdm.auto import tqdm

from textmine.atomic import atomic_open
from textmine.qa.data import QAExample
from textmine.qa.evaluate import RetrievalBaseline, score_questions
from textmine.qa.model import QAGenerator

__all__ = ["generate_file", "evaluate_run", "question_predictions"]


def generate_file(documents: Iterable[str], generator: QAGenerator, out_path: str | os.PathLike,
                  n_pairs: int = 3, progress: bool = False, batch_size: int = 16, **settings) -> dict[str, int]:
    """Write ``{doc, passage, answer, question, score}`` JSON lines for every document, atomically.

    The file appears only when every document succeeded: an error (or a kill) mid-way leaves no
    half-written output, and an existing file at ``out_path`` untouched. Empty documents are skipped
    and counted. ``batch_size`` documents are decoded together (:meth:`QAGenerator.generate_many`);
    ``progress`` counts the passages (pieces of at most ``max_passage`` characters) inside documents
    as well, so a single ten-million-character document shows its pace; over files (a
    :class:`~textmine.corpus.Corpus`) a second bar counts the bytes read of their size on disk, so
    the run has a total and an ETA. ``settings``: the generation filters
    (:meth:`QAGenerator.with_settings`).
    """
    counts = {"documents": 0, "empty": 0, "pairs": 0}
    indices: list[int] = []                                 # each decoded document's index among all
    total = getattr(documents, "nbytes", None) if progress else None

    def nonempty(read) -> Iterator[str]:
        for index, doc in enumerate(documents):
            if total:
                read.update(documents.bytes_read() - read.n)
            if not doc.strip():
                counts["empty"] += 1
                continue
            counts["documents"] += 1
            indices.append(index)
            yield doc
        if total:
            read.update(total - read.n)

    # over files, a second bar runs in bytes read of their size on disk: a total and an ETA
    with atomic_open(out_path) as handle, tqdm(total=total, unit="B", unit_scale=True, desc="reading documents",
                                               disable=not total) as read:
        for pair in generator.generate_many(nonempty(read), n_pairs, batch_size, progress=progress, **settings):
            handle.write(json.dumps({**pair, "doc": indices[pair["doc"]]}, ensure_ascii=False) + "\n")
            counts["pairs"] += 1
    return counts


def question_predictions(generator: QAGenerator, examples: Sequence[QAExample]) -> list[str]:
    """The generator's beam-search question for each example's passage and answer."""
    return [generator.question(e.passage, e.answer)[0] for e in examples]


def evaluate_run(generator: QAGenerator, test: Sequence[QAExample],
                 train: Sequence[QAExample] | None = None) -> dict[str, dict[str, float]]:
    """Char BLEU-4 / ROUGE-L of the model's questions on ``test``, and of the retrieval baseline
    fitted on ``train`` when given."""
    refs = [e.question for e in test]
    out = {"model": score_questions(question_predictions(generator, test), refs)}
    if train:
        baseline = RetrievalBaseline().fit(train)
        out["retrieval"] = score_questions(baseline.predict([e.passage for e in test], [e.answer for e in test]), refs)
    return out
