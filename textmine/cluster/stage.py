"""The ``cluster`` stage: InfoMap modules of the vectors an earlier stage (or the user) wrote."""

from __future__ import annotations

from textmine.cluster.clusterer import InfomapClusterer
from textmine.cluster.graph import KnnGraph
from textmine.cluster.report import summary, write_outputs
from textmine.cluster.vectors import load_vectors
from textmine.stage import StageContext, StageResult, stage


@stage("cluster", needs=("vectors",), makes=("clusters", "hierarchy", "png", "html", "graph"), corpus=False,
       paths=("graph",), estimator=InfomapClusterer)
def run_cluster(ctx: StageContext, *, top_words: int | None = 10000, graph: str | None = None,
                **params) -> StageResult:
    """Cluster the first ``top_words`` vectors of the ``vectors`` artifact; write TSV, JSON, PNG, HTML
    and the kNN graph (graph.npz).

    ``graph``: the graph.npz of an earlier run on the same vectors, to try other InfoMap settings
    (trials, two_level, markov_time) without searching neighbours again; its own k, min_sim,
    mutual, weight and knn_backend then apply.
    """
    items = load_vectors(ctx.artifacts["vectors"], top=top_words)
    clusterer = InfomapClusterer(**params, seed=ctx.seed).fit(items, graph=KnnGraph.load(graph) if graph else None)
    outputs = write_outputs(clusterer, ctx.out_dir, seed=ctx.seed)
    outputs["graph"] = "graph.npz"
    clusterer.graph_.save(ctx.path("graph", outputs["graph"]))
    report = clusterer.graph_report_
    return StageResult(outputs=outputs,
                       counts={"items": report["items"], "links": report["links"], "isolated": report["isolated"],
                               "modules": int(clusterer.labels_.max()) + 1},
                       metrics={"codelength": clusterer.codelength_},
                       summary=summary(clusterer))
