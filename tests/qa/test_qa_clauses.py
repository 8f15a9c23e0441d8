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
])
def test_clauses_that_would_ask_unfluently_give_no_question(text):
    assert not clause_candidates(text), clause_candidates(text)


def test_names_and_list_items_are_not_asked_in_pieces():
    found = _asked("伊拉克总统萨达姆·侯赛因决定释放全部约旦囚犯。")
    assert "侯赛因" not in found and "萨达姆" not in found                  # no 萨达姆·谁
    found = _questions("墨西哥恰帕斯州议会7日批准胡利奥·鲁伊斯辞去州长职务。")
    assert found["墨西哥恰帕斯州议会7日批准谁辞去州长职务？"] == "胡利奥·鲁伊斯"      # a dotted name is one name
    assert not {"道德", "法治"} & set(_asked("监狱应当对罪犯进行法治、道德、形势等内容的思想教育。"))
    assert "飞报刘玄德" not in _asked("飞报刘玄德,遣张飞守关。")                # a noun glued before a name
    assert "操引军" not in _asked("操引军退屯黎阳。")                      # a name glued to its verb


def test_more_clauses_stand_alone():
    assert _asked("您可以随时取消房主保险。") == {"房主保险": "您可以随时取消什么？"}          # the FAQ's reader
    assert _asked("未成年人的父母分居或者离异的，应当相互配合履行家庭教育责任。")["家庭教育责任"] == \
        "未成年人的父母分居或者离异的，应当相互配合履行什么？"                              # the rule's case kept
    assert _asked("组织实施特别措施的机关应当在规定的时限内实施管制措施。").get("管制措施") == \
        "组织实施特别措施的机关应当在规定的时限内实施什么？"                                 # a subject with 的
    assert _asked("居民个人从境外取得的所得，可以从其应纳税额中抵免已缴纳的个人所得税税额。").get(
        "个人所得税税额", "").startswith("居民个人从境外取得的所得可以")


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


def test_a_model_pair_that_asks_why_is_not_taken_for_a_what_question():
    """The 1,100-step model wrote 利润总额为什么？ for 利润总额为403.2 (People's Daily, the seventh
    pass's passages): in place, but 为什么 asks why, so the pair has no question word to rank by."""
    from textmine.qa.clauses import model_candidate
    from textmine.qa.rank import CharLM, rank_pairs

    passage = "去年全厂实现销售收入12亿元,利润总额为403.2万元。"
    why = model_candidate({"passage": passage, "answer": "403.2", "start": 20, "end": 25, "question": "利润总额为什么？"})
    what = model_candidate({**why, "question": "全厂实现什么12亿元？", "answer": "销售收入", "start": 6, "end": 10})
    assert why["asked"] is None and what["asked"] == "什么"
    kept = rank_pairs([why, what], CharLM().fit([passage]), 3)
    assert all(p["question"] != "利润总额为什么？" for p in kept)


def test_a_statement_the_passage_states_as_written_ranks_before_one_it_was_edited_into(sample_lines):
    """曹操引兵回哪里暂住？ leaves out 因军中粮尽: the same kind of question from the next clause,
    asked in the passage's own words, comes first (borrowed and edited subjects are wrong more often)."""
    paragraphs = [line.strip() for line in sample_lines if line.strip()]
    passage = next(p for p in paragraphs if p.startswith("是年蝗虫忽起"))
    best = ClauseQuestions().fit(paragraphs).generate(passage, 2)
    assert [p["question"] for p in best] == ["吕布亦引兵出屯哪里就食？", "曹操引兵回哪里暂住？"]


def test_a_clause_that_only_drops_an_aside_is_still_as_written():
    from textmine.qa.rank import _as_written

    passage = "该公司通过Allstate代理商以及独立人寿保险代理(经纪人)提供人寿保险和年金。"
    assert _as_written("该公司通过Allstate代理商以及独立人寿保险代理提供人寿保险和年金", passage)
    assert not _as_written("该公司提供人寿保险和年金", passage)


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


def _questions(passage: str) -> dict:
    """question -> answer: two answers of a clause may share a text (债权人), a question may not."""
    return {p["question"]: p["answer"] for p in clause_candidates(passage)}


def test_a_subject_of_nouns_before_a_modal_is_the_subject_even_when_jieba_cuts_it():
    found = _questions("县级以上地方人民政府应当统筹当前和长远，根据人口变化和城镇化发展趋势，科学规划和配置学前教育资源。")
    assert found["县级以上地方人民政府科学规划和配置什么？"] == "学前教育资源"      # borrowed by the third clause
    assert not any(q.startswith("县级以上哪个机构") for q in found)           # 以上 | 地方人民政府: no half of it
    found = _questions("各级人民政府和有关主管机关、单位应当督促被审计单位整改审计查出的问题。")
    assert found["各级人民政府和有关主管机关、单位应当督促被审计单位整改审计查出的什么？"] == "问题"


def test_what_an_opening_verb_decides_is_asked_with_it_but_not_what_someone_said():
    found = _questions("韩国政府日前决定,将对本国一些银行和信贷机构进行整顿。")
    assert found["哪个机构日前决定,将对本国一些银行和信贷机构进行整顿？"] == "韩国政府"
    found = _questions("意大利和印度都反对很快确定扩大联合国安理会的决定,并要求在联合国实行更多的民主。")
    assert found["意大利和印度都反对很快确定扩大哪个机构的决定？"] == "联合国安理会"   # ...的决定 is a noun
    assert not _questions("李鹏说,中国银行将向灾区捐赠500万元。").get("李鹏说,中国银行将向灾区捐赠多少万元？")


def test_a_clause_that_sets_a_time_or_frame_is_no_question_but_lends_its_subject():
    found = _questions("债权人自接到通知之日起三十日内，可以要求清偿债务。")
    assert found == {"谁可以要求清偿债务？": "债权人"}
    assert _questions("刘镇武表示,驻港部队进驻6个多月来,特区政府和人民给予了大力支持。") == {
        "哪个机构和人民给予了大力支持？": "特区政府", "特区政府和谁给予了大力支持？": "人民"}
    assert _questions("曹操正走之间,背后一骑赶来。") == {}
    assert _questions("人寿保险可以增加300%以上。")["人寿保险可以增加多少以上？"] == "300%"    # an amount, not a frame


def test_a_clause_whose_only_verb_is_an_auxiliary_asks_nothing():
    found = _questions("核设施营运单位应当按照国家有关规定，建立健全安全保卫制度。")
    assert not any(q.startswith("核设施营运单位应当按照") or q.startswith("什么应当按照") for q in found)


def test_answers_cut_from_their_phrase_are_refused():
    assert _questions("医疗保险甲部分称为住院保险,医疗保险B部分称为医疗保险。") == {"什么称为住院保险？": "医疗保险甲部分"}
    assert "Plan" not in _questions("您也可以在我们的网站上运行报价来了解Plan F的外观。").values()
    assert _questions("桐柏县新建小型水利设施393处。") == {                          # 新建/ns retagged a verb
        "哪里新建小型水利设施393处？": "桐柏县", "桐柏县新建小型水利设施多少处？": "393处"}
    assert _questions("奢曰:“我闻朝廷遍行文书,捉汝甚急,汝父已避陈留去了。”") == {}          # 汝父 names no one
    assert _questions("是的,可能家庭保险通常提供高达百分之十的保单金额。") == {}              # 是的 is no condition


def test_a_noun_opening_its_clause_before_a_verb_is_asked_as_its_subject():
    found = _questions("国家积极推进民用航空器的大气污染防治。")
    assert found == {"什么积极推进民用航空器的大气污染防治？": "国家"}
    subject = [("国有资产", "n"), ("流失", "v"), ("总额", "n"), ("达到", "v"), ("1亿元", "m")]
    assert "国有资产" not in {"国有资产流失总额达到1亿元"[s:e] for s, e, _, _ in answer_spans(subject)}   # 流失总额 heads it
    inside = [("我们", "r"), ("加强", "v"), ("科学", "n"), ("研究", "v")]
    assert "科学" not in {"我们加强科学研究"[s:e] for s, e, _, _ in answer_spans(inside)}     # 什么研究 is no question


def test_a_headcount_or_a_name_with_an_adverb_glued_on_is_no_one_to_ask_about():
    assert _questions("二人至瓒营宣谕。") == {}                                          # how many, not who
    assert "孔明亦" not in _questions("往日周公瑾多用其言,孔明亦深服其智。").values()     # jieba's 孔明亦
    assert _questions("由所在地县级人民政府组织收集、处理并溯源。") == {}                 # 什么县级人民政府


def test_a_penalty_is_asked_with_its_condition_and_never_borrows_the_topic():
    found = _questions("违反本法规定，擅自出售国旗的，处五千元以下罚款。")
    assert found == {"擅自出售国旗的，处多少元以下罚款？": "五千元"}                  # 处 is the verb jieba tags a noun
    passage = ("房地产开发企业违反本法规定，在销售房屋时未向购买人明示所售房屋的节能措施等信息的，"
               "由建设主管部门责令限期改正，逾期不改正的，处三万元以上五万元以下罚款。")
    found = _questions(passage)
    assert found["逾期不改正的，处多少元以上五万元以下罚款？"] == "三万元"
    assert not any(q.startswith("房地产处") for q in found)


