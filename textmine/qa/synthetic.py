"""Synthetic cloze-style training pairs from unlabelled documents (issue 14).

A model trained only on insurance questions asks insurance questions of any passage. Pairs made
from the user's own documents teach it the opposite habit, without labels: the answer is a span of a
sentence (a person, place or organisation as jieba's POS tagger marks it, a number or date, or else
a noun), and the question is that sentence's clause with the span replaced by a fitting question
word (刘备字玄德 -> 谁字玄德？), so the question copies the passage's own words around the answer.
:func:`mix_examples` then sets what share of training the synthetic pairs take;
:func:`masked_lm_pieces` gives the same documents' text for masked-LM rows.
"""

from __future__ import annotations

import itertools
import logging
import re
from typing import Iterable, Iterator, Sequence

import numpy as np

from textmine.errors import InputError
from textmine.qa.data import QAExample, passage_pieces

__all__ = ["QUESTION_WORDS", "answer_spans", "cloze_examples", "cloze_questions", "mix_examples", "tagged_spans"]

# jieba POS tag -> the question word that replaces a name of it; entities are preferred as answers
QUESTION_WORDS = {"nr": "谁", "nrfg": "谁", "nrt": "谁", "ns": "哪里", "nt": "哪个机构"}
# a noun phrase is a run of these tags; it is asked with the word of its head (its last word)
_NOMINAL = frozenset({"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "nw", "j", "l", "vn", "an", "eng"})
_HEADS = {**{head: "哪个机构" for head in ("集团 公司 银行 政府 委员会 协会 组织 联合会 研究所 医院 中心 总局 工厂 "
                                          "部门 机关 机构").split()},
          **{head: "哪所学校" for head in "大学 中学 小学 学校 学院 一中 二中 三中 四中".split()},
          **{head: "谁" for head in ("总统 主席 总理 首相 部长 女士 先生 夫人 将军 丞相 主公 同志 教授 老人 经理 "
                                    "代表 委员 书记 校长 院长 市长 省长 县长 长官 行政长官 主任 局长 厅长 处长 科长 法官 检察官 "
                                    "大使 董事长 总裁 总经理 厂长 队长 会长 社长 议长 司令 司令员 国王 皇帝").split()},
          **{head: "哪里" for head in "省 市 县 镇 乡 村 地区 自治区".split()}}
# countries, asked with 哪个国家 (哪里强调... and 关押在谁的约旦囚犯 read wrong): jieba tags many of them names
# (伊拉克/nrt, 阿根廷/nr) or adverbs (约旦/d, 也门/d), so the kind comes from this list, not the tag
_COUNTRIES = frozenset((
    "中国 美国 英国 法国 德国 俄罗斯 苏联 日本 韩国 朝鲜 印度 巴基斯坦 孟加拉国 尼泊尔 斯里兰卡 阿富汗 伊拉克 伊朗 以色列 "
    "巴勒斯坦 约旦 叙利亚 黎巴嫩 埃及 沙特 沙特阿拉伯 科威特 卡塔尔 阿联酋 也门 阿曼 巴林 土耳其 塞浦路斯 越南 老挝 柬埔寨 "
    "泰国 缅甸 马来西亚 新加坡 印度尼西亚 印尼 菲律宾 文莱 蒙古 哈萨克斯坦 乌兹别克斯坦 吉尔吉斯斯坦 塔吉克斯坦 土库曼斯坦 "
    "格鲁吉亚 亚美尼亚 阿塞拜疆 乌克兰 白俄罗斯 波兰 捷克 斯洛伐克 匈牙利 罗马尼亚 保加利亚 南斯拉夫 阿尔巴尼亚 克罗地亚 "
    "波黑 马其顿 斯洛文尼亚 希腊 意大利 西班牙 葡萄牙 荷兰 比利时 卢森堡 瑞士 奥地利 瑞典 挪威 芬兰 丹麦 冰岛 爱尔兰 "
    "立陶宛 拉脱维亚 爱沙尼亚 摩尔多瓦 加拿大 墨西哥 古巴 巴西 阿根廷 智利 秘鲁 委内瑞拉 哥伦比亚 厄瓜多尔 玻利维亚 乌拉圭 "
    "巴拉圭 巴拿马 尼加拉瓜 危地马拉 澳大利亚 新西兰 南非 尼日利亚 阿尔及利亚 摩洛哥 突尼斯 利比亚 苏丹 埃塞俄比亚 "
    "肯尼亚 坦桑尼亚 津巴布韦 安哥拉 刚果 卢旺达 索马里 贝宁 加纳 喀麦隆 赞比亚 莫桑比克 乌干达 马里 塞内加尔 纳米比亚 "
    "博茨瓦纳 马达加斯加 毛里求斯").split())
# words jieba tags as nouns that say how an act is done when a verb follows (大力推广/nz, 严格控制/n)
_MANNER = frozenset("大力 严格 认真 积极 切实 充分 及时 逐步 依法 重新 主动 全面".split())
_NAME_ADVERBS = frozenset("乃自亦遂便又皆已曰竟")   # classical adverbs (and 曰) jieba glues to a name before them
_COMPOUND_SURNAMES = frozenset("夏侯 诸葛 司马 欧阳 公孙 皇甫 上官 东方 令狐 慕容 长孙 宇文 尉迟 太史 淳于 澹台".split())
# how nouns of people end (托运人, 技术人员, 雇员, 游客, 人们, 被告, 广大职工, 人民群众), including owners (房主,
# 雇主) and sons (天子, 弟子): 主 and 子 end things too (民主, 种子), so only these words; and family and trades
_PEOPLE = ("人", "者", "人员", "客", "们", "原告", "被告", "职工", "员工", "群众", "民", "百姓", "工人", "干部", "官兵",
           "学生", "教师", "党员", "房主", "业主", "雇主", "车主", "户主", "货主", "船主", "债主", "店主",
           "天子", "太子", "世子", "公子", "君子", "弟子", "臣子", "游子", "学子",
           "员", "父母", "父亲", "母亲", "子女", "儿女", "儿子", "女儿", "孩子", "小孩", "儿童", "妻子", "丈夫", "配偶",
           "家人", "亲属", "亲戚", "朋友", "医生", "护士", "律师", "老师", "军师", "士兵",
           "法官", "察官", "军官", "警官", "外交官", "贼")              # 检察官, 监察官; 窃贼, 盗贼; 人民, 士民, 股民
_AGENTS = frozenset("人者员")                # a verb and one of these: the one who does it (寄存人, 保管者)
_STAFFING = frozenset("裁员 减员 动员 满员 超员 缺员 复员 定员".split())   # acts on staff that end in 员, not people
_OF_ALL = frozenset("全民 国民".split())   # 全民健身, 国民经济: what a whole people does or has, not who
# how teams, delegations and schools end, asked as what they are (负于哪支队伍, not 什么 or 谁 for 中欣队/nr)
_GROUPS = {"队": "哪支队伍", "代表团": "哪个代表团", **dict.fromkeys(("大学", "中学", "小学", "学校"), "哪所学校")}
ORG_WORDS = frozenset({"哪个机构", "哪所学校", *_GROUPS.values()})     # question words of organisations
INSTITUTIONS = ("部门", "机关", "机构")          # how a department's name ends (主管部门, 公安机关)
_NUM = r"(?:\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千万亿]+(?:点[〇零一二三四五六七八九]+)?)"   # 十一点五 = 11.5
_MEASURE = ("平方公里|公里|千米|米|公斤|千克|公顷|立方米|千瓦|吨|斤|亩|个月|小时|分钟|亿元|万元|美元|港元|日元|卢布|英镑|元|"
            "个|家|人|名|位|天|周|年|次|件|项|条|所|座|种|台|辆|架|艘|户|倍|岁|届|批|支|场|部|篇|本|份|棵|头|只|间|层|"
            "起|例|股|度|枚|颗|首|张|套|对|双|门|道|节|段|章|回|步|口|处|期|轮|种")
_PART = r"(?:上午|下午|晚上|早上|凌晨|中午|晚|早)?"
# (pattern, how to ask): the numbers, dates and times of a clause, found by their written shape
_SHAPES = [
    (re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})年(?!代)(?:\d{1,2}月(?:\d{1,2}[日号])?)?" + _PART), "date"),
    (re.compile(r"\d{1,2}月(?:\d{1,2}[日号])?" + _PART), "何时"),
    (re.compile(r"\d{1,2}[日号]" + _PART + r"|\d{1,2}[时点](?:\d{1,2}分)?"), "何时"),
    (re.compile(r"\d+(?:\.\d+)?%|百分之[〇零一二三四五六七八九十百点]+"), "多少"),
    (re.compile(f"第{_NUM}(?![〇零一二两三四五六七八九十百千万亿.\\d人])(?:{_MEASURE})?"), "ordinal"),   # 第三人: a party
    (re.compile(f"(?<![第〇零一二两三四五六七八九十百千万亿点\\d])({_NUM}(?:多|余)?)([万亿千百]?(?:{_MEASURE}))"), "count"),
]
_ASCII = re.compile(r"[A-Za-z0-9._-]")
_FUNCTION = frozenset("vdprucfm")                     # tags of verbs, adverbs and function words
_RANGE = frozenset("—－-~～至到")                      # 1961—1992年: one end of a range is no answer
_SMALL = re.compile(r"[2-9]|[两二三四五六七八九]")            # asked with 几, larger numbers with 多少
#: words that join two nouns into one phrase (交流与合作, 认定和劳动能力鉴定)
PAIRING = frozenset("与 或 或者 和 及 以及".split())
_TERMS = ("n", "nz", "l")              # nouns and set phrases, asked with 什么 (verbal nouns give 什么了)
_CLAUSE = re.compile(r"[^,，;；:：。！？!?…]+")        # clauses: a question asks about one
_ENTITY_WEIGHT = 3.0                                  # an entity is this much likelier an answer than a noun


def _shape_spans(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, question word, kind) of the numbers, dates and times in ``text`` (regular
    expressions: jieba tags 300多家 and 4日晚 inconsistently); a number inside a Latin or digit token
    (the 1 of IEEE1003.1) is none."""
    taken: list[tuple[int, int]] = []
    for pattern, how in _SHAPES:
        for m in pattern.finditer(text):
            start, end = m.span()
            if (_inside_token(text, start) or text[start - 1: start] in _RANGE or text[end: end + 1] in _RANGE
                    or any(s < end and start < e for s, e in taken)):
                continue
            if how == "date":
                word, kind = ("哪一年", "year") if m.group().endswith("年") else ("何时", "date")
            elif how == "ordinal":
                word, kind = "第几" + m.group()[1 + len(re.match(_NUM, m.group()[1:]).group()):], "number"
            elif how == "count":
                number, unit = m.groups()
                if number in ("一", "1") or not re.search(r"[\d一二两三四五六七八九十]", number):   # 一个: an article; 万亩: no count
                    continue
                word, kind = ("几" if _SMALL.fullmatch(number) else "多少") + unit, "number"
            else:
                word, kind = how, "date" if how == "何时" else "number"
            taken.append((start, end))
            yield start, end, word, kind


def answer_spans(words: Sequence[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """(start, end, question word, kind) of every candidate answer in a clause's (word, flag) list:
    numbers with their measure words, dates and times (:func:`_shape_spans`), and noun phrases (runs
    of nominal words, asked by their head: a person or a title 谁, a country 哪个国家, a place 哪里, an
    organisation 哪个机构, else 什么, 哪些 before 等), with a place or organisation inside a longer
    phrase asked as 哪里的 / 哪个国家的 / 哪个机构的. An answer starts and ends at word boundaries and
    has two or more characters, so it is never a fragment of a word nor a lone character. Kinds:
    person, place, org, year, date, number, term."""
    text = "".join(word for word, _ in words)
    starts = _positions(words)
    bounds = set(starts) | {len(text)}
    out = [span for span in _shape_spans(text) if span[0] in bounds and span[1] in bounds]
    numeric = [(s, e) for s, e, _, _ in out]
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and (words[j][1] in _NOMINAL or words[j][0] in _HEADS or _level(words, j) or _level(words, j + 1)) \
                and not _glued(words[j][0]) \
                and not any(s < starts[j] + len(words[j][0]) and starts[j] < e for s, e in numeric):
            j += 1
        if j == i:
            i += 1
            continue
        start, end = starts[i], starts[j - 1] + len(words[j - 1][0])
        flags = [flag for _, flag in words[i:j]]
        if set(flags) - {"vn", "an"} and not (_inside_token(text, start) or _inside_token(text, end)):
            head, flag = words[j - 1]
            word = ("哪个国家" if head in _COUNTRIES and j - i == 1 else _HEADS.get(head)
                    or _group(head, end - start) or QUESTION_WORDS.get(flag)
                    or ("谁" if len(head) > 1 and head.endswith(_PEOPLE) and flag in ("n", "l")
                        and head not in _STAFFING | _OF_ALL else None)                  # 托运人, 广大职工
                    or ("谁" if len(head) > 2 and head.endswith("长") and flag == "n" else None)     # 理事长, 秘书长
                    or ("哪个机构" if len(head) > 2 and head.endswith(INSTITUTIONS) else None)   # 主管部门
                    or ("哪些" if text.startswith("等", end) else "什么"))
            kind = {"谁": "person", "哪里": "place", "哪个国家": "place"}.get(word, "org" if word in ORG_WORDS else "term")
            # 什么 between a count and its noun, or before the rest of a phrase (什么负担), reads as no question
            loose = kind == "term" and (start in {e for _, e in numeric} or end in {s for s, _ in numeric}
                                        or text.startswith("的", end) or _runs_on(words, i, j))
            titled = kind == "person" and j < len(words) and words[j][1] in ("n", "b", "nr")   # 谁副总理
            if end - start > 1 and not loose and not titled:
                out.append((start, end, word, kind))
            for k in range(i, j - 1):                            # 北京 of 北京市政府: 哪里的市政府
                w, f = words[k]
                if (f in ("ns", "nt") or w in _COUNTRIES) and len(w) > 1 and words[k + 1][1] == "n":
                    asked = "哪个国家" if w in _COUNTRIES else QUESTION_WORDS[f]
                    part = "org" if f == "nt" and asked != "哪个国家" else "place"
                    out.append((starts[k], starts[k] + len(w), asked + "的", part))
        i = j
    return sorted(out)


def _level(words: Sequence, j: int) -> bool:
    """Whether words[j] is the 以上 / 以下 of a level inside a noun phrase (县级以上人民政府, 省级以下
    地方政府): a distinguishing word before it, a noun after it. ``words`` holds (word, flag) pairs
    (or the clause words, whose first two fields are those)."""
    return (0 < j < len(words) - 1 and words[j][0] in ("以上", "以下") and words[j - 1][1] == "b"
            and words[j + 1][1] in ("n", "nt", "ns", "nz", "l", "j"))


def _group(head: str, length: int) -> str | None:
    """The question word of a team, a delegation or a school named by a phrase of ``length``
    characters ending in ``head`` (上海队, 中国代表团, 北京大学), None for anything else; the bare
    word (队, 代表团) names none."""
    return next((asked for end, asked in _GROUPS.items() if head.endswith(end) and length >= len(end) + 2), None)


def _runs_on(words: Sequence[tuple[str, str]], i: int, j: int) -> bool:
    """Whether the noun run words[i:j] goes on into the word after it: a noun or a noun's modifier
    (什么负担, 什么县级人民政府), a verb inside the clause (什么研究 of 科学研究), or at the clause's
    start a verb that with the noun after it heads the subject (国有资产 | 流失总额达到1亿元) or that a
    conjunction pairs with another noun (工伤 | 认定和劳动能力鉴定). A noun
    run opening its clause before a verb is its subject (国家支持公共图书馆...), which 什么 asks well."""
    if j >= len(words) or words[j][1] not in ("n", "b", "v"):
        return False
    if words[j][1] != "v" or i > 0:
        return True
    if j + 1 < len(words) and words[j + 1][0] in PAIRING:
        return True                        # 工伤 | 认定和劳动能力鉴定: the verb is a noun of a pair
    return j + 2 < len(words) and words[j + 1][1] == "n" and words[j + 2][1][:1] in ("v", "d", "a")


def compound_name(word: str) -> bool:
    """Whether ``word`` is a two-character surname and a one-character given name (夏侯尚, 夏侯惇):
    a whole name, though its last character may be a verb or adverb (尚) the glued-name checks look for."""
    return len(word) == 3 and word[:2] in _COMPOUND_SURNAMES


def agent_noun(word: str) -> bool:
    """Whether ``word`` is a verb and 人, 者 or 员 (寄存人, 托运人, 管理者): the one who does what the verb
    says, not a name with a verb glued to it."""
    import jieba.posseg

    return word[-1] in _AGENTS and jieba.posseg.dt.word_tag_tab.get(word[:-1], "n")[0] == "v"


def _glued(word: str) -> bool:
    """Whether a word jieba calls a noun is likely a name glued to the verb after it (孙乾见, 刘封引,
    巴方未, 加大力度): three or more characters, rare or unknown in jieba's dictionary, ending in a
    character or starting with a word the dictionary calls a verb, adverb or function word."""
    if len(word) < 3 or compound_name(word):
        return False
    import jieba.posseg

    freq, tags = jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab
    if freq.get(word, 0) >= 5 or agent_noun(word):
        return False
    return tags.get(word[-1], "n")[0] in _FUNCTION or tags.get(word[:2], "n")[0] == "v"


def _inside_token(text: str, i: int) -> bool:
    """Whether offset ``i`` of ``text`` falls inside a Latin or digit token (IEEE1003.1)."""
    return 0 < i < len(text) and _ASCII.fullmatch(text[i - 1]) is not None and _ASCII.fullmatch(text[i]) is not None


def _spans(words: Sequence[tuple[str, str]]) -> Iterator[tuple[int, int, str, float]]:
    """(start, end, question word, weight) of each candidate answer of :func:`answer_spans`."""
    for start, end, word, kind in answer_spans(words):
        yield start, end, word, 1.0 if kind == "term" else _ENTITY_WEIGHT


def tagged_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every candidate answer in ``text``, as the cloze pairs choose them: the spans a
    question about ``text`` should be answered with."""
    return [(start, end) for start, end, _, _ in _spans(_tagged(text))]


def _tagged(text: str) -> list[tuple[str, str]]:
    """``text`` as jieba's (word, part-of-speech flag) pairs, a country always a place (ns)."""
    import jieba
    import jieba.posseg

    jieba.default_logger.removeHandler(jieba.log_console)      # as textmine.corpus.tokenizers does: no stderr chatter
    jieba.default_logger.setLevel(logging.NOTSET)
    out = []
    for pair in jieba.posseg.lcut(text):
        if _adverb_glued(pair.word, pair.flag):
            out += [(pair.word[:-1], pair.flag), (pair.word[-1], "v" if pair.word[-1] == "曰" else "d")]
        elif (verb := _phrase_tag(pair.word, pair.flag)):
            out.append((pair.word, verb))
        else:
            out.append((pair.word, "ns" if pair.word in _COUNTRIES else pair.flag))
    return out


def _adverb_glued(word: str, flag: str) -> bool:
    """Whether a name jieba tags is a name and the classical adverb after it (孔明乃, 玄德自, 袁绍已,
    孔明曰): jieba's dictionary holds hundreds of such words, tagged names, from classical novels. Only
    adverbs no given name ends in; 方, 齐 and 先 end real names (任贤齐, 吕奉先)."""
    return flag.startswith("nr") and len(word) >= 3 and word[-1] in _NAME_ADVERBS and not compound_name(word)


def _phrase_tag(word: str, flag: str) -> str:
    """The tag of a four-character phrase jieba's dictionary calls a name or a noun, or "" when
    ``word`` is none: an adverb (or a noun of manner, 大力) and its verb is a verb (大力推广/nz, 严格控制/n,
    充分发挥/n), and so is any word and a verb tagged as a name (隆重举行/nr, 明显增加/nr: hundreds of
    them), unless the word is a noun, which makes a compound noun (法律援助/nr: n)."""
    import jieba.posseg

    if len(word) != 4 or not (flag.startswith("nr") or flag in ("n", "nz", "l")):
        return ""
    tags = jieba.posseg.dt.word_tag_tab
    first, second = tags.get(word[:2], "nr"), tags.get(word[2:], "")
    if not second.startswith("v"):
        return ""
    if first in ("d", "ad") or word[:2] in _MANNER:
        return "v"
    if not flag.startswith("nr") or first.startswith("nr"):
        return ""
    return "n" if first.startswith("n") else second


def cloze_questions(text: str, *, max_answer: int = 16, max_question: int = 32) -> list[tuple[str, str, float]]:
    """Every (answer, question, weight) the clauses of ``text`` offer: for each candidate span, its
    clause with the span replaced by the question word, ending in ？. A clause needs a verb outside
    the span, as a question needs a predicate: news datelines (据新华社拉萨1月4日电), headings and
    lists give none, which would otherwise teach the model one stock question per domain."""
    out = []
    for match in _CLAUSE.finditer(text):
        clause = match.group().strip()
        words = _tagged(clause)
        verbs = verb_positions(words)
        for start, end, asked, weight in _spans(words):
            question = clause[:start] + asked + clause[end:] + "？"
            if (end - start <= max_answer and len(clause) - (end - start) >= 4 and len(question) <= max_question
                    and any(not start <= v < end for v in verbs)):
                out.append((clause[start:end], question, weight))
    return out


def verb_positions(words: Sequence[tuple[str, str]]) -> list[int]:
    """Character offsets of the verbs (not verbal nouns) and verbal idioms (进一步提高) of a (word, flag) list."""
    return [position for position, word in zip(_positions(words), words) if _verbal(*word)]


def _verbal(word: str, flag: str) -> bool:
    """A verb, a verbal idiom (进一步提高), or a set phrase ending in an aspect particle (肩负着)."""
    return flag.startswith("v") and flag != "vn" or flag == "i" or flag == "l" and word[-1] in "着了过"


def _positions(words: Sequence[tuple[str, str]]) -> list[int]:
    return list(itertools.accumulate((len(word) for word, _ in words[:-1]), initial=0))


def cloze_examples(documents: Iterable[str], *, max_len: int = 128, max_answer: int = 16, max_question: int = 32,
                   seed: int = 0) -> list[QAExample]:
    """One cloze pair per clause of ``documents`` that has a candidate answer (see the module
    docstring), drawn by weight (an entity or number three times as often as a noun); the passage is
    the clause's piece (:func:`~textmine.qa.data.passage_pieces`). Holds the pairs in memory (one pass
    over the documents; jieba POS tagging runs at ~50k characters/s)."""
    if isinstance(documents, str):
        raise InputError("documents is a single string; expected an iterable of documents (e.g. a list)")
    rng = np.random.default_rng(seed)
    out = []
    for document in documents:
        for piece in passage_pieces(document, max_len):
            for match in _CLAUSE.finditer(piece):
                candidates = cloze_questions(match.group(), max_answer=max_answer, max_question=max_question)
                if candidates:
                    weights = np.array([weight for *_, weight in candidates])
                    answer, question, _ = candidates[rng.choice(len(candidates), p=weights / weights.sum())]
                    out.append(QAExample(piece, answer, question))
    return out


def mix_examples(labelled: Sequence, synthetic: Sequence, share: float, seed: int = 0,
                 option: str = "documents_share") -> list:
    """``labelled`` plus synthetic items drawn (without replacement while they last) so that they are
    ``share`` of the result: the trainer samples examples uniformly, so this is their share of steps.
    ``option`` names the share in errors."""
    if not 0 < share < 1:
        raise InputError(f"{option}={share}; expected a share of the training examples between 0 and 1")
    if not synthetic:
        raise InputError("no synthetic pairs to mix in; the documents have no sentence to ask about")
    wanted = round(share / (1 - share) * len(labelled))
    rng = np.random.default_rng(seed)
    drawn = np.concatenate([rng.permutation(len(synthetic)) for _ in range(-(-wanted // len(synthetic)))])[:wanted]
    return [*labelled, *(synthetic[i] for i in drawn)]


def masked_lm_pieces(documents: Iterable[str], max_len: int = 128) -> list[str]:
    """The documents cut into passage pieces, the texts of masked-LM training rows."""
    if isinstance(documents, str):
        raise InputError("documents is a single string; expected an iterable of documents (e.g. a list)")
    return [piece for document in documents for piece in passage_pieces(document, max_len) if piece.strip()]
