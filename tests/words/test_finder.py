import pytest

from textmine.corpus import JiebaTokenizer, open_corpus
from textmine.errors import InputError, NotFittedError
from textmine.words import PRESETS, WordFinder, discover_words
from textmine.words.lexicon import _remove_redundant


@pytest.fixture(scope="module")
def fitted(sample_lines):
    return WordFinder().fit(sample_lines)


def test_finds_the_novels_names(fitted):
    top = [r.word for r in fitted.words_[:60]]
    for name in ["玄德", "曹操", "吕布", "董卓", "袁绍"]:
        assert name in top
    assert all(len(r.word) > 1 for r in fitted.words_)
    scores = [r.score for r in fitted.words_]
    assert scores == sorted(scores, reverse=True)


def test_statistics_are_consistent(fitted):
    record = next(r for r in fitted.words_ if r.word == "玄德")
    assert record.freq <= fitted.counts_.count("玄德")
    assert record.left_entropy >= fitted.params_["min_entropy"] and record.pmi >= 2.0


def test_words_longer_than_max_n_come_from_chunking(sample_lines):
    words = {r.word for r in discover_words(sample_lines, preset="word_discovery", min_count=3)}
    assert any(len(w) > 4 for w in words)


def test_presets_resolve_and_overrides_apply():
    assert set(PRESETS) == {"default", "word_discovery", "nlp_zero"}
    params = WordFinder("nlp_zero", min_count=3).resolved_params()
    assert params["max_n"] == 2 and params["min_count"] == 3 and params["min_proba"] is None
    with pytest.raises(InputError, match="unknown preset"):
        WordFinder("magic").resolved_params()
    with pytest.raises(InputError, match="max_n"):
        WordFinder(max_n=7).resolved_params()
    with pytest.raises(InputError, match="min_pmi"):
        WordFinder(min_pmi=(0, 1)).resolved_params()
    with pytest.raises(InputError, match="min_entropy"):
        WordFinder(min_entropy=-1).resolved_params()


