"""Questions from the passage's own clauses (real jieba), and the model path's copying of passage text."""

import json

import pytest

from textmine.cli import main
from textmine.errors import InputError
from textmine.qa import QAExample, QAGenerator
from textmine.qa.clauses import ClauseQuestions, check_method, clause_candidates, strip_dateline
from textmine.qa.synthetic import _tagged, answer_spans
from tiny_data import UNFILTERED

NEWS = ("新华社北京1月7日电(记者王晓东)中国银行在全国300多家分行推出了新的储蓄业务,并向灾区捐赠了500万元。"
        "行长刘明康说,这项业务将于1999年全面推开。")
ASKED = ("谁", "哪里", "哪个机构", "何时", "哪一年", "多少", "几", "什么", "哪些", "第几")


@pytest.fixture(scope="module")
def clauses():
    return ClauseQuestions().fit([NEWS])


def test_clause_questions_copy_the_passage_and_ask_in_place(clauses):
    pairs = clauses.generate(NEWS, n_pairs=5)
    assert len(pairs) >= 3
    for pair in pairs:
        assert pair["passage"][pair["start"]: pair["end"]] == pair["answer"] and len(pair["answer"]) > 1
        assert pair["question"].endswith("？") and any(word in pair["question"] for word in ASKED)
        assert "新华社" not in pair["question"] and "记者" not in pair["question"]          # the dateline is dropped
    assert len({p["question"] for p in pairs}) == len({p["answer"] for p in pairs}) == len(pairs)
    every = {p["answer"]: p["question"] for p in clause_candidates(NEWS)}
    assert every["300多家"] == "中国银行在全国多少家分行推出了新的储蓄业务？"
    assert every["500万元"] == "中国银行向灾区捐赠了多少万元？"                      # the dropped subject restored
    assert "1999年" not in every                         # 这项业务将于1999年...: 这 names nothing the question has


def test_a_leading_pronoun_takes_the_person_before_or_the_clause_is_skipped():
    found = {p["answer"]: p["question"] for p in clause_candidates("刘明康来到上海,他在会上宣布了3项措施。")}
    assert found["3项"] == "刘明康在会上宣布了几项措施？"
    assert not clause_candidates("这在会上宣布了3项措施。")                            # 这: nothing to resolve it
    assert strip_dateline("本报北京1月7日讯 记者张三报道: 会议召开。") == len("本报北京1月7日讯 记者张三报道: ")


@pytest.mark.parametrize("text, answer, asked", [
    ("1998年北京举行了庆祝活动", "1998年", "哪一年"),
    ("代表团于8日上午抵达上海", "8日上午", "何时"),
    ("他们种植了300棵树", "300棵", "多少棵"),
    ("会议持续了3天", "3天", "几天"),
    ("物价上涨了4.3%", "4.3%", "多少"),
    ("法院审理了第二批案件", "第二批", "第几批"),
    ("江泽民来到北京", "江泽民", "谁"),
    ("江泽民来到北京", "北京", "哪里"),
    ("新华社发表了评论", "新华社", "哪个机构"),
    ("中国银行推出了储蓄业务", "中国银行", "哪个机构"),
    ("工厂生产了服装、鞋帽等商品", "鞋帽", "哪些"),
    ("他们种植了300棵树", "树", None),                 # a single character is never an answer
    ("工厂生产了优质服装", "优质服装", "什么"),
])
def test_each_kind_of_answer_gets_its_question_word(text, answer, asked):
    spans = {text[s:e]: word for s, e, word, _ in answer_spans(_tagged(text))}
    assert spans.get(answer) == asked, spans


def test_numbers_inside_latin_tokens_and_range_ends_are_no_answers():
    text = "系统符合IEEE1003.1标准,收录了1961—1992年的数据"
    spans = {text[s:e] for s, e, _, _ in answer_spans(_tagged(text))}
    assert not {".1", "1", "1003", "1992年"} & spans


@pytest.fixture(scope="module")
def lowercase_gen(tmp_path_factory):
    """A generator whose vocabulary, like the Chinese BERT's, has only lower-case letters and no “ ”."""
    text = "debian在稳定版中测试了什么软件包符合ieee1003.标准刘备字玄德"
    vocab = tmp_path_factory.mktemp("vocab") / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *dict.fromkeys(text)]) + "\n",
                     encoding="utf-8")
    return QAGenerator("tiny", **UNFILTERED, vocab=vocab, steps=1, batch_size=1, max_passage=32, max_question=16,
                       max_answer=12).fit([QAExample("刘备字玄德。", "玄德", "刘备字什么？")],
                                          tmp_path_factory.mktemp("run"))


def test_model_questions_copy_the_passages_own_text(lowercase_gen):
    passage = "Debian在“稳定”版中测试了软件包。"
    ids, offsets = lowercase_gen._encode(passage)
    asked = lowercase_gen._encode("debian在“稳定”版中测试了什么")[0]               # what the tokenizer makes of it
    assert lowercase_gen._text(asked).startswith("debian在[UNK]")
    assert lowercase_gen._copied_text(passage, ids, offsets, asked) == "Debian在“稳定”版中测试了什么"
    stray = lowercase_gen._encode("“软件包")[0][:1] + lowercase_gen._encode("测试")[0]
    assert lowercase_gen._copied_text("软件包测试", *lowercase_gen._encode("软件包测试"), stray) is None


def test_model_answers_never_split_a_latin_token(lowercase_gen):
    passage = "软件包符合IEEE1003.1标准"
    ids, offsets = lowercase_gen._encode(passage)
    trie = lowercase_gen._answer_trie(passage, ids, offsets)
    whole = lowercase_gen._encode("IEEE1003.1")[0]
    assert None in trie.node(whole)                                               # the whole token is an answer
    assert trie.node(lowercase_gen._encode(".1")[0]) is None                      # never a piece of it
    assert trie.node(lowercase_gen._encode("EEE")[0]) is None


def test_generate_cli_without_a_model_and_bad_methods(tmp_path, capsys):
    docs = tmp_path / "docs.txt"
    docs.write_text(NEWS + "\n", encoding="utf-8")
    out = tmp_path / "qa.jsonl"
    assert main(["qa", "generate", str(docs), "-o", str(out), "--pairs", "2", "-q"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and all(r["passage"][r["start"]: r["end"]] == r["answer"] for r in rows)
    assert main(["qa", "generate", str(docs), "-o", str(tmp_path / "bad.jsonl"), "--method", "model"]) == 2
    err = capsys.readouterr().err.strip()
    assert "method model needs a trained model" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "bad.jsonl").exists()
    with pytest.raises(InputError, match="method='guess'; expected one of clauses, model, both"):
        check_method("guess", None)
    with pytest.raises(InputError, match="passage is empty"):
        ClauseQuestions().fit([NEWS]).generate("  ")