def test_a_rule_that_names_who_acts_is_asked_with_its_condition():
    """由哪个机构给予警告？ alone does not say for what: the condition before it (...的) is asked with it,
    and what the condition names is not borrowed as the subject of the rule's next verb."""
    found = _questions("评估行业协会违反本法规定的，由有关评估行政管理部门给予警告，责令改正。")
    assert found["评估行业协会违反本法规定的，由哪个机构给予警告？"] == "有关评估行政管理部门"
    assert "由哪个机构给予警告？" not in found and not any(q.startswith("评估行业协会责令") for q in found)
    found = _questions("盗伐林木的，由县级以上人民政府林业主管部门责令限期补种树木。")
    assert found["盗伐林木的，由哪个机构责令限期补种树木？"] == "县级以上人民政府林业主管部门"


def test_the_last_item_of_a_list_is_asked_with_the_kind_after_etc():
    """持有检疫证书等证件 asks 持有哪些证件？ (not 哪些等证件), and the statement it asks about is the
    clause as the passage writes it, 等 and all. A quoted name jieba calls a person is asked as a thing."""
    found = {p["question"]: p for p in clause_candidates("携带动物进境的，必须持有输出国家或者地区的检疫证书等证件。")}
    pair = found["携带动物进境的，必须持有输出国家或者地区的哪些证件？"]
    assert pair["answer"] == "检疫证书" and pair["stated"] in pair["passage"]
    found = _questions("距今5.2亿年前的“皮克鱼”化石被世界上公认为最早的脊索动物。")
    assert found["距今5.2亿年前的什么化石被世界上公认为最早的脊索动物？"] == "皮克鱼"   # a quoted "person" is a thing


def test_an_article_a_rule_points_to_is_no_answer():
    found = _questions("各级国家农业技术推广机构应当认真履行本法第十一条规定的公益性职责。")
    assert "第十一条" not in found.values()                                     # 本法第几条规定的...？ is an index
    assert found["各级国家农业技术推广机构应当认真履行本法第十一条规定的什么？"] == "公益性职责"
    assert "第四十九条" not in _questions("本法第四十七条和第四十九条的规定适用于航次租船合同的出租人。").values()
    assert _questions("云南省第一条高架高速公路日前建成并通车。").get("云南省第几条高架高速公路日前建成并通车？") == "第一条"


def test_a_frames_object_is_the_topic_of_the_clause_after_it():
    """对人均月收入不足144元的特困户 only names whom the next clause is about, whatever verb its relative
    clause holds (不足); 对...处...罚款 is a penalty, a statement of its own."""
    found = _questions("对人均月收入不足144元的特困户,将每户送给补助金和过节物品。")
    assert "对人均月收入不足多少元的特困户？" not in found
    assert found["对人均月收入不足144元的特困户将每户送给什么和过节物品？"] == "补助金"
    assert _questions("对船长、责任船员处二千元以上二万元以下的罚款。")["对船长、责任船员处多少元以上二万元以下的罚款？"] == "二千元"


def test_a_place_ending_in_zhe_is_no_place():
    found = _questions("昔者先王本欲立吾主为世子。")
    assert not any(q.startswith("哪里") for q in found)                          # 昔者 (formerly), 昔者/ns to jieba


def test_a_duration_before_a_noun_names_its_kind():
    """jieba tags 长期 an adverb even in 长期护理保险, which left the clause without a subject."""
    assert _questions("长期护理保险是一种相对较新的保险形式。") == {"长期护理保险是一种相对较新的什么？": "保险形式"}
    assert _questions("企业应当长期坚持安全生产原则。")["企业应当长期坚持什么？"] == "安全生产原则"   # an adverb before a verb


def test_nouns_of_people_are_asked_with_who_and_a_theory_is_no_one():
    assert _questions("从村口到养鱼池的一路,人们会见到三道大石碑。") == {"谁会见到三道大石碑？": "人们"}
    found = _questions("罗干、任建新希望广大公安民警以邓小平理论和十五大精神为指导。")
    assert "邓小平理论" not in found.values()                                     # 谁 for a theory
    assert _questions("全国人民沉浸在节日的喜悦之中。") == {"谁沉浸在节日的喜悦之中？": "全国人民"}   # a people
    assert _questions("士民无不下泪。") == {"谁无不下泪？": "士民"}
    assert "国防教育贯彻谁参与、长期坚持、讲求实效的方针？" not in _questions(
        "国防教育贯彻全民参与、长期坚持、讲求实效的方针。")                             # what all do, not who


def test_a_laws_exception_asks_nothing():
    passage = ("承租人享有以同等条件优先购买的权利；但是，房屋按份共有人行使优先购买权或者出租人将房屋出卖给近亲属的除外。")
    assert not any(q.endswith("的除外？") for q in _questions(passage))              # 谁将房屋出卖给近亲属的除外？
    passage = "但是被申请人应当依职权主动履行法定职责或者申请人因正当理由不能提供的除外；"
    assert _questions(passage) == {}


def test_the_first_of_two_nouns_closing_a_clause_is_not_asked_alone():
    found = _questions("国家支持公共图书馆加强与学校图书馆、科研机构图书馆以及其他类型图书馆的交流与合作，开展联合服务。")
    assert "交流" not in found.values()                                           # ...的什么与合作？
    found = _questions("摩托车骑马影响政策利率的唯一时间是如果摩托车用于赛车或特技。")
    assert "赛车" not in found.values()
    found = _questions("国家奖励在种质资源保护工作和良种选育、推广等工作中成绩显著的单位和个人。")
    assert found["国家奖励在种质资源保护工作和良种选育、推广等工作中成绩显著的单位和谁？"] == "个人"   # the second is


def test_classical_words_jieba_tags_as_names_or_places_are_not_asked_about():
    assert "莫非" not in _questions("泽曰:“然则公之受责,莫非苦肉计乎?”").values()       # 哪里苦肉计乎？
    assert "投颍川" not in _questions("玄德领命,引军星夜投颍川来。").values()           # 投 glued before 颍川


def test_a_defendant_is_asked_with_who():
    found = _questions("（二）被告死亡，没有遗产，也没有应当承担义务的人的；")
    assert found.get("谁没有遗产？") == "被告"


def test_a_name_with_a_two_character_surname_is_no_name_with_a_verb_glued_on():
    found = _questions("黄忠带着夏侯尚,夏侯渊带着陈式,各不与袍铠,只穿蔽体薄衣。")
    assert found.get("黄忠带着谁？") == "夏侯尚"                 # 尚 is no verb glued to 夏侯


def test_a_country_is_asked_with_which_country_and_a_foreign_one_not_at_all():
    found = _questions("据伊拉克通讯社19日报道,伊拉克总统萨达姆·侯赛因决定立即释放全部关押在伊拉克的约旦囚犯。")
    assert found.get("伊拉克总统萨达姆·侯赛因决定立即释放全部关押在哪个国家的约旦囚犯？") == "伊拉克"   # not 谁的
    found = _questions("从斋月开始以来,阿尔及利亚再度出现恐怖屠杀事件频仍的局面,上千名无辜平民死于非命。")
    assert found.get("哪个国家再度出现恐怖屠杀事件频仍的局面？") == "阿尔及利亚"
    found = _questions("中国与外国签订的外交特权与豁免协议另有规定的，按照协议的规定执行。")
    assert "外国" not in found.values()                                            # 与哪里签订的: no country named


def test_a_title_is_asked_with_who():
    found = _questions("香港特别行政区行政长官在当地通过选举或协商产生，由中央人民政府任命。")
    assert found.get("谁在当地通过选举或协商产生？") == "香港特别行政区行政长官"            # not 什么


def test_a_clause_that_stops_inside_a_prepositions_phrase_asks_nothing():
    found = _questions("慰问信指出,广大职工要以主人翁的姿态,积极行使当家作主的权利。")
    assert not any("以主人翁的" in q for q in found)                                # 什么要以主人翁的姿态？
    found = _questions("秦华孙在谈到联合国会费问题时说,中国强调应按照《联合国宪章》和联大有关规定,按照支付能力原则制定会费分摊比额表。")
    assert not any("强调应按照" in q for q in found)
    found = _questions("监察委员会可以根据监察工作需要，依照法律和国家有关规定在从事与监察机关职能职责相关的职业或者教学、研究的人员中选拔或者聘任符合任职条件的人员担任监察官。")
    assert "哪个机构可以根据监察工作需要？" not in found
    assert _questions("刘明康在会上宣布了3项措施。")["刘明康在会上宣布了几项措施？"] == "3项"    # a verb after the phrase is its own


def test_a_subject_cut_before_de_is_lent_whole():
    found = _questions("城市新区的开发和建设，应当合理确定建设规模和时序，充分利用现有市政基础设施和公共服务设施。")
    assert "哪里应当合理确定建设规模和时序？" not in found                         # 城市新区 | 的开发和建设
    assert found.get("城市新区的开发和建设应当合理确定建设规模和什么？") == "时序"
    found = _questions("设区的市级人民政府生态环境主管部门会同住房城乡建设、农业农村、 卫生健康等有关部门，定期向社会公开固体废物的种类。")
    assert "设区" not in found.values()