def test_outputs_and_userdict_segment(fitted, tmp_path):
    fitted.to_tsv(tmp_path / "words.tsv", top=5)
    lines = (tmp_path / "words.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "word\tfreq\tpmi\tleft_entropy\tright_entropy\tscore\tkind" and len(lines) == 6
    assert {line.split("\t")[-1] for line in lines[1:]} <= {"word", "long", "phrase"}
    fitted.to_userdict(tmp_path / "user.txt")
    fitted.to_userdict(tmp_path / "full.txt", singles=True)
    assert all(len(line.split()[0]) > 1 for line in open(tmp_path / "user.txt", encoding="utf-8"))
    tokens = JiebaTokenizer(tmp_path / "full.txt", replace=True, hmm=False)("玄德与曹操商议")
    assert tokens[0] == "玄德" and "曹操" in tokens


def test_not_fitted_and_bad_corpus(tmp_path):
    with pytest.raises(NotFittedError, match="fit"):
        WordFinder().to_tsv(tmp_path / "x.tsv")
    with pytest.raises(InputError, match="single str"):
        WordFinder().fit("天下大势")
    with pytest.raises(InputError, match="no Chinese"):
        WordFinder().fit(["only latin text"])


def test_long_single_line_is_counted_in_shards(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("天下大势分久必合合久必分。" * 300_000 + "\n", encoding="utf-8")
    finder = WordFinder(shard_chars=1_000_000).fit(open_corpus(path))
    assert finder.counts_.count("天下") == 300_000


def test_tiny_corpora_give_a_complete_lexicon_and_only_whole_phrases():
    """Every character is in the lexicon; the only words are the two phrases between punctuation,
    which always stand alone (min_alone), and nothing crosses the comma."""
    finder = WordFinder().fit(["天下大势,分久必合。"] * 10)
    assert {r.word for r in finder.words_} == {"天下大势", "分久必合"}
    assert WordFinder(min_alone=0).fit(["天下大势,分久必合。"] * 10).words_ == []
    assert set("天下大势分久必合") <= set(finder.lexicon_)


def test_long_redundancy_keeps_compounds_that_redundancy_drops():
    """A 4-character compound pays per extra character what long_redundancy asks; two-character
    words still pay redundancy's cost. Gains per occurrence: 土壤污染 1.86 nats (0.62 a character),
    土壤 2.20, 污染 1.90, 来见 -1.72."""
    lexicon = {"土": 40, "壤": 40, "污": 60, "染": 60, "土壤": 30, "污染": 50, "土壤污染": 20, "来见": 3, "来": 90, "见": 90}
    assert _remove_redundant(dict(lexicon), 1.0).keys() == {"土壤", "污染"}
    assert _remove_redundant(dict(lexicon), 1.0, 0.5).keys() == {"土壤", "污染", "土壤污染"}


def test_long_word_settings_are_checked():
    assert WordFinder("word_discovery").resolved_params()["long_pmi"] == 6.0  # every window a kept 4-gram
    with pytest.raises(InputError, match="long_redundancy"):
        WordFinder(long_redundancy=-1).resolved_params()
    with pytest.raises(InputError, match="max_len"):
        WordFinder(max_len=1).resolved_params()


@pytest.fixture(scope="module")
def peoples_daily():
    """People's Daily, January 1998 (1.84M characters): long names enough to find."""
    from textmine.corpus import datasets

    return list(datasets.peoples_daily_text())


def test_long_names_are_found_inside_the_text_they_run_on_into(peoples_daily):
    """纳扎尔巴耶夫 and 约翰内斯堡 are never chunks of their own (纳扎尔巴耶夫总统): only the cut by
    kept 4-grams alone counts them; 中华人民共和国's weakest 4-gram (4.5 nats) passes long_pmi 4.0
    but not a kept 4-gram's 6.0. Each word's kind comes from its split into the other words."""
    found = {r.word: r for r in WordFinder().fit(peoples_daily).words_}
    assert {"纳扎尔巴耶夫", "约翰内斯堡", "中华人民共和国", "乌兹别克斯坦"} <= found.keys()
    assert found["中华人民共和国"].kind == "phrase" and found["乌兹别克斯坦"].kind == "long"
    assert found["内塔尼亚胡"].kind == "long" and found["国务院"].kind == "word"
    one_cut = {r.word for r in WordFinder(inner_chunks=False).fit(peoples_daily).words_}
    assert not {"纳扎尔巴耶夫", "约翰内斯堡"} & one_cut and "中华人民共和国" in one_cut
    kept_windows = {r.word for r in WordFinder(long_pmi=6.0).fit(peoples_daily).words_}
    assert "中华人民共和国" not in kept_windows and "乌兹别克斯坦" not in kept_windows
    assert "内塔尼亚胡" in kept_windows


def test_short_words_that_mostly_stand_alone_need_no_kept_ngram(peoples_daily):
    """联合国 stands alone in 155 of its 278 occurrences, but 联合 is so common that its cohesion
    misses the 3-gram threshold; 民政部, 财政部 and 清华大学 likewise."""
    names = {"联合国", "民政部", "财政部", "清华大学"}
    assert names <= {r.word for r in WordFinder().fit(peoples_daily).words_}
    assert not names & {r.word for r in WordFinder(min_alone=0).fit(peoples_daily).words_}
    with pytest.raises(InputError, match="min_alone"):
        WordFinder(min_alone=1.5).resolved_params()


def test_max_len_bounds_the_lexicon(peoples_daily):
    finder = WordFinder(max_len=5).fit(peoples_daily)
    assert max(map(len, finder.lexicon_)) == 5 and "乌兹别克斯坦" not in finder.lexicon_




def test_pairs_of_common_characters_are_words(peoples_daily):
    """法国 joins two common characters at 1.85 nats: a pair threshold of 2.0 (word-discovery's)
    never keeps it, and 人民日报 and 外交部 are handed to their parts with it; the default's 1.5 keeps them."""
    words = {"法国", "成都", "人民日报", "外交部"}
    assert words <= {r.word for r in WordFinder().fit(peoples_daily).words_}
    assert not words & {r.word for r in WordFinder(min_pmi=(0, 2, 4, 6)).fit(peoples_daily).words_}


def test_long_words_need_two_neighbours_on_each_side(peoples_daily):
    """土家族苗族自治 is always followed by 州 (or 县): its edge 4-grams have free boundaries, its own
    right side has one character, so it is a piece of 土家族苗族自治州, which comes in instead."""
    found = {r.word for r in WordFinder().fit(peoples_daily).words_}
    assert "土家族苗族自治州" in found and "土家族苗族自治" not in found
    unchecked = {r.word for r in WordFinder(min_neighbours=1).fit(peoples_daily).words_}
    assert "土家族苗族自治" in unchecked and "土家族苗族自治州" not in unchecked
    with pytest.raises(InputError, match="min_neighbours"):
        WordFinder(min_neighbours=0).resolved_params()
