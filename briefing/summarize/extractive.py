"""The embedded summarizer: one briefing sentence, extracted and compressed, deterministic.

A briefing says when, who (the leading official with post), where, what (the meeting or the
visit) and above all what was decided, required or deployed, with the figures that matter. So:

1. The report is read once into a `Doc`: its sentences (by paragraph) with page chrome cut off
   (datelines, bylines, photo credits, `[摘要]`, `原标题`), self-references (我县) replaced by the
   report's place, and a day without its month (`18日`) given the report's month.
2. The event: the opening sentence that says what took place (召开/调研/举行 …), compressed to
   its when-who-where-what clauses. Purpose clauses (为进一步…), the basis (按照…部署), attendee
   lists (…等参加会议) and praise never stay. A report whose text has no such sentence (a page
   cut at the start) takes its headline when that names the event.
3. The content: every other clause is a candidate, scored by named features summed in one
   place (`CLAUSE_WEIGHTS`): inside the scope of a reporting verb (会议要求/强调/指出/部署 …), the
   head of a numbered task, a counted figure, a named programme (“…”/《…》), the headline's topic;
   slogans, purpose and result tails, praise and quotes lose. Clauses are shortened (subjects and
   adverbs before 要 dropped) and taken best first within the character budget, then put back in
   the report's order, each group behind its reporting verb (会议要求 / 县长某某强调).

Nothing is invented: every clause is the report's own text; the only words added are the
report's resolved place for 我县, its month for a bare day, an official's post from the report,
and the reporting verb the report itself used. `select_input` gives the seq2seq backend the
same selection, as its input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import Official, Region, Report, Summary
from ..sentences import split_clauses, split_sentences
from ..settings import SummarizeSettings
from ..text import HAN, LOST_MARK, clause_start

_DEFAULTS = SummarizeSettings()  # [summarize] max_chars and max_sentences

# --- weights and thresholds: each scoring family a named weight, summed in `_clause_score` ----------
CLAUSE_WEIGHTS: dict[str, float] = {
    "decision": 2.0,  # inside a reporting verb's scope (会议要求 …), times the verb's weight below
    "item_head": 0.8,  # the first clause of a numbered task or of a 要 item
    "figure": 2.0,  # a counted figure (958户, 300万元, 25.3%)
    "aggregate": 0.6,  # 全市…/共…/累计…: a figure about the whole place or programme
    "anecdote": -1.5,  # 自己/他家…: one household's figure
    "programme": 0.7,  # a named programme or document: “四个不摘”, 《监察法》
    "outcome": 1.5,  # 签订协议 / 审议通过 / 表彰: what the meeting produced
    "listing": 0.3,  # a list of concrete things (危房、教育、医疗)
    "topic": 0.8,  # share of the headline's character pairs
    "action": 0.5,  # outside any decision, a clause that says what was done (帮助…发展…, 签订…)
    "slogan": -1.6,  # each slogan the clause is made of
    "short": -2.0,  # under 6 characters: a slogan or a fragment (twice under 5)
    "long": -0.6,  # over 34 characters: costly
    "result_tail": -0.9,  # 为…提供保障 / 推动…: the effect hoped for, not the task
    "no_task": -0.8,  # a decision clause that does not start with what is to be done
    "statement": -0.6,  # X是Y: an assessment more than a task
    "study": -1.8,  # 贯彻落实…精神: studying what others decided
    "quote": -1.0,  # a villager's words in quotes
    "lost": -0.5,  # a character lost in conversion
    "event_rest": -0.4,  # the rest of the event sentence: agenda more than decision
    "frame": -3.0,  # 在安全生产工作上 / 脱贫攻坚方面 / 以更有力的举措: a heading or a manner, not a task
    "praise": -4.0,
    "attendance": -4.0,
    "purpose": -4.0,
}
# How surely what follows a reporting verb is a decision: 指出 and 表示 often only assess.
VERB_WEIGHTS: dict[str, float] = {"指出": 0.6, "表示": 0.3, "说": 0.3, "建议": 0.8}
MIN_CLAUSE_SCORE = 0.3  # below this a decision is not worth its characters
MIN_OTHER_SCORE = 1.5  # a clause outside any decision needs a figure, an outcome or a named programme
MIN_FILL_SCORE = 0.0  # what may make up a summary shorter than MIN_SUMMARY_CHARS
MIN_SUMMARY_CHARS = 80
EVENT_MAX_CHARS = 72  # the when-who-where-what part; the rest of the budget is for decisions
# The last characters of the budget are kept for whole decisions (a clause scoring at least one decision's
# weight): a facts clause or a weak requirement that would only fill the line stops this much earlier, so
# the summary is long only when it carries more of what was decided.
DECISION_RESERVE_CHARS = 15

# --- chrome: cut wherever a sentence carries it (ordered: the list's order is the cascade) --------
# Each rule: (id, pattern); the match is removed from the sentence.
_NAME = rf"[{HAN}]{{2,3}}"
CHROME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 【摘要】 [导读] 核心提示：a page's teaser label, the text after it stays
    ("summary-label", re.compile(r"^\s*[\[【［]\s*(?:摘要|导读|提要|内容提要|核心提示|编者按)\s*[\]】］]\s*[:：]?\s*")),
    ("summary-label", re.compile(r"^\s*(?:摘要|导读|核心提示|编者按)\s*[:：]\s*")),
    # 新武山讯5月31日 / 新晃融媒7月1讯 / 讯 近日 / 本报讯（记者 某某） / 本网日喀则4月22日电
    (
        "dateline",
        re.compile(
            rf"^[^，。；、“”]{{0,24}}?(?:(?:19|20)\d{{2}}年)?(?:\d{{1,2}}月\d{{1,2}}日?)?(?:讯|电)"
            rf"(?=\s|[（(【\[]|\d|近日|日前|昨日|昨天|今日|今天|日|记者|通讯员|{_NAME}?$)\s*"
        ),
    ),
    # （张建贞） / （记者 某某 通讯员 某某） / (通讯员：某某) at the start of a paragraph
    (
        "byline",
        re.compile(
            rf"^[（(]\s*(?:(?:本报|本网|特约)?(?:记者|通讯员|实习生|作者)\s*[:：]?\s*)?[{HAN}·\s、]{{2,24}}[)）]\s*"
        ),
    ),
    # 记者 某某 通讯员 某某 before the first words of the report (近日/5月…)
    (
        "byline",
        re.compile(
            rf"^(?:(?:本报|本网|本台|特约)?(?:记者|通讯员|实习生)\s*[:：]?\s*{_NAME}(?:[、\s]+{_NAME})*\s*)+"
            r"(?=近日|日前|昨日|昨天|今日|今天|\d|[，,\s]|$)"
        ),
    ),
    # 记者日前从省文化和旅游厅获悉，/ 23日，记者从住建厅获悉，/ 据了解，: the reporter's own framing (the
    # day before it is the day of the reporting, not of the meeting)
    (
        "reporter-framing",
        re.compile(
            r"^(?:(?:(?:\d{1,2}月)?\d{1,2}日|昨日|昨天|今日|今天)[，,]?\s*)?"
            r"(?:(?:本报|本台|本网)?记者[^，。]{0,30}?(?:获悉|了解到|获知|看到)|据了解|据悉|据介绍)[，,]\s*"
        ),
    ),
    # 据青浦区消息：/ 据新华社报道，: whose news it was, not what happened
    ("reporter-framing", re.compile(r"^据[^，。：:；“”]{2,16}?(?:消息|报道)[：:，,]\s*")),
    # 文章来源：某某广播电视台2018-04-30 20:30:00点击数：次, glued into the text by the scraper
    (
        "page-meta",
        re.compile(
            r"(?:(?:文章|信息|新闻)?来源|稿源)[:：][^，。]{2,24}?(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
            r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:点击数|点击|浏览次数|阅读数|阅读)[:：]?\s*\d*\s*次?)?"
        ),
    ),
    # 本期编辑 | 某某 / 点击蓝色字免费订阅，每天都能收到好信息 / 关注我们: a newsletter's furniture
    ("furniture", re.compile(r"^(?:本期)?(?:编辑|责编|审核|校对)\s*[|｜]\s*")),
    (
        "furniture",
        re.compile(r"^(?:点击|长按)[^，。]{0,12}(?:订阅|关注)[^，。]{0,6}(?:[，,]\s*每天都能收到[^，。\d]{0,6}?信息)?"),
    ),
    ("furniture", re.compile(r"^关注我们\s*")),
    # 某某 摄导语5月22日: a photo credit, then a 导语 label (its middle character lost)
    ("photo-credit", re.compile(rf"^[，\s]*{_NAME}\s*摄(?=导|\s)")),
    ("summary-label", re.compile(r"^\s*导\s*[?？\u25a1]?\s*语\s*[:：]?\s*")),
    # • 全省…座谈会召开: a list bullet
    ("bullet", re.compile(r"^[•·▪●■◆◇○►▶\-－—*]+\s*")),
    # （记者 某某 摄） / 某某 摄 at the end: a photo credit
    ("photo-credit", re.compile(r"[（(][^（）()]{0,30}摄[^（）()]{0,6}[)）]")),
    ("photo-credit", re.compile(rf"\s*(?:(?:记者|通讯员)\s*)?{_NAME}(?:\s+{_NAME})*\s+摄\s*$")),
    # （某某报记者 某某） anywhere
    ("byline", re.compile(r"[（(][^（）()]{0,30}(?:记者|通讯员|实习生)[^（）()]{0,30}[)）]")),
)
# A sentence that is only chrome: a headline repeated as 原标题, a photo caption, an editor's line.
_CHROME_SENTENCE = re.compile(
    r"原标题|^图为|^(?:图|图片|来源|编辑|责任编辑|责编|审核|作者|摄影)\s*[:：]|^[（(][^（）()]*[)）]$|点击(?:查看|阅读)|转载请注明"
)
_TIME_OF_DAY = re.compile(r"(?<=日)(?:上午|下午|中午)")
# 做好新年度机关党建工作□一要不断强化理论武装: a character lost before a numbered item was its colon
_LOST_COLON = re.compile(rf"{LOST_MARK}(?=[一二三四五六七八九十](?:是|要|、)|\d{{1,2}}[、.．])")
# 昨天下午，青浦区召开…: a day counted from a publication the reader does not see; the report's
# date stands in for it, or nothing when the report has none
_RELATIVE_DAY = re.compile(
    r"(?:^|(?<=[，,。；]))\s*(?:昨天|昨日|前天|今天|今日)(?:上午|下午|晚上|晚间|晚)?(?=\s*[，,]|在|召开|举行|举办|到|赴)"
)
# 副省长某某在市长某某等的陪同下，来到…: the escort is not news, and 他 after it is the visitor
_ESCORTED = re.compile(r"[，,]?在[^，。；]{2,40}?(?:等)?(?:人)?(?:的)?(?:陪同|陪伴)下[，,]?")
# 胜利召开 / 隆重举行: praise of the meeting itself
_PRAISED_HOLDING = re.compile(r"(?:胜利|隆重|顺利|圆满)(?=召开|举行|举办|开幕|闭幕)")

# --- self-references and bare days -------------------------------------------------------------
_SELF = re.compile(r"我(县|市|区|镇|乡|州|旗)")
_BARE_DAY = re.compile(r"(?<![\d月年至到~～\-—－、和及])(\d{1,2})日(?![\d])")

# --- the event ----------------------------------------------------------------------------------
_EVENT_VERB = re.compile(
    r"召开|举行|举办|主持|开班|开幕|启动|(?:调研|视察|考察|督查|督导|检查)(?![组团])|慰问|走访|察看|查看|观摩|座谈|会见|"
    r"收听收看|深入|前往|赴|来到|到(?![底位])"
)
_MEETING_WORD = re.compile(r"会议|会$|推进会|座谈会|现场会|培训班|活动|仪式|论坛|对接会")
_TIME_WORDS = "近日|日前|昨天|昨日|今天|近期"  # a day the report gives in words
_DATE = re.compile(rf"\d{{1,2}}月\d{{1,2}}(?:日|[至到—\-－~～]\d{{1,2}}日)|(?:19|20)\d{{2}}年\d{{1,2}}月|{_TIME_WORDS}")
# A purpose, a basis or a scene: context, never news.
_PURPOSE = re.compile(
    r"^(?:严格按照|为了|为(?:进一步|全面|切实|加快|推动|推进|深入|确保|做好|贯彻|落实|巩固|加强|提升|提高|促进|营造|助推|助力|"
    r"有效|扎实|认真|积极|更好|持续|不断|大力|着力|打赢|打好|决战|实现|充分|迎接|庆祝|纪念|激发|强化|规范|统筹|优化|"
    r"保证|保持|抓好|抓实|坚决|全力|努力|奋力|进一步)|旨在|以期|以便|围绕|聚焦|按照|根据|依据|遵照|对照|结合|本着|"
    r"通过[^，]*(?:形式|方式|努力)$|在[^，]{0,20}(?:背景|之际|契机|指导)下?$)"
)
_PURPOSE_TAIL = re.compile(r"旨在|以期")
_ATTEND = re.compile(
    r"(?:参加|出席|列席|陪同|参会|与会)(?:了)?(?:会议|活动|调研|检查|座谈|仪式|培训)?$|^(?:参加|出席)(?:会议|活动)的"
)
_GROUP_WORDS = re.compile(r"等|及|、|和|相关|有关|负责人|负责同志|成员|干部|代表|人员|领导|同志|班子|单位|部门")
_PRAISE = re.compile(
    r"充分肯定|高度评价|高度肯定|给予肯定|表示感谢|表示祝贺|衷心感谢|热烈欢迎|一致认为|成效明显|成效显著|"
    r"取得了?(?:显著|明显|积极|良好)|可圈可点|有声有色|亮点纷呈|好评|感谢|致以|问候"
)
# --- the content ----------------------------------------------------------------------------------
# A reporting verb opens the scope of what was decided or required; its subject is kept.
_REPORTING = re.compile(
    # 要求/强调/指出 report what follows them; the others only before a stop or a task's first words.
    r"(?<![的和与按照根据])(?:(要求|强调|指出|勉励|鼓励|希望)(?:要求|指出)?(?![的和])|"
    r"(提出|(?<![再研究安排统筹和])部署|明确|号召|表示|决定|建议|说)(?:了)?"
    r"(?:(?:[一二三四五六七八九十两几\d]+点|如下|以下)(?:具体)?(?:要求|意见|希望|建议)|期望和要求|[^，：:]{0,4}意见)?"
    r"(?=[，：:]|$|[一二三四五六]是|[一二三四五六]要|要|各|全|把|将|对|在|以|进一步|切实|认真|加快|加强|做好|抓好|坚持|持续))"
    r"[，：:]?"
)
_ITEM_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]是|[一二三四五六七八九十]要|第[一二三四五六七八九十](?=[，、是要条])|首先|其次|再次|最后|"
    r"[（(][一二三四五六七八九十\d][)）]|\d[.、．])"
)
_LEAD_WORDS = re.compile(
    r"^(?:并|还|也|同时|此外|另外|其中|一方面|另一方面|首先|其次|再次|最后|"
    r"[一二三四五六七八九十]是|[一二三四五六七八九十]要|第[一二三四五六七八九十](?=[，、是要条])|[（(][一二三四五六七八九十\d][)）]|\d[.、．])+"
)
# 各相关部门要 / 工作人员要 / 领导干部特别是纪检监察干部要: a subject before 要, dropped.
_SUBJECT_MUST = re.compile(rf"^[{HAN}、“”（）()]{{0,16}}?(?<![重主需只纲摘提概必])要(?![求点素件务闻害领道])")
_ADVERBS = re.compile(
    r"^(?:要|进一步|更加|切实|认真|扎实|全力|全面|积极|大力|务必|必须|一定要|坚决|持续|不断|着力|努力|继续)+"
)
_FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:余|多)?\s*(?:万|亿)?"
    r"(?:户|人次|人|元|名|%|个(?:村|百分点|乡镇|社区)?|亩|项|次|家|吨|公里|千瓦|套|台|条|所|座|批|场|期|笔)"
)
_YEAR_OR_DAY = re.compile(r"(?:19|20)\d{2}年|\d{1,2}月(?:\d{1,2}日)?")
_PROGRAMME = re.compile(r"“[^”]{2,20}”|《[^》]{2,30}》")
# Slogans any meeting could have said: a clause made of them says nothing of this one.
_SLOGAN = re.compile(
    r"提高政治站位|提高思想认识|统一思想|高度重视|思想上高度重视|增强责任感|使命感|紧迫感|责任意识|"
    r"攻坚克难|迎难而上|克服困难|狠抓落实|真抓实干|担当作为|履职尽责|压实责任|明确责任|落实责任|"
    r"加强领导|加强组织领导|形成合力|凝聚合力|协调配合|密切配合|务求实效|取得实效|确保实效|"
    r"以习近平新时代中国特色社会主义思想为指导|深入学习贯彻|认真贯彻落实|决策部署|"
    r"打[好赢]{1,2}(?:打[好赢])?[^，]{0,6}脱贫攻坚战|新篇章|新局面|新气象|新作为|新成效|再上新台阶|"
    r"不折不扣|全力以赴|撸起袖子|久久为功|持之以恒|再接再厉|常抓不懈|抓紧抓实|抓细抓实|做实做细|"
    # 把脱贫攻坚作为极其重要的政治任务: how much it matters, said of every priority
    r"(?:作为|当作|摆在)[^，]{0,30}(?:政治任务|头等大事|重中之重|首要任务|第一要务|底线目标|突出位置|重要位置)"
)
_QUOTE_OPEN = ("“", '"', "「")
_OUTCOME = re.compile(r"签订|签署|签约|审议通过|表决通过|研究通过|会议通过|印发|出台了|表彰|授牌|揭牌|宣布")
_AGGREGATE = re.compile(
    r"^(?:全市|全县|全区|全镇|全乡|全州|全省|全旗|截至|截止|目前|今年|共|累计|已)|共|累计|全部|总投资|总计|合计"
)
_ANECDOTE = re.compile(r"自己|自家|我家|他家|她家|每斤|每天|一年能|家里")
# A task starts with what is to be done: 做好…, 建立健全…, 把…纳入…, 对…进行…
_TASK_VERBS = (
    r"(?:做好|做实|做细|抓好|抓实|抓紧|加强|加大|加快|开展|制定|建立|健全|完善|推进|推动|完成|落实|强化|纳入|"
    r"实施|组织|规范|提高|提升|确保|保证|实现|发展|培育|打造|整合|解决|化解|排查|整改|督促|引导|鼓励|支持|帮助|"
    r"选派|签订|签约|设立|成立|出台|启动|召开|举办|开通|建成|建设|改造|治理|整治|清理|查处|打击|严把|严格|守好|"
    r"守住|压实|明确|细化|聚焦|突出|围绕|坚持|注重|发挥|用好|管好|用足|利用|依托|优化|创新|探索|拓展|扩大|延伸|"
    r"增加|减少|缩短|兑现|配置|配备|落细|夯实|筑牢|加紧|研究|部署|安排|进行|给予|予以|"
    r"抓住|狠抓|力戒|预防|防范|防止|杜绝|惩治|引进|避免|排除|熟悉|掌握|挖掘|参与|保障|维护|提供|把|将|对|由|让|使|从|以)"
)
_TASK = re.compile(
    r"^(?:(?:深入|全面|加快|积极|认真|严格|扎实|尽快|及时|继续|大力|着力|重点|统筹|精准|逐步|依法|有序|拟|层层|主动|毫不松懈地)?"
    rf"{_TASK_VERBS}|[^，]{{1,8}}(?:要|须|必须|应|应当|务必))"
)
# 学习贯彻…精神 / 落实…决策部署: studying what others decided, said of every meeting.
_STUDY = re.compile(
    r"^(?:深入|深刻|认真|全面|充分|进一步)?(?:学习|贯彻|落实|传达|领会|践行|理解|认识|把握)[^，]*"
    r"(?:精神|精神实质|讲话|指示|决定|部署|要求|理念|含义|意义|内涵)$"
)
_RESULT_TAIL = re.compile(r"^(?:为|以|从而|进而|推动|助推|助力|努力|奋力|不断)")


# A person's name as the officials list should give it; anything else (和两, 一行) is not trusted.
_PERSON_NAME = re.compile(rf"(?![和及与等同])[{HAN}·]{{2,5}}")


@dataclass(frozen=True)
class ReportContext:
    """What the report's own facts add to its text: its places by level, its month, its headline,
    and its officials (for the post of a speaker named without one)."""

    title: str = ""
    month: int | None = None
    day: int | None = None
    places: dict[str, str] = field(default_factory=dict)  # 县 -> 道县, 市 -> 永州市 ...
    officials: tuple[Official, ...] = ()
    text: str = ""  # the report's body, for a speaker's post given elsewhere

    @classmethod
    def from_report(cls, report: Report) -> ReportContext:
        return cls(
            title=report.title,
            month=report.date.month if report.date.iso else None,
            day=report.date.day if report.date.iso else None,
            places=places_by_level(report.region),
            officials=tuple(o for o in report.officials if _PERSON_NAME.fullmatch(o.name)),
            text=report.body,
        )


def places_by_level(region: Region) -> dict[str, str]:
    """The name each self-reference (我县, 我市 …) stands for in a report placed at `region`.

    The most specific level that the word can name: 我市 is a county-level city when the report
    is placed in one, else its prefecture-level city; a level the region does not name is absent
    (the word is then dropped, not guessed)."""
    places: dict[str, str] = {}
    county, city, town = region.county or "", region.city or "", region.town or ""
    if county:
        places["县"] = county if county.endswith(("县", "旗")) else ""
        places["旗"] = county if county.endswith("旗") else ""
        places["区"] = county if county.endswith("区") else ""
    if county.endswith("市"):
        places["市"] = county
    elif city.endswith("市"):
        places["市"] = city
    if city.endswith("州"):
        places["州"] = city
    elif county.endswith("州"):
        places["州"] = county
    if not places.get("区") and city.endswith("区"):
        places["区"] = city
    if town.endswith("镇"):
        places["镇"] = town
    if town.endswith("乡"):
        places["乡"] = town
    return {level: name for level, name in places.items() if name}


def tidy_sentence(sentence: str, context: ReportContext) -> str:
    """The sentence without page chrome, with the report's place for 我县/我镇/我市/我区/我乡 and
    with its month before a bare day; empty when the sentence is chrome as a whole."""
    text = sentence.strip()
    if _CHROME_SENTENCE.search(text):
        return ""
    for _rule, pattern in CHROME_RULES:
        text = pattern.sub("", text, count=1)
    text = _SELF.sub(lambda m: context.places.get(m.group(1), ""), text)
    day = f"{context.month}月{context.day}日" if context.month and context.day else ""
    text = _RELATIVE_DAY.sub(day, text)
    text = _restore_months(text, context.month)
    text = _PRAISED_HOLDING.sub("", _TIME_OF_DAY.sub("", text))
    text = _ESCORTED.sub("", text)
    text = _LOST_COLON.sub("：", text)
    return text.strip(" \u3000，,")


def _restore_months(text: str, month: int | None) -> str:
    def repl(m: re.Match[str]) -> str:
        day = int(m.group(1))
        if not 1 <= day <= 31:
            return m.group(0)
        return f"{month}月{day}日" if month else ""

    text = _BARE_DAY.sub(repl, text)
    return text.lstrip("，, ")


@dataclass(frozen=True)
class Sentence:
    text: str  # tidied
    index: int
    paragraph: int


@dataclass(frozen=True)
class Doc:
    """The report read once: tidied sentences with their paragraph, the headline, the context."""

    sentences: tuple[Sentence, ...]
    context: ReportContext

    @classmethod
    def parse(cls, body: str, context: ReportContext) -> Doc:
        sentences: list[Sentence] = []
        for number, paragraph in enumerate(p for p in body.split("\n") if p.strip()):
            # 保证4、做好…: a numbered item whose stop before it was lost starts a clause of its own
            paragraph = re.sub(rf"(?<=[{HAN}])(?<![第和及至到])(?=[1-9][、．.][{HAN}])", "，", paragraph)
            for raw in split_sentences(paragraph):
                # 会议□□人大常委会副主任…: a lost stop (and a lost character) between two clauses
                text = tidy_sentence(re.sub(f"{LOST_MARK}{{2,}}", "，", raw), context)
                if not sentences and (rest := _after_headline(text, context.title)) != text:
                    text = tidy_sentence(rest, context)  # what the glued headline hid from the chrome rules
                if text and len(text) >= 4:
                    sentences.append(Sentence(text, len(sentences), number))
        # …推进全面从严治党向纵深发展，切实把党组织建设的更加坚: a page cut mid-sentence; its last clause is
        # a fragment (a whole last clause without its stop, 全镇958户全部脱贫, stays)
        if sentences and not body.rstrip().endswith(_SENTENCE_STOPS):
            last = sentences[-1]
            if (cut := max(last.text.rfind("，"), last.text.rfind("；"))) > 0:
                sentences[-1] = Sentence(last.text[:cut], last.index, last.paragraph)
        return cls(tuple(sentences), context)


_SENTENCE_STOPS = ("。", "！", "？", "!", "?", "…", "”", "」", "）", ")")
# How a report's first words begin: a date, a time word, a dateline or a reporter's framing.
_OPENING = re.compile(rf"(?:\d{{1,2}}[月日]|(?:19|20)\d{{2}}年|{_TIME_WORDS}|今日|本报|本网|记者|据)")


def _after_headline(text: str, title: str) -> str:
    """本期编辑 | 某某筠连县推进就业扶贫工作昨日，…: a scraper glued the page's furniture and its headline
    to the first sentence; the report starts after the headline."""
    at = text.find(title) if len(title) >= 6 else -1
    if at < 0 or at > 30 or re.search(r"[，。；,]", text[:at]):
        return text  # not there, or inside the report's own sentence (5月21日，县长某某到…调研)
    rest = text[at + len(title) :].lstrip(" \u3000|｜")
    return rest if len(rest) >= 8 and _OPENING.match(rest) else text


@dataclass(frozen=True)
class Clause:
    text: str  # shortened
    sentence: int
    position: int  # order in the report
    score: float
    scope: int | None  # the reporting verb's group, None outside any
    item: int  # the task it belongs to (for one clause per task first)


@dataclass(frozen=True)
class Scope:
    """A reporting verb and who used it: 会议要求, 罗杰强调."""

    subject: str
    verb: str
    name: str = ""  # the person's name when the subject is a post and a name

    def lead(self, before: str, previous: Scope | None) -> str:
        """The words before the first clause of this group: the post is left out when the text
        before already gives it, the subject when it just spoke, and a verb of saying keeps its
        comma."""
        subject = self.name if self.name and self.name in before else self.subject
        saying = self.verb in ("说", "表示")
        if previous is not None and previous.subject == self.subject:
            if previous.verb == self.verb:
                return ""  # 王某要求A，B: one verb for one speaker's tasks
            # 王某要求A，强调B; but 王某说，A，王某表示，B: a bare 表示， reads as a clause cut off
            subject = (self.name or self.subject) if saying else ""
        comma = "，" if saying else ""
        return f"{subject}{self.verb}{comma}"


@dataclass(frozen=True)
class Selection:
    """What the summary (or a model's input) is made of."""

    event: str
    clauses: tuple[Clause, ...]
    scopes: tuple[Scope, ...]

    def render(self, max_sentences: int = 2) -> str:
        """The briefing text: the event, then the clauses in the report's order, each group behind
        its reporting verb; figures after the decisions open a sentence of their own while
        `max_sentences` allows."""
        text = self.event
        sentences = 1
        previous: Clause | None = None
        last_lead: Scope | None = None
        shown: set[int] = set()
        for clause in self.clauses:
            piece = clause.text
            if clause.scope is not None and clause.scope not in shown:
                scope = self.scopes[clause.scope]
                piece = f"{scope.lead(text, last_lead)}{piece}"
                shown.add(clause.scope)
                last_lead = scope
            new_sentence = previous is not None and previous.scope is not None and clause.scope is None
            if not text:
                text = piece
            elif new_sentence and sentences < max_sentences:
                text = f"{text}。{piece}"
                sentences += 1
            else:
                text = f"{text}，{piece}"
            previous = clause
        return f"{text}。" if text else ""


@dataclass(frozen=True)
class ExtractiveSummarizer:
    name: str = "extractive"
    max_chars: int = _DEFAULTS.max_chars
    max_sentences: int = _DEFAULTS.max_sentences  # sentences of the summary: figures may take a second

    @classmethod
    def from_settings(cls, settings: SummarizeSettings) -> ExtractiveSummarizer:
        return cls(max_chars=settings.max_chars, max_sentences=settings.max_sentences)

    def summarize(self, reports: Sequence[Report]) -> list[Summary]:
        return [Summary(text=self.summarize_report(r), backend=self.name) for r in reports]

    def summarize_report(self, report: Report) -> str:
        return self.summarize_text(report.body, ReportContext.from_report(report))

    def summarize_text(self, body: str, context: ReportContext | None = None) -> str:
        selection = self.select(Doc.parse(body, context or ReportContext()), self.max_chars)
        return selection.render(self.max_sentences)

    def select(self, doc: Doc, budget: int) -> Selection:
        if not doc.sentences:
            return Selection("", (), ())
        event_sentence, event, rest = _event(doc)
        clauses, scopes = _candidates(doc, event_sentence, rest)
        room = budget - len(event) - 1
        chosen = _choose(clauses, scopes, room, MIN_SUMMARY_CHARS - len(event), event)
        if not event and not chosen:
            return Selection(doc.sentences[0].text.rstrip("。！？"), (), ())
        return Selection(event, tuple(sorted(chosen, key=lambda c: c.position)), tuple(scopes))


def select_input(report: Report, max_chars: int = 400) -> str:
    """The report as the seq2seq model reads it: the same selection as the extractive summary
    (the event, then the decisions and figures in the report's order, chrome and purpose clauses
    gone), with a larger budget so the model has more to choose from."""
    selection = ExtractiveSummarizer().select(Doc.parse(report.body, ReportContext.from_report(report)), max_chars)
    return selection.render() or report.body


def guard_source(report: Report) -> str:
    """What a generated summary may state: the report, plus what the selection adds to it (the
    report's month before a bare day, its place for 我县)."""
    return f"{select_input(report)}\n{report.body}"


# --- the event ------------------------------------------------------------------------------------


def _event(doc: Doc) -> tuple[int | None, str, list[str]]:
    """(index of the event's sentence, its when-who-where-what text, its other clauses)."""
    for sentence in doc.sentences[:4]:
        clauses = [_drop_entourage(_RELATIVE.sub("", c)) for c in split_clauses(sentence.text, "，；")]
        main = next((i for i, c in enumerate(clauses) if _is_event_clause(c)), None)
        if main is None:
            continue
        dated = any(_DATE.search(c) for c in clauses[: main + 1])
        held = _HELD.search(clauses[main])
        if not dated and not held and not _MEETING_WORD.search(clauses[main]) and not _HAS_ACTOR.search(clauses[main]):
            continue  # 督查组通过实地查看…: a step of the visit, not the visit
        kept = _event_clauses(clauses, main, doc.context)
        if not kept:
            continue
        text = "，".join(kept)
        rest = clauses[main + 1 :]
        reporting = _REPORTING.search(text)
        before = text[clause_start(text, reporting.start()) : reporting.start()] if reporting else ""
        if reporting and _subject(before, "", doc.context) is not None:
            # "…调研时强调，要克服困难…": the event ends where the requirement begins.
            head = text[: reporting.start()]
            tail = text[reporting.start() :]
            text = re.sub(r"(?:时|中|后|期间|并)$", "", head.rstrip("，"))
            rest = [tail, *rest]
        return sentence.index, _fit(_compress_event(text, doc.context)), rest
    headline = _headline_event(doc.context.title)
    return None, headline, []


# 涞源县召开第一期“脱贫攻坚擂台赛”: a place holding something is an event, whatever it is called
_HELD = re.compile(r"^[^，]{2,24}?(?:召开|举行|举办)(?!了?[^，]{0,4}(?:会议|会)的)")
# 正在云南省开展专题调研的全国人大常委会副委员长…: what the actor was doing elsewhere
_RELATIVE = re.compile(r"^正在[^，]{2,40}?的(?=[^，]{4,})")
# Who acted: an organ or an official (县政协, 市农机局, 县长某某, 调研组).
_HAS_ACTOR = re.compile(
    r"(?:县|市|区|镇|乡|州|省|村)(?:委|政府|人民政府|人大|政协|[^，]{0,6}?(?:局|办|部|会|联|队|组|所|站|院))|"
    r"书记|县长|市长|区长|镇长|乡长|主任|主席|局长|部长|调研组|督查组|代表团|考察团|工作组"
)
# 带领县政府办、交通局等部门负责人 / 一行三人: an entourage, dropped from the event clause.
_ENTOURAGE = re.compile(
    r"(?:带领|率领|带着|陪同)[^，。]{2,50}?(?:负责人|负责同志|工作人员|有关人员|相关人员|干部|专家)(?:一行)?|"
    r"一行(?:[一二三四五六七八九十\d]+人)?(?=[到赴在来深前])"
)


_POST = (
    r"(?:书记|常委|委员|县长|市长|区长|州长|镇长|乡长|旗长|主任|主席|部长|局长|厅长|处长|科长|巡视员|调研员|"
    r"秘书长|院长|所长|站长|队长|组长|指挥长|校长|行长|经理|董事长|代表|负责人)"
)
_TOP_POST = re.compile(r"(?<![副党])(?:委书记|工委书记)$|(?<!副)(?:县长|市长|区长|州长|镇长|乡长|旗长)$")
# 在镇政府四楼会议室 / 在市水利局: the building, which a briefing leaves out (a village or a town stays).
_ROOM = re.compile(
    r"在[^，在]{2,24}?(?:会议室|礼堂|报告厅|大厅|多功能厅|会议中心|会堂|宾馆|酒店|大楼|大厦|"
    r"(?<![县市区镇乡村])(?:局|委|办|政府))(?=召开|举行|举办|组织|开展)"
)


def _compress_event(text: str, context: ReportContext) -> str:
    """The event as a briefing writes it: one post for an official (the main one: 县委副书记、县长
    李平 -> 县长李平), no meeting room."""
    text = _ROOM.sub("", text)
    for official in context.officials:
        if len(official.name) < 2:
            continue
        post = rf"[^，、。]{{0,20}}?{_POST}"
        chain = re.search(rf"((?:{post}、)+)({post}){re.escape(official.name)}", text)
        if not chain:
            continue
        posts = [*chain.group(1).rstrip("、").split("、"), chain.group(2)]
        main = next((p for p in posts if _TOP_POST.search(p)), posts[-1])
        text = f"{text[: chain.start()]}{main}{official.name}{text[chain.end() :]}"
    return text


def _drop_entourage(clause: str) -> str:
    return _ENTOURAGE.sub("", clause)


def _is_event_clause(clause: str) -> bool:
    if _PURPOSE.search(clause) or _ATTEND.search(clause) or _is_attendance(clause):
        return False
    return bool(_EVENT_VERB.search(clause)) or bool(_MEETING_WORD.search(clause) and _DATE.search(clause))


def _event_clauses(clauses: list[str], main: int, context: ReportContext) -> list[str]:
    """The clauses up to the event's own, and a chair or speaker right after it: what a reader
    needs to know what happened (date, who, where), without purpose, basis or attendance."""
    kept: list[str] = []
    actor = ""
    in_purpose = False
    for i, clause in enumerate(clauses[: main + 1]):
        if _PURPOSE.search(clause) or _PURPOSE_TAIL.search(clause) or re.match(r"^确保|^推动|^促进", clause):
            in_purpose = True  # the purpose runs on until the date or the actor
            continue
        if _is_attendance(clause) or re.search(r"^在.{0,40}(?:陪同|带领|率领|安排|见证)下$", clause):
            continue
        if i < main and not (_DATE.search(clause) or _looks_like_subject(clause)):
            continue  # a scene or a slogan before the news
        if in_purpose and i < main and not _DATE.search(clause):
            continue
        in_purpose = False
        if i < main and not _DATE.search(clause):
            actor += _first_of_list(clause)  # 市政协主席王隆庆等，深入… : the actor and the act are one clause
            continue
        kept.append(f"{actor}{clause}" if i == main else clause)
    for clause in clauses[main + 1 : main + 3]:
        if re.search(r"主持|出席并讲话|出席并作讲话|作讲话|讲话$", clause) and not _is_attendance(clause):
            if len(clause) <= 30:
                kept.append(clause)
            continue
        break
    return kept


def _looks_like_subject(clause: str) -> bool:
    """A clause that only names who acted (市委副书记、市长罗杰 / 县政协): without a verb."""
    return len(clause) <= 48 and bool(_HAS_ACTOR.search(clause)) and not re.search(r"[的了着]|是|为|对|把|将", clause)


def _first_of_list(clause: str) -> str:
    """市政协主席王隆庆、市政协副主席朱智勤和专家 -> 市政协主席王隆庆等: the first of several actors."""
    parts = re.split(r"[、和及]", clause)
    if len(parts) > 2 and len(parts[0]) >= 4 and _HAS_ACTOR.search(parts[0]):
        return f"{parts[0]}等"
    return clause


_ATTENDED = re.compile(r"(?:参加|出席|列席|陪同)(?:了)?(?:会议|活动|调研|检查|座谈)")


def _is_attendance(clause: str) -> bool:
    """…等参加会议 / 县领导某某、某某出席: a list of who attended (one official who spoke stays)."""
    if re.search(r"^(?:参加|出席|列席)[^，]{0,8}的(?:还有|有)", clause):
        return True
    if not (_ATTEND.search(clause) or _ATTENDED.search(clause)):
        return False
    if re.match(r"(?:以及|及|和|还有)", clause):  # …整治办负责人，以及各村整治专干近30人参加会议: a list's tail
        return True
    if re.search(r"讲话|致辞|主持", clause) and not re.search(r"等|及|、", clause):
        return False
    if _FIGURE.search(_YEAR_OR_DAY.sub("", clause)) and not re.search(r"[、]", clause):
        return False  # 110余人参加: a count, not a list
    return bool(_GROUP_WORDS.search(clause)) or len(clause) > 12


def _fit(text: str, limit: int = EVENT_MAX_CHARS) -> str:
    """The event text without its trailing clauses that run past `limit` (the date, the actor
    and the event's own clause always stay)."""
    if len(text) <= limit:
        return text
    clauses = split_clauses(text, "，；")
    out = ""
    for i, clause in enumerate(clauses):
        joined = f"{out}，{clause}" if out else clause
        if out and len(joined) > limit and (i > 1 or not _DATE.search(out) or len(out) > 16):
            break
        out = joined
    return out


_HEADLINE_CHROME = re.compile(r"\s*(?:[_|｜]|\s-\s|-[^-]{2,12}$|\s—\s).*$")


def _headline_event(title: str) -> str:
    """A headline that names the event (罗杰到下司镇调研…) stands in for a missing opening."""
    head = _HEADLINE_CHROME.sub("", re.sub(r"^[【\[][^】\]]{1,10}[】\]]", "", title)).strip()
    if 6 <= len(head) <= 60 and _EVENT_VERB.search(head) and not re.search(r"[？?！!]", head):
        return head
    return ""


# --- the content ----------------------------------------------------------------------------------

# A sentence that goes on with the tasks of the reporting verb before it: 要…, 一是…, 各部门要…
_NUMBERED = re.compile(
    r"^(?:[二三四五六七八九十]是|[二三四五六七八九十]要|第[二三四五六七八九十](?=[，、是要条])|其次|再次|最后)"
)
_CONTINUES = re.compile(
    r"^(?:要(?!求)|[一二三四五六七八九十]是|[一二三四五六七八九十]要|第[一二三四五六七八九十]|首先|其次|再次|最后|同时|此外|另外|"
    r"[（(][一二三四五六七八九十\d][)）]|\d[.、．]|[^，。“”]{1,14}?(?<![重主需只纲摘提概必])要(?![求点素件务闻害领道])|"
    r"[^，。“”]{1,14}，(?:要(?!求)|[^，。“”]{1,8}?(?<![重主需只纲摘提概必])要(?![求点素件务闻害领道])))"
)


def _candidates(doc: Doc, event_sentence: int | None, event_rest: list[str]) -> tuple[list[Clause], list[Scope]]:
    clauses: list[Clause] = []
    scopes: list[Scope] = []
    scope: int | None = None
    item = 0
    position = 0
    title_pairs = _pairs(doc.context.title)
    last_person = ""
    after_heading = False
    for sentence in doc.sentences:
        if event_sentence is not None and sentence.index < event_sentence and not _MEETING_SAID.match(sentence.text):
            continue  # before the event: a page's chrome or lead-in, unless the meeting's own words (page cut)
        pieces = event_rest if sentence.index == event_sentence else split_clauses(sentence.text, "，；：")
        if sentence.index != event_sentence and _is_roster(pieces):
            continue  # 各镇分管负责同志，全县156名“第一书记”，…县扶贫办全体: who attended, whatever its counts
        quoted = sentence.text.startswith(_QUOTE_OPEN) or bool(_QUOTED_SPEECH.search(sentence.text))
        if scope is not None and (quoted or not (_CONTINUES.search(sentence.text) or after_heading)):
            scope = None  # the requirements end where the report moves on
        elif scope is None and scopes and not quoted and _NUMBERED.search(sentence.text):
            scope = len(scopes) - 1  # 三要…: the next numbered task of the last speaker, after a digression
        last_person = _last_person(sentence.text, doc.context) or last_person
        continued = scope is not None  # a sentence of tasks after the verb's own: 要…, 一是…
        pieces = _join_fronted(pieces)
        item += 1
        head = True
        praising = False  # after 一致认为/高度评价 the rest of the sentence is the praise's content
        when = False  # inside 当…时
        for number, piece in enumerate(pieces):
            reporting = _REPORTING.search(piece)
            if reporting:
                praising = False
            in_when = when or bool(_WHEN_OPENS.match(piece))
            when = in_when and not _WHEN_CLOSES.search(piece)
            if reporting and not quoted and not _BASIS.search(piece[: reporting.start()]):
                subject = _subject(piece[: reporting.start()], last_person, doc.context)
                if (reporting.group(2) or "") in ("说", "表示") and not subject:
                    quoted = True  # 组长吴海娃说，…: a villager's words, not a decision
                    scope = None
                if subject is not None:
                    verb = reporting.group(1) or reporting.group(2)
                    name = next((o.name for o in doc.context.officials if subject.endswith(o.name)), "")
                    scopes.append(Scope(subject, verb, name))
                    scope = len(scopes) - 1
                    continued = False
                    piece = piece[reporting.end() :]
                    item += 1
                    head = True
                    if not piece.strip():
                        continue
            if _ITEM_MARK.search(piece) or piece.startswith("要"):
                item += 1
                head = True
            following = pieces[number + 1] if number + 1 < len(pieces) else ""
            if re.match(r"^(?:既|也|还|更|都|均|必须)?要", following) and len(piece) <= 12 and "要" not in piece:
                continue  # 县政府班子成员，要…: the subject of the next clause
            text = _shorten(piece)
            position += 1
            if not text or not _balanced(text) or _CUT_OFF.search(text) or text.count(LOST_MARK) > 1:
                praising = praising or bool(_PRAISE_OPENER.search(piece))
                continue  # a clause cut inside quotes or a list (保证4、), or unreadable (融入当□貎□势), is not shown
            weight = 0.0
            if scope is not None:
                weight = 1.0 if continued else VERB_WEIGHTS.get(scopes[scope].verb, 1.0)
            score = _clause_score(text, piece, weight, head, title_pairs, sentence.index == event_sentence, quoted)
            if praising:
                score += CLAUSE_WEIGHTS["praise"]
            if in_when:
                score += CLAUSE_WEIGHTS["frame"]
            praising = praising or bool(_PRAISE_OPENER.search(piece))
            # 2016年全村农民人均可支配收入8998元: a figure in a speech is a fact, not a task of the speaker
            fact = scope is not None and bool(_FIGURE.search(_YEAR_OR_DAY.sub("", text))) and not _TASK.search(text)
            clauses.append(Clause(text, sentence.index, position, score, None if fact else scope, item))
            head = False
        # 会议要求一要压实工作责任。严格落实…: a task's heading, explained by the sentence after it
        task = sentence.text[m.end() :] if (m := _REPORTING.search(sentence.text)) else sentence.text
        after_heading = scope is not None and bool(_ITEM_MARK.search(task)) and len(task) <= 25
    return clauses, scopes


# 会议指出，… before the event's sentence: a page that starts inside the report keeps what was decided
_MEETING_SAID = re.compile(r"^(?:会议|会上|大会)(?:还|并|同时)?(?:要求|强调|指出|提出|明确|决定)")

# 调研组一致认为…资源丰富，发展前景广阔: what follows is the visitors' praise, clause after clause
_PRAISE_OPENER = re.compile(r"一致认为|高度评价|称赞|赞扬|盛赞|赞叹")

# 县直部门分管负责同志，全县156名“第一书记”，帮扶企业主要负责人: a roster of who attended (its 参加会议
# often cut off with the page); a count in it is a headcount, not a figure of the work
_ROSTER_END = re.compile(
    r"(?:负责同志|负责人|书记|主任|干部|代表|全体|成员|人员|同志|队员|队长|委员|领导|专干|联络员)(?:等)?(?:人)?$"
)


def _is_roster(pieces: Sequence[str]) -> bool:
    """Every clause but the last names a group of people, and the last one too or their attending."""
    if len(pieces) < 2 or not all(_ROSTER_END.search(p) for p in pieces[:-1]):
        return False
    last = pieces[-1]
    return bool(_ROSTER_END.search(last)) or _is_attendance(last)


# 保证4、 / 危房、教育、: a clause whose list or number was cut off by a stop the page lost
_CUT_OFF = re.compile(r"(?:\d|、|和|及|与)$")

_PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("(", ")"), ("「", "」"), ("【", "】"))


