"""Questions from the passage's own clauses, over-generated and ranked: QA pairs with no trained model.

Chinese asks in statement order (wh-in-situ): 李宁集团在全国300多家专卖店推出了惠卖活动 asks
李宁集团在全国多少家专卖店推出了惠卖活动？ So each clause with a verb gives a question per candidate
answer in it (names, places, organisations, dates, numbers with their measure words, noun phrases:
:func:`textmine.qa.synthetic.answer_spans`, shared with the cloze training pairs), the answer replaced
by the question word its kind calls for. A question must stand alone: a clause whose subject is
dropped (并呼吁各方...) borrows the subject of the clause before it (叶利钦呼吁各方...), a leading
他/她 is replaced by that subject when it names a person, and a clause that still has no subject of
its own, or that opens with another pronoun (这, 其, 它...), is skipped. Datelines and bylines
(新华社北京1月4日电(记者某某), 本报北京1月7日讯 记者某某) are dropped before anything is asked, and the
clause's ends tidied (leading conjunctions, final particles, unmatched quotation marks). Every
candidate is then ranked (:mod:`textmine.qa.rank`) and the best few distinct ones kept.

Answers are spans of the passage: each pair carries ``start`` and ``end``, character offsets into its
``passage`` (the piece of the document it came from, as in the model path).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Sequence

from tqdm.auto import tqdm

from textmine.errors import InputError, NotFittedError
from textmine.qa.data import check_counts, iter_passage_pieces
from textmine.qa.rank import CharLM, rank_pairs
from textmine.qa.synthetic import (INSTITUTIONS, ORG_WORDS, PAIRING, _AGENTS, _COUNTRIES, _HEADS, _NAME_ADVERBS, _level,
                                   _tagged, _verbal, agent_noun, answer_spans, compound_name, verb_positions)

__all__ = ["METHODS", "ClauseQuestions", "check_method", "clause_candidates", "strip_dateline"]

#: how ``qa generate`` makes pairs: from the clauses alone, the trained model alone, or both ranked together
METHODS = ("clauses", "model", "both")

_DATELINE = re.compile(
    r"^[(（]?(?:据)?(?:新华社|本报|中新社|人民日报|本刊|新华网)(?:[^,，。:：()（）]{0,12}?[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日)?(?:电|讯)[)）]?"
    r"(?:\s*[(（](?:记者|通讯员)[^)）]{0,30}[)）])?"
    r"(?:\s*(?:记者|通讯员)[^\s,，:：]{2,20}?(?:报道[:：]?|[:：]|\s)\s*)?")
_NUMBERING = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．](?!\d))")
_BYLINE = re.compile(r"[(（](?:记者|通讯员|本报记者)[^)）]{0,30}[)）]")
# a sentence, and the closing marks of the quotations it ends (…贺喜。” | 关公曰), which belong to neither
_SENTENCE = re.compile(r"([^。！？!?；;\n]+[。！？!?；;]*)[”’』」]*")
_CLAUSE_END = frozenset(",，:：")
_LEADING = frozenset("并 而 但 且 并且 而且 同时 但是 因此 所以 于是 然而 此外 另外 以及 而是 不过 可是 或者 虽然 尽管 "
                     # discourse markers: 一般来说, | 请务必与谁... would borrow them as a subject
                     "一般来说 一般而言 总的来说 总之 总而言之 换句话说 换言之 也就是说 简而言之 例如 比如 譬如 "
                     # a storyteller's "now" (却说玄德..., 且说黄盖...), which jieba calls a verb
                     "却说 且说 话说 再说 单说".split())
# ...的, ...时, ...之间, ...以来: a condition or a time, not a statement
_SUBORDINATE = frozenset("的 时 之时 时候 后 之后 前 之前 之际 间 之间 以来".split())
_IMPERSONAL = 12                      # shortest clause opening with one of these asked without a subject
_AGENTIVE = frozenset("由 对 按照 依照".split())
_BODIES = frozenset("人 机关 单位 机构 委员会".split())   # heads a verb before them makes a body's name (执行机关)
_PROHIBITIONS = frozenset("禁止 严禁".split())     # 禁止借婚姻索取财物: a rule that binds everyone
_CONTINUING = frozenset("或者 或 以及 和 并 并且 而".split())   # a condition that opens with one is the last of several
_SPEECH = frozenset("说 时说 表示 指出 认为 强调 宣布 称 说道 曰 问 答 介绍 透露 告诉记者".split())   # jieba glues 时说
_OPEN = _SPEECH | {"提出", "是", "决定", "要求", "希望"}     # a clause ending here is cut before what it says (李鹏说, / ...的另一个问题是,)
_PERSONAL = frozenset("他 她 他们 她们".split())
# words that say when, opening a clause before its subject or verb (今天 | 在白宫签署..., 最近 | 南京总医院...)
_WHEN = frozenset("最近 日前 近日 目前 此前 随后 当天 当日 届时 今后 近年来 现今".split())
_DAY = re.compile(r"\d{1,4}|[〇零一二两三四五六七八九十]{1,4}")
_ADDRESSED = frozenset("您 你 你们".split())   # the reader an FAQ answers: 您可以随时取消保险 asks as it stands
# nouns jieba tags n that open a clause as adverbs do (重点抓好..., 科学规划..., 经批准...): no subject
_ADVERBIAL = frozenset("重点 科学 依法 经 统一 全面 积极 合理 及时 逐步 大力 共同 认真 严格 重新 主动 分别 充分 切实 集中 "
                       "适当 定期 优先 专门 直接 主要 一律 普遍 相互 有效 基本 确因 方可 莫非 无力 无法 "  # 莫非/ns: could it be
                       "基本上 实际上 事实上 原则上 总体上 大体上 本质上 理论上 表面上 整体上".split())   # 基本上/n
# aspect particles follow verbs only: a word jieba tags a noun before one is a verb (会见/n 了, 滋润/n 着)
_ASPECT = frozenset({("了", "ul"), ("着", "uz"), ("过", "ug")})
_LOCATIVES = frozenset("上 中 里 内 下".split())     # a noun before one names a place or a time, not a subject
_SENTENCING = frozenset("处 并处".split())      # a law's penalty: asked only with its condition (...的，处...)
# verbs jieba tags otherwise (处三年以下有期徒刑: 处/n; 行使/n; 会同/n; 袁尚大喜: 大喜/n; 建立健全/nr)
_VERBAL = frozenset("可以 处 行使 办理 责令 会同 大喜 大败 大悦 不是 有权 无权 建立健全".split())   # 不是/c: is not; 有权/n: may
_CIRCUMSTANCE = frozenset("的 下 后 前 中 之时 以后 之后 以前 之前 期间 之际".split())   # and any word opening with 时
_PURPOSE = frozenset("以 以便 以免 借以 用以".split())      # before a verb: in order to
_EXISTENTIAL = frozenset("有 没有 发生 出现 存在".split())   # 发生新发传染病...: what happens, not what acts
_CONDITIONS = frozenset("如果 假如 倘若 若 要是 如".split())  # 公民如果在暂住地死亡, | ...: a condition
_ORDERS = frozenset("命令谓")                  # 卓命牵出斩之, 操令...: a one-character name commands or speaks
_NARRATIVE_VERBS = frozenset("入教见引曰问令谓至领视闻遣唤叫骂喝奏答拜辞退归分收射攻降走来去出回进坐笑怒叹谢荐转取斩杀追赶守救投奔迎送请留聚率带随")
_CORRELATIVES = frozenset("不仅 不但 不只 不光 不仅仅 虽然 虽 尽管".split())   # the 还 or 但 half is elsewhere
_POEM = ("诗曰", "诗云", "赞曰", "叹曰", "歌曰", "诗赞曰", "诗叹曰", "诗叹之曰", "诗赞之曰")
_VERSE_BREAK = re.compile(r"[,，:：“”‘’!！?？。；;、]")
_DEFINED = re.compile(r"^(?:本(?:法|条例|办法|规定|决定|章|节|条))?所称")   # 本法所称建设工程, | 是指...
_COPULAS = frozenset("是 为 有 成为 属于 包括 系 乃".split())   # ...是...的重要组成部分: says what its head is
_CAUSATIVE = frozenset("使 让 令 叫 请 要求 促使 迫使 致使".split())   # 使潜艇...的躯体 | 浮出水面: its object acts
_DOTS = frozenset("·•・")                       # the middle dot of transliterated names
_DURATIONS = frozenset("长期 终身".split())   # 长期护理保险, 终身寿险: a noun's kind (jieba's adverb) before a noun
_OBJECT_FRAMES = frozenset("对 对于 关于".split())   # 对...需要安置的人员: a clause inside one has no verb of its own
_RULE_OPENINGS = frozenset("由 按照 依照 适用 对 属于".split())   # ...的约定, | 对双方具有...: the rule about it
_PASS = frozenset("通过 经过".split())        # prepositions (by means of) or verbs (pass), as a verb follows or not
# words after which a law's or a report's subject ends (组织实施特别措施的机关 | 应当...)
_AUXILIARY = frozenset("应当 应 可以 必须 不得 须 可 应该 能够 能 会 不能 不应".split())   # a clause needs a verb besides these
_MODAL = _AUXILIARY | frozenset("有权 无权 将 需要 已 已经 都 均 也 还 要 一直".split())
_PARTIES = frozenset("双方 各方 对方 一方 另一方 本人 自己 大家 彼此 其 前者 后者 二者 两者".split())   # who they are is said elsewhere
_QUANTIFIERS = frozenset("许多 一些 很多 大多数 多数 所有 大部分 部分 各 各级 各种 各类 每个 有些 该 任何".split())
_AMOUNTS = frozenset("以上 以下 左右".split())           # locatives that close an amount, not a frame
_REPLIES = frozenset("是的 对的 好的 不是的".split())        # an answer's opening reply, no condition
_EITHER = frozenset("或 或者".split())                 # 董事长或者理事会: one of two alternatives asked alone
_LIST_MARKS = frozenset("、 和 及 以及 与 或者 等".split())
_BOTH = frozenset("和 及 以及".split())                # 年龄和健康状况: one of two things said of together
_JOINS = PAIRING | {"、"}                              # 经理和财务会计人员: what joins the items of a list asked whole
_FIGURES = frozenset("number year date".split())       # kinds of answer that are figures, listed with none but their own
# conjunctions that open a clause but end one whose comma a translation lost (政策有差异然而, | 底层...);
# not 不过 nor 同时, which end clauses of their own (抵敌不过, 在...的同时)
_TRAILING = frozenset("然而 但是 但 因此 所以 于是 而且 并且 可是 此外 另外".split())
_PARTICLES = frozenset("啊 吧 呢 吗 嘛 呀 啦 哦 等 等等".split())
_CLASSICAL_PRONOUNS = frozenset("汝吾尔")             # 汝父 names no one
_PLACE_ENDS = frozenset("郡州县镇")                 # 柴桑郡/nr: a "person" so ending is a place
_THINGS = frozenset("证书费权法物品度票款税金单据表局会部处厂所站院论想寨营")   # no person's name ends so (邓小平理论)
_NOT_PLACES = frozenset("东西 两国 各地 当地 地方 国家 中外 外国 各国 全国 本国 我国 他国 祖国 异国".split())   # jieba calls these places
# words jieba's dictionary tags wrong: places that are none (福利 benefits, 海关 customs); people that are
# verbs or an adverb, most from classical novels (寻思 ponder, 令人 make one, 施礼 salute, 太甚 too much)
_RETAGGED = {"福利": "n", "海关": "nt", "寻思": "v", "令人": "v", "太甚": "d", "施礼": "v"}
NAME_TAGS = Path(__file__).parent / "data" / "name_tags.tsv"   # names in jieba's dictionary that are none
NOUN_TAGS = Path(__file__).parent / "data" / "noun_tags.tsv"   # its nouns that People's Daily uses as verbs, adverbs...
#: "our country / province / party ...": jieba tags them pronouns, but they name a subject (1997年我国新增邮路33万
#: 公里) as any place does; read as places, and never asked (哪里新增... would ask what the passage takes as known)
_OURS = frozenset("我国 我省 我市 我区 我县 我党 我校 本省 本市 本县".split())
# prepositions whose phrase comes before the verb it frames (以主人翁的姿态 | 积极行使...): a clause that
# ends inside one has stopped before its verb
# (not 为, 在: verbs too, 容量为500万千瓦, 总部在纽约)
_FRAMING = frozenset("以 对 把 向 与 同 跟 给 按照 依照 根据 通过 关于 就 从 于 由 经 凭 靠 随着 本着".split())
# references to the text itself and to lists that follow (本法所称..., 具备下列条件): no answer names anything
_DEICTIC = frozenset("本法 本条 本章 本节 本款 前款 本规定 本条例 本办法 本决定".split())
_POINTING = frozenset("下列 以下 如下 上述".split())
_ABSTRACT = frozenset("责任 意见 体系 制度 机制 措施 权利 义务 程序 标准 办法 能力 条件 情况 方式 方案 计划 费用 保险 政策 "
                      "工作 活动 服务 规划 信息 资格 手续 证书 许可证 合同 规则 课程".split())   # heads that a noun or verb before names the kind of
_SELF = frozenset("本身 自身".split())                   # 经济建设本身: one phrase, 什么本身 asks half of it
_LIKENESS = frozenset("这样 那样 一样 似的 一般".split())   # 像今天这样: a comparison frames the verb after it
_COUNT = re.compile(r"(?P<ordinal>第)?[\d.０-９〇零一二两三四五六七八九十百千万亿几数]+[多余]?(?P<measure>\w?)")
_CLASSIFIERS = frozenset("个位名家种项次届期台辆只头座所批部本篇件户道幢条张份人支架艘")
_LISTED = frozenset("个种份条款项章节句点")          # 第一个问题是..., 第四条: a place in a list or a text
_NUMERAL = re.compile("[0-9〇零一二三四五六七八九十百]+")             # 第（三）项: brackets that number
_HEADCOUNT = re.compile("[一二两三四五六七八九十数几]+人")        # 二人至瓒营: how many, not who
_INTERROGATIVE = re.compile("什么|怎样|怎么|如何|为何|为什么|谁|哪|多少|吗|何处|何人|何故|何事|何以|何如|若何")
_MARKS = (("《", "》"), ("“", "”"), ("『", "』"), ('"', '"'))   # a title, quotations (People's Daily quotes with 『』)
_NAME_SUFFIXES = frozenset("号 型 牌 杯 式 奖".split())   # “奋进”号, “长城”牌: a quoted name and its kind
_SHORT_QUOTE = 12                                      # longest quotation that is a name or a slogan, not speech
# a quotation ending so names a meeting, a campaign or a prize, however long (“加强村民自治法制建设国际学术研讨会”)
_EVENTS = ("会", "节", "赛", "奖", "展", "工程", "活动", "行动", "论坛", "计划", "运动", "竞赛")
_CLAUSE_MARKS = frozenset("，,。；;：:！!？?")
_NAMED = frozenset("term place org person".split())    # kinds of answer that are names or noun phrases, not figures
_NOMINAL = frozenset({"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "nw", "j", "l", "eng", "b", "a", "vn", "ng"})


class _Word(NamedTuple):
    text: str
    flag: str
    offset: int              # where it starts in the passage


def strip_dateline(sentence: str) -> int:
    """How many leading characters of ``sentence`` are a news dateline and byline (0 when none)."""
    match = _DATELINE.match(sentence)
    return match.end() if match else 0


def stated(sentence: str) -> str:
    """The part of ``sentence`` that states something: all of it, unless it asks (怎敢轻易说...?, often
    a rhetorical question), then only the words that lead in to the quoted question (操谓众将曰:“...?”)."""
    if not sentence.rstrip().endswith(("？", "?")):
        return sentence
    return sentence[:max(map(sentence.rfind, ":：“")) + 1]


def _sentences(passage: str) -> Iterator[tuple[int, str]]:
    for match in _SENTENCE.finditer(passage):
        yield match.start(), match.group(1)


def _clauses(words: list[_Word]) -> Iterator[list[_Word]]:
    clause: list[_Word] = []
    for word in words:
        if word.text in _CLAUSE_END:
            yield clause
            clause = []
        elif not word.text.isspace() or clause:          # spaces inside stay (Medicare Advantage)
            clause.append(word)
    yield clause


def _subject(clause: Sequence[_Word]) -> list[_Word]:
    """The clause's leading noun phrase when a verb follows it somewhere (its subject)."""
    counted = _counted(clause)
    j = (1 if clause and (clause[0].text in _QUANTIFIERS or clause[0].text in _ADDRESSED)
         else 2 if _acting_body(clause) else counted or _quoted_opening(clause))
    while j < len(clause) and (clause[j].flag in _NOMINAL and not _verbal(clause[j].text, clause[j].flag)
                               and not _adverbial(clause, j)
                               or j and clause[j].text == "的" and j + 1 < len(clause) and clause[j + 1].flag in _NOMINAL
                               and (clause[j - 1].flag in _NOMINAL | {"r"} or j == counted)
                               or _level(clause, j) or _enumerated(clause, j)):
        j += 1                                     # 租赁政策的溢价有..., 县级以上人民政府..., 广播电台、电视台...: 的, 以上, 、
    if j == 1 and clause[0].text in _OURS and len(clause) > 1 and clause[1].flag[:1] not in "vdpt":
        return []                          # 我国 | 第一位医学史博士鄢良...: our country's, not the subject
    if j == 1 and clause[0].text in _not_nouns():
        return []                          # 盲目 | 输出, 时时 | 激励: an adverb jieba calls a noun
    placed = _subject(clause[j + 1:]) if j and j + 1 < len(clause) and clause[j].text in _LOCATIVES else []
    if placed:
        return placed                      # 货架上 | 名优商品琳琅满目: a place, then the subject
    if j < len(clause) and clause[j].flag.startswith("r") or clause and clause[0].flag in ("ng", "zg", "g") and clause[0].text not in _ADDRESSED:
        return []                          # WEBSITELINK这是...; 径投下邳...: no subject of what follows
    if (j and verb_positions([(w.text, w.flag) for w in clause[j:]])
            and any(w.flag not in ("a", "b", "vn", "m") for w in clause[:j]) and not _rest_of_noun_phrase(clause, j)):
        return list(clause[:j])
    return _modal_subject(clause)


