"""Counting on a real Dask LocalCluster of two worker processes gives exactly the in-process counts."""

import gzip
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster  # noqa: E402

from textmine.corpus import open_corpus, tokenize  # noqa: E402
from textmine.embed.cooccur import cooccurrence_matrix  # noqa: E402
from textmine.embed.encode import encode_corpus  # noqa: E402
from textmine.errors import InputError, MissingDependencyError  # noqa: E402
from textmine.words import TermContraster, WordFinder  # noqa: E402

SHARD = 2_000  # small shards make partitions of 16 kB: the sample becomes a dozen partitions


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory, sample_lines):
    """The sample as a plain file (cut into line ranges) and a gzip file (one partition)."""
    folder = tmp_path_factory.mktemp("corpus")
    half = len(sample_lines) * 2 // 3
    (folder / "a.txt").write_text("\n".join(sample_lines[:half]) + "\n", encoding="utf-8")
    with gzip.open(folder / "b.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(sample_lines[half:]))
    return folder


def _same_finders(a: WordFinder, b: WordFinder) -> None:
    assert a.words_ == b.words_ and a.lexicon_ == b.lexicon_
    assert a.counts_.index.chars == b.counts_.index.chars and a.counts_.n_chars == b.counts_.n_chars
    for n in a.counts_.keys:
        assert np.array_equal(a.counts_.keys[n], b.counts_.keys[n])
        assert np.array_equal(a.counts_.counts[n], b.counts_.counts[n])
    top = a.counts_.max_n
    for side in ("left", "right"):
        for x, y in zip(getattr(a.counts_, side)[top], getattr(b.counts_, side)[top]):
            assert np.array_equal(x, y)


def test_partitions_read_back_the_corpus_exactly(corpus_dir):
    corpus = open_corpus(corpus_dir)
    whole = list(corpus)
    for size in (1, 5_000, 10**9):
        parts = corpus.partitions(size)
        assert [doc for part in parts for doc in part] == whole
        assert sum(part.nbytes for part in parts) == corpus.nbytes
    assert len(corpus.partitions(5_000)) > 10


def test_words_on_dask_equal_words_in_process(cluster, corpus_dir):
    corpus = open_corpus(corpus_dir)
    local = WordFinder(shard_chars=SHARD).fit(corpus)
    dask = WordFinder(shard_chars=SHARD, scheduler=cluster.scheduler_address).fit(corpus)
    assert len(local.words_) > 500
    _same_finders(local, dask)


def test_terms_on_dask_equal_terms_in_process(cluster, corpus_dir):
    corpus = open_corpus(corpus_dir)
    local = TermContraster(finder={"shard_chars": SHARD}).fit(corpus)
    dask = TermContraster(finder={"shard_chars": SHARD, "scheduler": cluster.scheduler_address}).fit(corpus)
    assert local.kept_terms_ and local.terms_ == dask.terms_


@pytest.mark.parametrize("weighting,dynamic", [("harmonic", False), ("none", True), ("word2vec", False)])
def test_cooccurrences_on_dask_equal_those_in_process(cluster, sample_lines, weighting, dynamic):
    enc = encode_corpus(tokenize(sample_lines, "chars"), min_count=2)
    keep = np.full(len(enc.vocab), 0.7)
    options = dict(window=4, weighting=weighting, dynamic=dynamic, chunk_tokens=5_000, seed=3, keep=keep)
    local = cooccurrence_matrix(enc, **options)
    with Client(cluster) as client:
        from textmine.distributed import spill_folder

        with spill_folder(None) as spill:
            dask = cooccurrence_matrix(enc, **options, client=client, spill=spill)
            assert not list(spill.iterdir())        # the chunk files are removed once summed
    assert local.nnz > 10_000
    assert np.array_equal(local.indptr, dask.indptr) and np.array_equal(local.indices, dask.indices)
    assert np.array_equal(local.data, dask.data)


def test_a_worker_killed_mid_count_is_replaced_and_the_counts_stay_exact(corpus_dir):
    corpus = open_corpus(corpus_dir)
    local = WordFinder(shard_chars=SHARD).fit(corpus)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as watcher:
        done = {}
        run = threading.Thread(target=lambda: done.update(
            finder=WordFinder(shard_chars=SHARD, scheduler=cluster.scheduler_address).fit(corpus)))
        run.start()
        deadline = time.monotonic() + 60
        holder = None
        while holder is None and time.monotonic() < deadline:   # a worker holding a counted table
            holder = next((w for w, keys in watcher.has_what().items()
                           if any("_count_partition" in str(k) for k in keys)), None)
            time.sleep(0.005)
        assert holder is not None and run.is_alive()
        pid = watcher.run(os.getpid, workers=[holder])[holder]
        os.kill(pid, signal.SIGKILL)
        run.join(120)
        assert holder not in watcher.scheduler_info()["workers"]    # Dask started a new worker instead
    assert not run.is_alive()
    _same_finders(local, done["finder"])


def test_missing_extra_bad_and_unreachable_schedulers_are_named(monkeypatch, sample_path):
    with pytest.raises(InputError, match="local, processes or tcp://"):
        WordFinder(scheduler="yarn").fit(open_corpus(sample_path))
    with pytest.raises(InputError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        WordFinder(scheduler="tcp://127.0.0.1:9").fit(open_corpus(sample_path))
    with pytest.raises(InputError, match="needs a corpus of files"):
        WordFinder(scheduler="processes", threads=1).fit(["天下大势"])
    monkeypatch.setitem(sys.modules, "distributed", None)   # as if textmine[dask] were not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'textmine\[dask\]'"):
        WordFinder(scheduler="processes").fit(open_corpus(sample_path))


def test_cli_words_on_a_cluster_write_the_local_file(cluster, sample_path, tmp_path):
    def words(out, *extra):
        subprocess.run([sys.executable, "-m", "textmine", "words", str(sample_path), "-o", str(out), "-q", *extra],
                       check=True, capture_output=True, text=True)
        return out.read_bytes()

    assert words(tmp_path / "local.tsv") == words(tmp_path / "dask.tsv", "--scheduler", cluster.scheduler_address)


def test_pipeline_key_scheduler_counts_on_the_cluster(cluster, sample_path, tmp_path):
    from textmine.pipeline import run_pipeline

    written = {}
    for name, extra in (("local", ""), ("dask", f'scheduler = "{cluster.scheduler_address}"\n')):
        toml = tmp_path / f"{name}.toml"
        toml.write_text(f'out_dir = "{tmp_path / name}"\n[corpus]\npaths = ["{sample_path}"]\n'
                        f'[[stages]]\nstage = "words"\n{extra}', encoding="utf-8")
        run_pipeline(toml, progress=False)
        written[name] = (tmp_path / name / "words" / "words.tsv").read_bytes()
    assert written["local"] == written["dask"]