def _balanced(text: str) -> bool:
    return all(text.count(left) == text.count(right) for left, right in _PAIRS) and text.count('"') % 2 == 0


_MEANS = re.compile(r"通过[^，]{2,30}(?:形式|方式|途径|手段)$")


def _join_fronted(pieces: list[str]) -> list[str]:
    """对已拆除旧房的，及时进行复垦复绿: a fronted object ending in 的 (or a means: 通过…的形式) belongs
    to the next clause."""
    out: list[str] = []
    for piece in pieces:
        fronted = (
            out
            and (
                (out[-1].endswith("的") and len(out[-1]) <= 16 and not out[-1].endswith("是的"))
                # 对非法闹访、阻工等违法行为，依法从快从严打击
                or (re.match(r"^(?:要)?对", out[-1]) and len(out[-1]) <= 30 and not re.search(_TASK_VERBS, out[-1][1:]))
                # 榆阳区将通过家庭医生团队签约的形式，为残疾人提供个性化康复服务: the means and its action
                or bool(_MEANS.search(out[-1]))
            )
        )
        if fronted:
            out[-1] = f"{out[-1]}，{piece}"
        else:
            out.append(piece)
    return out


def _last_person(text: str, context: ReportContext) -> str:
    """The official named last in `text` (for 他/她 and a verb without its subject)."""
    best, at = "", -1
    for official in context.officials:
        pos = text.rfind(official.name)
        if pos > at:
            best, at = official.name, pos
    return best