def _acting_body(clause: Sequence[_Word]) -> bool:
    """Whether the clause opens with a verb that jieba cut from the body or person it names (采购 | 人,
    执行 | 机关, 受托 | 单位), a modal, an adverb or a preposition after them: they are its subject."""
    return (len(clause) > 2 and clause[0].flag == "v" and len(clause[0].text) == 2 and clause[1].text in _BODIES
            and (clause[2].text in _MODAL or clause[2].flag[:1] in "dp"))


def _quoted_opening(clause: Sequence[_Word]) -> int:
    """How many words a title or a quoted name (ending in a noun) opening the clause takes, with a 号 or
    型 after it (《人民日报》, “奋进”号): the start of its subject, as any name is (0 when the clause
    opens otherwise)."""
    close = dict(_MARKS).get(clause[0].text) if clause and clause[0].text != '"' else None
    end = next((k for k, w in enumerate(clause[1:12], 1) if w.text == close), None) if close else None
    if end is None or end + 1 >= len(clause):
        return 0
    suffixed, last = clause[end + 1].text in _NAME_SUFFIXES, clause[end - 1]
    if not (close == "》" or suffixed or last.flag in _NOMINAL - {"a", "b"} and not _verbal(last.text, last.flag)):
        return 0                                  # “确实不懂”是..., “一个人说了算”...: quoted speech, not a name
    return end + 2 if suffixed and end + 2 < len(clause) else end + 1


