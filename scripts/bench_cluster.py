"""Benchmark: kNN graph + InfoMap on real word vectors, and InfoMap vs k-means on documents.

1. Word vectors: gensim skip-gram (100-d, window 5, min_count 2, 5 epochs) trained on the ~10M-
   character mix of bench_words.py segmented with jieba, cached in .bench/. The 10k and 50k most
   frequent words are clustered with the defaults (k 50, cosine >= 0.6, 5 trials), each size in
   its own process (3 repeats, median wall; peak RSS of that process).
2. Documents: the insurance answer passages that answer a training question, labelled with that
   question's domain (12 insurance types), as averaged word vectors and as JoSE document vectors;
   InfoMap beside k-means with as many clusters, NMI/AMI against the domains, and InfoMap's
   stability across 3 seeds.

    python scripts/bench_cluster.py [--documents]     # --documents: part 2 only
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent.parent / ".bench"


def word_vectors() -> Path:
    path = BENCH / "w2v_mix100.bin"
    if path.exists():
        return path
    from gensim.models import Word2Vec

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_words import build_mix
    from textmine.corpus import open_corpus, tokenize

    tokens_path = BENCH / "mix10m.tok"
    if not tokens_path.exists():
        with open(tokens_path, "w", encoding="utf-8") as handle:
            for tokens in tokenize(open_corpus(build_mix(10_000_000, BENCH / "mix10m.txt")), "jieba"):
                handle.write(" ".join(tokens) + "\n")
    sentences = tokenize(open_corpus(tokens_path), "whitespace")
    model = Word2Vec(sentences=sentences, vector_size=100, window=5, min_count=2, sg=1, negative=5,
                     epochs=5, workers=2, seed=1)
    model.wv.save_word2vec_format(str(path), binary=True)
    return path


def child(path: str, top: int) -> None:
    from textmine.cluster import load_items
    from textmine.cluster.graph import knn_graph
    from textmine.cluster.infomap_run import run_infomap

    items = load_items(path, top=top)
    started = time.perf_counter()
    graph = knn_graph(items.vectors, k=50, min_sim=0.6)
    built = time.perf_counter()
    partition = run_infomap(graph, trials=5, seed=0)
    done = time.perf_counter()
    print(json.dumps({"items": len(items), "links": int(len(graph.sources)), "isolated": int(len(graph.isolated)),
                      "modules": partition.n_modules, "graph_s": built - started, "infomap_s": done - built,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def documents(path: Path) -> None:
    from textmine.cluster import as_items, load_items
    from textmine.corpus import datasets, tokenize
    from textmine.embed import JoSE

    answers = datasets.insurance_answers()
    domain_of: dict[str, str] = {}
    for question in datasets.insurance_questions("train"):
        for answer in question["answer_ids"]:
            domain_of.setdefault(answer, question["domain"])
    ids = sorted(domain_of, key=int)
    words = load_items(path)
    index = {w: i for i, w in enumerate(words.names)}
    rows, kept = [], []
    for i, tokens in zip(ids, tokenize([answers[i] for i in ids], "jieba")):
        hits = [index[t] for t in tokens if t in index]
        if hits:
            rows.append(words.vectors[hits].mean(axis=0))
            kept.append(i)
    labels = np.array([domain_of[i] for i in kept])
    averaged = as_items(kept, np.vstack(rows))
    jose = JoSE(dim=100, min_count=5, seed=0, progress=False).fit(tokenize([answers[i] for i in kept], "jieba"))
    # JoSE's document vectors lie far apart on the sphere (at 0.6 most passages get no link), so
    # they get lower thresholds than Su's 0.6, which suits the dense averaged vectors.
    for name, items, thresholds in (("averaged skip-gram vectors", averaged, (0.6, 0.8, 0.9)),
                                    ("JoSE document vectors", as_items(kept, jose.doc_vectors_), (0.2, 0.3, 0.4))):
        print(f"\ninsurance passages with a domain: {len(items)} (12 domains), {name}")
        print("| min_sim | InfoMap modules | InfoMap NMI / AMI | k-means (same k) NMI / AMI | "
              "k-means k=12 NMI / AMI | stability AMI (3 seeds) |")
        print("|---|---|---|---|---|---|")
        for min_sim in thresholds:
            _compare(items, labels, min_sim)


def _compare(items, labels, min_sim: float) -> None:
    from textmine.cluster import InfomapClusterer, agreement, kmeans_baseline, stability

    runs = [InfomapClusterer(k=50, min_sim=min_sim, seed=s).fit(items) for s in range(3)]
    found = int(runs[0].labels_.max()) + 1
    ours = agreement(labels, runs[0].labels_)
    km = agreement(labels, kmeans_baseline(items.vectors, min(found, len(items)), seed=0))
    km12 = agreement(labels, kmeans_baseline(items.vectors, 12, seed=0))
    stable = stability([r.labels_ for r in runs])
    print(f"| {min_sim} | {found} | {ours['nmi']} / {ours['ami']} | {km['nmi']} / {km['ami']} | "
          f"{km12['nmi']} / {km12['ami']} | {stable['mean_ami']} (min {stable['min_ami']}) |", flush=True)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
        return
    path = word_vectors()
    if sys.argv[1:] == ["--documents"]:
        documents(path)
        return
    print("| words | links | isolated | modules | graph s | InfoMap s | total s (median of 3) | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for top in (10_000, 50_000):
        runs = [json.loads(subprocess.run([sys.executable, __file__, "--child", str(path), str(top)], check=True,
                                          capture_output=True, text=True).stdout.strip().splitlines()[-1])
                for _ in range(3)]
        total = statistics.median(r["graph_s"] + r["infomap_s"] for r in runs)
        r = runs[0]
        print(f"| {r['items']} | {r['links']} | {r['isolated']} | {r['modules']} | "
              f"{statistics.median(x['graph_s'] for x in runs):.2f} | {statistics.median(x['infomap_s'] for x in runs):.2f} | "
              f"{total:.2f} {[round(x['graph_s'] + x['infomap_s'], 2) for x in runs]} | "
              f"{max(x['rss_mb'] for x in runs):.0f} |", flush=True)
    documents(path)


if __name__ == "__main__":
    main()
