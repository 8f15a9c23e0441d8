import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.linking import AliasIndex, Entity, KnowledgeBase, Link, LinkedText, load_texts

KB = KnowledgeBase([Entity("a", ("长安", "西京")), Entity("b", ("长安城",)), Entity("c", ("安城",)),
                    Entity("d", ("长安",)), Entity("e", ("明月",))])


def test_maximal_matching_is_leftmost_longest():
    index = AliasIndex().fit(KB)
    text = "长安城外明月，西京长安"
    assert [text[s:e] for s, e, _ in index.maximal_matches(text)] == ["长安城", "明月", "西京", "长安"]


def test_priors_count_links_and_back_off_to_the_kb():
    texts = [LinkedText("1", "长安花", (Link("长安", 0, "a"),)), LinkedText("2", "长安月", (Link("长安", 0, "a"),)),
             LinkedText("3", "长安雪", (Link("长安", 0, "d"),))]
    index = AliasIndex(smoothing=1.0).fit(KB, texts)
    nid = index.name_id("长安")
    assert [KB[int(e)].id for e in index.candidates(nid)] == ["a", "d"]
    np.testing.assert_allclose(index.priors(nid), [(2 + 0.5) / 4, (1 + 0.5) / 4])
    # held out: the first text's own link does not count for it
    np.testing.assert_allclose(index.priors(nid, held_out=0), [(1 + 0.5) / 3, (1 + 0.5) / 3])
    np.testing.assert_allclose(index.priors(nid, held_out=0, hide=True), [0.5 / 2, 1.5 / 2])
    # never linked: subjects weigh twice an alias
    np.testing.assert_allclose(index.priors(index.name_id("西京")), [1.0])


def test_pruning_statistic_drops_names_that_are_mostly_not_mentions():
    texts = [LinkedText(str(i), "明月照长安", (Link("长安", 3, "a"),)) for i in range(5)]
    index = AliasIndex(prune_ratio=5).fit(KB, texts)
    moon = index.name_id("明月")
    assert index.ratio(moon) == 6.0 and index.pruned_[moon]           # matched 5 times, never annotated
    assert index.ratio(index.name_id("长安")) == 1 / 6
    assert [m[0] for m in index.maximal_matches("明月照长安")] == [3]
    assert len(index.maximal_matches("明月照长安", prune=False)) == 2


def test_a_training_mention_not_in_the_kb_names_becomes_an_alias():
    index = AliasIndex().fit(KB, [LinkedText("1", "京城繁华", (Link("京城", 0, "a"),))])
    assert [KB[int(e)].id for e in index.candidates(index.name_id("京城"))] == ["a"]
    assert AliasIndex(learn_aliases=False).fit(KB, []).name_id("京城") is None


def test_saved_index_loads_with_the_same_answers(tmp_path, poets):
    kb_path, train_path, _ = poets
    kb, train = KnowledgeBase.load(kb_path), load_texts(train_path)
    index = AliasIndex().fit(kb, train)
    loaded = AliasIndex.load(index.save(tmp_path / "index"))
    for name in ("刘禹锡", "严武", "张说"):
        nid = index.name_id(name)
        assert loaded.name_id(name) == nid
        np.testing.assert_array_equal(loaded.priors(nid), index.priors(nid))
    text = train[3].text
    assert loaded.maximal_matches(text) == index.maximal_matches(text)
    np.testing.assert_array_equal(loaded.pruned_, index.pruned_)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="长安城外西京明月", max_size=30))
def test_maximal_matches_are_disjoint_kb_names(text):
    index = AliasIndex().fit(KB)
    names = {n for e in KB for n in e.names}
    end = 0
    for start, stop, nid in index.maximal_matches(text):
        assert start >= end and text[start:stop] in names and index.name_id(text[start:stop]) == nid
        end = stop