def _counted(clause: Sequence[_Word]) -> int:
    """How many words open the clause with a count of the noun after them (一个 | 重要因素是年龄, 31个 |
    省区市..., 78.4 % | 的消费者..., 第十五届 | ...会议): part of the subject's noun phrase. Not a time
    (一九九七年), a session's name (十四届 | 五中全会), a place in a list (第一个问题是, 第四条), nor a
    literary measure (一声虎啸, 一纸盟书)."""
    k = 0
    while k < len(clause) and clause[k].flag in ("m", "mq"):
        k += 1
    if not k or k == len(clause):
        return 0
    count, after = "".join(w.text for w in clause[:k]), clause[k]
    measure = _COUNT.fullmatch(count)
    if after.text in ("%", "％") and measure and not measure["measure"]:
        return k + 1 if k + 1 < len(clause) and clause[k + 1].text == "的" else 0
    if measure and not measure["measure"] and after.text in _CLASSIFIERS:
        return k                                             # 6 | 名犯罪嫌疑人
    if (not measure or measure["measure"] not in _CLASSIFIERS or after.flag not in _NOMINAL
            or _NUMERAL.match(after.text) or measure["ordinal"] and measure["measure"] in _LISTED):
        return 0
    return k


def _framed_subject(clause: Sequence[_Word]) -> list[_Word]:
    """The nouns before a preposition that opens a time with no verb in it (全国人民代表大会 | 在必要的
    时候, | 可以举行...): the subject of the clause after it."""
    j = 0
    while j < len(clause) and clause[j].flag in _NOMINAL and not _verbal(clause[j].text, clause[j].flag):
        j += 1
    framed = 0 < j < len(clause) and clause[j].flag == "p" and not _predicates(clause[j:])
    return list(clause[:j]) if framed and any(w.flag not in ("a", "b", "vn", "m") for w in clause[:j]) else []


def _rest_of_noun_phrase(clause: Sequence[_Word], j: int) -> bool:
    """Whether clause[j:], after a run of nouns, goes on with their noun phrase and has no verb of its
    own (城市新区 | 的开发和建设, 基金会 | 举办的研讨会): the run is half a noun phrase, no subject."""
    if j >= len(clause) or not (clause[j].text == "的" or _verbal(clause[j].text, clause[j].flag)
                                and clause[j].text not in _MODAL):
        return False
    return not _predicates(clause[j:])


def _enumerated(clause: Sequence[_Word], j: int) -> bool:
    """Whether clause[j] is a 、 or 等 between two nouns, or the 和 of two fields that share a
    department (:func:`_shared_head`): a list inside a noun phrase (餐饮、娱乐、宾馆等服务性企业,
    国务院文化和旅游主管部门), whose first item alone is not the subject."""
    return (0 < j < len(clause) - 1 and clause[j].text in ("、", "等") and clause[j - 1].flag in _NOMINAL
            and clause[j + 1].flag in _NOMINAL or _shared_head(clause, j))


def _shared_head(words: Sequence[_Word], k: int) -> bool:
    """Whether words[k] is the 和 (与, 及) of two fields that one department serves (文化和旅游主管部门,
    工业和信息化主管部门): a plain noun before it, and after it nouns that end in 部门, 机关 or 机构."""
    if not (0 < k < len(words) - 1 and words[k].text in ("和", "与", "及") and words[k - 1].flag in ("n", "vn")
            and not words[k - 1].text.endswith(INSTITUTIONS)):
        return False
    run = list(itertools.takewhile(lambda w: w.flag in _NOMINAL, words[k + 1:]))
    return bool(run) and run[-1].text.endswith(INSTITUTIONS)


def _adverbial(clause: Sequence[_Word], j: int) -> bool:
    """Whether clause[j] is an adjective before a verb, which it modifies (绍 | 大惊: greatly
    startled), not the end of the subject's noun phrase."""
    return clause[j].flag == "a" and j + 1 < len(clause) and _verbal(clause[j + 1].text, clause[j + 1].flag)


def _modal_subject(clause: Sequence[_Word]) -> list[_Word]:
    """The words before the clause's first modal (应当, 可以...) when they make a noun phrase: one
    with a relative clause (组织实施特别措施的机关应当...) or one of nouns alone, which jieba cuts with
    words the subject loop stops at (县级/b 以上/f 地方 人民政府 | 应当...; 各级 人民政府 和 有关 主管机关)."""
    m = next((m for m in range(2, min(len(clause), 16)) if clause[m].text in _MODAL), None)
    if m is None:
        return []
    prefix = clause[:m]
    relative = any(w.text == "的" for w in prefix)
    nouns = (prefix[0].flag in _NOMINAL | {"s"} or prefix[0].text in _QUANTIFIERS) and not any(
        _verbal(w.text, w.flag) for w in prefix)
    if (prefix[-1].flag in _NOMINAL and (relative or nouns)
            and not any(w.flag.startswith("r") and w.text not in _QUANTIFIERS or w.text in _CLAUSE_END for w in prefix)
            and verb_positions([(w.text, w.flag) for w in clause[m:]])):
        return list(prefix)
    return []


def _lead(clause: Sequence[_Word]) -> list[_Word]:
    """The clause's leading noun phrase even when no verb follows (针灸疗法以其...优点, 一直被喻为...):
    the subject a next clause without one may borrow. When the whole clause is one noun phrase with
    no verb of its own, the noun run cut before 的 or a number is half of it (城市新区的开发和建设,
    设区的市级人民政府..., 总计300多公里的矿山路), and the whole clause is lent instead; a number or date
    with no 的 after it is the topic's time (田庄乡 | 1996年率先改革)."""
    j = 0
    while j < len(clause) and (clause[j].flag in _NOMINAL and not _verbal(clause[j].text, clause[j].flag)
                               or _enumerated(clause, j)):
        j += 1
    if not any(w.flag not in ("a", "b", "vn", "m") for w in clause[:j]) or j == len(clause) > 1 and clause[-1].flag == "a":
        return []                  # (负债严重, | 接连倒闭: a noun and the adjective said of it state something; no topic)
    cut = j < len(clause) and (clause[j].text == "的" or clause[j].flag == "m" and (
        any(w.text == "的" for w in clause[j:]) or all(w.flag in _NOMINAL | {"m", "q"} for w in clause[j:])))
    relative = j < len(clause) and clause[j].flag.startswith("v") and any(w.text == "的" for w in clause[j:])
    if (cut or relative) and not _predicates(clause) and clause[-1].flag in _NOMINAL:
        return list(clause)        # 城市新区 | 的开发和建设, 总计 | 300多公里的矿山路, 四川省近 | 一千养猪专业户: the noun phrase is the subject
    return list(clause[:j])


def _described(clause: Sequence[_Word]) -> bool:
    """Whether a clause that opens with a verb or a preposition is one noun phrase, a relative clause
    ending in a verb, then 的 and nouns (进行仪表飞行的民用航空器, 在中华人民共和国境内飞行的航空器): the
    subject of the clause after it, as law articles put their subject. Not a verb and its object
    (促进经济的发展: 的 after a noun)."""
    d = _relative_head(clause)
    return (d is not None and (clause[0].flag[0] == "v" and clause[0].text not in _EXISTENTIAL or clause[0].text == "在")
            and _verbal(clause[d - 1].text, clause[d - 1].flag))


def _last_de(clause: Sequence[_Word]) -> int:
    """Where the clause's last 的 is (0 when it has none, or only as its first word)."""
    return max((k for k, w in enumerate(clause) if w.text == "的"), default=0)


def _relative_head(clause: Sequence[_Word]) -> int | None:
    """Where the clause's last 的 is when only nouns follow it (...确定只归一方的 | 财产): the clause
    ends in a noun phrase's head; None otherwise."""
    d = _last_de(clause)
    if 0 < d < len(clause) - 1 and all(w.flag in _NOMINAL and not _verbal(w.text, w.flag) for w in clause[d + 1:]):
        return d
    return None


def _noun_phrase(clause: Sequence[_Word]) -> bool:
    """Whether the clause is one noun phrase whose verbs all sit in the relative clause before its last
    的 (由比利时杰出音乐家...发起组建的拉伯蒂特室内乐团, 对为反间谍工作做出贡献并需要安置的人员, 旅客、
    行李和货物延误所造成的损失): the verb before 的 is framed by the clause's opening 对, by an agent's
    由 with no verb before it or between, or follows 所 with no verb just before (没收所引进的: the
    object of 没收); and no auxiliary or copula gives the clause a predicate of its own (应当相当于...
    所造成的损失, ...是...的重要组成部分). It names something; asked, it states nothing."""
    d = _relative_head(clause)
    if d is None or d < 2:
        return False
    if any(w.text in _AUXILIARY or w.text == "将" or w.text in _COPULAS and w.flag[0] == "v" for w in clause[:d]):
        return False
    framed = clause[0].text in _OBJECT_FRAMES and clause[0].flag == "p"
    if not _verbal(clause[d - 1].text, clause[d - 1].flag):    # 对人均月收入不足144元的特困户: the frame's object,
        return framed and not any(w.text in _SENTENCING or w.text == "处以" for w in clause)   # not 对船长处...的罚款
    run = d - 1                                   # the relative clause's verbs: 发起组建, 需要安置
    while run > 0 and _verbal(clause[run - 1].text, clause[run - 1].flag):
        run -= 1
    at = d - 1 if clause[d - 1].text[0] == "所" else d - 2 if clause[d - 2].text == "所" else None
    if at is not None:                            # 所负的, 所 | 造成的
        return not any(_verbal(w.text, w.flag) for w in clause[max(at - 3, 0): at])
    by = next((k for k, w in enumerate(clause[:run]) if w.text == "由" and w.flag == "p"), None)
    if by is not None:
        return not any(_verbal(w.text, w.flag) for w in clause[:run] if w is not clause[by])
    return framed