# 并从四个方面提出 / 就做好采集工作提出了几点 / 对迎检工作: how the requirements were put, not who.
_HOW_ASKED = re.compile(
    r"(?:^|(?<=[^\s]))(?:并|还|也|同时)?(?:从|就|对|围绕|针对|结合)[^，]{0,24}?(?:提出了?(?:[一二三四五六七八九十几]点)?)?$|提出了?$"
)
# 按照省人大要求: a requirement cited as the basis, not made here.
_BASIS = re.compile(r"(?:按照|根据|依照|按|遵照|对照|落实)[^，]{0,30}$")
_QUOTED_SPEECH = re.compile(r"”[^“”。]{0,24}(?:说|表示|介绍)[，：:]|^[^，。“”]{2,20}(?:说|介绍)[，：:]“")
_COPULA = re.compile(r"(?<![一二三四五六七八九十还就但都总也只即正更])是(?!否)")
_FRAME = re.compile(
    r"^在[^，]{2,24}(?:上|中|下|里|方面)$|^[^，]{2,16}方面$|(?:的同时|之际|期间|之时|以来|年来)$|^[^，]{2,12}后$|"
    # 以更有力的举措、更务实的作风 / 作为脱贫攻坚工作的难中之难: the manner or the role, not the task
    r"^以[^，]{2,24}(?:举措|作风|服务|管理|效率|态度|精神|标准|方式|形式|姿态|力度|站位|视野|格局|决心|干劲|韧劲)$|^作为[^，]{2,24}$|"
    # 从…的战略高度 / 以村级组织换届选举为契机: the standpoint or the occasion, not the task
    r"^(?:从|站在)[^，]{2,60}(?:高度|角度|层面)(?:出发)?$|^(?:坚持)?以[^，]{2,40}为(?:契机|抓手|载体|突破口|引领|统领|总领|指引|指导)$|"
    # 以下四点要求 / 如下意见: the words that announce the tasks
    r"^(?:提出了?)?(?:以下|如下|[一二三四五六七八九十几]点)(?:要求|意见|建议|希望)$"
)
# 当听说村里种植了300亩谷子，可带动75户增收时: the moment a speaker reacted to, up to its 时, not a decision
_WHEN_OPENS = re.compile(r"^当(?!前|年|地|天|日|场|即|好|作|成)")
_WHEN_CLOSES = re.compile(r"(?:时|之时|的时候|之际|后)$")
_SUBJECT_PREFIX = re.compile(
    r"^(?:在|会上|会议上|调研中|座谈会上|调研时|期间|随后|最后|其次|首先)[^，]{0,24}?(?:上|中|时|后)?[，]?"
)
_SUBJECT_SUFFIX = re.compile(
    r"(?:在讲话中|在会上|在会议上|在调研中|在座谈会上|在总结时|讲话时|并|还|同时|也|时|中|后|对此|最后|进一步|就此)+$"
)
_ORGAN_SUBJECT = re.compile(
    r"^(?:会议|大会|会上|座谈会|调研组|督查组|检查组|考察团|代表团|工作组|[^，]{0,10}(?:组|委|局|办|部|政府|领导))$"
)


