"""The ``link_train`` and ``link`` stages: train an entity linker; link every corpus document."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Iterator

from tqdm.auto import tqdm

from textmine.corpus.decoding import strip_compression
from textmine.errors import InputError
from textmine.linking.data import LinkedText, iter_texts, load_texts, write_texts
from textmine.linking.evaluate import evaluate_linker
from textmine.linking.kb import KnowledgeBase
from textmine.linking.linker import EntityLinker
from textmine.stage import StageContext, StageResult, stage

PACKAGED_KB = ("sanguo",)                        # KB names that are not files
PACKAGED_TEXTS = ("sanguo:train", "sanguo:dev")  # the silver 三国 bed (textmine.linking.sanguo)


def read_texts(spec: str) -> list[LinkedText]:
    """Annotated texts from a CCKS JSON-lines file, or a packaged bed named in PACKAGED_TEXTS."""
    if spec in PACKAGED_TEXTS:
        from textmine.linking.sanguo import sanguo_linking

        return sanguo_linking(spec.split(":")[1])
    return load_texts(spec)


@stage("link_train", makes=("link_run",), paths=("kb", "data", "dev"), corpus=False,
       builtins={"kb": PACKAGED_KB, "data": PACKAGED_TEXTS, "dev": PACKAGED_TEXTS}, estimator=EntityLinker)
def run_link_train(ctx: StageContext, *, kb: str, data: str, dev: str | None = None, **params) -> StageResult:
    """Train on ``data`` against ``kb``, choose the NIL threshold on ``dev``; the stage folder is the
    run folder: the linker in ``model/`` (:mod:`textmine.persist`), beside the neural parts' training folders."""
    linker = EntityLinker(**params, seed=ctx.seed, progress=ctx.progress)
    train, held = read_texts(data), read_texts(dev) if dev else None
    linker.fit(KnowledgeBase.load(kb), train, held, out_dir=ctx.out_dir)
    linker.save(ctx.out_dir / "model")
    metrics, summary = {}, f"trained a {linker.mode} linker on {len(train)} texts"
    if held:
        report = evaluate_linker(linker, held, end_to_end=False)["gold_mentions"]
        metrics = {f"dev_{method}_{names}_f1": scores["f1"] for method, parts in report.items()
                   for names, scores in parts.items()}
        summary += (f"; dev F1 with gold mentions {metrics['dev_model_all_f1']:.3f} "
                    f"(ambiguous {metrics['dev_model_ambiguous_f1']:.3f}), prior baseline "
                    f"{metrics['dev_prior_all_f1']:.3f} ({metrics['dev_prior_ambiguous_f1']:.3f})")
    return StageResult(outputs={"link_run": "."}, counts={"texts": len(train), "entities": len(linker.kb_)},
                       metrics=metrics, summary=summary)


def _inputs(ctx: StageContext) -> Iterator[LinkedText]:
    """CCKS JSON lines (``field`` unset) keep their ids and mentions; plain text files give a text a
    line, as written (not normalised, so offsets and names match), text_id = line number (prefixed
    with the file name when there are several); other corpora (csv, a field of JSON lines) a text
    per document, numbered from 1. Streamed: a corpus larger than memory is read as it is linked."""
    options = ctx.corpus
    paths = [Path(p) for p in options["paths"]]
    kinds = {"jsonl" if strip_compression(p).suffix.lower() in (".jsonl", ".json") else "text" for p in paths}
    plain = (options.get("field") is None and options.get("column") is None and options.get("doc", "line") == "line"
             and all(p.is_file() for p in paths) and len(kinds) == 1
             and options.get("format", "auto") in ("auto", kinds.copy().pop()))
    if not plain:
        yield from (LinkedText(str(number), text) for number, text in enumerate(ctx.open_corpus(), 1))
        return
    for path in paths:
        for text in iter_texts(path, format=kinds.copy().pop()):
            yield (text if len(paths) == 1 or kinds == {"jsonl"}
                   else LinkedText(f"{path.name}:{text.text_id}", text.text, text.mentions))


@stage("link", uses=("link_run",), makes=("links",), paths=("model", "kb"), builtins={"kb": PACKAGED_KB})
def run_link(ctx: StageContext, *, model: str | None = None, kb: str | None = None, gold_mentions: bool = False,
             device: str | None = None) -> StageResult:
    """Write links.jsonl (CCKS lines: text_id, text, mention_data with kb_id and score), atomically.

    The linker is ``model`` (a ``textmine link train`` run folder), else an earlier ``link_train``
    stage's run, else one built from ``kb`` alone (KB-intrinsic priors, no training links).
    ``gold_mentions`` keeps the input's mentions and decides only their kb_id.
    """
    run = model or ctx.artifacts.get("link_run")
    if run is not None:
        linker = EntityLinker.load(run, device=device)
    elif kb is not None:
        linker = EntityLinker(seed=ctx.seed).fit(KnowledgeBase.load(kb), [])
    else:
        raise InputError("stage link needs model= (a run folder), kb= (a knowledge base), or a link_train stage")
    counts = Counter()

    def linked() -> Iterator[LinkedText]:
        texts = _inputs(ctx)
        with tqdm(desc="linking", unit=" texts", disable=not ctx.progress) as bar:
            while chunk := list(itertools.islice(texts, CHUNK_TEXTS)):
                for text in linker.link_texts(chunk, gold_mentions=gold_mentions, progress=False):
                    counts.update(texts=1, mentions=len(text.mentions),
                                  links=sum(m.kb_id != "NIL" for m in text.mentions))
                    yield text
                bar.update(len(chunk))

    write_texts(linked(), ctx.path("links", "links.jsonl"))
    return StageResult(outputs={"links": "links.jsonl"}, counts={k: counts[k] for k in ("texts", "mentions", "links")},
                       summary=f"{counts['links']} links ({counts['mentions'] - counts['links']} NIL) "
                               f"in {counts['texts']} texts")


#: texts linked at a time: a corpus is read, linked and written a chunk at a time, so the stage holds
#: one chunk and its links however large the corpus (the links are those of linking it whole)
CHUNK_TEXTS = 4096