def _topic_of_rule(clause: Sequence[_Word], following: Sequence[_Word]) -> bool:
    """Whether the clause is a noun phrase ending in 的 and its head, with no aspect marker (夫妻对婚姻
    关系存续期间所得的财产以及婚前财产的约定), that the clause after it, opening with a modal or a
    rule's preposition (对双方具有..., 还须由..., 按照...执行), states a rule about: asked alone it is a
    fragment (什么对...的约定？)."""
    d = _last_de(clause)
    tail = clause[d + 1:]                    # 的约定, 的任命或免职, 的保护办法: verbs after 的 are nouns, before any noun
    verbs = len(list(itertools.takewhile(lambda w: w.flag[:1] == "v" or w.text in PAIRING, tail)))
    headed = 0 < d and bool(tail) and all(w.flag in _NOMINAL for w in tail[verbs:])
    opens = bool(clause) and clause[0].flag in _NOMINAL and not _verbal(clause[0].text, clause[0].flag)   # not 并处...
    return (bool(following) and headed and opens and not _predicates(clause[:d + 1])   # not 哈钦森谈及...的观感
            and not any(w.flag in ("ul", "uz", "ug") for w in clause)
            and (following[0].text in _MODAL or following[0].text in _RULE_OPENINGS))


def _tidy(clause: list[_Word]) -> list[_Word]:
    """The clause without its leading conjunctions and discourse markers, its final particles, and a
    conjunction that opens the next clause but lost its comma to it."""
    while clause and clause[0].text in _LEADING:
        clause = clause[1:]
    while clause and (clause[-1].text in _PARTICLES or clause[-1].flag == "y" or clause[-1].text.isspace()
                      or clause[-1].text in _TRAILING and clause[-1].flag == "c"
                      or clause[-1].flag == "x" and not clause[-1].text.isalnum() and clause[-1].text not in "%％”》』)）\""):
        clause = clause[:-1]
    return clause


def _standalone(clause: list[_Word], before: list[_Word], person: list[_Word]) -> tuple[list[_Word], list[_Word]] | None:
    """(the clause as a question can use it, the subject the next clause may borrow), or None to skip
    it: its own subject, the one before for a dropped subject, the last person named for a leading
    他/她."""
    if not clause:
        return None
    first = clause[0]
    when = _when(clause)
    if when < len(clause) and clause[when].text in _PERSONAL:     # 他..., 1968年他为救人...: the person named last
        return (clause[:when] + person + clause[when + 1:], person) if person else None
    if first.flag.startswith("r") and first.text not in _ADDRESSED and first.text not in _QUANTIFIERS:
        return None                          # 这, 其: a pronoun names nothing; 各级, 有些 open a subject
    own = _subject(clause[when:]) if when < len(clause) else []
    if own:
        return clause, own
    if first.text in _SENTENCING:
        return None                          # 处三万元以上...罚款: the court's act, not the topic's
    if when < len(clause) and clause[when].flag[0] in "vpd" and before:
        return before + clause, before       # 今天在白宫正式签署...: the subject said before, then when
    if (_agent_first(clause) or first.text in _PROHIBITIONS) and len("".join(w.text for w in clause)) >= _IMPERSONAL:
        return clause, []                    # 由国务院...指定..., 应当先由税务机关追缴..., 禁止借婚姻索取财物:
                                             # a rule with no agent asks well as it stands
    return None


def _agent_first(clause: Sequence[_Word]) -> bool:
    """Whether the clause opens with one of :data:`_AGENTIVE` (由, 对, 按照...), or with 由 after a
    modal or an adverb (应当先由...): a rule that names who acts, not what it acts on."""
    lead = next((k for k, w in enumerate(clause) if w.text not in _MODAL and w.flag[:1] != "d"), len(clause))
    return lead < len(clause) and (clause[lead].text in _AGENTIVE if lead == 0 else clause[lead].text == "由")


def _when(clause: Sequence[_Word]) -> int:
    """How many words open the clause saying when (今天, 最近, 去年6月, 15日起): the subject or the
    verb comes after them."""
    k = 0
    while k < len(clause):
        if clause[k].flag == "t" or clause[k].text in _WHEN:
            k += 1
        elif _DAY.fullmatch(clause[k].text) and k + 1 < len(clause) and clause[k + 1].text in ("年", "月", "日", "号"):
            k += 3 if k + 2 < len(clause) and clause[k + 2].text == "起" else 2
        else:
            return k
    return k


def clause_candidates(passage: str, *, max_answer: int = 16, max_question: int = 60) -> list[dict]:
    """Every candidate pair of ``passage``: {passage, answer, start, end, question, asked, kind,
    clause, stated (the clause it asks about)} for each answer span of each clause that can stand
    alone (see the module docstring)."""
    out = []
    subject: list[_Word] = []
    for clause_id, (question_words, answer_at) in enumerate(_usable_clauses(passage, subject)):
        text = "".join(w.text for w in question_words)
        if _INTERROGATIVE.search(text):
            continue                                          # already a question, or a rhetorical one
        positions = list(itertools.accumulate((len(w.text) for w in question_words), initial=0))
        verbs = _predicates(question_words)
        if _stops_before_verb(question_words):
            continue                                          # 广大职工要以主人翁的姿态, | 积极行使...
        stated = _balanced(text)
        spans = answer_spans([(w.text, w.flag) for w in question_words])
        for start, end, asked, kind in spans + _coordinations(spans, text):
            i, j = positions.index(start), positions.index(end)
            first, last = question_words[i], question_words[j - 1]
            a, b = first.offset, last.offset + len(last.text)
            if (passage[a:b] != text[start:end] or not answer_at(i, j) or asked.endswith("的")
                    or not _askable(question_words, i, j, kind) or kind == "person" and _name_cut(passage, a, b)):
                continue                                      # borrowed words asked about from afar, or a cut phrase
            if kind == "person" and (_placed(question_words, i, j) or b - a > 2 and passage[b - 1] in _PLACE_ENDS):
                asked, kind = "哪里", "place"                 # 在采蒂涅/nr 宣誓就职: in a person is no Chinese; 柴桑郡/nr
            elif kind == "place" and compound_name(passage[a:b]):
                asked, kind = "谁", "person"                  # 夏侯惇/ns: a two-character surname and a name
            marked = _in_marks(text, start, end, asked, kind)
            if marked is None:
                continue
            start, end, asked, kind = marked
            if asked.startswith("什么") and text[start - 1: start] == "为":
                continue                                      # 为什么 would ask why
            if asked == "哪些" and end == positions[j] and _sums_up(question_words, j):
                end += 1                                      # 会同哪些有关部门, not 哪些等有关部门: 等 is in 哪些
            question = _balanced(text[:start] + asked + text[end:]) + "？"
            rest = len(text) - (end - start)
            if (b - a <= max_answer and rest >= 4 and len(question) <= max_question
                    and any(not start <= v < end for v in verbs)):
                out.append({"passage": passage, "answer": passage[a:b], "start": a, "end": b, "question": question,
                            "asked": asked.rstrip("的"), "kind": kind, "clause": clause_id, "stated": stated})
    return out


def _coordinations(spans: list[tuple[int, int, str, str]], text: str) -> list[tuple[int, int, str, str]]:
    """Whole lists of answers of one kind joined by 和, 及, 与, 或者 or 、 (经理和财务会计人员, 消防设施、器材),
    as one answer asked by the last one's question word (聘任谁？): asked alone, each is half of what
    the clause says. Not a list that goes on (、器材等, 和其他社会组织) or qualifies a noun (讲文明、树新风的
    活动: 什么的活动), nor one of generic heads alone (部门或者机构), one that opens with a body's generic
    head (负责航道管理的 | 部门或者海事管理机构: what qualifies it is cut off), or one with a party (双方)."""
    whole = [span for span in spans if not span[2].endswith("的")]
    out, k = [], 0
    while k < len(whole):
        run = [whole[k]]
        for span in whole[k + 1:]:
            if text[run[-1][1]: span[0]] not in _JOINS or span[3] != run[0][3]:
                break
            run.append(span)
        k += len(run)
        start, end = run[0][0], run[-1][1]
        items = [text[s:e] for s, e, _, _ in run]
        if (len(run) > 1 and run[0][3] not in _FIGURES and text[start - 1: start] not in _JOINS
                and not any(text.startswith(join, end) for join in _JOINS | {"等"})
                and not (run[0][3] == "term" and text.startswith("的", end))
                and not (items[0] in _HEADS and (run[0][3] == "org" or all(item in _HEADS for item in items)))
                and not any(item in _PARTIES for item in items)):
            out.append((start, end, run[-1][2], run[-1][3]))
    return out


def _cross_reference(words: Sequence[_Word], i: int, answer: str) -> bool:
    """Whether the answer numbers an article, a chapter or a clause of a law it follows (本法第十八条,
    《...安全法》第九十九条, 第四十七条和第四十九条): asked, it reads as an index, seldom as a question."""
    said = "".join(w.text for w in words[:i])
    return (answer.startswith("第") and answer.endswith(("条", "章", "款", "项", "节"))
            and (said.endswith(("法", "》", "条例", "规定")) or said.endswith(("和", "、")) and "条" in said))


def _sums_up(words: Sequence[_Word], j: int) -> bool:
    """Whether words[j] is 等 and what follows it names the kind of the list before it (检疫证书等证件,
    核动力厂等重要核设施, 生态环境等有关部门), not what the list does (中央领导等转达)."""
    return (j + 1 < len(words) and words[j].text == "等"
            and (words[j + 1].flag[:1] in "na" or words[j + 1].text in ("有关", "相关", "其他", "其它")))


