import json

from textmine.cli import main

from linking_samples import write_jsonl


def test_train_predict_evaluate_from_the_command_line(poets, tmp_path, capsys):
    kb, train, dev = poets
    run = tmp_path / "run"
    assert main(["link", "train", "--kb", str(kb), "--data", str(train), "--dev", str(dev), "-o", str(run), "-q"]) == 0
    assert "dev F1 with gold mentions" in capsys.readouterr().out
    assert json.loads((run / "manifest.json").read_text(encoding="utf-8"))["stage"] == "link_train"

    out = tmp_path / "links.jsonl"
    assert main(["link", "predict", str(dev), "--model", str(run), "-o", str(out), "--gold-mentions", "-q"]) == 0
    gold = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines()]
    predicted = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["text_id"] for p in predicted] == [g["text_id"] for g in gold]
    assert all([m["offset"] for m in p["mention_data"]] == [m["offset"] for m in g["mention_data"]]
               for p, g in zip(predicted, gold))
    assert sum(p["mention_data"][0]["kb_id"] == g["mention_data"][0]["kb_id"] for p, g in zip(predicted, gold)) >= 85

    plain = tmp_path / "poems.txt"
    plain.write_text(gold[0]["text"] + "\n\n" + gold[1]["text"] + "\n", encoding="utf-8")
    assert main(["link", "predict", str(plain), "--model", str(run), "-o", str(tmp_path / "plain.jsonl"), "-q"]) == 0
    rows = [json.loads(line) for line in (tmp_path / "plain.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text_id"] for r in rows] == ["1", "3"] and rows[0]["text"] == gold[0]["text"]
    assert rows[0]["mention_data"][0]["mention"] == gold[0]["mention_data"][0]["mention"]
    capsys.readouterr()

    assert main(["link", "evaluate", "--model", str(run), "--data", str(dev), "-q"]) == 0
    table = capsys.readouterr().out
    assert "gold_mentions  model  ambiguous" in table and "mentions       detect" in table


def test_a_predict_that_fails_half_way_writes_nothing(poets, tmp_path, capsys):
    kb, train, dev = poets
    run = tmp_path / "run"
    assert main(["link", "train", "--kb", str(kb), "--data", str(train), "-o", str(run), "-q"]) == 0
    bad = write_jsonl(tmp_path / "bad.jsonl", [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines()[:3]]
                      + [{"text_id": "x", "text": "严武", "mention_data": [{"mention": "严武", "offset": "5"}]}])
    out = tmp_path / "out.jsonl"
    capsys.readouterr()
    assert main(["link", "predict", str(bad), "--model", str(run), "-o", str(out), "--gold-mentions", "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.jsonl, line 4: mention '严武' at offset 5 does not match" in err[0]
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl*"))


def test_a_model_from_another_stage_is_one_line_error(tmp_path, capsys):
    (tmp_path / "words").mkdir()
    assert main(["link", "evaluate", "--model", str(tmp_path / "words"), "--data", "x.jsonl", "-q"]) == 2
    assert "has no textmine.json" in capsys.readouterr().err


def test_accurate_mode_from_the_command_line_trains_a_span_model(poets, tmp_path, capsys, one_thread):
    kb, train, dev = poets
    run = tmp_path / "run"
    assert main(["link", "train", "--kb", str(kb), "--data", str(train), "--mode", "accurate", "--span-steps", "2",
                 "-o", str(run), "-q"]) == 0
    assert (run / "model" / "spans" / "weights.safetensors").is_file()
    assert json.loads((run / "model" / "textmine.json").read_text(encoding="utf-8"))["params"]["spans"] == {"steps": 2}
