"""The ``topics`` stage: the corpus's documents into labelled topics (:class:`Topics`)."""

from __future__ import annotations

from textmine.stage import StageContext, StageResult, stage
from textmine.topics.model import Topics
from textmine.topics.report import summary, write_outputs


@stage("topics", uses=("userdict",), makes=("doc_topics", "topics", "topics_json", "topics_html", "topics_model"),
       paths=("userdict",), estimator=Topics)
def run_topics(ctx: StageContext, *, userdict: str | None = None, **params) -> StageResult:
    """Write doc_topics.tsv, topics.tsv, topics.json, topics.html and the fitted model as model/ (for new
    documents: ``Topics.load(DIR).transform(docs)``). With jieba and no ``userdict``, an earlier
    words stage's lexicon is added to jieba's dictionary.
    """
    if userdict is None and params.get("tokenizer", "jieba") == "jieba" and "userdict" in ctx.artifacts:
        userdict = str(ctx.artifacts["userdict"])
    documents = list(ctx.open_corpus())
    model = Topics(**params, userdict=userdict, seed=ctx.seed, progress=ctx.progress).fit(documents)
    outputs = write_outputs(model, ctx.out_dir, documents)
    outputs["topics_model"] = "model"
    model.save(ctx.path("topics_model", outputs["topics_model"]))
    return StageResult(outputs=outputs, counts={"documents": len(documents), "topics": model.n_topics_},
                       metrics={"k_scores": {str(k): v for k, v in model.k_scores_.items()}},
                       summary=summary(model))
