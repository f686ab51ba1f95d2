"""Officials named in a report: title + name, and their role in the meeting.

A name is 2–3 Han characters starting with a Chinese surname, standing right after a title
(县长祁美文, 镇党委书记梁盘) or continuing a 、-list after one (镇领导梁盘、卜英忠、何远林), and
followed by a boundary: punctuation, 同志, 等 or a verb (主持, 出席, 表示 …). Which of two and
three characters is decided by that boundary (副县长张迁参加会议 -> 张迁). Later mentions without
a title (张智明强调) add roles to an official already found.
"""

from __future__ import annotations

import re

from ..models import Official
from ..text import HAN, LOST_MARK, is_han

# Single-character surnames covering the vast majority of officials, plus common compound ones.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓"
    "修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡"
    "富尧闭由代"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "夏侯", "长孙")
TITLE_ENDINGS = (
    "副书记",
    "书记",
    "县长",
    "市长",
    "区长",
    "镇长",
    "乡长",
    "州长",
    "省长",
    "旗长",
    "主任",
    "主席",
    "局长",
    "部长",
    "巡视员",
    "调研员",
    "处长",
    "科长",
    "队长",
    "指挥长",
    "常委",
    "委员",
    "组长",
    "站长",
    "所长",
    "行长",
    "经理",
    "董事长",
    "负责人",
    "候选人",
    "提名人选",
    "助理",
    "秘书长",
    "检察长",
    "院长",
    "政委",
    "馆长",
    "校长",
    "领导",
    "会长",
    "理事长",
    "专干",
    "干事",
    "村长",
    "社长",
    "厅长",
    "司长",
    "盟长",
    "苏木达",
    "嘎查达",
    "主编",
    "总编",
)
ROLE_WORDS = {
    "主持": ("主持",),
    "出席": ("出席", "参加", "参会", "列席"),
    "讲话": ("讲话", "强调", "指出", "要求", "表示", "提出", "致辞", "说"),
    "汇报": ("汇报", "介绍", "通报"),
    "部署": ("部署", "布置", "安排"),
}
_BOUNDARY_WORDS = (
    "同志",
    "等",
    "主持",
    "出席",
    "参加",
    "参会",
    "列席",
    "讲话",
    "强调",
    "指出",
    "要求",
    "表示",
    "提出",
    "汇报",
    "介绍",
    "通报",
    "部署",
    "布置",
    "安排",
    "代表",
    "作",
    "在",
    "对",
    "一行",
    "带队",
    "率",
    "说",
    "到",
    "赴",
    "来",
    "前往",
    "深入",
    "就",
    "为",
    "与",
    "和",
    "及",
    "分别",
    "充分",
    "宣读",
    "传达",
    "总结",
    "陪同",
    "调研",
    "致辞",
    "担任",
    "任",
    "向",
    "也",
    "还",
    "首先",
    "最后",
    "认为",
    "希望",
    "坚定",
    "是",
)
_PUNCT = '，。；、：,;:（）()“”"\n！？ 　'
# Two characters that read as surname + given name but are words here (镇领导包村、干部包户; 书记和工作队).
_NOT_NAMES = {
    "同志",
    "全体",
    "相关",
    "有关",
    "负责",
    "干部",
    "领导",
    "成员",
    "会议",
    "工作",
    "包村",
    "包户",
    "包片",
    "包联",
    "和工",
    "和驻",
    "和村",
    "和帮",
    "和各",
    "及工",
    "及驻",
    "带领",
    "带头",
    "万人",
    "全面",
    "班子",  # 领导班子
    "和统",
}
_TITLE_CUT = re.compile(rf"[，。；、：,;:（）()“”\"\n！？{LOST_MARK}]")


