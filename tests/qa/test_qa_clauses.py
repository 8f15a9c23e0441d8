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
    ("江泽民主席会见了克雷库总统", "克雷库总统", "谁"),      # a person's title as head
    ("承运人应当通知托运人", "托运人", "谁"),                 # ...人, ...者: a person
])
def test_each_kind_of_answer_gets_its_question_word(text, answer, asked):
    spans = {text[s:e]: word for s, e, word, _ in answer_spans(_tagged(text))}
    assert spans.get(answer) == asked, spans


def _asked(text):
    return {p["answer"]: p["question"] for p in clause_candidates(text)}


@pytest.mark.parametrize("text", [
    "北京市红十字会募集的50万元。",                        # the verb sits inside a noun phrase: no statement
    "行长刘明康说,这项业务将于1999年全面推开。",            # a speech verb: what follows is cut off
    "褚时健案件令人深思的另一个问题是,",                      # ...是, : the same
    "图为该公司乙烯裂解装置系统一角。",                      # a photo caption
    "健康计划正在变得越来越普遍。",                          # 健康什么: a noun cut from its adjective
    "小寨沟自然村多年来仅有一座拱坝。",                      # 一座哪里: cut from its count
    "食品经营者应当查验供货者的许可证。",                    # 什么者, 供货者的谁: no person, a cut word
])
def test_clauses_that_would_ask_unfluently_give_no_question(text):
    assert not clause_candidates(text), clause_candidates(text)


def test_names_and_list_items_are_not_asked_in_pieces():
    found = _asked("伊拉克总统萨达姆·侯赛因决定释放全部约旦囚犯。")
    assert "侯赛因" not in found and "萨达姆" not in found                  # no 萨达姆·谁
    assert not {"道德", "法治"} & set(_asked("监狱应当对罪犯进行法治、道德、形势等内容的思想教育。"))
    assert "飞报刘玄德" not in _asked("飞报刘玄德,遣张飞守关。")                # a noun glued before a name
    assert "操引军" not in _asked("操引军退屯黎阳。")                      # a name glued to its verb


def test_more_clauses_stand_alone():
    assert _asked("您可以随时取消房主保险。") == {"房主保险": "您可以随时取消什么？"}          # the FAQ's reader
    assert _asked("未成年人的父母分居或者离异的，应当相互配合履行家庭教育责任。") == {
        "家庭教育责任": "未成年人的父母分居或者离异的，应当相互配合履行什么？"}                # the rule's case kept
    assert _asked("组织实施特别措施的机关应当在规定的时限内实施管制措施。").get("管制措施") == \
        "组织实施特别措施的机关应当在规定的时限内实施什么？"                                 # a subject with 的
    assert _asked("居民个人从境外取得的所得，可以从其应纳税额中抵免已缴纳的个人所得税税额。").get(
        "个人所得税税额", "").startswith("居民个人可以")


def test_a_model_pair_is_kept_only_when_it_asks_in_place():
    from textmine.qa.rank import CharLM, _in_situ, rank_pairs

    passage = "您在租赁房产时将获得租赁保险。租赁保险覆盖您的个人财产。"
    lm = CharLM().fit([passage])
    clause = {"passage": passage, "answer": "个人财产", "start": 23, "end": 27, "question": "租赁保险覆盖您的什么？",
              "asked": "什么", "kind": "term", "clause": 0}
    stock = {"passage": passage, "answer": "租赁保险", "start": 10, "end": 14, "question": "什么是租赁保险?",
             "asked": "什么", "kind": "model", "clause": ("model", 0)}
    in_place = {**stock, "question": "您在租赁房产时将获得什么？"}
    assert [p["question"] for p in rank_pairs([clause, stock], lm, 3)] == ["租赁保险覆盖您的什么？"]
    assert _in_situ(in_place) and not _in_situ(stock)


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