def _in_marks(text: str, start: int, end: int, asked: str, kind: str) -> tuple[int, int, str, str] | None:
    """(start, end, question word, kind) of the answer text[start:end] with the title or quotation
    marks around it taken in: a whole title is asked as 什么 (刘斯奋的什么？, not 刘斯奋的《谁》？), and so
    is a quoted "person" (“科龙”空调, “皮克鱼”化石: a brand, a nickname, a motto), and a quoted phrase
    without its marks (“党代表” asked as 什么, not “什么”). None when the answer is a
    piece of a title (《虎踞谁》), of a short quoted name (『哪里拥军模范』光荣称号) or of a quoted
    meeting or campaign of any length (“加强谁自治法制建设国际学术研讨会”), one title of a list
    (依照什么、《...海域使用管理法》), or a title's kind (什么《虎踞钟山》, 《春华秋实》哪个机构). A piece of
    quoted speech, which has its own clauses, is asked like any clause."""
    for left, right in _MARKS:
        opening, closing = text.rfind(left, 0, start), text.find(right, end)
        if opening < 0 or closing < 0 or right in text[opening + 1: start] or left in text[end:closing]:
            continue
        title, quoted = left == "《", text[opening + 1: closing]
        if (opening, closing) != (start - 1, end):
            if title or (len(quoted) <= _SHORT_QUOTE or quoted.endswith(_EVENTS)) and not _CLAUSE_MARKS.intersection(quoted):
                return None
            break
        if title and (text[opening - 1: opening] in ("、", "》") or text[closing + 1: closing + 2] in ("、", "《")):
            return None
        if title or kind == "person":
            return start - 1, end + 1, "什么", "term"
        return start - 1, end + 1, asked, kind
    if text[end: end + 1] == "《" or text[start - 1: start] == "》" and kind in _NAMED:
        return None
    return start, end, asked, kind


def _placed(words: Sequence[_Word], i: int, j: int) -> bool:
    """Whether a name jieba tags as a person stands where only a place can, between 在 or 于 and the
    clause's verb (在采蒂涅宣誓就职): one acts in a person's presence or house, never in them. A verb
    that sets a time or a circumstance (在被保险人死亡时, jieba's 死亡 | 时向; 在周恩来领导下; 在承运人参与的...)
    has the person as its subject."""
    return (0 < i and words[i - 1].text in ("在", "于") and j < len(words) and _verbal(words[j].text, words[j].flag)
            and not (j + 1 < len(words) and (words[j + 1].text in _CIRCUMSTANCE or words[j + 1].text[0] == "时")))


def _predicates(words: Sequence[_Word]) -> list[int]:
    """Character offsets of the clause's verbs that can be its predicate: not one inside a noun
    phrase (募集的50万元, 城市新区的开发, 所缔结的条约), which makes no statement to ask about, nor an
    auxiliary whose verb the next clause holds (核设施营运单位应当按照国家有关规定, 您应该与您的保险公司), nor
    会同 (together with), whose body acts by the verb after it (...主管部门会同国务院其他有关部门, | 制定...)."""
    positions = list(itertools.accumulate((len(w.text) for w in words), initial=0))
    return [positions[k] for k, w in enumerate(words) if _verbal(w.text, w.flag) and w.text not in _AUXILIARY
            and w.text != "会同"
            and not (k and words[k - 1].text in ("的", "所")) and not (k + 1 < len(words) and words[k + 1].text == "的")
            and not _coordinated(words, k)]


def _coordinated(words: Sequence[_Word], k: int) -> bool:
    """Whether the verb words[k] sits in a pair of nouns joined by 和 / 与 / 或 (邮政编码和覆盖类型,
    奥马哈互助和泛美, 工伤认定和劳动能力鉴定): a noun of the pair, not the clause's predicate. A verb
    after 和 that follows another verb (研究和解决问题, or one jieba tags a noun after an adverb: 科学规划和
    配置学前教育资源) is still one."""
    def nominal(m: int) -> bool:
        return 0 <= m < len(words) and words[m].flag in _NOMINAL and not _verbal(words[m].text, words[m].flag)

    after_pair = (k >= 2 and words[k - 1].text in PAIRING and nominal(k - 2) and (nominal(k + 1) or k + 1 == len(words))
                  and not (k >= 3 and words[k - 3].flag[:1] == "d"))       # 科学规划和配置: two verbs
    before_pair = k >= 1 and k + 2 < len(words) and words[k + 1].text in PAIRING and nominal(k - 1) and nominal(k + 2)
    return after_pair or before_pair


def _stops_before_verb(words: Sequence[_Word]) -> bool:
    """Whether the clause ends inside a preposition's phrase before any verb of its own (广大职工要以
    主人翁的姿态, | 积极行使...; 中国强调应按照《联合国宪章》和联大有关规定, | 按照...): the verb the
    phrase frames is in the next clause, and a question asked of this one stops short of it. A verb
    before the preposition (关押在伊拉克的约旦囚犯) or after its object (从农业部获悉) is the clause's own;
    modals (要, 应) and a verb of saying before what was said (强调 | 应按照...) are not."""
    opening = next((k for k, w in enumerate(words) if w.flag == "p" and w.text in _FRAMING), None)
    if opening is None:
        return False
    positions = list(itertools.accumulate((len(w.text) for w in words), initial=0))
    at = {positions[k]: k for k in range(len(words))}

    def framed(k: int) -> bool:          # a modal, or a verb of saying whose object is a clause (强调 | 应按照...)
        return words[k].text in _MODAL or words[k].text in _OPEN and k + 1 < len(words) and (
            words[k + 1].flag[:1] in "vdp" or words[k + 1].text in _MODAL) or k > opening and _in_object(words, opening, k)

    return all(framed(at[v]) for v in _predicates(words))


def _in_object(words: Sequence[_Word], opening: int, k: int) -> bool:
    """Whether the verb words[k], after the preposition words[opening], is part of the preposition's
    object: it opens a phrase the object's noun heads with 的 (对提供邮政普遍服务的邮政企业..., 按照创建双拥
    模范走廊的标准), or it is an item inside the list the object is (根据...的数量、分布状况和残疾类别), not a
    verb after the list (根据宪法和法律制定本法, 从中央纪委、监察部了解到)."""
    rest = words[k + 1:]
    if words[k - 1].flag == "p" and words[k - 1].text in _FRAMING and any(w.text == "的" for w in rest):
        return True
    return words[k - 1].text in _LIST_MARKS and any(w.text in _LIST_MARKS for w in rest)


def _askable(words: Sequence[_Word], i: int, j: int, kind: str) -> bool:
    """Whether words[i:j] is a whole thing to ask about where it stands, not a piece of a longer
    phrase: the reader's verdicts found most unfluent questions asked about such pieces (萨达姆·谁,
    健康什么, 法治、谁、形势, 英国首相谁). A generic head word alone (地区, 公司) is no answer either."""
    before = words[i - 1] if i else None
    after = words[j] if j < len(words) else None
    answer = "".join(w.text for w in words[i:j])
    if (answer in _DEICTIC or before is not None and before.text in _POINTING
            or kind not in ("number", "year", "date") and after is not None and after.flag == "uv"):
        return False                       # 什么所称...？ (本法), 具备下列什么？, 有什么地消除...: nothing named
    if kind == "number" and _cross_reference(words, i, answer):
        return False                       # 依照本法第几条的规定, 宪法第几条: a pointer to a text, not a fact
    if ("·" in (before and before.text, after and after.text) or answer in _HEADS or answer in _PARTIES
            or kind == "place" and (answer in _NOT_PLACES | _OURS or answer.endswith("者"))
            or "、" in (before and before.text, after and after.text) or _dashed(words, i, j)
            or kind not in ("number", "year", "date") and "/" in (before and before.text, after and after.text)
            or _glued_tail(words[j - 1].text) or _paired(words, i, j, kind) ):
        return False                       # a cut name, a generic head, one item of a list, a verb glued on
    if kind not in ("number", "year", "date") and before is not None and before.flag == "m" or (
            after is not None and kind in _NAMED
            and (after.flag in ("m", "f", "k", "ng", "zg") or after.text == "之一" or after.text in _SELF)):
        return False                       # 一座哪里, 哪里第一八佰伴, 哪里境内, 什么之一, 什么本身, 什么员: a phrase cut in two
    if kind in _NAMED and before is not None and (before.text in ("等", "等等") or before.text in _LIST_MARKS
                                                  and after is not None and after.text in ("等", "等等")):
        return False                       # ...、违法行为查处等什么, 市场监督管理等哪个机构: the head that sums up a list;
                                           # 电视机、录放像机和哪些等物品: its last item
    if kind in _NAMED and (
            before is not None and before.flag in ("d", "ad", "f", "b", "h", "s") or _latin(before) or _latin(after)
            or kind != "term" and after is not None and after.flag in ("n", "b", "h", "ns", "nt")
            or answer[0] in _CLASSICAL_PRONOUNS):
        return False                       # 最谁的, 县级哪个机构, 哪里小型水利设施, 什么B部分, 汝父, 非什么, 高中哪所学校,
                                           # 哪里公安交通管理局: one cut off its phrase
    if kind in _NAMED and before is not None and (
            before.text in _QUANTIFIERS or before.flag.startswith("r")
            or kind == "term" and (before.flag in ("a", "b", "n", "vn", "nz", "j", "t")
                                   or before.flag.startswith("v") and _modified_noun(words, i))):
        return False
    if kind == "org" and before is not None and (
            before.flag in ("n", "vn", "nz", "j", "l", "a") or before.text in ")）"
            or i > 0 and _shared_head(words, i - 1)
            or j - i == 1 and answer.endswith(INSTITUTIONS) and before.flag.startswith("v")
            and i >= 2 and words[i - 2].flag[:1] in "na"):
        return False                       # 卫生健康 | 主管部门, 野生动物保护 | 主管部门, （联勤）| 机关财务部门, 文化和 | 旅游主管部门: the end of a longer name
    if kind in ("person", "org") and before is not None and before.flag == "a" and len(before.text) == 1:
        return False                       # 回乡老谁: a one-character adjective is part of the noun it qualifies
    if kind == "person" and before is not None and before.text == "被" and answer[-1] in _AGENTS:
        return False                       # 被 | 侵权人, 被 | 保险人: one word (the injured, the insured), not "by whom"
    if kind in ("person", "place") and _verb_inside(answer):
        return False                       # 孙乾往江南: a place glued to its verb
    if (kind == "term" and before is not None and before.flag in ("v", "vn", "n") and _abstract(answer)
            and any(_verbal(w.text, w.flag) and w.text not in _MODAL for w in words[:i - 1])):
        return False                       # 提出申辩什么, 减轻其赔偿什么, 完善国家创新什么: the word before names its kind
    if (kind == "term" and j - i == 1 and words[i].flag in ("l", "i") and before is not None
            and (before.text in _MODAL or before.text in ("可能", "而", "来") or before.flag == "d")):
        return False                       # 更有可能什么 (发生变化), 根据表现而什么 (有所不同): an idiom that is the predicate
    if kind == "term" and before is not None and before.text == "被" and after is not None and after.text[0] in "为成作":
        return False                       # 被定义为 (定义/n): the verb of a passive, not what acted
    if kind in _NAMED and _any_of(words, i):
        return False                       # 任何单位和谁: whoever it is, no one in particular
    if kind == "term" and j - i == 1 and answer in _not_nouns():
        return False                       # 什么优势互补 (利用), 什么激励自己 (时时): no noun at all
    if kind == "term" and i == 0 and j == 1 and _unknown(answer):
        return False                       # 计会接鲁肃入府, 姑待春暖: a word jieba's HMM made up is no subject
    if kind == "place" and j - i == 1 and len(answer) == 2 and _verb_first(answer):
        return False                       # 二人自回京复命: 回 + 京, a verb glued before a place
    if kind == "term" and i == 0 and j == 1 and len(answer) == 3 and _verb_inside(answer):
        return False                       # 操令众 | 将于甬道两旁诱之: a name and a verb jieba made one rare noun of
    titled = before is not None and (before.text == "的" or before.flag in ("n", "nt", "ns", "nz", "j"))
    # 英国首相谁, 供货者的谁, 许可证, 飞报刘玄德, 二人: a title's name, or no one's name at all
    return not (kind == "person" and (titled or answer[-1] in _THINGS or _HEADCOUNT.fullmatch(answer)
                                      or words[j - 1].flag.startswith("nr") and j - i > 1
                                      and not _office_and_name(words, i, j)))


