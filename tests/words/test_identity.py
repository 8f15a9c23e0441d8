"""The finder's output on the bundled sample must not move when its counting is made faster.

The files in tests/words/data/ were written by the finder as it stood at commit ef9fda5, before
the speed work of issue 13, with ``WordFinder(preset, **params).fit(sample_lines)`` followed by
``to_tsv(..._words.tsv)`` and ``to_userdict(..._lexicon.txt, singles=True)``. They are the
reference: a change that alters any word, count or score fails here and needs a reason. The
default preset's values changed for long words (issue 28), for pairs (min_pmi 2 -> 1.5) and for
the neighbours of long words (min_neighbours): its case runs with the values it had, and the
``kind`` column that words.tsv gained since is left out of the comparison.
"""

from pathlib import Path

import pytest

from textmine.words import WordFinder

DATA = Path(__file__).parent / "data"
CASES = {"default": {"min_pmi": (0.0, 2.0, 4.0, 6.0), "min_entropy": 1.0, "long_pmi": 6.0, "min_alone": 0,
                     "inner_chunks": False, "min_neighbours": 1, "long_redundancy": 3.5},
         "word_discovery": {}, "nlp_zero": {"min_count": 3}}


@pytest.mark.parametrize("preset", sorted(CASES))
@pytest.mark.parametrize("shard_chars", [4_000_000, 20_000])
def test_words_and_lexicon_match_the_reference(preset, shard_chars, sample_lines, tmp_path):
    finder = WordFinder(preset, shard_chars=shard_chars, **CASES[preset]).fit(sample_lines)
    finder.to_tsv(tmp_path / "words.tsv")
    finder.to_userdict(tmp_path / "lexicon.txt", singles=True)
    for produced, reference in [("words.tsv", f"sample_{preset}_words.tsv"),
                                ("lexicon.txt", f"sample_{preset}_lexicon.txt")]:
        got = [line.rsplit("\t", 1)[0] if produced == "words.tsv" else line
               for line in (tmp_path / produced).read_text(encoding="utf-8").splitlines()]
        want = (DATA / reference).read_text(encoding="utf-8").splitlines()
        assert got == want, f"{preset}: {produced} differs from {reference}"
