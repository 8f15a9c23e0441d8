"""The ``cluster`` stage: InfoMap modules of the vectors an earlier stage (or the user) wrote."""

from __future__ import annotations

from textmine.cluster.clusterer import InfomapClusterer
from textmine.cluster.report import summary, write_outputs
from textmine.cluster.vectors import load_vectors
from textmine.stage import StageContext, StageResult, stage


@stage("cluster", needs=("vectors",), makes=("clusters", "hierarchy", "png", "html"), corpus=False,
       estimator=InfomapClusterer)
def run_cluster(ctx: StageContext, *, top_words: int | None = 10000, **params) -> StageResult:
    """Cluster the first ``top_words`` vectors of the ``vectors`` artifact; write TSV, JSON, PNG, HTML."""
    items = load_vectors(ctx.artifacts["vectors"], top=top_words)
    clusterer = InfomapClusterer(**params, seed=ctx.seed).fit(items)
    outputs = write_outputs(clusterer, ctx.out_dir, seed=ctx.seed)
    report = clusterer.graph_report_
    return StageResult(outputs=outputs,
                       counts={"items": report["items"], "links": report["links"], "isolated": report["isolated"],
                               "modules": int(clusterer.labels_.max()) + 1},
                       metrics={"codelength": clusterer.codelength_},
                       summary=summary(clusterer))