def _surname_len(text: str) -> int:
    if text[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if text[:1] in SURNAMES else 0


def _is_boundary(text: str) -> bool:
    return not text or text[0] in _PUNCT or text.startswith(_BOUNDARY_WORDS)


def _is_han(text: str) -> bool:
    return bool(text) and all(is_han(ch) for ch in text)


# One-character words that often follow a name: in 王柳等参加 the 等 is not part of the name.
_ONE_CHAR_FOLLOWERS = set("等和及与在作对为向任率到说就也还是")


# Names without a Chinese surname, read only after a title and before a boundary: a transliterated
# name in two parts (木特来甫·阿不都热合曼, 马合木提·马木提), and a Tibetan name of two common given-name
# syllables (索南多杰, 次仁央宗).
_DOTTED_NAME = re.compile(rf"[{HAN}]{{2,6}}·[{HAN}]{{2,8}}")
TIBETAN_SYLLABLES = frozenset(
    "次仁 扎西 索南 格桑 多吉 多杰 达瓦 尼玛 旦增 丹增 洛桑 平措 边巴 拉巴 普布 白玛 央金 央宗 德吉 卓玛 顿珠 强巴 "
    "巴桑 次旦 罗布 桑珠 仁青 曲珍 拉姆 央珍 贡嘎 益西 群培 米玛 琼达 旺堆 加措 嘎玛 才让 才旦 南加 更登 泽仁 "
    "斯朗 旺姆 尼珍 欧珠 阿旺 拉珍 次珍 措姆 玉珍 卓嘎 多布".split()
)


def _name_without_surname(text: str, start: int) -> str | None:
    if dotted := _DOTTED_NAME.match(text, start):
        name = dotted.group(0)
        for end in range(name.index("·") + 3, len(name) + 1):  # the shortest reading a boundary follows
            if _is_boundary(text[start + end :]):
                return name[:end]
        return None
    name = text[start : start + 4]
    if len(name) == 4 and name[:2] in TIBETAN_SYLLABLES and name[2:] in TIBETAN_SYLLABLES:
        return name if _is_boundary(text[start + 4 :]) else None
    return None


def read_name(text: str, start: int) -> str | None:
    """A 2-3 character personal name at `start`, decided by what follows it (or a name without a
    Chinese surname, see _name_without_surname)."""
    surname = _surname_len(text[start:])
    if not surname:
        return _name_without_surname(text, start)
    longer, shorter = surname + 2, surname + 1
    readings = [longer, shorter]
    if text[start + longer - 1 : start + longer] in _ONE_CHAR_FOLLOWERS:
        readings = [shorter, longer]
    for length in readings:
        name = text[start : start + length]
        if (
            len(name) == length
            and _is_han(name)
            and name not in _NOT_NAMES
            and name[:2] not in _NOT_NAMES  # 和驻村: not a person named 和 (领导和驻村工作队)
            and name[-1] not in _PARTICLE_END
            and _is_boundary(text[start + length :])
            and not (name[0] in _VISIT_VERBS and _VISIT_AFTER.match(text, start + length))
        ):
            return name
    return _name_without_surname(text, start)  # 索南多杰, 马合木提·马木提: a first syllable like a surname


# 陈敏市长来埔调研: after a title, 来/到/赴 and a place's short name before 调研 is a visit, not a name
_VISIT_VERBS = set("来到赴")
_VISIT_AFTER = re.compile(r"调研|视察|考察|检查|指导|督导|督查|慰问|走访")


_TITLE_RE = re.compile("(?:" + "|".join(sorted(TITLE_ENDINGS, key=len, reverse=True)) + ")")


_PRINCIPAL = re.compile(
    rf"^(?:[县市区镇乡省州旗]|[{HAN}]{{0,4}}[县市区镇乡])(?:委|党委|人民政府)?(?:书记|县长|市长|区长|镇长|乡长|省长|州长|旗长)$"
)


_LEAD_IN = re.compile(r"^(?:会议|会上|随后|最后|同时|并|特)?(?:由|受|请)")
# Words after which a title begins: verbs of the clause (听取, 欢迎, 邀请 …), 的有 (一同参加的有),
# a conjunction between two people (曹敏杰和副县长), a sentence's end glued without punctuation (讲话.),
# and a date (7月25日).
_TITLE_START = re.compile(
    r"听取了?|欢迎|邀请|参观了?|陪同|看望|慰问|会见|会同|带领|率领|主持了?|讲话|发言|召开|的有|以及|贯彻落实|传达|"
    r"并|[.．]|\d{1,2}月\d{1,2}日|一边"
)
# 和/与/及 join two people only after a name (副县长曹敏杰和…, 王文坤与…); inside an organ's name
# (文化和旅游厅, 监测和帮扶工作专班) they are part of the title.
_PERSON_JOIN = re.compile(
    rf"(?:^[{''.join(sorted(SURNAMES))}][{HAN}]{{1,2}}|(?:{'|'.join(TITLE_ENDINGS)})[{HAN}]{{2,3}})[和与及]"
)


def _title_start(candidate: str) -> str:
    """Where the title of `candidate` (the words before a name) begins."""
    for cut in (_TITLE_START, _PERSON_JOIN):
        rest = cut.split(candidate)[-1]
        if _TITLE_RE.search(rest):
            candidate = rest
    return candidate


# A grammatical particle does not end a personal name: 总书记关于… is not an official 关于.
_PARTICLE_END = set("于的了着过们")


def _title_before(text: str, keyword_start: int, keyword: str) -> tuple[str, str]:
    """The title right before a name and the id of the rule that chose it; in a chain
    (县委副书记、县人民政府县长、…副指挥长祁美文) the principal post (县长) rather than an ad-hoc
    one, else the closest."""
    left = text[max(0, keyword_start - 40) : keyword_start] + keyword
    chain: list[str] = []
    for part in reversed(left.split("、")):
        cut = max((i for i, ch in enumerate(part) if _TITLE_CUT.match(ch)), default=-1)
        chain.append(part[cut + 1 :].strip())
        if cut >= 0 or len(chain) == 3:
            break
    # A title starts at its organ or post: 会议由县长… and 并由区委书记… begin with the sentence.
    chain = [_LEAD_IN.sub("", c) for c in chain]
    # …认真听取郑家山村第一书记, 副县长曹敏杰和副县长: the title starts after the last verb or
    # conjunction of the clause, so a sentence or another person never becomes part of it.
    chain = [_title_start(c) for c in chain]
    chain = [c for c in chain if c and _TITLE_RE.search(c)] or [keyword]
    for candidate in chain:
        if _PRINCIPAL.match(candidate) and not candidate.startswith("副"):
            # 县人民政府县长 -> 县长
            return re.sub(r"^.{0,4}?人民政府(?=.长$)", "", candidate), "official.title.principal"
    return chain[0], "official.title.closest"


def _names_after_titles(text: str) -> tuple[dict[str, Official], list[str]]:
    """Every name that stands right after a title or continues a 、-list after one, with its
    title, in the order first met."""
    found: dict[str, Official] = {}
    order: list[str] = []
    for m in _TITLE_RE.finditer(text):
        pos = m.end()
        if text[pos : pos + 1] in (")", "）"):
            pos += 1  # 常务副校长（副院长）李新: a title's bracketed second post, then the name
        name = read_name(text, pos)
        if not name:
            continue
        title, title_rule = _title_before(text, m.start(), m.group(0))
        named = [(name, "official.name.after_title")]
        pos += len(name)
        # 镇领导梁盘、卜英忠、何远林: the list shares its title.
        while pos < len(text) and text[pos] == "、":
            nxt = read_name(text, pos + 1)
            if not nxt or _TITLE_RE.search(nxt):
                break
            named.append((nxt, "official.name.listed"))
            pos += 1 + len(nxt)
        for n, name_rule in named:
            if n not in found:
                order.append(n)
                found[n] = Official(name=n, title=title, rule_ids=(name_rule, title_rule))
            elif found[n].title.endswith("领导"):
                # A generic title (镇领导) gives way to a specific one met later (镇党委书记).
                rule_ids = (*found[n].rule_ids, "official.title.specific_over_generic")
                found[n] = Official(name=n, title=title, rule_ids=rule_ids)
    return found, order


def find_officials(text: str, headline: str = "") -> tuple[Official, ...]:
    """Officials of the body. The headline adds roles to them (王某赴某州调研并主持召开座谈会),
    never a person the body does not name with a title, and never a second chair."""
    found, order = _names_after_titles(text)
    if not found:
        return ()
    roles = _roles_with_rules(text, order)
    has_chair = any(role == "主持" for named in roles.values() for role, _ in named)
    for name, extra in _roles_with_rules(headline, order).items():
        mine = [role for role, _ in roles[name]]
        roles[name] += [
            (role, "official.role.headline")
            for role, _ in extra
            if role not in mine and not (role == "主持" and has_chair)
        ]
    return tuple(_with_roles(found[n], roles[n]) for n in order)


def _with_roles(official: Official, roles: list[tuple[str, str]]) -> Official:
    rule_ids = list(official.rule_ids)
    rule_ids += [rule_id for _, rule_id in roles if rule_id not in rule_ids]
    return Official(
        name=official.name, title=official.title, roles=tuple(r for r, _ in roles), rule_ids=tuple(rule_ids)
    )


def assign_roles(text: str, names: list[str]) -> dict[str, tuple[str, ...]]:
    return {n: tuple(role for role, _ in named) for n, named in _roles_with_rules(text, names).items()}


# A sentence that ends on attendance: everyone it names attended (……周岳红，……闫金川出席会议。).
_ATTENDANCE_END = re.compile(r"(?:出席|参加)(?:了)?(?:会议|活动|座谈会|推进会)?。?$")


def _own_clause(sentence: str, after: int, name: str, named: list[str]) -> str:
    """The clause that follows one mention of a name, up to the next punctuation or the next
    official's name (周岳红，区人大…: another name ends this one's clause)."""
    clause = re.split(r"[，。；：]", sentence[after:], maxsplit=1)[0]
    for other in named:
        if other != name and other in clause:
            clause = clause[: clause.index(other)]
    return clause


def _roles_in_sentence(sentence: str, named: list[str]) -> list[tuple[str, str, str]]:
    """(name, role, rule id) for each role one sentence gives the officials it names, in order."""
    found: list[tuple[str, str, str]] = []
    if _ATTENDANCE_END.search(sentence.strip()):
        found += [(n, "出席", "official.role.attendance_sentence") for n in named]
    for n in named:
        for occurrence in re.finditer(re.escape(n), sentence):
            clause = _own_clause(sentence, occurrence.end(), n, named)
            found += [
                (n, role, "official.role.clause_words")
                for role, words in ROLE_WORDS.items()
                if any(w in clause for w in words)
            ]
            # 市长曾明深入于都县调研…，并主持召开座谈会: a later clause joined by 并 has the same
            # subject, as long as no other official is named before it.
            rest = sentence[occurrence.end() :]
            joined = rest.find("并主持")
            if joined > 0 and not any(other != n and other in rest[:joined] for other in named):
                found.append((n, "主持", "official.role.joined_chair"))
    return found


def _roles_with_rules(text: str, names: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Each name's roles in the order first given, each with the id of the rule that gave it."""
    roles: dict[str, list[tuple[str, str]]] = {n: [] for n in names}
    for sentence in re.split(r"(?<=[。！？])", text):
        named = [n for n in names if n in sentence]
        for n, role, rule_id in _roles_in_sentence(sentence, named):
            if all(role != have for have, _ in roles[n]):
                roles[n].append((role, rule_id))
    return roles