def test_a_verb_inside_a_pair_of_nouns_is_no_predicate():
    assert _questions("您的健康保险费是基于许多因素,包括您的年龄,邮政编码和覆盖类型。").get("什么和覆盖类型？") is None
    assert _questions("其余的一些运营商是Genworth,奥马哈互助和泛美。") == {}                # 谁互助和泛美？
    assert "工伤" not in _questions("工伤认定和劳动能力鉴定应当简捷、方便。").values()       # 什么认定和...
    found = _questions("县级以上地方人民政府应当统筹当前和长远，根据人口变化和城镇化发展趋势，科学规划和配置学前教育资源。")
    assert found["县级以上地方人民政府科学规划和配置什么？"] == "学前教育资源"          # two verbs stay a predicate


def test_the_noun_that_sums_up_a_list_or_a_phrase_with_itself_is_not_asked():
    found = _questions("记录许可颁发、日常监督检查结果、违法行为查处等情况，依法向社会公布并及时更新；")
    assert "情况" not in found.values()                                           # ...等什么？
    found = _questions("经济建设中出现的不少问题,靠经济建设本身不能解决,精神文明建设就得承担起这个责任。")
    assert not any("什么本身" in q for q in found)


def test_a_comparison_frames_the_verb_after_it():
    found = _questions("“旧的住房制度非改不可了”,这句话我们说了很多年,但房改从来没有像今天这样,承担了那么多使命。")
    assert "什么从来没有像今天这样？" not in found
    assert found.get("什么承担了那么多使命？") == "房改"


def test_classical_names_jieba_cuts_wrongly_are_not_asked_about():
    assert "操令众" not in _questions("于是韩遂与庞德将兵五万,直抵渭南。操令众将于甬道两旁诱之。").values()
    found = _questions("玄德大喜,遂教张飞星夜去替云长守荆州,令云长来取长沙。")
    assert "令云" not in found.values()                                           # 令 | 云长: the name recurs
    assert found.get("令云长来取哪里？") == "长沙"


def test_verbs_jieba_tags_as_nouns_are_verbs():
    found = _questions("各级人民代表大会常务委员会行使监督职权，应当围绕党和国家工作大局，以经济建设为中心，坚持改革开放。")
    assert found.get("各级人民代表大会常务委员会行使什么？") == "监督职权"            # 行使/n


def test_a_rule_whose_agent_follows_a_modal_asks_as_it_stands():
    passage = "犯本节第二百零一条至第二百零五条规定之罪，被判处罚金、没收财产的，在执行前，应当先由税务机关追缴税款和所骗取的出口退税款。"
    assert _questions(passage).get("应当先由税务机关追缴什么和所骗取的出口退税款？") == "税款"
    found = _questions("韩国政府日前决定,将对本国一些银行和信贷机构进行整顿。")      # 将对...: an opening verb's, not a rule
    assert found["哪个机构日前决定,将对本国一些银行和信贷机构进行整顿？"] == "韩国政府"


def test_collective_nouns_of_people_are_asked_with_who():
    found = _questions("慰问信指出,广大职工要以主人翁的姿态,积极行使当家作主的权利。")
    assert found.get("谁积极行使当家作主的权利？") == "广大职工"                          # not 什么


def test_a_topic_before_its_date_is_lent_alone():
    found = _questions("田庄乡1996年率先改革,到目前全乡群众自我投入已达380万元,新建小型水利设施393处。")
    assert found.get("田庄乡到目前全乡群众自我投入已达多少万元？") == "380万元"          # not 田庄乡1996年率先改革到...
    found = _questions("新修西线公路150多条,总计300多公里的矿山路,基本实现乡乡村村通公路。")
    assert "总计" not in found.values()                                          # 总计 | 300多公里的矿山路: half of it


def test_a_title_ending_in_zhang_is_asked_with_who_and_a_verb_glued_before_a_place_is_no_place():
    assert _questions("中国人民银行副行长由国务院总理任免。").get("谁由国务院总理任免？") == "中国人民银行副行长"
    found = _questions("次日,二人至瓒营宣谕,瓒乃遣使致书于绍,互相讲和。二人自回京复命。")
    assert "回京" not in found.values()                                           # 二人自哪里复命？


def test_one_of_two_alternatives_or_of_a_joint_subject_is_not_asked_alone():
    """Sentences of the sixth pass's draws (law, insurance): a reader found 谁 in place of one of two
    alternatives, or 什么 in place of one of two subjects said together, a phrase cut in two."""
    found = _questions("经营者、管理者或者组织者未尽到安全保障义务的，承担相应的补充责任。")
    assert "组织者" not in found.values()                                    # 经营者、管理者或者谁
    found = _questions("报告的部分成本是Roth或IRA或任何合格的计划。")
    assert "Roth" not in found.values()
    found = _questions("每个人都有一些政策,年龄和健康状况都不会让你需要它。")
    assert "年龄" not in found.values()                                      # 什么和健康状况都不会...
    found = _questions("应当先由税务机关追缴税款和所骗取的出口退税款。")
    assert found.get("应当先由税务机关追缴什么和所骗取的出口退税款？") == "税款"     # an object pair is asked as before


def test_passive_verbs_adverbs_parties_and_third_parties_are_no_answers():
    found = _questions("家庭保险将排除通常被定义为“任何带有电机的东西”的“车辆”,除非用于为房舍提供服务。")
    assert "定义" not in found.values() and found.get("什么将排除通常被定义为“任何带有电机的东西”的“车辆”？") == "家庭保险"
    assert "基本上" not in _questions("基本上一般都是“先到先得”。").values()      # 基本上/n: an adverb
    assert "双方" not in _questions("吴邦国说,双方签署了中国劳动部和荷兰社会事务与就业部合作备忘录。").values()
    assert "人员" not in _questions("经理按照章程规定或者理事会的决定，可以聘任其他人员。").values()   # 其他谁
    asked = " ".join(_questions("因第三人的行为造成他人损害的，由第三人承担侵权责任。"))
    assert "第几" not in asked and "几人" not in asked                      # 第三人: a party, not a count


def test_owners_and_sons_are_people():
    """房主 and 天子 are asked with 谁 (the sixth pass's readers found 什么有责任... and 什么乃先帝嫡子？);
    民主 and 种子 end in the same characters and stay things."""
    assert _questions("在发现泄漏的时刻,房主有责任尽全力停止进一步的破坏。").get("谁有责任尽全力停止进一步的破坏？") == "房主"
    assert _questions("天子乃先帝嫡子,初无过失,何得妄议废立!").get("谁乃先帝嫡子？") == "天子"
    assert "什么" in next(q for q, a in _questions("农民选用了新的玉米种子。").items() if a == "玉米种子")


def test_teams_schools_and_delegations_are_asked_as_what_they_are():
    """A team is asked with 哪支队伍 (not 什么, nor 谁 where jieba tags 中欣队 a name), a school with
    哪所学校, a delegation with 哪个代表团; the bare word (代表团) names no particular one."""
    found = _questions("空军联航队主场以72∶83负于辽宁沈飞客车队。")
    assert found.get("空军联航队主场以72∶83负于哪支队伍？") == "辽宁沈飞客车队"
    assert _questions("天津大学去年底修订了本校的导师条例。").get("哪所学校去年底修订了本校的导师条例？") == "天津大学"
    assert _questions("中国代表团昨天抵达北京。").get("哪个代表团昨天抵达北京？") == "中国代表团"
    assert "哪个代表团昨天抵达北京？" not in _questions("代表团昨天抵达北京。")


def test_family_and_trades_are_people():
    assert _questions("父母甚至数年后即成为保单的所有者。").get("谁甚至数年后即成为保单的所有者？") == "父母"
    assert _questions("雇员可以获得这项补贴。").get("谁可以获得这项补贴？") == "雇员"


def test_the_first_of_a_list_is_not_asked_alone():
    """A thing or place before 和, 及 or 与 and another noun opens a list; asking it alone cuts the
    list in two (在哪里及世界大赛上); the last of the list asks well (保护历史文化遗产和什么？)."""
    found = _questions("篮球国手在亚洲及世界大赛上多次取得优异成绩。")
    assert "亚洲" not in found.values() and found
    found = _questions("旧城区应当保护历史文化遗产和传统风貌。")
    assert "历史文化遗产" not in found.values()
    assert found.get("旧城区应当保护历史文化遗产和什么？") == "传统风貌"
    assert _questions("中国和美国签署了一项协议。").get("哪个国家和美国签署了一项协议？") == "中国"   # done together
    assert "家长学校" not in _questions("省级以上人民政府开设公益性网上家长学校和网络课程。").values()   # a school too


def test_a_clause_that_opens_with_when_borrows_the_subject_said_before():
    """今天, 1月5日起: words of time before the verb do not make the subject dropped unrecoverable."""
    found = _questions("代表团昨天抵达上海,今天在浦东参观了一家造船厂。")
    assert found.get("代表团今天在哪里参观了一家造船厂？") == "浦东"
    found = _questions("代表团昨天抵达上海,1月5日起在浦东参观了三家造船厂。")
    assert found.get("代表团1月5日起在浦东参观了几家造船厂？") == "三家"


def test_a_noun_before_an_aspect_particle_is_a_verb():
    """jieba tags 会见 and 滋润 nouns; 了 and 着 follow verbs only, so the clause has its predicate."""
    assert _questions("欧盟代表团会见了一些阿政党的代表。").get("哪个代表团会见了一些阿政党的代表？") == "欧盟代表团"
    assert _questions("春雨滋润着牧奎村的黑土地。").get("什么滋润着牧奎村的黑土地？") == "春雨"


