import pytest

from textmine.cli import main


def test_words_writes_tsv_and_userdict(sample_path, tmp_path, capsys):
    out, userdict = tmp_path / "w.tsv", tmp_path / "u.txt"
    assert main(["words", str(sample_path), "-o", str(out), "--userdict", str(userdict), "--quiet",
                 "--min-count", "4", "--top", "50"]) == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 51 and rows[1].split("\t")[0] in capsys.readouterr().out
    assert userdict.read_text(encoding="utf-8").count("\n") > 50


def test_words_reads_gbk_jsonl(tmp_path, sample_lines):
    import json

    source = tmp_path / "novel.jsonl"
    source.write_bytes("".join(json.dumps({"text": line}, ensure_ascii=False) + "\n"
                               for line in sample_lines).encode("gb18030"))
    out = tmp_path / "w.tsv"
    assert main(["words", str(source), "--field", "text", "-o", str(out), "--quiet"]) == 0
    assert "玄德" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("content,message", [(None, "does not exist"), (b"", "empty"),
                                             (b"\x00\x01\x02" * 100, "binary")])
def test_bad_input_gives_one_line_and_no_output(tmp_path, capsys, content, message):
    source = tmp_path / "in.txt"
    if content is not None:
        source.write_bytes(content)
    out = tmp_path / "w.tsv"
    assert main(["words", str(source), "-o", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and str(source) in err[0]
    assert list(tmp_path.iterdir()) == ([source] if content is not None else [])


def test_jsonl_lacking_the_field(tmp_path, capsys):
    source = tmp_path / "a.jsonl"
    source.write_text('{"body": "天下大势"}\n', encoding="utf-8")
    assert main(["words", str(source), "--field", "text", "-o", str(tmp_path / "w.tsv"), "--quiet"]) == 2
    assert "no field 'text'" in capsys.readouterr().err
    assert not (tmp_path / "w.tsv").exists()


def test_terms_against_a_frequency_list(sample_path, tmp_path, capsys):
    general = tmp_path / "general.txt"
    general.write_text("的 100000 u\n天下 500 n\n将军 400 n\n军士 10 n\n", encoding="utf-8")
    out = tmp_path / "terms.tsv"
    assert main(["terms", str(sample_path), "--general", str(general), "-o", str(out), "--quiet"]) == 0
    assert out.read_text(encoding="utf-8").startswith("term\tdomain_freq")
    assert main(["terms", str(sample_path), "--general", str(tmp_path / "none.txt"), "-o",
                 str(tmp_path / "x.tsv"), "--quiet"]) == 2
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "x.tsv").exists()
