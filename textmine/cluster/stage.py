"""The ``cluster`` pipeline stage: InfoMap modules of the vectors an earlier stage wrote."""

from __future__ import annotations

from textmine.cluster.clusterer import InfomapClusterer
from textmine.cluster.report import summary, write_outputs
from textmine.cluster.vectors import load_vectors
from textmine.pipeline import StageContext, StageResult


def run_cluster(ctx: StageContext, *, top_words: int | None = 10000, k: int = 50, min_sim: float = 0.6,
                mutual: bool = False, trials: int = 5, two_level: bool = True, markov_time: float = 1.0,
                approximate: bool = False) -> StageResult:
    """Cluster the first ``top_words`` vectors of the ``vectors`` artifact; write TSV, JSON, PNG, HTML."""
    items = load_vectors(ctx.artifacts["vectors"], top=top_words)
    clusterer = InfomapClusterer(k=k, min_sim=min_sim, mutual=mutual, trials=trials, seed=ctx.seed,
                                 two_level=two_level, markov_time=markov_time, approximate=approximate).fit(items)
    outputs = write_outputs(clusterer, ctx.out_dir, seed=ctx.seed)
    report = clusterer.graph_report_
    return StageResult(outputs=outputs,
                       counts={"items": report["items"], "links": report["links"], "isolated": report["isolated"],
                               "modules": int(clusterer.labels_.max()) + 1},
                       metrics={"codelength": clusterer.codelength_},
                       summary=summary(clusterer))