def test_a_clause_of_when_is_no_statement():
    """当...时 sets a time (jieba reads 较少时 as 较 + 少时/t, a word of time, not 时)."""
    assert not _questions("当医生和医院的部分报销费用较少时,他们需要在其他地方进行补偿。")


def test_a_noun_before_a_locative_is_a_place_not_the_subject():
    """货架上 | 名优商品琳琅满目: the goods are the subject the next clause borrows, not the shelves."""
    found = _questions("走进任何一家商场,货架上名优商品琳琅满目,任你挑挑拣拣。")
    assert found.get("什么任你挑挑拣拣？") == "名优商品" and "货架" not in found.values()


def test_an_answer_before_a_bound_morpheme_is_cut_from_its_word():
    """特遣队 | 员 (员/zg): a noun morpheme never stands alone, so 什么员 asks half a word."""
    found = _questions("通常父母互相接受受益。特遣队员可能是小孩,亲戚朋友。")
    assert "特遣队" not in found.values() and found.get("特遣队员可能是谁？") == "小孩"


def test_generating_over_files_shows_how_much_is_read_of_the_total(tmp_path, capsys):
    """The passage bar has no total (the corpus streams); over files a bar in bytes has one."""
    from textmine.corpus import open_corpus
    from textmine.qa import generate_file

    docs = tmp_path / "docs.txt"
    docs.write_text(NEWS + "\n" + "李宁集团在全国300多家专卖店推出了惠卖活动。\n", encoding="utf-8")
    corpus = open_corpus(docs)
    counts = generate_file(corpus, ClauseQuestions().fit(corpus), tmp_path / "qa.jsonl", n_pairs=1, progress=True)
    assert counts["documents"] == 2
    bar = [line for line in capsys.readouterr().err.replace("\r", "\n").splitlines() if "reading documents" in line]
    size = docs.stat().st_size
    assert bar and "100%" in bar[-1] and f"{size}/{size}" in bar[-1]


def test_an_adjective_before_a_verb_is_no_part_of_the_subject():
    """绍 | 大惊 (大/a 惊/v) and 袁尚 | 大喜 (大喜/n): the subject the next clause borrows is the name
    alone (绍大急遣谁... and 袁尚大喜留审配与谁... read as nothing)."""
    assert _questions("绍大惊,急遣袁谭分兵五万救邺郡。").get("绍急遣谁分兵五万救邺郡？") == "袁谭"
    assert _questions("袁尚大喜,留审配与陈琳守冀州。").get("袁尚留审配与谁守冀州？") == "陈琳"


def test_a_dateline_with_the_date_in_characters_is_dropped():
    """新华社兰州一月十六日电: People's Daily writes some dates in characters; the dateline is no part of a question."""
    text = "新华社兰州一月十六日电政协甘肃省第八届委员会第一次全体会议一月十六日选举杨振杰为省政协主席。"
    assert strip_dateline(text) == len("新华社兰州一月十六日电")
    assert all(not q.startswith("新华社") for q in _questions(text))


def test_a_one_character_adjective_belongs_to_the_person_it_qualifies():
    """这位大 | 明星, 回乡老 | 复员军人: 大谁 and 老谁 ask half a noun phrase."""
    found = _questions("银幕上正在放映这位大明星早期主演的短片。")
    assert "明星" not in found.values() and found.get("银幕上正在放映这位大明星早期主演的什么？") == "短片"


def test_discourse_markers_and_a_conjunction_that_lost_its_comma_are_no_part_of_a_question():
    """Machine-translated answers: 一般来说 opens a clause as 并 does (it is no subject to borrow),
    and 然而 closing a clause opens the next one (政策有差异然而, | 底层数字...)."""
    general = _questions("一般来说,当我们谈论全保险群体健康保险计划时,由国家保险部门对集体健康保险合同进行管理。")
    assert general.get("由哪个机构对集体健康保险合同进行管理？") == "国家保险部门"
    assert not any("一般来说" in q for q in general)
    assert _questions("您的雇主提供团体人寿保险但是,保额通常很低。") == {"您的雇主提供什么？": "团体人寿保险"}


def test_one_item_of_a_slash_list_is_not_asked_alone_but_a_rate_is():
    found = _questions("融资新车时所需的类型和数量将由财务公司/银行/贷方为您提供贷款。")
    assert "财务公司" not in found.values() and found
    assert "25美元" in _questions("大多数政策的费用低于25美元/月。").values()


def test_an_institution_is_no_one():
    """养老院 (jieba: nr) ends as institutions do: no 谁 question asks for it."""
    found = _questions("医疗保险不再有助于养老院的费用。")
    assert found and not any("谁" in q for q in found)


def test_a_clause_whose_verbs_are_inside_a_prepositions_object_is_not_asked():
    """根据...的数量、分布状况和残疾类别 | 统筹实施...: 分布 is an item of the list the object is, and 提供 opens
    the phrase 对...的邮件 is; the verb of either clause is in the next one. A verb after the list is
    the clause's own (根据宪法和法律制定)."""
    found = _questions("县级以上地方人民政府应当根据本区域内残疾儿童的数量、分布状况和残疾类别，统筹实施多种形式的学前特殊教育。")
    assert "残疾类别" not in found.values() and found.get("哪个机构统筹实施多种形式的学前特殊教育？") == "县级以上地方人民政府"
    assert not any(q.startswith("对提供") for q in _questions(
        "对提供邮政普遍服务的邮政企业交运的邮件，铁路、公路、水路、航空等运输企业应当优先安排运输。"))
    assert _questions("国务院根据宪法和法律制定行政法规。").get("哪个机构根据宪法和法律制定行政法规？") == "国务院"


def test_our_country_is_a_subject_and_he_after_a_date_is_the_person_named():
    """我国 (jieba: a pronoun) is a subject as 中国 is, but is never asked, and not when a longer
    noun phrase goes on after it (我国第一位医学史博士鄢良); 他 after words of time is the person a
    clause named, even one with no verb (陈峰玖今年56岁)."""
    found = _questions("据邮电部最新统计,1997年我国新增邮路33万公里,从而使我国拥有的邮路总长达245万公里。")
    assert found.get("1997年我国新增邮路多少万公里？") == "33万公里" and "我国" not in found.values()
    found = _questions("陈峰玖今年56岁,1968年他为救人被火车轧断了双腿和一只胳膊。")
    assert found.get("哪一年陈峰玖为救人被火车轧断了双腿和一只胳膊？") == "1968年"
    assert not any(q.startswith("我国使") for q in _questions(
        "我国第一位医学史博士鄢良在担任中研国际医药公司总裁的几年中,锐意开发中药国际市场,使我国19个厂家的22个产品全部通过检验。"))


def test_a_department_is_asked_with_which_body_and_a_level_belongs_to_its_name():
    """县级以上人民政府...主管部门: 以上 is inside the name (jieba: b + f), so the whole is the subject
    and the answer; a name ending in 部门, 机关 or 机构 is asked with 哪个机构, but not its last word
    alone (野生动物保护 | 主管部门: 保护哪个机构 asks half a name)."""
    found = _questions("县级以上人民政府自然资源主管部门对违反土地管理法律、法规的行为进行监督检查。")
    assert found.get("哪个机构对违反土地管理法律、法规的行为进行监督检查？") == "县级以上人民政府自然资源主管部门"
    assert not any("保护哪个机构" in q for q in _questions("由县级以上人民政府野生动物保护主管部门没收违法所得。"))


def test_a_name_is_asked_without_the_classical_adverb_jieba_glued_to_it():
    """jieba's dictionary holds 孔明乃, 玄德自 and hundreds like them as names: the name is the answer,
    and the adverb stays in the question (谁乃留书一封与统？, not 谁留书... for 孔明乃)."""
    found = _questions("孔明乃留书一封与统,嘱曰:“吾料孙仲谋必不能重用足下。”")
    assert found.get("谁乃留书一封与统？") == "孔明"
    found = _questions("表到许都,曹操在邺郡闻知玄德自立汉中王,大怒。")
    assert found.get("曹操在邺郡闻知谁自立汉中王？") == "玄德" and "玄德自" not in found.values()


def test_a_list_that_opens_a_clause_is_its_subject_whole():
    """广播电台、电视台 and 餐饮、娱乐、宾馆等服务性企业 are each one subject: its first item alone is
    neither the answer (哪个机构应当遵守... for 广播电台) nor what a later clause borrows."""
    found = _questions("广播电台、电视台发布广告，应当遵守国务院有关部门关于时长、方式的规定。")
    assert found and "广播电台" not in found.values()
    assert all(q.startswith("广播电台、电视台") for q in found)
    found = _questions("餐饮、娱乐、宾馆等服务性企业，应当采用节能、节水和其他有利于环境保护的技术和设备，"
                       "减少使用或者不使用浪费资源、污染环境的消费品。")
    assert found and "餐饮" not in found.values()
    assert all(q.startswith("餐饮、娱乐、宾馆等服务性企业") for q in found)


