"""Small inputs run the kernels interpreted: the same results as compiled, and nothing compiled."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from textmine.words import _kernels
from textmine.words._jit import _plain

ROOT = Path(__file__).resolve().parents[2]


def _calls(k, text: str):
    """Every kernel, chained as the counting and chunking passes chain them."""
    points = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    ids, fresh, overflow = k["assign_ids"](points, np.zeros(0x110000, np.int32), np.ones(0x110000, bool), 1, 500)
    ids = ids.astype(np.uint16)
    ids[::17] = 0  # separators
    avail = k["separator_runs"](ids)
    keys = np.sort(k["padded_keys"](ids, avail, 4, 13))
    grams = [k["prefix_counts"](keys, (4 - n) * 13, (1 << 13) - 1) for n in (1, 2, 3, 4)]
    kept = k["set_from"](grams[1][0][grams[1][1] > 3] | np.uint64(2 << _kernels.TAG_SHIFT))
    lefts, rights = k["context_keys"](ids, avail, 2, 13, 13, k["set_from"](grams[1][0]))
    left = k["run_lengths"](np.sort(lefts))
    return [ids, fresh, overflow, avail, *grams, kept, *left, k["merge_tables"](*grams[0], *grams[1]),
            *k["chunk_keys"](ids, avail, kept, 13, 4), k["owner_sums"](*left, 13, grams[1][0]),
            k["suffix_sums"](*grams[2], 26, grams[1][0])]


def test_interpreted_kernels_give_what_the_compiled_ones_give(sample_lines):
    text = "\n".join(sample_lines)[:20_000]
    compiled = _calls(vars(_kernels), text)
    with np.errstate(over="ignore"):  # the hashes multiply modulo 2**64
        interpreted = _calls(_plain(_kernels), text)
    for got, want in zip(interpreted, compiled, strict=True):
        got, want = (got if isinstance(got, tuple) else (got,)), (want if isinstance(want, tuple) else (want,))
        for a, b in zip(got, want, strict=True):
            assert np.array_equal(np.asarray(a), np.asarray(b))


def test_words_on_a_small_file_compile_nothing(sample_lines, tmp_path):
    corpus = tmp_path / "small.txt"
    corpus.write_text("\n".join(sample_lines[:100]), encoding="utf-8")
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    subprocess.run([sys.executable, "-m", "textmine", "words", str(corpus), "-o", str(tmp_path / "w.tsv"), "-q"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    assert (tmp_path / "w.tsv").read_text(encoding="utf-8").count("\n") > 10
    assert not any(cache.rglob("*.nbi")), "a kernel was compiled"