def _office_and_name(words: Sequence[_Word], i: int, j: int) -> bool:
    """Whether words[i:j] is an office and its holder's name (中宣部部长丁关根, 巴基斯坦总统拉菲克·塔拉尔):
    an organisation or a place, title nouns, then the name. Asked whole it names one person, as the
    passage does; other runs of nouns before a name (飞报刘玄德) glue a word to it."""
    return (j - i >= 3 and words[i].flag in ("nt", "ns", "j") and words[j - 1].flag.startswith("nr")
            and not (i and words[i - 1].text == "驻")                  # 驻 | 阿根廷大使徐贻聪: the post's place
            and all(w.flag in ("n", "nt", "ns", "j", "vn") for w in words[i + 1: j - 1])
            and any(w.flag == "n" for w in words[i + 1: j - 1]))


def _any_of(words: Sequence[_Word], i: int) -> bool:
    """Whether words[i] is in a noun phrase that 任何 opens (任何单位和 | 个人, 任何 | 组织): any one at
    all, which no answer names."""
    k = i - 1
    while k >= max(i - 4, 0) and (words[k].flag in _NOMINAL or words[k].flag[:1] == "v" or words[k].text in _LIST_MARKS):
        k -= 1                             # 组织/v: jieba's verb is a noun here
    return k >= 0 and words[k].text == "任何"


def _modified_noun(words: Sequence[_Word], i: int) -> bool:
    """Whether the verb before words[i] names the kind of a noun a 的 has opened (实行严格的进出境环境
    安全准入 | 管理制度): the verb follows 的 directly, or with only nouns between and the 的 inside the
    object of the clause's verb. Not after a relative clause (采取的措施 | 保障了...), a
    preposition's object (通过...的方式 | 解决...) or a causative's (使潜艇数千吨的巨大躯体 | 浮出...),
    after which the verb is the clause's own."""
    k = i - 2
    while k >= 0 and (words[k].flag in _NOMINAL or words[k].flag == "an") and not _verbal(words[k].text, words[k].flag):
        k -= 1
    if k < 0 or words[k].text != "的":
        return False
    if k == i - 2:
        return True
    verb = next((m for m in range(k - 2, -1, -1) if _verbal(words[m].text, words[m].flag) and words[m].text not in _MODAL),
                None)
    return (verb is not None and not _verbal(words[k - 1].text, words[k - 1].flag) and words[verb].text not in _CAUSATIVE
            and not any(w.flag == "p" for w in words[verb + 1: k]))


def _name_cut(passage: str, a: int, b: int) -> bool:
    """Whether the name passage[a:b], one jieba's dictionary lacks, is a name cut one character short
    with a verb glued before it: its end and the character after it are said elsewhere in the passage
    (令云 | 长来取长沙, where the passage also has 替云长守荆州). In classical text a person is named
    again and again, so the name that recurs is the real one."""
    name = passage[a:b]
    if len(name) != 2 or b >= len(passage) or not _unknown(name):
        return False
    shifted = name[1:] + passage[b]
    return passage.count(shifted) > 1 and passage.count(name) == 1


def _paired(words: Sequence[_Word], i: int, j: int, kind: str) -> bool:
    """Whether the answer words[i:j] is one half of two nouns said together, and asking it alone
    reads as a phrase cut in two: the first of a pair that closes the clause (交流与合作, 赛车或特技:
    什么与合作？), either of two alternatives (谁或者外国企业, 经营者、管理者或者谁, 什么或IRA), or the
    first of two things that are the clause's subject together (什么和健康状况都不会...). A name or an
    organisation before 和 or 与 may be one side of what is done together (哪个国家和美国签署了...,
    向哪个机构和630万特区人民表示...), and a number one of two figures (分别上涨多少和2.8%); any other
    thing or place before 和, 及 or 与 and a noun is the first of a list (涉及什么与资源、矿山工程,
    在哪里及世界大赛上)."""
    if kind in ("number", "year", "date"):
        return False
    after = words[j] if j < len(words) else None
    then = words[j + 1] if j + 1 < len(words) else None
    either = after is not None and after.text in _EITHER or i > 0 and words[i - 1].text in _EITHER
    if then is None:
        return either
    closing = after.text in PAIRING and all(w.flag in _NOMINAL for w in words[j + 1:])   # 装卸什么和出入通道
    noun_next = (then.flag in _NOMINAL or then.flag == "h") and then.text != "所"     # not 和所骗取的...
    listed = after.text in _BOTH | {"与"} and noun_next and (kind == "term" or kind == "place" and words[i].text not in _COUNTRIES)
    return closing or either or listed


def _dashed(words: Sequence[_Word], i: int, j: int) -> bool:
    """Whether words[i:j] is one of two places joined by a single dash (张北—尚义地区), not the name a
    long dash introduces (我国最大的铜材生产企业———洛阳铜加工厂)."""
    def single(k: int) -> bool:
        return (0 <= k < len(words) and words[k].text == "—"
                and not any(0 <= m < len(words) and words[m].text == "—" for m in (k - 1, k + 1)))

    return single(i - 1) or single(j)


def _abstract(answer: str) -> bool:
    """Whether the answer is an abstract head, or made of them alone (工作机制: 工作 | 机制), which
    the word before it names the kind of (投诉 | 工作机制)."""
    import jieba

    return answer in _ABSTRACT or all(word in _ABSTRACT for word in jieba.lcut(answer))


def _verb_phrase(word: str) -> bool:
    """Whether a "name" of four or more characters opens with a verb of two that jieba's dictionary
    holds more often than the whole (采取措施/nr: 采取, 9,791 times, against 48): a verb and its
    object, tagged as the verb it is."""
    import jieba
    import jieba.posseg

    head, freq = word[:2], jieba.dt.FREQ
    return (len(word) >= 4 and jieba.posseg.dt.word_tag_tab.get(head, "")[:1] == "v"
            and (freq.get(head) or 0) > (freq.get(word) or 0))


def _verb_first(word: str) -> bool:
    """Whether a two-character word jieba's dictionary holds rarely (fewer than 10 times) opens with
    a character it calls a verb (回京 of 自回京复命): a verb glued before a one-character place."""
    import jieba
    import jieba.posseg

    return (jieba.dt.FREQ.get(word) or 0) < 10 and jieba.posseg.dt.word_tag_tab.get(word[0], "")[:1] == "v"


def _unknown(word: str) -> bool:
    """Whether jieba's dictionary lacks ``word`` (its HMM made it up from characters)."""
    import jieba

    return not jieba.dt.FREQ.get(word, 0)


def _latin(word: _Word | None) -> bool:
    """Whether ``word`` is Latin letters or digits, or a space between them: an answer next to one
    is a piece of a mixed name (医疗保险B部分, Plan F)."""
    return word is not None and (word.flag == "eng" or word.text.isspace()
                                 or word.text[:1].isascii() and word.text[:1].isalnum())


def _glued_tail(word: str) -> bool:
    """Whether a word of 3+ characters unknown to jieba's dictionary ends in a verb or function word
    of two (纳扎尔巴耶夫建议, 国家有关): jieba's HMM glued it on."""
    import jieba.posseg

    if len(word) < 3 or jieba.dt.FREQ.get(word, 0):
        return False
    return jieba.posseg.dt.word_tag_tab.get(word[-2:], "n")[0] in "vpdc"


def _verb_inside(name: str) -> bool:
    """Whether a name of 3+ characters is a name with the word after it glued on: one jieba's
    dictionary lacks (or has fewer than 10 times) with a one-character verb at its second or third
    character (孔明来, 孙乾往江南, 操引军), opening with one before a known place or name (投颍川) or
    ending in a one-character adverb (孔明先), or a known name and an adverb (孔明亦: jieba's
    dictionary holds even this, 12 times). In classical text jieba's HMM glues a name to the word
    beside it, and the real name is rarely longer than that; a two-character surname and a given
    name (夏侯尚) is the exception."""
    import jieba.posseg

    if len(name) < 3 or compound_name(name) or agent_noun(name):
        return False                         # 寄存人: one who deposits
    tags = jieba.posseg.dt.word_tag_tab
    if tags.get(name[:-1], "").startswith("nr") and tags.get(name[-1], "")[:1] == "d":
        return True
    if (jieba.dt.FREQ.get(name) or 0) >= 10:
        return False
    if tags.get(name[0], "")[:1] == "v" and tags.get(name[1:], "")[:2] in ("ns", "nr"):
        return True                          # 投颍川: a verb glued before a known place or name
    return tags.get(name[-1], "")[:1] == "d" or any(tags.get(ch, "")[:1] == "v" or tags.get(ch) == "zg"
                                                    for ch in name[1:3])