def test_a_question_in_the_passage_and_a_noun_with_its_adjective_state_nothing_to_ask():
    """怎敢轻易说“向我看齐”? is a rhetorical question: none of its clauses is asked (什么轻易说...？ for
    怎敢). 负债严重 is a noun and what is said of it, not a topic the next clause (接连倒闭) borrows, and
    无力 (jieba: n) opens a clause as an adverb would, not as its subject."""
    assert not _questions("有人认为,一年365天难免不做一件错事,怎敢轻易说“向我看齐”?")
    found = _questions("大企业经营状况不佳,负债严重,接连倒闭,银行因此坏账累累,无力支付到期外债。")
    assert "负债" not in found.values() and "无力" not in found.values()


def test_a_one_character_name_and_an_adverb_is_no_one_to_ask_about():
    """jieba's HMM makes 布乃 of 布乃分兵五路 (吕布 called 布, and 乃; 卓命 likewise): the documents name 布 far more
    often than 布乃, so 谁分兵五路？ is not asked of 布乃; 韩遂, as often whole as not, is a name."""
    bu = ["布乃分兵五路,高顺引一军进小沛。", "吕布大怒,引兵来战。", "布在城上见之。", "布曰:“吾有方天画戟。”",
          "陈宫谓布曰:“不可轻出。”", "吕布遣人往探。", "布引军出城。", "布大惊,拨马便走。", "吕布败走下邳。",
          "布令侯成守城。", "众将皆劝吕布。", "高顺见布至。"]
    assert "布乃" not in {pair["answer"] for pair in ClauseQuestions().fit(bu).candidates(bu[0])}
    assert "布乃" in {pair["answer"] for pair in clause_candidates(bu[0])}        # the clause alone would ask it
    zhuo = ["卓命牵出斩之。", "董卓大怒。", "卓曰:“吾自有主张。”", "卓在殿上。", "李儒见卓。", "卓大喜。", "卓令吕布出战。",
            "吕布见卓。", "卓引兵回。", "卓遂起兵。", "卓入宫。"]
    assert "卓命" not in {pair["answer"] for pair in ClauseQuestions().fit(zhuo).candidates(zhuo[0])}   # and a command
    han = ["韩遂遂起兵十万。", "韩遂与马超合兵一处,杀奔长安来。", "韩遂大怒。", "操使人请韩遂。"]
    assert "韩遂" in {pair["answer"] for pair in ClauseQuestions().fit(han).candidates(han[1])}


def test_a_made_up_name_whose_half_the_documents_name_more_often_is_not_asked():
    """西蜀方 of 西蜀方开新日月 is a name jieba's HMM made up of 西蜀 and 方 (just now): the documents
    name 西蜀 alone far more often, so 谁开新日月？ is not asked. A made-up name the documents hold
    whole as often as its halves (薛瑞红), or a surname and a title (孟将军), is a name."""
    shu = ["西蜀方开新日月,东吴又索旧山川。", "今听臣言,则西蜀有泰山之安;不听臣言,主公有累卵之危矣。",
           "忽报西蜀遣邓芝到。", "孤苦妄动,又结怨于西蜀矣。", "却说西蜀细作哨知此事,报入成都。"]
    assert "西蜀方" not in {pair["answer"] for pair in ClauseQuestions().fit(shu).candidates(shu[0])}
    assert "西蜀方" in {pair["answer"] for pair in clause_candidates(shu[0])}      # the clause alone would ask it
    meng = ["今夜留霍峻守关,孟将军可与我搬粮草夺马匹,小将军看我破敌!", "封曰:“将军且歇,容某计议。”",
            "今魏王令将军约会东吴取荆州。", "将军可分兵一半前去。"]
    assert "孟将军" in {pair["answer"] for pair in ClauseQuestions().fit(meng).candidates(meng[0])}   # a surname and a title
    news = ["薛瑞红今年考上了大学。", "记者见到了薛瑞红的母亲。"]
    assert "薛瑞红" in {pair["answer"] for pair in ClauseQuestions().fit(news).candidates(news[0])}


def test_a_clause_whose_verb_jieba_tags_otherwise_is_asked():
    """不是 (jieba: c) is the copula of 伊利诺伊州不是一个无故障的覆盖状态; 通过 (jieba: p, "by means
    of") is the verb of 工程日前通过国家验收 when no other verb follows, and a preposition before one;
    jieba's dictionary tags hundreds of phrases as names (隆重举行/nr), a verb after a word."""
    assert _questions("伊利诺伊州不是一个无故障的覆盖状态。").get("哪里不是一个无故障的覆盖状态？") == "伊利诺伊州"
    passed = _questions("辽宁抚顺十一点五万吨乙烯工程日前通过国家验收。")
    assert passed and all("日前通过国家验收" in q for q in passed)
    assert not any(q.endswith("通过什么？") for q in _questions("平安公司通过互联网销售保险。"))
    assert ("隆重举行", "v") in _tagged("大巡游今天在广州隆重举行") and ("严格执行", "v") in _tagged("严格执行规定")
    assert ("法律援助", "n") in _tagged("法律援助工作坚持中国共产党领导")      # a noun and a verb: a compound noun
    assert ("司马相如", "nr") in _tagged("司马相如作赋") and ("上官婉儿", "nr") in _tagged("上官婉儿答曰")


def test_a_number_written_with_a_decimal_point_in_characters_is_asked_whole():
    """十一点五万吨 is 11.5 (10,000 tonnes): asking 五万吨 would cut the number."""
    found = _questions("辽宁抚顺十一点五万吨乙烯工程日前通过国家验收。")
    assert "十一点五万吨" in found.values() and "五万吨" not in found.values()


def test_a_name_between_zai_and_a_verb_is_asked_as_a_place():
    """jieba tags 采蒂涅 (a town) as a person; between 在 and a verb only a place can stand."""
    found = _questions("总统选举中获胜的米洛·久卡诺维奇15日下午在采蒂涅宣誓就职。")
    assert found.get("总统选举中获胜的米洛·久卡诺维奇15日下午在哪里宣誓就职？") == "采蒂涅"
    assert not any("在谁" in q for q in found)
    found = _questions("人寿保险在被保险人死亡时支付死亡抚恤金。")       # a time: who died
    assert found.get("人寿保险在谁死亡时支付死亡抚恤金？") == "被保险人"


def test_an_adverb_and_its_verb_jieba_made_one_noun_are_a_verb():
    """大力发展/nz and 充分发挥/n are verbs with their adverb: 北京市 is asked as what develops, and
    the verb is no part of an answer (什么积极推动... for 充分发挥黄埔同学会)."""
    assert ("大力发展", "v") in _tagged("北京市大力发展首都经济") and ("充分发挥", "v") in _tagged("充分发挥规划的作用")
    assert ("科学研究", "n") in _tagged("科学研究是第一生产力")                # a noun and a verb stay a noun
    found = _questions("北京市大力发展首都经济,努力争取在世纪之交再上一个新台阶。")
    assert found.get("哪里大力发展首都经济？") == "北京市"
    assert not any(answer.startswith("充分发挥") for answer in _questions("充分发挥黄埔同学会的作用,积极推动两岸关系向前发展。").values())


def test_two_fields_that_share_a_department_are_one_name():
    """国务院文化和旅游主管部门 is one department: neither 旅游主管部门 (哪个机构 after 文化和) nor
    国务院文化 (the subject cut at 和) is asked; two bodies joined by 和 (国务院和县级以上地方人民政府)
    are still each asked."""
    found = _questions("国务院文化和旅游主管部门应当会同国务院有关部门，组织开展黄河文化研究。")
    assert found and all(q.startswith("国务院文化和旅游主管部门") for q in found)
    assert "旅游主管部门" not in found.values()
    found = _questions("国务院和县级以上地方人民政府将促进民营经济发展工作纳入规划。")
    assert {"国务院", "县级以上地方人民政府"} <= set(found.values())


def test_you_have_the_right_is_a_modal_not_a_noun():
    """有权 (jieba: n) says what one may do: it is never the answer (什么采取下列措施？ for 有权), and the
    clause it opens borrows the subject before it."""
    found = _questions("持票人可以不按照汇票债务人的先后顺序，有权向保证人请求付款。")
    assert "有权" not in found.values() and not any(a.endswith("有权") for a in found.values())
    found = _questions("房东有权要求您持有租赁保险。")
    assert found.get("什么有权要求您持有租赁保险？") == "房东"


def test_the_law_itself_a_list_to_follow_and_an_adverbial_are_no_answers():
    """本法 and 前款 point at the text, 下列 at a list still to come, and a word before 地 says how
    something is done: 什么所称多式联运合同？, 应当具备下列什么？ and 有什么地消除... name nothing."""
    assert "本法" not in _questions("本法所称多式联运合同，是指多式联运经营人以两种以上的不同运输方式负责运输的合同。").values()
    assert not any("下列什么" in q for q in _questions("从事危险化学品经营的企业应当具备下列条件。"))
    found = _questions("社区矫正工作坚持监督管理与教育帮扶相结合，有针对性地消除社区矫正对象可能重新犯罪的因素。")
    assert "针对性" not in found.values() and found.get("什么坚持监督管理与教育帮扶相结合？") == "社区矫正工作"
    assert "1.5万名" in _questions("福建省9地市共抽调了近1.5万名地县两级干部。").values()     # 地 of 地县, jieba: uv


