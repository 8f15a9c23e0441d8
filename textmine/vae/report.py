"""Outputs of the VAE's uses: sentence vectors for the cluster stage, and the evaluation dashboard.

Vectors are keyed by the document's index in the corpus (``"7"``), or ``"7.2"`` for the third
sentence of document 7 when documents are cut into sentences, so ``textmine cluster`` reads them
directly and a person can find each sentence again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from textmine.atomic import atomic_dir_file, atomic_open
from textmine.corpus import iter_sentences
from textmine.vae.metrics import AU_THRESHOLD

__all__ = ["iter_keyed_sentences", "write_vectors", "write_keys", "write_dashboard", "training_curves"]


def iter_keyed_sentences(corpus: Iterable[str], *, split: bool, max_len: int) -> Iterator[tuple[str, str]]:
    """``(key, sentence)`` for each document, or for each sentence of each document when ``split``
    (cut at punctuation to at most ``max_len`` characters, :func:`textmine.corpus.iter_sentences`)."""
    for doc, text in enumerate(corpus):
        if not split:
            yield str(doc), text
            continue
        for k, sentence in enumerate(iter_sentences(text, max_len=max_len)):
            yield f"{doc}.{k}", sentence


def write_vectors(keys: list[str], vectors: np.ndarray, path: str | os.PathLike, *, kind: str = "vec") -> None:
    """Write ``vectors`` atomically as ``kind``: "vec" (word2vec text, keyed), "bin" (word2vec binary,
    keyed) or "npy" (rows only: the keys go elsewhere, see :func:`write_keys`)."""
    if kind == "npy":
        with atomic_open(path, "wb") as handle:                          # a file name would get ".npy" appended
            np.save(handle, np.asarray(vectors, dtype=np.float32))
        return
    from textmine.embed import save_vectors, to_keyed_vectors

    save_vectors(to_keyed_vectors(keys, vectors), path, binary=kind == "bin")


def write_keys(keys: list[str], path: str | os.PathLike) -> None:
    """One key per line, the row order of a ``.npy`` vector file."""
    with atomic_open(path) as handle:
        handle.write("".join(k + "\n" for k in keys))


def training_curves(metrics_path: str | os.PathLike) -> dict[str, list[float]]:
    """Step, loss and KL of each logged training step of a run's metrics.jsonl (empty if absent)."""
    curves: dict[str, list[float]] = {"step": [], "loss": [], "kl": []}
    path = Path(metrics_path)
    if not path.is_file():
        return curves
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if "loss" in row and "kl" in row and "eval" not in row:
            for key in curves:
                curves[key].append(float(row[key]))
    return curves


def write_dashboard(metrics: dict, curves: dict[str, list[float]], path: str | os.PathLike) -> Path:
    """A PNG a person reads at a glance: KL per dimension, the active units, the training curves."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    dims = np.arange(len(metrics["kl_dims"]))
    ax = axes[0, 0]
    ax.bar(dims, metrics["kl_dims"], color="tab:blue")
    ax.set(title=f"KL per dimension (total {metrics['kl']:.2f} nats)", xlabel="latent dimension", ylabel="nats")
    ax = axes[0, 1]
    variance = np.asarray(metrics["au_variance"]) if metrics["au_variance"] else np.zeros(0)
    ax.bar(dims[: len(variance)], variance, color=["tab:green" if v > AU_THRESHOLD else "tab:gray" for v in variance])
    ax.axhline(AU_THRESHOLD, color="tab:red", linestyle="--", linewidth=1)
    ax.set_yscale("log" if len(variance) and variance.max() > 0 else "linear")
    ax.set(title=f"active units: {metrics['au']} of {metrics['latent']} (Cov_x E[z] > {AU_THRESHOLD})",
           xlabel="latent dimension", ylabel="variance of the posterior mean")
    for ax, key, colour in ((axes[1, 0], "loss", "tab:purple"), (axes[1, 1], "kl", "tab:orange")):
        if curves.get(key):
            ax.plot(curves["step"], curves[key], color=colour, linewidth=1)
        else:
            ax.text(0.5, 0.5, "no training log", ha="center", va="center", transform=ax.transAxes)
        ax.set(title=f"training {key} per sentence", xlabel="step", ylabel="nats")
    fig.suptitle(f"{metrics.get('posterior', '')} VAE: iw_nll {metrics['iw_nll']:.2f}, ppl {metrics['ppl']:.2f}, "
                 f"MI {metrics['mi']:.2f} on {metrics['sentences']} sentences")
    fig.tight_layout()
    with atomic_dir_file(path) as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
    return Path(path)