def _subject(before: str, last_person: str, context: ReportContext) -> str | None:
    """Who used the reporting verb: 会议, a person (with the post the report gives them), an
    organ, or nobody named (""); None when the words before the verb are no subject."""
    text = _SUBJECT_SUFFIX.sub("", _SUBJECT_PREFIX.sub("", before.strip()))
    text = _HOW_ASKED.sub("", text)
    if text in ("", "会上"):
        return ""
    if text in ("他", "她", "其"):
        return _with_post(last_person, context) if last_person else ""
    named = [(text.rfind(o.name), o.name) for o in context.officials if len(o.name) >= 2 and o.name in text]
    if named:
        # 县委书记王兆军 / 陈代文主持宣讲会时: the person, with the post the report gives them.
        name = max(named)[1]
        given_post = text.endswith(name) and len(name) < len(text) <= 16
        return text if given_post else _with_post(name, context)
    if _ORGAN_SUBJECT.match(text):
        return text
    if re.fullmatch(rf"[{HAN}]{{1,2}}(?:{_POST}|专员)", text):
        return text  # a person the officials list missed (刘专员, 王局长)
    if re.fullmatch(rf"[{HAN}]{{2,3}}", text) and (text in context.title or re.search(rf"{_POST}{text}", context.text)):
        return text  # a name the report gives with a post elsewhere (县长李平 … 李平要求)
    return None