def test_an_aside_in_brackets_is_left_out_of_the_question_and_never_asked():
    """An alias or a note in brackets (朝鲜族, 他们是免费的, CMS) is neither an answer nor part of a
    question; brackets that number (第（三）项) or end a Latin name (401(k)) stay."""
    found = _questions("经纪人(他们是免费的)将简化流程。")
    assert found.get("谁将简化流程？") == "经纪人" and not any("免费" in q for q in found)
    found = _questions("医疗保险和医疗补助服务中心(CMS)管理Medigap计划。")
    assert "CMS" not in found.values() and not any("(" in q for q in found)
    assert _questions("许多公司向员工提供401(k)。").get("许多公司向谁提供401(k)？") == "员工"
    assert any("第（三）项" in q for q in _questions("保险人违反本法第（三）项的规定，应当承担赔偿责任。"))


def test_a_noun_phrase_with_a_relative_clause_is_lent_whole():
    """基金会举办的研讨会, 日前在北京举行: the clause before is one noun phrase (its verb is inside the
    relative clause), so the next clause borrows all of it, not 基金会 alone, which held nothing."""
    found = _questions("美赞臣基金会举办的婴儿营养研讨会,日前在北京举行。")
    assert found.get("美赞臣基金会举办的婴儿营养研讨会日前在哪里举行？") == "北京"
    assert not any(q.startswith("美赞臣基金会日前") for q in found)


def test_a_clause_that_says_what_for_is_not_asked():
    """以帮助困难户... (in order to help) says why the act before was done: asked with the subject
    lent (谁以帮助困难户...？) it reads as no question."""
    found = _questions("安徽省长丰县干部职工纷纷向灾民困难户捐款捐物,以帮助困难户解决过冬和欢度新年之急。")
    assert not any("以帮助" in q for q in found)
    found = _questions("公司为员工提供了住房贷款,以帮助他们购买住房。")
    assert found == {"公司为谁提供了住房贷款？": "员工"}


def test_a_title_is_asked_whole_with_what_and_never_in_pieces():
    """A title in 《》 is asked whole and as a thing (刘斯奋的什么？, not 刘斯奋的《谁》？); a piece of
    one (《虎踞谁》), one title of a list, and the kind named before a title (什么《虎踞钟山》) are not
    asked; the article of a law after its title is."""
    found = _questions("刘斯奋的《白门柳》浸透着东方文化的气韵和风采。")
    assert found.get("刘斯奋的什么浸透着东方文化的气韵和风采？") == "白门柳"
    found = _questions("话剧《虎踞钟山》轰动京城。")
    assert "钟山" not in found.values() and "话剧" not in found.values() and found
    found = _questions("依照《中华人民共和国长江保护法》、《中华人民共和国黄河保护法》等法律法规的规定予以处罚。")
    assert not any("法" in answer for answer in found.values())
    found = _questions("尚不够刑事处罚的，适用《中华人民共和国道路交通安全法》第九十九条的处罚规定。")
    assert "中华人民共和国道路交通安全法" not in found.values()                  # ...适用什么第九十九条...？
    assert "第九十九条" not in found.values()                                   # the article it points to, neither


def test_a_short_quotation_is_a_name_asked_whole_or_not_at_all():
    """A short quotation (『爱国拥军模范』, "本品不能代替药物") names a thing: none of its pieces is asked.
    A quotation whole is asked without its marks, unless 为 before it makes 为什么 ask why."""
    found = _questions("广东省汕头市实施“居者有其屋”工程。")
    assert "居者" not in found.values() and found.get("哪里实施“居者有其屋”工程？") == "广东省汕头市"
    found = _questions('保健食品广告应当显著标明"本品不能代替药物"。')
    assert "药物" not in found.values() and found.get('什么应当显著标明"本品不能代替药物"？') == "保健食品广告"
    assert "大篷车" not in _questions("省内外一些单位还为“大篷车”捐赠了专用汽车。").values()


def test_words_jieba_calls_places_that_are_not():
    """福利 (benefits) and 海关 (customs), places in jieba's dictionary, are a thing and a body."""
    assert _questions("海关依法履行国境卫生检疫职责。").get("哪个机构依法履行国境卫生检疫职责？") == "海关"
    found = _questions("定义的福利计划根据计划中公布的公式计算退休福利。")
    assert not any("哪里" in q for q in found) and found.get("定义的福利计划根据计划中公布的公式计算退休什么？") == "福利"


def test_clauses_that_ask_or_say_once_and_lists_that_end_in_deng():
    """曹操不知在何处 already asks (何处); 刘璋既斩张松, (once he had...) sets the time of the next
    clause, which borrows its subject; 和图书等物品 ends a list, whose last item is no answer alone."""
    assert _questions("曹操不知在何处。") == {}
    found = _questions("刘璋既斩张松,聚集文武商议。")
    assert "谁既斩张松？" not in found and found.get("谁聚集文武商议？") == "刘璋"
    assert "图书" not in _questions("省内外一些单位还捐赠了专用汽车、电视机、录放像机和图书等物品。").values()


def test_a_name_is_not_cut_at_a_place_word_and_a_noun_phrase_clause_is_lent_whole():
    """高中 | 阶段学校 (高中: a place word) is one name; 建立健全 (jieba: a person's name) is a verb; a
    clause that is one noun phrase with a number inside (四川省近一千养猪专业户,) lends all of it."""
    found = _questions("高中阶段学校应当在有关课程中安排专门的国防教育内容。")
    assert "阶段学校" not in found.values()
    found = _questions("县级以上人民政府建立健全公共就业服务体系。")
    assert found.get("哪个机构建立健全公共就业服务体系？") == "县级以上人民政府"
    found = _questions("春节将临之际,四川省近一千养猪专业户,将自己养殖的数万头肥猪源源不断地送往春节市场。")
    assert found and all("一千养猪专业户将自己养殖" in q for q in found)


def test_an_abstract_head_is_not_asked_apart_from_the_word_that_names_its_kind():
    """申辩意见, 赔偿责任, 国家创新体系: a verb or noun before an abstract head names its kind, so
    asking the head alone (提出申辩什么？) cuts a term in two; the head after the clause's own verb
    (承担什么？) is still asked."""
    found = _questions("被提出罢免的代表有权在会议上提出申辩意见。")
    assert "意见" not in found.values()
    assert "责任" not in _questions("造成损失的，寄存人应当承担赔偿责任。").values()
    assert _questions("被保险人应当向保险人支付费用。").get("被保险人应当向保险人支付什么？") == "费用"


def test_words_jieba_calls_names_are_asked_as_what_people_daily_tags_them():
    """jieba's dictionary tags 林木, 史实 and 敬爱 as people's names and 莫斯科 too; People's Daily's
    hand-tagged text (data/name_tags.tsv) calls them a noun, a noun, a verb and a place."""
    assert _questions("各级人民政府应当保护林地和林木。").get("各级人民政府应当保护林地和什么？") == "林木"
    assert not any("谁" in q for q in _questions("玄德甚相敬爱,便有不舍之心。"))
    assert _questions("食品经营者应当查验供货者的许可证。") == {"食品经营者应当查验供货者的什么？": "许可证"}   # not 谁
    found = _questions("叶利钦总统今天在莫斯科会见了来访的法国外长。")
    assert found.get("叶利钦总统今天在哪里会见了来访的法国外长？") == "莫斯科"


def test_a_name_with_a_two_character_surname_is_a_person_and_quanmian_shishi_a_verb():
    """夏侯惇 (jieba: a place) is asked with 谁; 全面实施 (jieba: a noun) is an adverb and its verb,
    never a subject (什么开展促进乡村产业振兴...？)."""
    assert _questions("少顷,夏侯惇引许褚、典韦等,至驾前面君。").get("谁引许褚、典韦？") == "夏侯惇"
    assert not any("全面实施" in a for a in _questions("全面实施乡村振兴战略，开展促进乡村产业振兴、人才振兴。").values())


def test_peoples_daily_quotation_marks_stay_paired():
    """People's Daily quotes with 『』: the closing mark stays at the end of a clause, and one whose
    partner another clause holds is dropped (『港外过年, ...』)."""
    found = _questions("北京铁路公安局开展了打击票贩的『京城会战』。")
    assert found.get("哪个机构开展了打击票贩的『京城会战』？") == "北京铁路公安局"
    assert not any(q.count("『") != q.count("』") for q in _questions("青岛港全体职工展开了『港外过年,欢度春节』活动。"))


def test_together_with_is_no_predicate():
    """...主管部门会同国务院其他有关部门, | 制定...: 会同 (together with) leads to the verb of the next
    clause, so the first clause alone asks nothing (哪个机构会同国务院其他有关部门？) and lends its body."""
    found = _questions("国务院对外贸易主管部门会同国务院其他有关部门，制定、调整并公布限制进出口的货物目录。")
    assert "哪个机构会同国务院其他有关部门？" not in found
    assert any(q.startswith("哪个机构制定") for q in found)


def test_a_subject_opened_by_gai_is_asked():
    """该公司, 该政策 (the said company, policy) name what the passage named before: the clause is
    asked with its subject as it stands (该政策的什么将支付给您的受益人？), unlike one opening with 这 or 其."""
    found = _questions("您的保险单具有特定条款。该政策的面额将支付给您的受益人。")
    assert found.get("该政策的什么将支付给您的受益人？") == "面额"


