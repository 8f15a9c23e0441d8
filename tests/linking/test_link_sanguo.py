from textmine.linking import EntityLinker, KnowledgeBase, evaluate_linker
from textmine.linking.sanguo import sanguo_linking


def test_silver_sanguo_bed_trains_a_linker_not_below_the_prior():
    kb = KnowledgeBase.load("sanguo")
    train, dev = sanguo_linking("train", chapters=4), sanguo_linking("dev", chapters=2)
    assert train[0].text_id.startswith("sanguo-001-") and dev[0].text_id.startswith("sanguo-081-")
    for text in train + dev:
        for m in text.mentions:
            assert text.text[m.offset: m.end] == m.mention and m.mention in kb[kb.position(m.kb_id)].names
    report = evaluate_linker(EntityLinker().fit(kb, train, dev), dev, end_to_end=False)["gold_mentions"]
    assert report["model"]["all"]["f1"] >= report["prior"]["all"]["f1"] - 0.005
    assert report["model"]["ambiguous"]["gold"] > 0
