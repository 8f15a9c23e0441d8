from textmine.manifest import fingerprint, is_fresh, read_manifest, write_manifest


def test_fresh_only_for_same_params_inputs_and_outputs(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("天下大势，分久必合\n", encoding="utf-8")
    out = tmp_path / "stage"
    (out).mkdir()
    (out / "words.tsv").write_text("x\n", encoding="utf-8")
    inputs = fingerprint([corpus])
    write_manifest(out, "words", {"max_n": 4, "seed": 0}, inputs, {"lexicon": "words.tsv"}, seconds=1.0)

    assert read_manifest(out)["outputs"] == {"lexicon": "words.tsv"}
    assert is_fresh(out, "words", {"max_n": 4, "seed": 0}, inputs)
    assert not is_fresh(out, "words", {"max_n": 5, "seed": 0}, inputs)
    assert not is_fresh(out, "terms", {"max_n": 4, "seed": 0}, inputs)

    corpus.write_text("合久必分\n", encoding="utf-8")
    assert not is_fresh(out, "words", {"max_n": 4, "seed": 0}, fingerprint([corpus]))

    (out / "words.tsv").unlink()
    assert not is_fresh(out, "words", {"max_n": 4, "seed": 0}, inputs)


def test_fingerprint_walks_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "1.txt").write_text("一", encoding="utf-8")
    (tmp_path / "a" / "2.txt").write_text("二", encoding="utf-8")
    prints = fingerprint([tmp_path / "a"])
    assert len(prints) == 2 and len(set(prints.values())) == 2


def test_missing_manifest_is_not_fresh(tmp_path):
    assert read_manifest(tmp_path) is None
    assert not is_fresh(tmp_path, "words", {}, {})
