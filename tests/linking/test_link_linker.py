import json

import pytest

from textmine.errors import InputError, NotFittedError
from textmine.linking import EntityLinker, KnowledgeBase, Link, LinkedText, evaluate_linker, load_texts


def test_fast_mode_beats_the_prior_on_shared_names(fast_linker, poets_data):
    _, _, dev = poets_data
    report = evaluate_linker(fast_linker, dev)
    for setting in ("gold_mentions", "end_to_end"):
        model, prior = report[setting]["model"], report[setting]["prior"]
        assert model["ambiguous"]["f1"] > prior["ambiguous"]["f1"] + 0.03
        assert model["all"]["f1"] >= prior["all"]["f1"]
    assert report["mentions"]["r"] >= 0.95


def test_link_returns_links_at_their_offsets(fast_linker, poets_data):
    _, _, dev = poets_data
    links = fast_linker.link(dev[0].text)
    assert links and all(isinstance(link, Link) for link in links)
    assert all(dev[0].text[link.offset: link.offset + len(link.mention)] == link.mention for link in links)
    assert links[0].offset == 0 and 0.0 <= links[0].score <= 1.0
    with pytest.raises(InputError, match="one text as a str"):
        fast_linker.link([dev[0].text])


def test_save_and_load_give_the_same_links(fast_linker, poets_data, tmp_path):
    _, _, dev = poets_data
    loaded = EntityLinker.load(fast_linker.save(tmp_path / "run"))
    assert loaded.link_texts(dev) == fast_linker.link_texts(dev)
    assert loaded.link_texts(dev, gold_mentions=True) == fast_linker.link_texts(dev, gold_mentions=True)
    saved = {p.suffix for p in (tmp_path / "run").rglob("*") if p.is_file()}
    assert saved == {".json", ".jsonl", ".safetensors"}


def test_a_linker_saved_with_npz_tables_is_refused_in_one_line(fast_linker, tmp_path):
    folder = fast_linker.save(tmp_path / "run")
    (folder / "index" / "index.safetensors").rename(folder / "index" / "index.npz")
    with pytest.raises(InputError, match=r"older layout \(index.npz\); train the linker again"):
        EntityLinker.load(folder)


def test_training_is_reproducible_and_does_not_change_parameters(poets_data):
    kb, train, dev = poets_data
    linker = EntityLinker(seed=3, ngram=[1, 2])
    first = linker.fit(kb, train, dev).link_texts(dev, gold_mentions=True)
    assert linker.ngram == [1, 2] and linker.nil_threshold is None
    assert EntityLinker(seed=3, ngram=[1, 2]).fit(kb, train, dev).link_texts(dev, gold_mentions=True) == first


def test_nil_below_the_threshold(poets_data):
    kb, train, dev = poets_data
    linker = EntityLinker(nil_threshold=1.01).fit(kb, train)
    assert all(m.kb_id == "NIL" for t in linker.link_texts(dev[:5], gold_mentions=True) for m in t.mentions)


def test_a_kb_alone_links_by_its_own_prior(tiny_kb_path):
    linker = EntityLinker().fit(KnowledgeBase.load(tiny_kb_path), [])
    assert [(m.mention, m.kb_id) for m in linker.link("太白与子美")] == [("太白", "p1"), ("子美", "p3")]


def test_tiny_training_set_learns_the_painter_from_context(tiny_kb_path, tiny_texts_path):
    kb, texts = KnowledgeBase.load(tiny_kb_path), load_texts(tiny_texts_path)
    linker = EntityLinker(min_df=1, hide=0.0).fit(kb, texts)
    painter = linker.link_texts([LinkedText("x", "李白画花鸟山水", (Link("李白", 0),))], gold_mentions=True)
    poet = linker.link_texts([LinkedText("y", "李白饮酒作诗", (Link("李白", 0),))], gold_mentions=True)
    assert painter[0].mentions[0].kb_id == "p2" and poet[0].mentions[0].kb_id == "p1"


def test_use_before_fit_and_bad_parameters():
    with pytest.raises(NotFittedError, match="call fit"):
        EntityLinker().link("李白")
    kb = KnowledgeBase.load("sanguo")
    with pytest.raises(InputError, match="mode='slow'"):
        EntityLinker("slow").fit(kb, [])
    with pytest.raises(InputError, match="expected 'prior'"):
        EntityLinker(scorers=("context",)).fit(kb, [])
    with pytest.raises(InputError, match="one-shot iterator"):
        EntityLinker().fit(kb, iter([]))


def test_cross_encoder_settings_are_checked_before_training(poets_data, tmp_path, one_thread):
    kb, train, _ = poets_data
    with pytest.raises(InputError, match=r"cross has no setting 'stesp'; it takes config, bert_dir, max_context"):
        EntityLinker(scorers=("prior", "cross"), cross={"stesp": 3}).fit(kb, train[:40])
    with pytest.raises(InputError, match=r"cross\['max_context'\] must be a whole number of characters from 8"):
        EntityLinker(scorers=("prior", "cross"), cross={"max_context": 0}).fit(kb, train[:40], out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_link_to_an_unknown_id_is_refused(tiny_kb_path):
    text = LinkedText("t9", "李白醉", (Link("李白", 0, "p7"),))
    with pytest.raises(InputError, match="text t9: mention '李白' at 0 links to 'p7', which is not in"):
        EntityLinker().fit(KnowledgeBase.load(tiny_kb_path), [text])


def test_a_model_folder_of_another_stage_is_refused(tmp_path):
    (tmp_path / "qa").mkdir()
    (tmp_path / "qa" / "manifest.json").write_text(json.dumps({"stage": "qa_train"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"it holds the output of the 'qa_train' stage"):
        EntityLinker.load(tmp_path / "qa")
    (tmp_path / "qa" / "linking.json").write_text('{"stage": "link"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"older layout \(linking.json, not textmine.json\)"):
        EntityLinker.load(tmp_path / "qa")


def test_accurate_mode_trains_cross_encoders_and_a_span_model_and_round_trips(poets_data, tmp_path, one_thread):
    kb, train, dev = poets_data
    linker = EntityLinker("accurate", scorers=("prior", "context", "cross"), spans={"steps": 3, "batch_size": 8},
                          cross={"steps": 3, "batch_size": 8, "max_context": 16, "max_description": 16}
                          ).fit(kb, train[:120], dev, out_dir=tmp_path / "train")
    assert "cross" in linker.combiner_.columns and len(linker.cross_) == 2
    assert {p.name for p in (tmp_path / "train").iterdir()} == {"cross_training_0", "cross_training_1",
                                                                "span_training"}
    loaded = EntityLinker.load(linker.save(tmp_path / "run"))
    assert (tmp_path / "run" / "cross1" / "config.json").is_file() and (tmp_path / "run" / "cross1" / "textmine.json").is_file() and (tmp_path / "run" / "spans").is_dir()
    assert loaded.link_texts(dev[:20]) == linker.link_texts(dev[:20])
    assert loaded.link_texts(dev[:20], gold_mentions=True) == linker.link_texts(dev[:20], gold_mentions=True)
