import bz2
import gzip
import io
import json
import lzma
import random
import sys
import tracemalloc

import pytest

from textmine.corpus import as_corpus, open_corpus
from textmine.errors import InputError

TEXT = "天下大势，分久必合，合久必分。\n周末七国分争，并入于秦。\n"


def test_lines_are_documents_and_corpus_is_reiterable(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT + "\n   \n", encoding="utf-8")
    corpus = open_corpus(path)
    first = list(corpus)
    assert first == ["天下大势,分久必合,合久必分。", "周末七国分争,并入于秦。"]
    assert list(corpus) == first


def test_whole_file_as_one_document(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert list(open_corpus(tmp_path / "a.txt", doc="file")) == ["天下大势,分久必合,合久必分。\n周末七国分争,并入于秦。"]


@pytest.mark.parametrize("suffix,opener", [(".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)])
def test_compressed_files(tmp_path, suffix, opener):
    path = tmp_path / f"a.txt{suffix}"
    with opener(path, "wb") as handle:
        handle.write(TEXT.encode("utf-8"))
    assert len(list(open_corpus(path))) == 2


def test_gbk_file_is_detected_and_decoded(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(TEXT.encode("gbk"))
    assert list(open_corpus(path))[1] == "周末七国分争,并入于秦。"


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(TEXT.encode("utf-8-sig"))
    assert list(open_corpus(path))[0].startswith("天下")


def test_jsonl_field(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": 1, "text": "刘备"}, ensure_ascii=False) + "\n\n")
        handle.write(json.dumps({"id": 2, "text": "关羽"}, ensure_ascii=False) + "\n")
    assert list(open_corpus(path, field="text")) == ["刘备", "关羽"]


def test_jsonl_lacking_the_field_names_file_and_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "刘备"}\n{"body": "关羽"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.jsonl, line 2: no field 'text'"):
        list(open_corpus(path, field="text"))


def test_jsonl_needs_a_field(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "刘备"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="field"):
        open_corpus(path)


def test_csv_and_tsv_columns(tmp_path):
    (tmp_path / "a.csv").write_text('id,text\n1,"曹操,字孟德"\n2,刘备\n', encoding="utf-8")
    (tmp_path / "b.tsv").write_text("1\t孙权\n2\t周瑜\n", encoding="utf-8")
    assert list(open_corpus(tmp_path / "a.csv", column="text")) == ["曹操,字孟德", "刘备"]
    assert list(open_corpus(tmp_path / "b.tsv", column=1)) == ["孙权", "周瑜"]
    with pytest.raises(InputError, match="no column 'body'"):
        list(open_corpus(tmp_path / "a.csv", column="body"))


def test_folder_is_walked_with_glob(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("刘备\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("关羽\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("张飞\n", encoding="utf-8")
    assert list(open_corpus(tmp_path, glob="**/*.txt")) == ["关羽", "刘备"]  # b.txt, then sub/a.txt
    with pytest.raises(InputError, match="no files matching"):
        open_corpus(tmp_path, glob="*.csv")


def test_stdin_is_spooled_for_several_passes(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("gb18030")), encoding="gb18030"))
    corpus = open_corpus("-")
    assert list(corpus) == list(corpus) != []


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        open_corpus(tmp_path / "nothing.txt")


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        list(open_corpus(tmp_path / "empty.txt"))


def test_binary_file(tmp_path):
    (tmp_path / "image.png").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        list(open_corpus(tmp_path / "image.png"))


def test_undecodable_bytes_after_the_sniffed_start(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("甲".encode("utf-8") * 40000 + b"\n" + "乙".encode("gbk") + b"\xff\xfe\n")
    with pytest.raises(InputError, match="mixed.txt"):
        list(open_corpus(path))


def test_unknown_format_and_doc_mode(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown format"):
        open_corpus(tmp_path / "a.txt", format="xml")
    with pytest.raises(InputError, match="doc must be"):
        open_corpus(tmp_path / "a.txt", doc="page")


def test_ten_megabyte_single_line_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "long.txt"
    line = "天下大势分久必合合久必分" * 280_000  # 3.36M characters, about 10 MB of UTF-8
    path.write_text(line + "\n", encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    tracemalloc.start()
    lengths = [len(doc) for doc in open_corpus(path)]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert lengths == [len(line)]
    assert peak < 120 * 2**20  # a few copies of one 6.7 MB line, nothing proportional to more


def test_as_corpus_refuses_str_and_generators():
    with pytest.raises(InputError, match="single str"):
        as_corpus("天下大势")
    with pytest.raises(InputError, match="one-shot"):
        as_corpus(line for line in ["天下"])
    assert as_corpus(["天下"]) == ["天下"]


@pytest.mark.parametrize("suffix,opener", [(".txt", open), (".txt.gz", gzip.open)])
def test_bytes_read_runs_from_zero_to_the_size_on_disk(tmp_path, suffix, opener):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    rng = random.Random(0)  # text that compresses poorly, so a gzip file is not read in one gulp
    for path in (first, second):
        lines = ("".join(chr(0x4E00 + rng.randrange(20_000)) for _ in range(50)) for _ in range(20_000))
        with opener(path, "wb") as handle:
            handle.write("\n".join(lines).encode("utf-8"))
    corpus = open_corpus([first, second])
    assert corpus.nbytes == first.stat().st_size + second.stat().st_size
    seen = [corpus.bytes_read() for _ in corpus]
    assert seen == sorted(seen)
    assert 0 < seen[0] < first.stat().st_size < seen[-1] <= corpus.nbytes
    assert corpus.bytes_read() == corpus.nbytes


def test_stdin_has_a_size_only_once_spooled(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8"))))
    corpus = open_corpus("-")
    assert corpus.nbytes is None
    assert len(list(corpus)) == 2
    assert corpus.nbytes == len(TEXT.encode("utf-8"))