def _with_post(name: str, context: ReportContext) -> str:
    """A speaker named without a post (罗杰强调) gets the post the report gives them."""
    for official in context.officials:
        if name == official.name and official.title and len(official.title) <= 10:
            return f"{official.title}{name}"
    if given := re.search(rf"([^，、。；\s“”（）()]{{0,8}}?{_POST}){re.escape(name)}", context.text):
        return f"{given.group(1)}{name}"
    return name


_HEADCOUNT = re.compile(
    r"(?:近|约|共|计|共计|逾)?\d+(?:余|多)?(?:人|名)(?:次)?[^，、]{0,6}?(?:参加|参会|出席|与会)[^，]{0,8}$"
)


def _shorten(piece: str) -> str:
    """The clause as a briefing writes it: without a leading connective, a numbering, a subject
    before 要 and the adverbs after it (各相关部门要切实做好… → 做好…); an attendance list with a
    head count keeps the count (各村妇联主席、带头人近140人参加培训 → 近140人参加培训)."""
    text = piece.strip(" \u3000-—－·•")
    if (count := _HEADCOUNT.search(text)) and count.start() > 0 and _is_attendance(text):
        return count.group(0)
    for _ in range(3):
        before = text
        text = _LEAD_WORDS.sub("", text).lstrip("，、：: ")
        if (m := _SUBJECT_MUST.match(text)) and len(text) - m.end() >= 4:
            text = text[m.end() :]
        text = _ADVERBS.sub("", text)
        if text == before:
            break
    return _shorten_list(text.strip("，、；：: "))