def _as_named(word: str, flag: str) -> list[tuple[str, str]]:
    """``word`` and its tag, with two kinds of "name" jieba's dictionary holds corrected: a verb and
    its object (:func:`_verb_phrase`, 采取措施/nr) tagged as the verb it is, and a name glued to a
    narrative verb (孔明入 18 times, 孔明教, 关平引, 袁绍聚: entries taken from classical novels) split
    apart when the dictionary holds the two-character name more than five times as often and the last
    character is one of :data:`_NARRATIVE_VERBS` (not 卡拉扬 or 约翰松)."""
    import jieba.posseg

    if not flag.startswith("nr"):
        return [(word, flag)]
    if _verb_phrase(word):
        return [(word, "v")]
    name, tags, freq = word[:2], jieba.posseg.dt.word_tag_tab, jieba.dt.FREQ
    if (len(word) == 3 and word[2] in _NARRATIVE_VERBS and tags.get(name, "").startswith("nr")
            and freq.get(name, 0) > 5 * freq.get(word, 0)):
        return [(name, "nr"), (word[2], "v")]
    return [(word, flag)]


def _glued_in_documents(name: str, counts) -> bool:
    """Whether a three-character name jieba's HMM made up (its dictionary lacks it) is a name and
    a character glued on (西蜀方, 令汉帝, 独耿武): the documents hold one of its two-character halves
    at least twice as often as the whole, and once more. A real name (薛瑞红) occurs whole as often as
    its halves; ``counts`` are the fluency model's character n-gram counts. A two-character one that
    ends in a classical adverb or a verb of command (:data:`_ORDERS`) is a one-character name and
    that word (卓遂, 布乃, 权乃, 卓命: 董卓, 吕布, 孙权) when its first character occurs ten times as
    often as the whole; 韩遂 is a name."""
    if len(name) == 2 and (name[-1] in _NAME_ADVERBS or name[-1] in _ORDERS) and _unknown(name):
        return counts[name[0]] > 10 * counts[name]
    if len(name) != 3 or compound_name(name) or not _unknown(name) or _HEADS.get(name[1:]) == "谁":
        return False                         # 孟将军: a surname and a title name someone
    return max(counts[name[:2]], counts[name[1:]]) > 2 * counts[name]


def _dotted(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``tagged`` with a name that a middle dot joins (拉菲克·塔拉尔, 萨达姆·侯赛因, 嘉木样·洛桑久美·图丹却吉尼玛)
    made one word, a person's name when any part is one: jieba cuts it at the dot, and a clause whose
    subject is half a name has no subject to ask about."""
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(tagged):
        word, flag = tagged[k]
        if (out and word in _DOTS and k + 1 < len(tagged) and out[-1][1][:1] == "n"
                and tagged[k + 1][1][:1] == "n"):
            last, last_flag = out.pop()
            after, after_flag = tagged[k + 1]
            out.append((last + word + after, "nr" if "nr" in (last_flag[:2], after_flag[:2]) else last_flag))
            k += 2
            continue
        out.append((word, flag))
        k += 1
    return out


def _usable_clauses(passage: str, subject: list[_Word]):
    """(words, may-ask(i, j)) of each clause of ``passage`` that can stand alone; ``subject`` carries
    the last subject from clause to clause."""
    person: list[_Word] = []
    verse = _verse(passage)
    for start, sentence in _sentences(passage):
        subject[:] = []                                      # a subject is borrowed within its sentence only
        sentence = stated(sentence)
        skip = strip_dateline(sentence)
        numbered = _NUMBERING.match(sentence[skip:])
        skip += numbered.end() if numbered else 0              # 六、 / (一): a list's numbering
        body = sentence[skip:]
        words, offset = [], start + skip
        tagged = _dotted([piece for word, flag in _tagged(body) for piece in _as_named(word, flag)])
        corrected = _corrected_tags()
        for k, (word, flag) in enumerate(tagged):
            aspect = (k + 1 < len(tagged) and tagged[k + 1] in _ASPECT
                      and (flag in ("n", "vn", "nr", "nz") or word in _PASS))
            lasting = word in _DURATIONS and k + 1 < len(tagged) and tagged[k + 1][1][:1] == "n"
            words.append(_Word(word, "d" if word in _ADVERBIAL else "v" if word in _VERBAL or aspect
                               or word in _PASS and _no_verb_after(tagged[k + 1:])
                               else "b" if lasting else "ns" if word in _OURS else corrected.get(word, flag), offset))
            offset += len(word)
        lead_in: list[_Word] = []
        described = False
        clauses = [_tidy(clause) for clause in _clauses(words)]
        for n, clause in enumerate(clauses):
            text = "".join(w.text for w in clause)
            if text.strip("“”‘’\"") in verse:
                continue                                     # 举杯畅饮情何放, | 拔剑捐生悔已迟: a poem asks nothing
            if _BYLINE.search(text) or text.startswith("图为") or text.endswith("的除外"):
                continue                                     # a byline, a photo caption, a law's exception
            if _DEFINED.match(text):
                break                                        # 本法所称建设工程, | 是指...: a definition asks nothing
            if numbered and len(sentence) - skip == len(text) + 1 and _relative_head(clause) is not None:
                continue                                     # （三）遗嘱或者赠与合同中确定只归一方的财产；: an item of a list
            if described and not (clause and clause[0].text in _MODAL):
                subject[:] = []                              # a noun phrase lends itself to a rule (应当..., 必须...) only
            described = False
            if _topic_of_rule(clause, clauses[n + 1] if n + 1 < len(clauses) else []):
                subject[:], lead_in = list(clause), []       # 夫妻对...所得的财产的约定, | 对双方具有法律约束力:
                continue                                     # a noun phrase states nothing; the rule after it does
            if _noun_phrase(clause):
                subject[:], lead_in, described = list(clause), [], True   # 由...组建的乐团, | 将于...演出:
                continue                                     # it names the topic of the rule after it
            if any(w.text in _CONDITIONS and w.flag == "c" for w in clause[1:3]):
                subject[:], lead_in = [], []                 # 公民如果在暂住地死亡, | 由...通知: a condition; its
                continue                                     # topic is not what the rule after it says acts
            if _subordinate(clause):
                lead_in = clause if clause[-1].text == "的" and text not in _REPLIES else []   # ...的, / ...时,
                if clause[-1].text != "的" and (own := _subject(clause) or _framed_subject(clause)):
                    subject[:] = own                         # 债权人自接到通知之日起三十日内, 可以要求...
                continue
            found, joined = None, False
            if lead_in and lead_in[0].text not in _CONTINUING and _agent_first(clause):
                whole = _standalone(_joined(passage, lead_in, clause) or [], [], person)
                if whole:                                    # 评估行业协会违反本法规定的, | 由...给予警告: the rule
                    found, joined = (whole[0], []), True     # is asked with its condition, which lends no subject
            found = found or _standalone(clause, subject, person)
            if found is None and (whole := _joined(passage, lead_in, clause)):
                found, joined = (whole, []), True            # 离异的，应当...
            lead_in = []
            if found is None:
                if clause and clause[0].flag[0] not in "vpd" and clause[0].text not in _PERSONAL:
                    subject[:] = _lead(clause)               # a new topic: nothing else to borrow any more
                    if subject and subject[0].flag.startswith("nr") and len(subject) <= 2:
                        person[:] = subject                  # 陈峰玖今年56岁, | 1968年他...: 他 is 陈峰玖
                elif _described(clause):
                    subject[:], described = clause, True     # 进行仪表飞行的民用航空器, | 应当遵守...
                continue
            question_words, subject[:] = found
            if any(w.flag.startswith("nr") for w in subject):
                person[:] = subject
            if text.endswith("之一") and any(w.text in _POINTING and clause[k - 1].text.endswith("有")
                                            for k, w in enumerate(clause[1:], 1)):
                continue                                     # 议员如有下列情况之一, | 由...宣告...: a condition, not
                                                             # a rule (应当符合下列条件之一); the one after is asked
            borrowed = 0 if joined else len(question_words) - len(clause) + (1 if clause[0].text in _PERSONAL else 0)
            if _opens(clause):
                subject[:] = []                              # 李鹏说, ...: what follows is what he said, not what he did
                if clause[-1].text not in _SPEECH and not borrowed:
                    lead_in = clause                         # 韩国政府日前决定, 将对...: what it decided
                continue
            kept = [w for w in _tidy(_without_asides(question_words))   # 操作您的车辆(假设...)此外: what the aside hid
                    if not (w.text in _CORRELATIVES and w.flag == "c")]   # 上海不仅慷慨承担了..., 舞团虽然成立于...
            borrowed -= sum(w not in kept for w in question_words[:borrowed])
            yield kept, (lambda i, j, n=borrowed: j <= n or i >= n)


def _verse(passage: str) -> set[str]:
    """The lines of verse in ``passage``: the pieces of five or seven characters, between
    punctuation marks, that follow a poem's announcement (后人有诗曰:“江山雨霁拥青螺,境界无忧乐最多。”,
    正是:举杯畅饮情何放,拔剑捐生悔已迟), as classical novels quote at a chapter's turns; a question
    from a line of a poem is no question."""
    lines: set[str] = set()
    announced = False
    for piece in (piece.strip() for piece in _VERSE_BREAK.split(passage)):
        if announced and len(piece) in (5, 7):
            lines.add(piece)
        elif piece:
            announced = piece == "正是" or piece.endswith(_POEM)
    return lines


def _without_asides(words: Sequence[_Word]) -> list[_Word]:
    """``words`` less the asides they hold in brackets (全哲洙(朝鲜族), 经纪人(他们是免费的)将简化流程,
    所占比例较低(见表2), 服务中心(CMS)): a question reads without them, and an alias or a note is no
    answer to ask for. Brackets that number (第（三）项) or end a Latin name (401(k)) stay."""
    out: list[_Word] = []
    k = 0
    while k < len(words):
        close = next((m for m in range(k + 1, len(words)) if words[m].text in (")", "）")), None) \
            if words[k].text in ("(", "（") else None
        if close is not None:
            inner = "".join(w.text for w in words[k + 1: close])
            latin = inner.isascii() and bool(out) and out[-1].text[-1:].isascii() and out[-1].text[-1:].isalnum()
            if not (_NUMERAL.fullmatch(inner) or latin):
                k = close + 1
                continue
        out.append(words[k])
        k += 1
    return out


def _tag_file(path: Path) -> dict[str, str]:
    """word -> tag of a file scripts/build_name_tags.py writes."""
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return {word: tag for word, tag, _ in rows}


@lru_cache(maxsize=1)
def _corrected_tags() -> dict[str, str]:
    """word -> its tag, for words jieba's dictionary tags wrong: those it calls a person's name or a
    place that People's Daily's hand-tagged text calls otherwise (拓宽/v, 史实/n, 莫斯科/ns, 波及/v;
    ``NAME_TAGS``), and :data:`_RETAGGED`."""
    return {**_tag_file(NAME_TAGS), **_RETAGGED}


@lru_cache(maxsize=1)
def _not_nouns() -> frozenset[str]:
    """Words jieba's dictionary calls nouns that People's Daily's hand-tagged text mostly uses as a
    verb, an adverb, an adjective, a time or a count (利用, 着力, 时时, 盲目, 书面; ``NOUN_TAGS``): alone,
    they name nothing to ask about. The clause keeps jieba's tags, which its other rules are read with."""
    return frozenset(_tag_file(NOUN_TAGS))


