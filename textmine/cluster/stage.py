"""The ``cluster`` stage: InfoMap modules of the vectors an earlier stage (or the user) wrote."""

from __future__ import annotations

import logging

from textmine.cluster.clusterer import InfomapClusterer
from textmine.cluster.graph import KnnGraph
from textmine.cluster.report import summary, write_outputs
from textmine.cluster.vectors import load_items
from textmine.errors import InputError
from textmine.stage import StageContext, StageResult, stage

log = logging.getLogger(__name__)


@stage("cluster", needs=("vectors",), uses=("terms",), uses_when={"terms": "content_words"},
       makes=("clusters", "hierarchy", "png", "html", "graph"), corpus=False, paths=("graph",),
       estimator=InfomapClusterer)
def run_cluster(ctx: StageContext, *, top_words: int | None = None, graph: str | None = None,
                content_words: bool = False, **params) -> StageResult:
    """Cluster the vectors of the ``vectors`` artifact; write TSV, JSON, PNG, HTML and the kNN graph
    (graph.npz, which records ``top_words``).

    Parameters
    ----------
    top_words : int or None
        Cluster only the first N vectors, with a warning saying how many are left out (unset: every
        vector; with ``graph``, the graph's own).
    content_words : bool
        Cluster only the words the ``terms`` artifact (an earlier terms stage's terms.tsv; on the
        command line ``--terms FILE``) did not demote as function words: the most frequent words of
        a corpus are its particles, pronouns and punctuation, whose vectors gather into one large
        module of no topic.
    graph : path or None
        The graph.npz of an earlier run on the same vectors, to try other InfoMap settings (trials,
        two_level, markov_time) without searching neighbours again: its own k, min_sim, mutual,
        weight and knn_backend apply.
    """
    built = KnnGraph.load(graph) if graph else None
    if built is not None and top_words is None and built.params.get("top_words") is not None:
        top_words = built.params["top_words"]
        log.info("--graph %s: taking its --top-words %d", graph, top_words)
    items = load_items(ctx.artifacts["vectors"], top=top_words, only=_content_words(ctx) if content_words else None)
    clusterer = InfomapClusterer(**params, seed=ctx.seed).fit(items, graph=built)
    clusterer.graph_.params["top_words"] = top_words
    outputs = write_outputs(clusterer, ctx.out_dir, seed=ctx.seed)
    outputs["graph"] = "graph.npz"
    clusterer.graph_.save(ctx.path("graph", outputs["graph"]))
    report = clusterer.graph_report_
    return StageResult(outputs=outputs,
                       counts={"items": report["items"], "links": report["links"], "isolated": report["isolated"],
                               "modules": int(clusterer.labels_.max()) + 1},
                       metrics={"codelength": clusterer.codelength_},
                       summary=summary(clusterer))


def _content_words(ctx: StageContext) -> set[str]:
    from textmine.words.contrast import content_words

    if "terms" not in ctx.artifacts:
        raise InputError("content_words needs a terms.tsv: a terms stage earlier in the pipeline, or --terms FILE")
    return content_words(ctx.artifacts["terms"])
