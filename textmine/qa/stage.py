"""The ``qa`` pipeline stage: question-answer pairs for every corpus document, from a trained run."""

from __future__ import annotations

from textmine.pipeline import StageContext, StageResult
from textmine.qa.model import QAGenerator
from textmine.qa.run import generate_file


def run_qa(ctx: StageContext, *, model: str, pairs: int = 3, constrain: bool = True,
           device: str | None = None) -> StageResult:
    """Write qa.jsonl: ``pairs`` {doc, passage, answer, question, score} per document, atomically.

    ``model`` is a run folder of ``textmine qa train`` (relative to the pipeline file).
    """
    generator = QAGenerator.load(model, device=device)
    generator.constrain, generator.seed = constrain, ctx.seed
    counts = generate_file(ctx.open_corpus(), generator, ctx.out_dir / "qa.jsonl", n_pairs=pairs)
    return StageResult(outputs={"qa_pairs": "qa.jsonl"}, counts=counts,
                       summary=f"{counts['pairs']} pairs from {counts['documents']} documents "
                               f"({counts['empty']} empty skipped)")
