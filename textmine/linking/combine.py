"""Candidate tables and the learned combiner that turns scorer outputs into calibrated probabilities.

Each (mention, candidate entity) pair gets one row of features; every scorer contributes its value
and its margin over the best other candidate of the same mention (a per-pair logistic model cannot
compare candidates otherwise). A logistic regression on standardised features, fitted on training
links, gives p(this candidate is the answer); its probabilities are calibrated, so one threshold on
the best candidate's probability decides NIL (docs/algorithms/linking.md: Su used 0.1 on his matcher's score).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from textmine.errors import InputError

__all__ = ["Candidates", "Combiner", "SCORERS", "margins"]

#: Scorer name -> the feature columns it contributes (``*_margin`` columns are added by :func:`margins`).
SCORERS: dict[str, tuple[str, ...]] = {
    "prior": ("log_prior", "log_links", "is_subject", "log_candidates"),
    "description": ("description",),
    "context": ("context", "has_context"),
    "attributes": ("attributes",),
    "cross": ("cross",),
}
_NO_MARGIN = {"log_links", "is_subject", "log_candidates", "has_context"}


@dataclass
class Candidates:
    """Candidate pairs of a batch of mentions: ``mention[k]`` may be KB entity ``entity[k]``."""

    mention: np.ndarray          # index of the mention in the batch
    entity: np.ndarray           # KB position of the candidate
    features: dict[str, np.ndarray]
    n_mentions: int

    def matrix(self, columns: list[str]) -> np.ndarray:
        return np.column_stack([self.features[c] for c in columns]) if len(self.mention) else \
            np.zeros((0, len(columns)))

    def best(self, probability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per mention: the row of its most probable candidate (-1 when it has none) and that probability."""
        row, top = np.full(self.n_mentions, -1, np.int64), np.full(self.n_mentions, 0.0)
        if not len(self.mention):
            return row, top
        order = np.lexsort((np.arange(len(self.mention)), -probability, self.mention))
        first = order[np.r_[True, self.mention[order][1:] != self.mention[order][:-1]]]
        row[self.mention[first]], top[self.mention[first]] = first, probability[first]
        return row, top


def margins(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """``values[k]`` minus the largest value of the other members of group ``groups[k]`` (0 when alone)."""
    if not len(values):
        return values
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, groups, values)
    is_top = values == top[groups]
    ties = np.bincount(groups[is_top], minlength=n_groups)
    second = np.full(n_groups, -np.inf)
    np.maximum.at(second, groups, np.where(is_top, -np.inf, values))
    second = np.where(ties > 1, top, second)
    other = np.where(is_top, second[groups], top[groups])
    return np.where(np.isinf(other), 0.0, values - other)


def feature_columns(scorers: tuple[str, ...]) -> list[str]:
    """The feature columns the combiner uses for the chosen scorers."""
    columns = []
    for scorer in scorers:
        for column in SCORERS[scorer]:
            columns.append(column)
            if column not in _NO_MARGIN:
                columns.append(column + "_margin")
    return columns


class Combiner:
    """Logistic regression over candidate features (standardised), fitted on training links.

    Parameters
    ----------
    columns : list of str
        Feature columns, from :func:`feature_columns`.
    C : float
        Inverse L2 strength (scikit-learn's ``C``).
    """

    def __init__(self, columns: list[str], *, C: float = 1.0):
        self.columns, self.C = columns, C

    def fit(self, candidates: Candidates, labels: np.ndarray, seed: int = 0) -> "Combiner":
        X = candidates.matrix(self.columns)
        if len(np.unique(labels)) < 2:
            raise InputError("the training links give no choice to learn from (every candidate is right, or "
                             "none is); add texts whose names have several candidates or NIL mentions")
        from sklearn.linear_model import LogisticRegression     # deferred: `textmine link --help` stays quick

        self.mean_, self.scale_ = X.mean(axis=0), X.std(axis=0) + 1e-9
        model = LogisticRegression(C=self.C, max_iter=2000, random_state=seed)
        model.fit((X - self.mean_) / self.scale_, labels)
        self.coef_, self.intercept_ = model.coef_[0], float(model.intercept_[0])
        return self

    def probability(self, candidates: Candidates) -> np.ndarray:
        z = ((candidates.matrix(self.columns) - self.mean_) / self.scale_) @ self.coef_ + self.intercept_
        return expit(z)

    def to_json(self) -> dict:
        return {"columns": self.columns, "C": self.C, "mean": self.mean_.tolist(), "scale": self.scale_.tolist(),
                "coef": self.coef_.tolist(), "intercept": self.intercept_}

    @classmethod
    def from_json(cls, state: dict) -> "Combiner":
        combiner = cls(state["columns"], C=state["C"])
        combiner.mean_, combiner.scale_ = np.array(state["mean"]), np.array(state["scale"])
        combiner.coef_, combiner.intercept_ = np.array(state["coef"]), float(state["intercept"])
        return combiner