# 《甲》《乙》《丙》: several titles, the first stands for them.
_TITLES = re.compile(r"(《[^《》]{2,40}》)(?:[、和及]?《[^《》]{2,40}》)+(等)?")


def _shorten_list(text: str) -> str:
    """A long clause listing four or more things closed by 等 keeps the first two (实施三年行动
    计划、开展全市节水行动、…、推进河长制基础性工作等7项重点工作 -> 甲、乙等7项重点工作)."""
    if len(text) <= 30:
        return text
    text = _TITLES.sub(lambda m: f"{m.group(1)}等", text)
    parts = text.split("、")
    if len(parts) < 4 or "等" not in parts[-1] or any(len(p) > 30 for p in parts[1:-1]):
        return text
    if "“" in "".join(parts[:2]) and "”" not in "".join(parts[:2]):
        return text  # the list is inside quotes: cutting it would leave one open
    return f"{parts[0]}、{parts[1]}{parts[-1][parts[-1].index('等') :]}"


def _clause_score(
    text: str, raw: str, decision: float, head: bool, title_pairs: set[str], in_event_sentence: bool, quoted: bool
) -> float:
    w = CLAUSE_WEIGHTS
    length = len(text)
    score = w["decision"] * decision
    if head:
        score += w["item_head"]
    undated = _YEAR_OR_DAY.sub("", text)
    if _FIGURE.search(undated):
        score += w["figure"]
        if _AGGREGATE.search(text):
            score += w["aggregate"]
        if _ANECDOTE.search(text):
            score += w["anecdote"]
    if _PROGRAMME.search(text):
        score += w["programme"]
    if _OUTCOME.search(text):
        score += w["outcome"]
    if "、" in text:
        score += w["listing"]
    if title_pairs:
        score += w["topic"] * len(title_pairs & _pairs(text)) / max(4, min(len(title_pairs), len(_pairs(text))))
    slogans = _SLOGAN.findall(text)
    score += w["slogan"] * len(slogans) * (1.0 if sum(map(len, slogans)) * 2 >= length else 0.5)
    if length < 6:
        score += w["short"] * (2 if length < 5 else 1)
    if length > 34:
        score += w["long"]
    if _RESULT_TAIL.search(text):
        score += w["result_tail"]
    if _PRAISE.search(text):
        score += w["praise"]
    if _is_attendance(raw) and not _HEADCOUNT.fullmatch(text):
        score += w["attendance"]
    if _PURPOSE.search(raw) or _PURPOSE.search(text) or _PURPOSE_TAIL.search(raw):
        score += w["purpose"]
    if _STUDY.search(text):
        score += w["study"]
    if decision and not _TASK.search(text) and not _FIGURE.search(undated):
        score += w["no_task"]
    if not decision and _TASK.search(text):
        score += w["action"]
    if quoted or raw.startswith(_QUOTE_OPEN):
        score += w["quote"]
    if _COPULA.search(text):
        score += w["statement"]
    if _FRAME.search(text):
        score += w["frame"]
    if LOST_MARK in text:
        score += w["lost"]
    if in_event_sentence:
        score += w["event_rest"]
    return score


