"""The ``qa_train`` and ``qa`` stages: train a question generator; write QA pairs for every document."""

from __future__ import annotations

from typing import Literal

from textmine.errors import InputError
from textmine.qa.data import ExampleFormat
from textmine.stage import StageContext, StageResult, stage

PACKAGED = ("insurance:train", "insurance:valid", "insurance:test")  # data names that are not files


@stage("qa_train", makes=("qa_run",), paths=("data", "bert_dir", "vocab", "documents"), corpus=False,
       builtins={"data": PACKAGED, "vocab": ("corpus", "full")}, estimator="textmine.qa.model:QAGenerator")
def run_qa_train(ctx: StageContext, *, data: str, format: ExampleFormat = "auto", documents: list[str] | None = None,
                 documents_share: float = 0.5, mlm_share: float = 0.0, resume: bool = True,
                 **params) -> StageResult:
    """Train on ``data``; the stage folder is the run folder (model/, textmine.json, checkpoint/,
    metrics.jsonl), resumed from its checkpoint after a kill.

    Parameters
    ----------
    data : path
        Training data: JSON lines {passage, answer, question}, WebQA/SogouQA-like JSON lines,
        SQuAD-like .json, or insurance:train / insurance:test (the packaged insurance QA data).
    format : str
        How to read ``data`` (see :func:`textmine.qa.load_examples`).
    documents : list of path or None
        Files or folders of the domain to ask about (unlabelled, a document per line): cloze pairs
        made from them (:func:`textmine.qa.synthetic.cloze_examples`) join the training data, so the
        model learns to ask about the passage in front of it rather than about ``data``'s domain.
    documents_share : float
        Share of the training examples made from ``documents``; 0 makes none.
    mlm_share : float
        Share of training rows that are masked-LM rows over the documents' passages: continued
        pre-training on the target text, in the same steps as the QA training; 0: none.
    resume : bool
        Continue from the folder's checkpoint after a kill (else start over).
    """
    from textmine.corpus import open_corpus
    from textmine.qa.data import load_examples
    from textmine.checks import check_share
    from textmine.qa.model import QAGenerator
    from textmine.qa.synthetic import cloze_examples, masked_lm_pieces, mix_examples

    generator = QAGenerator(**params, seed=ctx.seed, progress=ctx.progress).check_settings(training=True)
    for name, share in (("documents_share (--documents-share)", documents_share), ("mlm_share (--mlm-share)", mlm_share)):
        check_share(name, share)
    examples = load_examples(data, format=format, max_len=generator.max_passage)
    labelled = len(examples)
    if mlm_share and not documents:
        raise InputError(f"mlm_share={mlm_share} needs documents to mask; give --documents DOCS")
    if documents and not (documents_share or mlm_share):
        raise InputError("documents are given but documents_share and mlm_share are both 0; expected a share "
                         "of cloze pairs, of masked-LM rows, or both")
    if documents and documents_share:
        synthetic = cloze_examples(open_corpus(documents), max_len=generator.max_passage,
                                   max_answer=generator.max_answer, max_question=generator.max_question, seed=ctx.seed)
        if not synthetic:
            raise InputError(f"documents {', '.join(map(str, documents))} have no sentence with a name, number or "
                             "noun to ask about; expected Chinese text")
        examples = mix_examples(examples, synthetic, documents_share, seed=ctx.seed)
    masked = []
    if documents and mlm_share:
        pieces = masked_lm_pieces(open_corpus(documents), max_len=generator.max_passage)
        masked = mix_examples(examples, pieces, mlm_share, seed=ctx.seed, option="mlm_share")[len(examples):]
    generator.fit(examples, ctx.out_dir, masked_lm=masked, resume=resume)
    result = generator.train_result_
    last = result.losses[-1] if result.losses else float("nan")
    return StageResult(outputs={"qa_run": "."}, counts={"examples": len(examples), "labelled": labelled,
                                                        "synthetic": len(examples) - labelled,
                                                        "masked_lm": len(masked), "steps": result.steps},
                       metrics={"last_loss": last},
                       summary=f"trained on {len(examples)} examples for {result.steps} steps (last loss {last:.4f})")


@stage("qa", makes=("qa_pairs",), paths=("model",))
def run_qa(ctx: StageContext, *, model: str | None = None, method: str | None = None, pairs: int = 3,
           constrain: bool | None = None, min_overlap: float | None = None, round_trip: bool | None = None,
           answers: Literal["any", "tagged"] | None = None, device: str | None = None, batch_size: int = 16) -> StageResult:
    """Write qa.jsonl: ``pairs`` {doc, passage, answer, start, end, question, score} per document, atomically.

    Parameters
    ----------
    model : path or None
        A run folder of ``textmine qa train`` (relative to the pipeline file); none needed for
        the clauses method.
    method : {"clauses", "model", "both"} or None
        clauses: questions from each passage's own clauses, ranked (no model); model: the trained
        model's pairs; both: the model's pairs join the clauses' candidates and one ranking keeps
        the best (unset: both with a model, clauses without).
    pairs : int
        Pairs per document at most: filtered pairs are dropped, so a document may get fewer.
    constrain : bool or None
        Model answers must be runs of the passage.
    min_overlap : float or None
        Drop a model pair whose question has less than this share of its content words in its
        passage; 0 keeps all.
    round_trip : bool or None
        Drop a model pair whose answer is not in the passage sentence nearest its question.
    answers : {"any", "tagged"} or None
        Model answers: any run of the passage, or only the names, numbers and nouns jieba's tagger
        marks.

    Unset filters take :class:`QAGenerator`'s defaults (QAGenerator.filter_defaults()), whatever the
    model was trained with: the defaults are written there alone, which a stage module cannot import
    cheaply (torch).
    device : str or None
        auto (default), cpu, cuda, cuda:N, mps.
    batch_size : int
        Documents decoded together: the same pairs as one by one, faster.
    """
    from textmine.qa.clauses import ClauseQuestions, check_method
    from textmine.qa.model import QAGenerator
    from textmine.qa.run import generate_file

    method = check_method(method, model)
    generator, settings = None, {}
    if method != "clauses":
        generator = QAGenerator.load(model, device=device, seed=ctx.seed)
        given = dict(constrain=constrain, min_overlap=min_overlap, round_trip=round_trip, answers=answers)
        settings = {name: value if value is not None else QAGenerator.filter_defaults()[name]
                    for name, value in given.items()}
    if method != "model":                                       # the fluency model reads the documents first
        settings["model"] = generator
        generator = ClauseQuestions().fit(ctx.open_corpus())
    counts = generate_file(ctx.open_corpus(), generator, ctx.path("qa_pairs", "qa.jsonl"), n_pairs=pairs,
                           progress=ctx.progress, batch_size=batch_size, **settings)
    return StageResult(outputs={"qa_pairs": "qa.jsonl"}, counts=counts,
                       summary=f"{counts['pairs']} pairs ({method}) from {counts['documents']} documents "
                               f"({counts['empty']} empty skipped)")