def test_a_subject_opened_by_a_count_is_asked():
    """一个重要因素, 31个省区市, 78.4%的消费者: a count opens the subject's noun phrase, and the clause
    is asked with it; a session's name (十四届五中全会), a place in a list (第一个问题, 第四条) and a
    literary measure (一声虎啸) open no subject."""
    found = _questions("一个重要因素是年龄。31个省区市清理出移动电话47万多部。调查表明，78.4%的消费者受到过商业欺诈。")
    assert found.get("一个重要因素是什么？") == "年龄"
    assert found.get("多少个省区市清理出移动电话47万多部？") == "31个"
    assert found.get("78.4%的消费者受到过什么？") == "商业欺诈"
    for passage in ("十四届五中全会确定了目标。", "第一个问题是询问你想要的政策。", "第四条电力设施受国家法律保护。",
                    "一声虎啸退曹兵。"):
        assert not _questions(passage), passage


def test_an_idiom_that_is_the_predicate_is_not_asked_and_a_concession_is_stated():
    """更有可能发生变化, 而有所不同: jieba tags such idioms as words (/l), but after a modal or an adverb
    they are the predicate, not a thing (社会保障更有可能什么？). A clause opened by 虽然 states its
    content, so it is asked without the conjunction."""
    assert "您可以采取防守驾驶什么？" not in _questions("您可以采取防守驾驶课程，并获得汽车的折扣。")
    found = _questions("请记住，社会保障更有可能发生变化。虽然医疗保险不包括运动器材，但是您可以获得优惠计划。")
    assert "社会保障更有可能什么？" not in found
    assert found.get("什么更有可能发生变化？") == "社会保障"
    assert found.get("什么不包括运动器材？") == "医疗保险"


def test_a_law_lends_its_described_subject_and_its_framed_subject_and_asks_no_condition():
    """在中华人民共和国境内飞行的航空器, | 必须遵守...: a relative clause and its noun, a clause of its own, is
    the subject of the rule after it; 全国人民代表大会在必要的时候, | 可以...: the body and its time
    frame are the subject of what follows; 公民如果在暂住地死亡 is a condition, never asked alone. A
    verb and its object (发生新发传染病...的传染病) lends nothing."""
    found = _questions("在中华人民共和国境内飞行的航空器，必须遵守统一的飞行规则。全国人民代表大会在必要的时候，可以举行秘密会议。")
    assert found.get("在中华人民共和国境内飞行的什么必须遵守统一的飞行规则？") == "航空器"
    assert found.get("哪个机构在必要的时候可以举行秘密会议？") == "全国人民代表大会"
    assert _questions("全国人民代表大会在必要时，可以举行秘密会议。").get("哪个机构可以举行秘密会议？") == "全国人民代表大会"
    assert not _questions("公民如果在暂住地死亡，由暂住地户口登记机关通知常住地户口登记机关。")
    found = _questions("发生新发传染病、突发原因不明的传染病，县级以上地方人民政府经评估认为确有必要的，可以预先采取控制措施。")
    assert not any(q.startswith("发生新发传染病") for q in found)


def test_a_name_and_the_verb_jiebas_dictionary_glues_to_it_are_split():
    """jieba's dictionary holds 孔明入 and 孔明教 as names (taken from classical novels): split into
    the name and its verb, the clause asks 瑜邀谁入帐共饮？, not 瑜邀谁帐共饮？ with 孔明入 as the
    answer. A foreign name whose last character jieba tags a verb (卡拉扬) stays whole."""
    found = _questions("瑜邀孔明入帐共饮。孔明教休追赶。")
    assert found.get("瑜邀谁入帐共饮？") == "孔明"
    assert found.get("谁教休追赶？") == "孔明"
    assert _questions("卡拉扬指挥柏林爱乐乐团演出。").get("谁指挥柏林爱乐乐团演出？") == "卡拉扬"


def test_officers_and_thieves_are_people_and_a_correlative_is_left_out():
    """监察官, 军官, 窃贼 are asked with 谁; 上海不仅慷慨承担了...: the question leaves out 不仅, whose
    other half (还...) is another clause; 华人社团和组织 (组织/v) is a pair of nouns, no predicate."""
    found = _questions("监察官应当严格执行保密制度。上海不仅慷慨承担了他儿子三年间的学费，还邀请他去上海观光。")
    assert found.get("谁应当严格执行保密制度？") == "监察官"
    assert found.get("哪里慷慨承担了他儿子三年间的学费？") == "上海"
    assert not any("不仅" in q for q in found)
    assert not _questions("加拿大多伦多和蒙特利尔的一些华人社团和组织。")


def test_lines_of_a_poem_are_not_asked():
    """正是:举杯畅饮情何放,拔剑捐生悔已迟: a novel's couplet, announced by 正是 or 诗曰, asks nothing
    (什么拔剑捐生悔已迟？); the same lines unannounced are read as prose."""
    couplet = "举杯畅饮情何放，拔剑捐生悔已迟！"
    assert "什么拔剑捐生悔已迟？" in _questions(couplet)
    assert not _questions("张飞闻言，惶恐无地，掣剑欲自刎。正是：" + couplet)


def test_definitions_list_items_and_verbs_jieba_calls_names_are_not_asked():
    """本法所称...，是指...: a definition asks nothing; （三）遗嘱...确定只归一方的财产；: a noun phrase
    that is an item of a list states nothing; 采取措施/nr and 令人/nrt are verbs, not people; 魏寨 (a
    camp) is no one; ...的同时 is a time."""
    assert not _questions("本法所称广告代言人，是指广告主以外的，在广告中以自己的名义对商品作推荐的自然人。")
    assert not _questions("下列财产为夫妻一方的个人财产：（一）一方的婚前财产；（三）遗嘱或者赠与合同中确定只归一方的财产。")
    found = _questions("县级以上人民政府应当采取措施加强土壤改良。乌克兰异军突起，夺得1金1银，令人刮目相看。关平引一枝兵杀入魏寨。")
    assert "谁加强土壤改良？" not in found and "谁刮目相看？" not in found and "关平引一枝兵杀入谁？" not in found
    assert found.get("哪个机构应当采取措施加强土壤改良？") == "县级以上人民政府"
    assert not _questions("非西方的文化与文明在吸取西方文明和文化中有益成果的同时，保存和发展本民族文明和文化的精华。")


def test_abstract_compounds_dashed_places_and_classical_words_jieba_calls_names():
    """投诉 | 工作机制: a head made of abstract words alone is named by the word before it; 张北—尚义地区:
    one of two places a single dash joins is not asked (a long dash introducing a name is); 太甚 (too
    much) and 施礼 (to salute) are no one."""
    assert "国家建立外商投资企业投诉什么？" not in _questions("国家建立外商投资企业投诉工作机制，及时处理投资者反映的问题。")
    assert "哪里—尚义地区共发生余震360次？" not in _questions("截至今天上午10时，张北—尚义地区共发生余震360次。")
    found = _questions("我国最大的铜材生产企业———洛阳铜加工厂注重产品结构调整。")
    assert found.get("我国最大的铜材生产企业———哪个机构注重产品结构调整？") == "洛阳铜加工厂"
    assert not _questions("夏侯惇曰：“丞相无明文传报，汝于路杀人，又斩吾部将，无礼太甚！”")


def test_a_noun_phrase_before_a_rule_is_its_subject():
    """历史文化名城和历史文化街区、村镇的保护办法, | 由国务院制定: a noun phrase ending in 的 and its
    head, which the clause after it (由..., 应当..., 对...) states a rule about, is not asked alone
    and is lent whole; a clause with a predicate of its own (受害人可以向...要求赔偿, | 也可以...) is not."""
    found = _questions("历史文化名城和历史文化街区、村镇的保护办法，由国务院制定。")
    assert found.get("历史文化名城和历史文化街区、村镇的保护办法由哪个机构制定？") == "国务院"
    found = _questions("因产品存在缺陷造成损害的，受害人可以向产品的生产者要求赔偿，也可以向产品的销售者要求赔偿。")
    assert found.get("谁可以向产品的生产者要求赔偿？") == "受害人"


def test_a_clause_that_only_names_something_is_not_asked():
    """由...发起组建的乐团, 对...需要安置的人员, ...延误所造成的损失: a noun phrase whose verbs all sit
    before its 的 states nothing, and lends itself only to a rule after it (将于...演出); a clause whose
    auxiliary or copula gives it a predicate (应当相当于...所造成的损失, 是...的重要组成部分) is asked."""
    assert "对为反间谍工作做出什么并需要安置的人员？" not in _questions("对为反间谍工作做出贡献并需要安置的人员，国家给予妥善安置。")
    found = _questions("由比利时杰出音乐家库伊肯发起组建的拉伯蒂特室内乐团，将于2月10日在北京海淀剧院演出。")
    assert "由哪个国家杰出音乐家库伊肯发起组建的拉伯蒂特室内乐团？" not in found
    assert found.get("由比利时杰出音乐家库伊肯发起组建的拉伯蒂特室内乐团将于何时在北京海淀剧院演出？") == "2月10日"
    assert _questions("损失赔偿额应当相当于因违约所造成的损失。").get("损失赔偿额应当相当于因违约所造成的什么？") == "损失"
    assert _questions("经贸关系是中摩两国友好合作关系的重要组成部分。")


