"""Spherical k-means: k-means with cosine similarity, the natural clustering for JoSE's unit vectors."""

from __future__ import annotations

import numpy as np

from textmine.errors import InputError

__all__ = ["SphericalKMeans"]


class SphericalKMeans:
    """Assign each unit vector to the centroid of largest cosine; centroids are normalised means.

    Seeding is k-means++ on cosine distance with a local generator, so results are reproducible.
    Attributes: ``labels_``, ``cluster_centers_``, ``inertia_`` (sum of 1 - cosine), ``n_iter_``.
    """

    def __init__(self, n_clusters: int = 8, max_iter: int = 100, seed: int = 0):
        self.n_clusters = n_clusters
        self.max_iter = max_iter
        self.seed = seed

    def fit(self, X: np.ndarray) -> "SphericalKMeans":
        X = np.asarray(X, dtype=np.float32)
        if X.ndim != 2 or len(X) < self.n_clusters or self.n_clusters < 1:
            raise InputError(f"need a 2-D array with at least n_clusters={self.n_clusters} rows, got shape {X.shape}")
        X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
        rng = np.random.default_rng(self.seed)
        centers = [X[rng.integers(len(X))]]
        dist = 1 - X @ centers[0]
        for _ in range(1, self.n_clusters):
            p = np.maximum(dist, 0) ** 2
            pick = rng.choice(len(X), p=p / p.sum()) if p.sum() > 0 else rng.integers(len(X))
            centers.append(X[pick])
            dist = np.minimum(dist, 1 - X @ X[pick])
        C = np.stack(centers)
        labels = np.full(len(X), -1)
        for self.n_iter_ in range(1, self.max_iter + 1):
            sims = X @ C.T
            new = sims.argmax(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            for k in range(self.n_clusters):
                members = X[labels == k]
                if len(members):
                    mean = members.sum(axis=0)
                    C[k] = mean / max(np.linalg.norm(mean), 1e-12)
        self.labels_, self.cluster_centers_ = labels, C
        self.inertia_ = float((1 - sims[np.arange(len(X)), labels]).sum())
        return self

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).labels_