def _choose(clauses: list[Clause], scopes: list[Scope], room: int, fill: int, event: str = "") -> list[Clause]:
    """Best clauses first within `room` characters: one per task before a second of any task.
    Short of `fill` characters, what the report did (帮助…发展…, 签订…) makes up a visit report
    that decided nothing: clauses of lower score, still never a purpose, praise or attendance."""
    worth = [c for c in clauses if c.score >= (MIN_CLAUSE_SCORE if c.scope is not None else MIN_OTHER_SCORE)]
    ranked = sorted(worth, key=lambda c: (-c.score, c.position))
    substantial = [c for c in clauses if _TASK.search(c.text) or _FIGURE.search(c.text)]
    fillers = sorted((c for c in substantial if c not in worth and c.score >= MIN_FILL_SCORE), key=lambda c: c.position)
    chosen: list[Clause] = []
    used = 0
    seen_items: set[int] = set()
    shown_scopes: set[int] = set()
    for pass_ in ("first", "second", "fill"):
        for clause in ranked if pass_ != "fill" else fillers:
            if pass_ == "fill" and used >= fill:
                break
            # one clause per task first; a fact outside any decision (签约贷款29.5亿) competes on its score
            if clause in chosen or (pass_ == "first" and clause.scope is not None and clause.item in seen_items):
                continue
            cost = len(clause.text) + 1
            if clause.scope is not None and clause.scope not in shown_scopes:
                cost += len(scopes[clause.scope].subject) + len(scopes[clause.scope].verb)
            if used + cost > room - (0 if clause.score >= CLAUSE_WEIGHTS["decision"] else DECISION_RESERVE_CHARS):
                continue
            if any(_similar(clause.text, other) for other in [event, *(c.text for c in chosen)] if other):
                continue
            chosen.append(clause)
            used += cost
            seen_items.add(clause.item)
            if clause.scope is not None:
                shown_scopes.add(clause.scope)
    return chosen


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similar(a: str, b: str) -> bool:
    ga, gb = _pairs(a), _pairs(b)
    if not ga or not gb:
        return a == b
    return len(ga & gb) / min(len(ga), len(gb)) > 0.6
