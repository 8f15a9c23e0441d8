"""InfoMap community clustering of words and documents (ALGORITHMS.md §5).

::

    from textmine.cluster import InfomapClusterer, load_vectors
    clusterer = InfomapClusterer(k=50, min_sim=0.6).fit(load_vectors("words.vec", top=10000))
    clusterer.modules(top=5)
"""

from textmine.cluster.clusterer import InfomapClusterer
from textmine.cluster.evaluate import agreement, kmeans_baseline, stability
from textmine.cluster.graph import KnnGraph, knn_graph
from textmine.cluster.infomap_run import Partition, run_infomap
from textmine.cluster.report import write_clusters_tsv, write_hierarchy, write_page, write_picture
from textmine.cluster.vectors import Items, as_items, load_vectors

__all__ = ["InfomapClusterer", "Items", "KnnGraph", "Partition", "agreement", "as_items", "kmeans_baseline",
           "knn_graph", "load_vectors", "run_infomap", "stability", "write_clusters_tsv", "write_hierarchy",
           "write_page", "write_picture"]
