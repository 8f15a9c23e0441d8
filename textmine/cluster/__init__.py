"""InfoMap community clustering of words and documents (docs/algorithms/cluster.md).

::

    from textmine.cluster import InfomapClusterer, load_items
    clusterer = InfomapClusterer(k=50, min_sim=0.6).fit(load_items("words.vec", top=10000))
    clusterer.modules(top=5)
"""

from textmine._lazy import callable_package, lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "textmine.cluster.clusterer": ("InfomapClusterer",),
    "textmine.cluster.evaluate": ("agreement", "kmeans_baseline", "stability"),
    "textmine.cluster.graph": ("KnnGraph", "knn_graph"),
    "textmine.cluster.infomap_run": ("Partition", "run_infomap"),
    "textmine.cluster.report": ("write_clusters_tsv", "write_hierarchy", "write_page", "write_picture"),
    "textmine.cluster.vectors": ("Items", "as_items", "load_items"),
})
callable_package(__name__, "textmine.api:cluster")  # textmine.cluster(...) calls the job