def _no_verb_after(tagged: Sequence[tuple[str, str]]) -> bool:
    """Whether no verb, nor a verbal noun, follows in the sentence: then 通过 or 经过, which jieba
    always tags as prepositions, is its verb (工程日前通过国家验收: passed), not a means (通过互联网
    销售/vn 保险; 通过职工代表大会和其他形式，实行民主管理)."""
    return not any(flag.startswith("v") or _verbal(word, flag) for word, flag in tagged)


def _subordinate(clause: Sequence[_Word]) -> bool:
    """Whether the clause sets a condition or a time for the next rather than stating anything
    (...的, ...时, 正议间, 进驻6个多月来, 在...领导下, 自接到通知之日起三十日内): asked alone it is a
    fragment."""
    if not clause:
        return False
    last, counted = clause[-1], len(clause) > 1 and (clause[-2].flag == "m" or clause[-2].text in "%％")
    if counted and last.text in _AMOUNTS:
        return False                                         # 增加300%以上: an amount
    if last.text in _LIKENESS and any(w.text in ("像", "如", "如同", "好像", "跟", "同") for w in clause[:-1]):
        return True                                          # 房改从来没有像今天这样, | 承担了...
    if clause[0].text in _PURPOSE and len(clause) > 1 and clause[1].flag.startswith("v"):
        return True                                          # ..., | 以帮助困难户解决过冬之急: what it was done for
    if any(w.text == "既" and w.flag == "c" for w in clause[1:3]) and not any(w.text in ("也", "又") for w in clause):
        return True                                          # 刘璋既斩张松, | 聚集文武...: once he had (not 既...也...)
    if last.text == "同时" and len(clause) > 1 and clause[-2].text == "的":
        return True                                          # 在吸取...成果的同时, | 保存...: a time
    if clause[0].text == "当" and last.text.endswith("时"):
        return True                                          # 当医生和医院的部分报销费用较少时 (少时/t)
    # jieba tags 内 of 三十日内 a noun
    return last.text in _SUBORDINATE or last.text == "来" and counted or last.flag == "f" or last.text == "内"


def _opens(clause: Sequence[_Word]) -> bool:
    """Whether the clause ends in a verb whose object is the next clause (李鹏说, 韩国政府决定,):
    not one after 的, which is a noun (扩大联合国安理会的决定)."""
    return bool(clause) and clause[-1].text in _OPEN and not (len(clause) > 1 and clause[-2].text == "的")


def _joined(passage: str, lead_in: Sequence[_Word], clause: Sequence[_Word]) -> list[_Word] | None:
    """``lead_in``, its comma and ``clause`` as one clause when ``clause`` has no subject and follows
    straight on (离异的，应当...; 韩国政府日前决定，将对...), else None."""
    if not (lead_in and clause and clause[0].flag[0] in "vpd"):
        return None
    end = lead_in[-1].offset + len(lead_in[-1].text)
    if passage[end: end + 1] not in _CLAUSE_END or clause[0].offset != end + 1:
        return None
    return [*lead_in, _Word(passage[end], "x", end), *clause]


def _balanced(text: str) -> str:
    """``text`` without a quotation mark or bracket whose partner the clause split away."""
    for left, right in (*_MARKS, ("(", ")"), ("（", "）")):
        unpaired = text.count(left) % 2 if left == right else text.count(left) != text.count(right)
        if unpaired:
            text = text.replace(left, "").replace(right, "")
    return text


class ClauseQuestions:
    """QA pairs from the passages' own clauses, ranked; no trained model needed.

    Parameters
    ----------
    max_passage : int
        Documents are cut at sentence punctuation into passages of at most this many characters
        (as the model path cuts them); each pair's ``passage`` is its piece.
    max_answer : int
        Longest answer in characters.
    max_question : int
        Longest question in characters.
    order : int
        Characters of context plus one of the fluency model (:class:`textmine.qa.rank.CharLM`).
    """

    def __init__(self, max_passage: int = 128, max_answer: int = 16, max_question: int = 60, order: int = 3):
        self.max_passage, self.max_answer, self.max_question, self.order = max_passage, max_answer, max_question, order

    def fit(self, documents: Iterable[str]) -> "ClauseQuestions":
        """Train the fluency model on ``documents`` (one pass, bounded by ``CharLM.max_chars``)."""
        self.lm_ = CharLM(self.order).fit(documents)
        return self

    def candidates(self, passage: str) -> list[dict]:
        """Every candidate pair of every piece of ``passage`` (:func:`clause_candidates`), less those
        whose person the documents show to be a name glued to a word (:func:`_glued_in_documents`)."""
        return [pair for rank, piece in enumerate(iter_passage_pieces(passage, self.max_passage))
                for pair in clause_candidates(piece, max_answer=self.max_answer, max_question=self.max_question)
                if not (pair["kind"] == "person" and _glued_in_documents(pair["answer"], self.lm_.counts_))
                for pair in [{**pair, "clause": (rank, pair["clause"])}]]

    def generate(self, passage: str, n_pairs: int = 3, extra: Sequence[dict] = ()) -> list[dict]:
        """The ``n_pairs`` best distinct pairs of ``passage``, best first; ``extra`` candidates (a
        model's pairs) compete with the clauses' under the same ranking."""
        if not hasattr(self, "lm_"):
            raise NotFittedError("ClauseQuestions is not fitted; call fit(documents) first")
        if not isinstance(passage, str) or not passage.strip():
            raise InputError("passage is empty; expected some text to generate questions from")
        ranked = rank_pairs([*self.candidates(passage), *extra], self.lm_, n_pairs)
        return [{key: pair[key] for key in ("passage", "answer", "start", "end", "question", "score")}
                for pair in ranked]

    def generate_many(self, passages: Iterable[str], n_pairs: int = 3, batch_size: int = 16, *, model=None,
                      progress: bool = False, **settings) -> Iterator[dict]:
        """Pairs of every passage in turn, each with ``doc`` (the passage's index). With ``model`` (a
        :class:`~textmine.qa.model.QAGenerator`) its pairs, ``2 * n_pairs`` per passage drawn with
        ``settings`` as its filters, join each passage's candidates (``method="both"``)."""
        check_counts(n_pairs, batch_size)
        passages = iter(passages)
        with tqdm(desc="generating QA pairs", unit=" passages", disable=not progress) as bar:
            for start in itertools.count(0, batch_size):
                batch = list(itertools.islice(passages, batch_size))
                if not batch:
                    return
                extra: list[list[dict]] = [[] for _ in batch]
                if model is not None:
                    for pair in model.generate_many(batch, 2 * n_pairs, batch_size, **settings):
                        extra[pair["doc"]].append(model_candidate(pair))
                for k, passage in enumerate(batch):
                    for pair in self.generate(passage, n_pairs, extra[k]):
                        yield {"doc": start + k, **pair}
                bar.update(len(batch))


def model_candidate(pair: dict) -> dict:
    """A model's pair as a ranking candidate: the question word it asks with, where it has one of
    the clause questions' words (its statement puts the answer back there). 什么 after 为 asks why
    (利润总额为什么？ for 利润总额为403.2), which no clause question does: such a pair asks with none."""
    asked = next((w for w in sorted(_ASKED, key=len, reverse=True) if w in pair["question"]), None)
    if asked == "什么" and "为什么" in pair["question"]:
        asked = None
    return {**pair, "asked": asked, "kind": "model", "clause": ("model", pair["question"])}


_ASKED = frozenset("什么 哪里 哪个国家 谁 多少 几 何时 什么时候 哪一年 哪些".split()) | ORG_WORDS


def check_method(method: str | None, model) -> str:
    """The generation method to use (unset: both with a model, clauses without), refused when it
    does not fit the model given."""
    if method is None:
        return "both" if model is not None else "clauses"
    if method not in METHODS:
        raise InputError(f"method={method!r}; expected one of {', '.join(METHODS)}")
    if method != "clauses" and model is None:
        raise InputError(f"method {method} needs a trained model; give --model RUN (a `textmine qa train` folder) "
                         "or use --method clauses")
    if method == "clauses" and model is not None:
        raise InputError("method clauses uses no model, but --model is given; use --method both or model, "
                         "or leave --model out")
    return method
