"""How good and how stable a clustering is: agreement with labels, across seeds, against k-means."""

from __future__ import annotations

import itertools

import numpy as np

from textmine.errors import InputError

__all__ = ["agreement", "kmeans_baseline", "stability"]


def agreement(labels, predicted) -> dict[str, float]:
    """NMI and AMI of a clustering against reference labels."""
    from sklearn.metrics import adjusted_mutual_info_score, normalized_mutual_info_score

    if len(labels) != len(predicted):
        raise InputError(f"{len(labels)} labels for {len(predicted)} clustered items")
    return {"nmi": round(float(normalized_mutual_info_score(labels, predicted)), 4),
            "ami": round(float(adjusted_mutual_info_score(labels, predicted)), 4)}


def stability(partitions: list[np.ndarray]) -> dict[str, float]:
    """Mean and minimum AMI between every pair of clusterings (for example one per seed)."""
    from sklearn.metrics import adjusted_mutual_info_score

    if len(partitions) < 2:
        raise InputError("stability needs at least two clusterings")
    scores = [adjusted_mutual_info_score(a, b) for a, b in itertools.combinations(partitions, 2)]
    return {"mean_ami": round(float(np.mean(scores)), 4), "min_ami": round(float(np.min(scores)), 4)}


def kmeans_baseline(vectors: np.ndarray, n_clusters: int, seed: int = 0) -> np.ndarray:
    """k-means labels with the same number of clusters, on the same unit vectors."""
    from sklearn.cluster import KMeans

    if not 1 <= n_clusters <= len(vectors):
        raise InputError(f"n_clusters must be between 1 and {len(vectors)}, got {n_clusters}")
    return KMeans(n_clusters=n_clusters, random_state=seed, n_init=3).fit_predict(vectors)
