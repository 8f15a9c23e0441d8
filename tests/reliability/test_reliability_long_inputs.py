"""Huge inputs cost bounded time and memory or one line, never a signal; absurd numbers are refused.

A ten-million-character single-line document, a one-million-character KB alias, ``--min-overlap 5``:
each case runs the command a user would type (``textmine.cli.main`` in process, or a subprocess
where a signal or the peak memory must be observed), on the small real data of tests/tiny_data.py.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tiny_data import KB, TEXTS, write_jsonl
from textmine.cli import main
from command_line import TEXTMINE, one_line_error


def _training_texts(folder):
    return write_jsonl(folder / "train.jsonl", [
        {"text_id": str(i), "text": text,
         "mention_data": [{"mention": name, "offset": str(text.index(name)), "kb_id": kb_id} for name, kb_id in names]}
        for i, (text, names) in enumerate(TEXTS)])


def _long_line(length):
    """The training texts over and over on one line, ``length`` characters."""
    unit = "".join(text for text, _ in TEXTS)
    return (unit * (length // len(unit) + 1))[:length]


# ------------------------------------------------------------------------- a huge KB alias

def test_a_million_character_alias_is_skipped_with_a_count_not_a_segfault(tmp_path):
    huge = {"subject_id": "p9", "subject": "长名", "alias": ["的" * 1_000_000], "type": ["测试"],
            "data": [{"predicate": "简介", "object": "别名极长"}]}
    kb = write_jsonl(tmp_path / "kb.jsonl", [*KB, huge])
    done = subprocess.run([*TEXTMINE, "link", "train", "--kb", kb, "--data", _training_texts(tmp_path),
                           "-o", tmp_path / "run", "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])            # -11 before: a segfault
    assert "skipped 1 KB name(s) and 0 training mention(s) longer than 100 characters" in done.stderr
    assert "the longest: 1000000 characters" in done.stderr
    texts = tmp_path / "texts.txt"
    texts.write_text("玄德的的的的云长\n", encoding="utf-8")
    assert main(["link", "predict", str(texts), "--model", str(tmp_path / "run"), "-o", str(tmp_path / "o.jsonl"),
                 "-q"]) == 0
    row = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert [(m["mention"], m["offset"]) for m in row["mention_data"]] == [("玄德", "0"), ("云长", "6")]


# ------------------------------------------------------------------------- one long line, linked

def _links(path):
    return [(m["mention"], int(m["offset"]), m["kb_id"], m["score"])
            for m in json.loads(path.read_text(encoding="utf-8"))["mention_data"]]


def test_link_predict_reads_a_long_line_in_windows_with_whole_text_offsets(link_run, tmp_path):
    from textmine.linking import EntityLinker
    from textmine.linking.data import LinkedText
    from textmine.linking.linker import WINDOW

    text = list(_long_line(140_000))                          # three windows
    text[WINDOW - 1: WINDOW + 1] = "玄德"                    # a name across the first window's edge
    text[135_000: 135_003] = "刘备。"                        # a name in the third window
    text = "".join(text)
    source = tmp_path / "long.txt"
    source.write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "links.jsonl"
    assert main(["link", "predict", str(source), "--model", str(link_run), "-o", str(out), "-q"]) == 0
    links = _links(out)
    assert all(text[offset: offset + len(name)] == name for name, offset, _, _ in links)
    offsets = [offset for _, offset, _, _ in links]
    assert offsets == sorted(set(offsets))                    # each mention once, in order
    assert ("玄德", WINDOW - 1) in [(n, o) for n, o, _, _ in links]
    assert ("刘备", 135_000, "p1") in [(n, o, k) for n, o, k, _ in links]
    # the same links as reading the text whole; and windows of 7 characters cut names everywhere
    linker = EntityLinker.load(link_run)
    whole = linker.link_texts([LinkedText("1", text)], window=len(text))[0].mentions
    assert [(m.mention, m.offset, m.kb_id, round(m.score, 4)) for m in whole] == \
        [(n, o, k, round(s, 4)) for n, o, k, s in links]
    head = text[:5000]
    assert linker.link_texts([LinkedText("1", head)], window=7) == linker.link_texts([LinkedText("1", head)],
                                                                                    window=len(head))


def test_link_predict_on_normal_texts_is_unchanged_by_windows(link_run, tmp_path):
    from textmine.linking import EntityLinker
    from textmine.linking.data import LinkedText

    linker = EntityLinker.load(link_run)
    texts = [LinkedText(str(i), text) for i, (text, _) in enumerate(TEXTS)]
    whole = [linker.link(t.text) for t in texts]            # one text at a time, each in a single window
    assert any(whole)
    for window in (1 << 16, 3):
        assert [list(t.mentions) for t in linker.link_texts(texts, window=window)] == whole


def test_link_predict_on_a_long_line_keeps_memory_bounded(link_run, tmp_path):
    """A 400,000-character line with 67,000 mentions: peak memory under a generous bound (270 MB
    measured; linked whole it took about 550 MB, and 5.9 GB at ten million characters)."""
    if not Path("/proc/self/status").is_file():
        pytest.skip("needs /proc/self/status (VmHWM)")
    source = tmp_path / "long.txt"
    source.write_text(_long_line(400_000) + "\n", encoding="utf-8")
    # VmHWM, the process's own peak: ru_maxrss would carry the forking pytest's size over the exec
    script = ("import re, sys; from textmine.cli import main; code = main(sys.argv[1:]); "
              "print(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1)); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, "link", "predict", str(source), "--model", str(link_run),
                           "-o", str(tmp_path / "links.jsonl"), "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024
    assert peak_mb < 420, f"peak RSS {peak_mb:.0f} MB"


# ------------------------------------------------------------------------- one long line, asked about

def test_qa_generate_cuts_a_long_line_into_passages_a_bounded_number_at_a_time(qa_run, tmp_path, capsys,
                                                                            monkeypatch):
    """300,000 characters on one line: the pieces are decoded a few dozen at a time, with a progress
    bar counting them; before, all 10,000 were encoded in one call, with no progress, no end in sight."""
    import textmine.qa.model as model

    class Enough(Exception):
        pass

    calls = []

    class Counted(model.EncodedSources):
        def __init__(self, network, sources):
            calls.append(len(sources))
            if len(calls) > 3:
                raise Enough
            super().__init__(network, sources)

    monkeypatch.setattr(model, "EncodedSources", Counted)
    source = tmp_path / "long.txt"
    source.write_text(_long_line(300_000) + "\n", encoding="utf-8")
    with pytest.raises(Enough):
        main(["qa", "generate", str(source), "--model", str(qa_run), "-o", str(tmp_path / "qa.jsonl")])
    assert len(calls) == 4 and max(calls) <= 64, calls
    assert "passages" in capsys.readouterr().err           # the bar counts passages inside the document
    assert not (tmp_path / "qa.jsonl").exists()


def test_qa_pairs_of_a_long_document_do_not_depend_on_how_many_pieces_are_decoded_at_once(qa_run, monkeypatch):
    """Decoding a document's pieces 2 at a time, keeping only its best pairs in between, gives the
    pairs of decoding all 40 together."""
    import textmine.qa.model as model
    from textmine.qa import QAGenerator
    from textmine.qa.data import passage_pieces

    gen = QAGenerator.load(qa_run)
    document = _long_line(1200)
    assert len(passage_pieces(document, gen.max_passage)) > 30
    together = gen.generate(document, 5)
    monkeypatch.setattr(model, "PIECES", 2)
    assert gen.generate(document, 5) == together
    assert together and all(pair["passage"] in document for pair in together)


# ------------------------------------------------------------------------- absurd numbers

GENERATE = [("--min-overlap", "5", "must be a share from 0 to 1, got 5.0"),
            ("--min-overlap", "-0.5", "must be a share from 0 to 1, got -0.5"),
            ("--pairs", "0", "from 1 to 1000, got 0"),
            ("--pairs", "-3", "from 1 to 1000, got -3"),
            ("--batch-size", "0", "from 1 to 4096, got 0")]


@pytest.mark.parametrize("option, value, expected", GENERATE)
def test_qa_generate_refuses_an_absurd_number_naming_the_option(qa_run, tmp_path, capsys, option, value, expected):
    docs = tmp_path / "docs.txt"
    docs.write_text("刘备字玄德，涿郡涿县人。\n", encoding="utf-8")
    assert main(["qa", "generate", str(docs), "--model", str(qa_run), "-o", str(tmp_path / "qa.jsonl"),
                 option, value, "-q"]) == 2
    one_line_error(capsys, option, expected)
    assert not (tmp_path / "qa.jsonl").exists()


TRAIN = [("--steps", "0", "from 1 to 100000000, got 0"),
         ("--batch-size", "0", "from 1 to 4096, got 0"),
         ("--lr", "50", "must be a number above 0 and at most 1, got 50.0"),
         ("--lr", "-1", "must be a number above 0 and at most 1, got -1.0"),
         ("--max-passage", "100000", "from 1 to 4096, got 100000")]


@pytest.mark.parametrize("option, value, expected", TRAIN)
def test_qa_train_refuses_an_absurd_number_naming_the_option(tmp_path, capsys, option, value, expected):
    data = tmp_path / "train.jsonl"
    pair = {"passage": "关羽字云长，河东解良人。", "answer": "云长", "question": "关羽字什么？"}
    data.write_text(json.dumps(pair, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["qa", "train", "--data", str(data), "--config", "tiny", "-o", str(tmp_path / "run"),
                 "--steps", "1", option, value, "-q"]) == 2
    one_line_error(capsys, option, expected)


LINK_TRAIN = [(["--prune-ratio", "0"], "--prune-ratio", "got 0.0"),
              (["--prune-ratio", "nan"], "--prune-ratio", "got nan"),
              (["--mode", "accurate", "--span-steps", "0"], "--span-steps", "from 1 to 100000000, got 0"),
              (["--cross", "--cross-steps", "-1"], "--cross-steps", "from 1 to 100000000, got -1")]


@pytest.mark.parametrize("args, option, expected", LINK_TRAIN)
def test_link_train_refuses_an_absurd_number_naming_the_option(tmp_path, capsys, args, option, expected):
    kb = write_jsonl(tmp_path / "kb.jsonl", KB)
    assert main(["link", "train", "--kb", str(kb), "--data", str(_training_texts(tmp_path)), "-o",
                 str(tmp_path / "run"), *args, "-q"]) == 2
    one_line_error(capsys, option, expected)


def test_python_users_get_the_same_errors(qa_run, tmp_path):
    from textmine.errors import InputError
    from textmine.linking import EntityLinker, KnowledgeBase, load_texts
    from textmine.qa import QAGenerator

    gen = QAGenerator.load(qa_run)
    gen.min_overlap = 5
    with pytest.raises(InputError, match=r"min_overlap \(--min-overlap\) must be a share from 0 to 1, got 5"):
        gen.generate("刘备字玄德，涿郡涿县人。")
    with pytest.raises(InputError, match="lr"):
        QAGenerator("tiny", lr=float("nan")).fit([], tmp_path / "run")
    kb, texts = KnowledgeBase.load(write_jsonl(tmp_path / "kb.jsonl", KB)), load_texts(_training_texts(tmp_path))
    for bad in ({"hide": 2.0}, {"window": 0}, {"C": -1.0}, {"ngram": (2, 1)}, {"prune_ratio": -5.0}):
        with pytest.raises(InputError, match=next(iter(bad))):
            EntityLinker(**bad).fit(kb, texts)