def test_a_condition_on_a_list_a_quoted_meeting_and_a_compound_after_an_adjective():
    """议员如有下列情况之一, | 由...宣告...: the condition is not asked, its subject is lent to the rule
    (应当符合下列条件之一 is a rule, and asked); “加强村民自治法制建设国际学术研讨会”: a quoted meeting is
    one name, however long; 实行严格的...准入 | 管理制度: a verb after an adjective's 的 names the kind of
    the noun after it (采取的措施 | 保障了... is a subject and its verb); 伊拉克/nrt and 摩托/nrt are no one."""
    found = _questions("香港特别行政区立法会议员如有下列情况之一，由立法会主席宣告其丧失立法会议员的资格。")
    assert "谁如有下列情况之一？" not in found
    assert found.get("谁由立法会主席宣告其丧失立法会议员的资格？") == "香港特别行政区立法会议员"
    assert _questions("中标人的投标应当符合下列条件之一：").get("谁的投标应当符合下列条件之一？") == "中标人"
    found = _questions("最近中国社会科学院公共政策研究中心在北京举办了“加强村民自治法制建设国际学术研讨会”。")
    assert "谁" not in "".join(found) and found
    assert "海南自由贸易港实行严格的进出境环境安全准入什么？" not in _questions("海南自由贸易港实行严格的进出境环境安全准入管理制度。")
    assert _questions("中国政府采取的措施保障了粮食安全。").get("中国政府采取的措施保障了什么？") == "粮食安全"
    found = _questions("高玉明从土堆里爬出来，跨上摩托到乡里报警。联合国特委会主席巴特勒昨天抵达伊拉克。")
    assert not any(q.startswith("跨上谁") or "抵达谁" in q for q in found)


def test_the_latter_a_layoff_and_a_great_power_are_no_one_and_nowhere():
    """后者 and 两者 point back at what the passage said before; 裁员 and 动员 are acts on staff, not
    staff; 大国 is no place."""
    found = _questions("后者围绕相近似的产品的社会平均利润率浮动。裁员将主要通过自然减员和自愿退休的办法来实现。")
    assert "谁围绕相近似的产品的社会平均利润率浮动？" not in found
    assert "谁将主要通过自然减员和自愿退休的办法来实现？" not in found
    found = _questions("大国共同参与国际事务限制了霸权主义的发展。")
    assert not any(q.startswith("哪里") for q in found)


def test_words_jieba_calls_places_that_people_s_daily_does_not():
    """波及 (to spread to) and 喜庆 (festive) are tagged places in jieba's dictionary and not in People's
    Daily's hand-tagged text: neither is asked with 哪里."""
    found = _questions("肇起于东南亚并波及亚洲的金融动荡向中国外贸提出了严峻挑战。文化下乡活动为四川农村增添了喜庆热闹的气氛。")
    assert found.get("肇起于东南亚并波及哪里的金融动荡向中国外贸提出了严峻挑战？") == "亚洲"
    assert "波及亚洲" not in found.values() and "喜庆" not in found.values()


def test_a_commandery_is_a_place_although_is_left_out_and_a_poem_with_its_sigh():
    """柴桑郡/nr: a name ending in 郡, 州, 县 or 镇 is a place; 舞团虽然成立于...: 虽然 after the subject
    is left out of the question, as 不仅 is; 有诗叹之曰: a poem announced with its sigh is not asked."""
    found = _questions("肃作别下船而回，先到柴桑郡见周瑜。")
    assert found.get("肃作别先到哪里见周瑜？") == "柴桑郡" and "肃作别先到谁见周瑜？" not in found
    found = _questions("小白鹭民间舞团虽然成立于1993年10月，但它的雏形应该追溯至1986年。")
    assert found.get("小白鹭民间舞团成立于何时？") == "1993年10月"
    assert not any("虽" in q for q in _questions("马丽华虽想早点得到记事簿，但最终也同意再面交。"))
    assert not _questions("后人读书至此。有诗叹之曰：“司徒妙算托红裙，不用干戈不用兵。三战虎牢徒费力，凯歌却奏凤仪亭。”")


def test_a_noun_of_jieba_s_that_people_s_daily_uses_as_an_adverb_or_a_verb_is_no_answer():
    """时时 (at all times), 书面 (in writing) and 利用 (to use) are nouns in jieba's dictionary and
    mostly something else in People's Daily's hand-tagged text: none is asked about, nor a subject."""
    assert not _questions("公司一直把发扬艰苦奋斗精神作为重要内容，时时激励自己。")
    found = _questions("人民检察院应当书面呈报延长羁押期限案件的主要案情。两地利用优势互补。")
    assert "书面" not in found.values() and "利用" not in found.values()
    assert found.get("哪个机构应当书面呈报延长羁押期限案件的主要案情？") == "人民检察院"


def test_a_title_or_a_quoted_name_opens_a_subject():
    """《人民日报》今天发表社论, “奋进”号航天飞机定于...: a title, or a quoted name ending in a noun or
    followed by 号, opens the clause's subject; quoted speech (“确实不懂”是...) does not."""
    assert _questions("“奋进”号航天飞机定于本月31日返回地面。").get("“奋进”号航天飞机定于本月何时返回地面？") == "31日"
    assert _questions("《人民日报》今天发表社论。").get("《人民日报》今天发表什么？") == "社论"
    assert not _questions("“确实不懂”是实情。")


def test_any_opens_a_subject_and_names_no_one():
    """任何依赖收入的人都需要...: 任何 opens a subject as 所有 does; 任何单位和个人: whoever it is, no answer
    names them (任何单位和谁不得...？ is no question)."""
    assert _questions("任何依赖收入的人都需要残疾保险。").get("任何依赖收入的人都需要什么？") == "残疾保险"
    found = _questions("任何组织或者个人不得迁移气象台站。任何单位和个人不得侵占救灾物资。")
    assert found.get("任何组织或者个人不得迁移什么？") == "气象台站"
    assert not any("谁" in q for q in found)


def test_an_office_and_its_holder_s_name_are_asked_whole():
    """中宣部部长丁关根观看了演出: the organisation, the title and the name are one person, asked with
    谁; not a place after 驻 (驻阿根廷大使徐贻聪: the post's place cut from its verb)."""
    assert _questions("中宣部部长丁关根观看了演出。").get("谁观看了演出？") == "中宣部部长丁关根"
    assert "阿根廷大使徐贻聪" not in _questions("梅内姆应中国新任驻阿根廷大使徐贻聪的邀请访华。").values()


def test_a_long_question_is_asked_only_where_its_passage_has_no_shorter_one():
    """A law's rule with its condition may run past 48 characters: it is asked, but a shorter question
    of the same passage comes first."""
    rule = ("电子商务平台经营者知道或者应当知道平台内经营者侵犯知识产权的，"
            "应当采取删除、屏蔽、断开链接、终止交易和服务等必要措施。")
    generator = ClauseQuestions().fit([rule])
    long_only = generator.generate(rule, 1)
    assert long_only and len(long_only[0]["question"]) > 48
    both = rule + "电子商务平台经营者应当公示营业执照。"
    assert len(generator.generate(both, 1)[0]["question"]) <= 48


def test_a_storyteller_s_now_and_a_closing_quotation_mark_open_no_clause():
    """却说公孙瓒知袁绍已据冀州: 却说 (now) is no verb that leaves the clause without a subject; the ” that
    ends a speech belongs to its sentence, not to the narrative after it (…不然。”孙权大喜...)."""
    assert _questions("却说公孙瓒知袁绍已据冀州,遣弟公孙越来见绍。").get("公孙瓒知谁已据冀州？") == "袁绍"
    found = _questions("玄德曰:“不然。”孙权大喜,遂引兵至柴桑。")
    assert found.get("孙权遂引兵至哪里？") == "柴桑"


def test_a_verb_and_ren_is_the_one_who_does_it_and_bei_ren_one_word():
    """寄存人 (who deposits) and 托运人 are verbs made into people, not names glued to a verb (孙乾见);
    被侵权人 is one word (the injured party), so 被谁 (by whom) would misread it."""
    assert _questions("寄存人应当承担赔偿责任。").get("谁应当承担赔偿责任？") == "寄存人"
    assert not any("被谁" in q for q in _questions("被侵权人有权请求相应的惩罚性赔偿。"))


def test_a_prohibition_binds_everyone_and_a_verb_before_its_body_opens_the_subject():
    """禁止...: a rule with no subject that asks well as it stands; 采购 | 人 and 执行 | 机关, which jieba
    cuts, are the subject of the modal after them."""
    found = _questions("禁止生产、销售或者燃放不符合质量标准的烟花爆竹。")
    assert found.get("禁止生产、销售或者燃放不符合质量标准的什么？") == "烟花爆竹"
    found = _questions("采购人可以要求参加政府采购的供应商提供有关资质证明文件和业绩情况。")
    assert found.get("采购人可以要求参加政府采购的供应商提供有关资质证明文件和什么？") == "业绩情况"


def test_a_whole_list_of_one_kind_is_one_answer():
    """经理和财务会计人员, 消防设施、器材: asked alone, each item is half of what the clause says; the
    whole list is asked by the last item's question word. Not a list that goes on (等)."""
    found = _questions("农民专业合作社的理事长或者理事会可以按照成员大会的决定聘任经理和财务会计人员。")
    assert found.get("农民专业合作社的理事长或者理事会可以按照成员大会的决定聘任谁？") == "经理和财务会计人员"
    found = _questions("国家新药研究与开发协调领导小组由国家科委、卫生部、国家医药管理局等9个部委组成。")
    assert "国家科委、卫生部、国家医药管理局" not in found.values()
