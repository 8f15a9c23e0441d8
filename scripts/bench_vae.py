"""Benchmark the text VAE on held-out insurance questions (docs/algorithms/vae.md), CPU unless --device.

1. One table, the same budget for every row (``--steps`` optimiser steps of batch 32 at peak rate
   ``--lr``, the same network: ``--embed`` 64, ``--hidden`` 128, latent 32, z fed as ``--z-input``):
   plain, bn (gamma 0.3 / 0.5 / 0.6 / 0.7), tau (0.5, and 0.1), cyclical KL annealing, free bits,
   and the LSTM language model. Trained on the train split
   (12,889 questions), measured on the first ``--n-eval`` test questions: iw_nll (``--iw``
   samples), ppl, KL (eval mode, and with batch statistics), MI, AU; steps/s is the median of the
   training log's 10-step windows.
2. The latent's worth: k-means (k = 12) and InfoMap (10-NN graph, cosine >= 0) NMI of the posterior
   means of all 2,000 test questions against their 12 domains, beside JoSE document vectors and
   averaged word2vec vectors (both trained on all 16,889 questions, jieba words), all unit-normalised.
3. ``--peoples-daily``: plain / bn / tau / LM rows on People's Daily sentences cut at punctuation (<= 64 chars).

Rows run in sequence; results go to OUT/results.json after each row (a rerun skips finished rows,
and a row killed half-way resumes from its checkpoint), trained models to OUT/ROW/model.

Usage: python scripts/bench_vae.py --steps 1500 --lr 1e-2 --z-input initial --out .bench/vae [--threads 1]
       [--peoples-daily]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

# infomap's OpenMP threads spin after a run and take the CPU from torch: measured here, VAE training
# fell from 6 to 0.15 steps/s after one clustering in the same process; passive waiting avoids it
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_qa import steps_per_second  # noqa: E402

from textmine.atomic import write_json  # noqa: E402
from textmine.vae import TextVAE  # noqa: E402

ROWS = {
    "plain": dict(posterior="plain"),
    "bn gamma=0.3": dict(posterior="bn", gamma=0.3),
    "bn gamma=0.5": dict(posterior="bn", gamma=0.5),
    "bn gamma=0.6": dict(posterior="bn", gamma=0.6),
    "bn gamma=0.7": dict(posterior="bn", gamma=0.7),
    "tau=0.5": dict(posterior="tau", tau=0.5),
    "tau=0.1": dict(posterior="tau", tau=0.1),
    "cyclical": dict(posterior="plain", kl_schedule="cyclical"),
    "free bits 0.25": dict(posterior="plain", free_bits=0.25),
    "LSTM LM": dict(posterior="none"),
}
PD_ROWS = ("plain", "bn gamma=0.6", "tau=0.5", "LSTM LM")
KEYS = ("iw_nll", "nll", "rec", "ppl", "kl", "kl_batch_stats", "mi", "au", "latent")


def floor(kw: dict, latent: int) -> float | None:
    """The analytic KL floor on batch statistics (docs/algorithms/vae.md)."""
    if kw.get("posterior") == "bn":
        return latent * kw["gamma"] ** 2 / 2
    if kw.get("posterior") == "tau":
        return latent * kw["tau"] / 2
    return None


def train_row(name: str, kw: dict, train: list[str], held_out: list[str], args, out: Path) -> dict:
    model = TextVAE(**kw, embed=args.embed, hidden=args.hidden, steps=args.steps, lr=args.lr, z_input=args.z_input,
                    eval_every=500, min_count=2, seed=0, device=args.device)
    started = time.perf_counter()
    model.fit(train, out_dir=out / name.replace(" ", "_"))
    seconds = time.perf_counter() - started
    evaluated = time.perf_counter()
    metrics = model.evaluate(held_out, iw_samples=args.iw)
    rates = steps_per_second(out / name.replace(" ", "_") / "metrics.jsonl")
    row = {k: metrics[k] for k in KEYS}
    row.update(kl_dims=metrics["kl_dims"], kl_floor=floor(kw, model.latent), steps=model.train_result_.steps,
               steps_per_s=round(statistics.median(rates), 2) if rates else None, train_s=round(seconds, 1),
               eval_s=round(time.perf_counter() - evaluated, 1), params=kw, counts=model.counts_)
    return row


def cluster_scores(vectors: np.ndarray, labels: list[str]) -> dict:
    from textmine.cluster import InfomapClusterer, agreement, as_items, kmeans_baseline

    items = as_items([str(i) for i in range(len(vectors))], vectors)
    km = [agreement(labels, kmeans_baseline(items.vectors, 12, seed=s))["nmi"] for s in range(3)]
    im = InfomapClusterer(k=10, min_sim=0.0, seed=0).fit(items)
    return {"kmeans12_nmi": round(statistics.median(km), 4), "infomap_nmi": agreement(labels, im.labels_)["nmi"],
            "infomap_modules": int(im.labels_.max()) + 1}


def baselines(all_questions: list[str], test_offset: int, n_test: int) -> dict[str, np.ndarray]:
    """JoSE document vectors and averaged word2vec vectors of the test questions."""
    from textmine.corpus import tokenize
    from textmine.embed import JoSE, Word2Vec

    tokens = [list(t) for t in tokenize(all_questions, "jieba")]
    jose = JoSE(dim=100, min_count=2, epochs=10, seed=0, progress=False).fit(tokens)
    w2v = Word2Vec(dim=100, min_count=2, epochs=10, seed=0).fit(tokens)
    wv = w2v.wv
    test = tokens[test_offset: test_offset + n_test]
    averaged = np.vstack([np.mean([wv[t] for t in doc if t in wv.key_to_index] or [np.zeros(wv.vector_size)], axis=0)
                          for doc in test])
    return {"JoSE document vectors": jose.doc_vectors_[test_offset: test_offset + n_test],
            "averaged word2vec vectors": averaged}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--embed", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3, help="peak AdamW rate of every row")
    parser.add_argument("--z-input", default="every_step", choices=["every_step", "initial"],
                        help="where every VAE row's decoder gets z")
    parser.add_argument("--n-eval", type=int, default=300)
    parser.add_argument("--iw", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device")
    parser.add_argument("--rows", help="comma-separated row names (default: all)")
    parser.add_argument("--peoples-daily", action="store_true")
    parser.add_argument("--out", default=".bench/vae")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    results_path = out / "results.json"
    results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.is_file() else {}
    results.setdefault("insurance", {})
    results["setup"] = {"steps": args.steps, "embed": args.embed, "hidden": args.hidden, "batch_size": 32,
                        "lr": args.lr, "z_input": args.z_input,
                        "n_eval": args.n_eval, "iw_samples": args.iw, "threads": args.threads,
                        "device": args.device or "auto", "torch": torch.__version__}

    from textmine.corpus.datasets import insurance_questions

    train = [q["question"] for q in insurance_questions("train")]
    test = insurance_questions("test")
    held_out = [q["question"] for q in test][: args.n_eval]
    names = args.rows.split(",") if args.rows else list(ROWS)
    for name in names:
        if name in results["insurance"]:
            continue
        print(f"== {name}", flush=True)
        row = train_row(name, ROWS[name], train, held_out, args, out)
        model = TextVAE.load(out / name.replace(" ", "_"))
        if model.net_.latent:
            row.update(cluster_scores(model.encode([q["question"] for q in test]), [q["domain"] for q in test]))
        results["insurance"][name] = row
        write_json(results_path, results)
        print(json.dumps({k: v for k, v in row.items() if k not in ("kl_dims", "params", "counts")}), flush=True)

    if "baselines" not in results:
        questions = [q["question"] for split in ("train", "valid") for q in insurance_questions(split)]
        vectors = baselines(questions + [q["question"] for q in test], len(questions), len(test))
        results["baselines"] = {name: cluster_scores(v, [q["domain"] for q in test]) for name, v in vectors.items()}
        write_json(results_path, results)
        print(json.dumps(results["baselines"]), flush=True)

    if args.peoples_daily:
        peoples_daily(args, out, results, results_path)
    print_tables(results)


def peoples_daily(args, out: Path, results: dict, results_path: Path) -> None:
    from textmine.corpus import iter_sentences
    from textmine.corpus.datasets import peoples_daily_text

    sentences = [s for line in peoples_daily_text() for s in iter_sentences(line, max_len=64)]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(sentences))
    held_out = [sentences[i] for i in order[: args.n_eval]]
    train = [sentences[i] for i in order[args.n_eval:]]
    results.setdefault("peoples_daily", {"sentences": len(sentences)})
    for name in PD_ROWS:
        if name in results["peoples_daily"]:
            continue
        print(f"== People's Daily: {name}", flush=True)
        results["peoples_daily"][name] = train_row(name, ROWS[name], train, held_out, args, out / "peoples_daily")
        write_json(results_path, results)


def print_tables(results: dict) -> None:
    setup = results["setup"]
    print(f"\n{setup['steps']} steps of batch 32 each; held-out: {setup['n_eval']} sentences, "
          f"iw_nll with {setup['iw_samples']} samples")
    for corpus in ("insurance", "peoples_daily"):
        rows = {k: v for k, v in results.get(corpus, {}).items() if isinstance(v, dict)}
        if not rows:
            continue
        print(f"\n{corpus}\n| model | iw_nll | ppl | -ELBO | KL (eval) | KL (batch stats) | floor | MI | AU "
              "| steps/s |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name, r in rows.items():
            fl = "" if r["kl_floor"] is None else f"{r['kl_floor']:.2f}"
            print(f"| {name} | {r['iw_nll']:.2f} | {r['ppl']:.2f} | {r['nll']:.2f} | {r['kl']:.2f} | "
                  f"{r['kl_batch_stats']:.2f} | {fl} | {r['mi']:.2f} | {r['au']}/{r['latent']} | {r['steps_per_s']} |")
    print("\n| vectors (2,000 test questions, 12 domains) | k-means k=12 NMI | InfoMap NMI (modules) |")
    print("|---|---|---|")
    for name, r in [*results.get("insurance", {}).items(), *results.get("baselines", {}).items()]:
        if "kmeans12_nmi" in r:
            print(f"| {name} | {r['kmeans12_nmi']} | {r['infomap_nmi']} ({r['infomap_modules']}) |")


if __name__ == "__main__":
    main()
