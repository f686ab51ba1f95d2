"""The faithfulness guard: a generated summary may only state what its report states.

A government briefing cannot carry a wrong figure, so every generated summary is checked
against the cleaned report before it is printed:
- numbers (Arabic, with 万/亿, percentages, Chinese numerals before a measure word) must be
  numbers of the report, after normalization (1.2万 = 12000, 三个 = 3个);
- dates (8月26日) must be dates of the report;
- person names (after a title: 县长祁美文) and place names (gazetteer names) must occur in it;
- the output must not be degenerate: empty, too short, a repetition loop, unbalanced quotes or
  brackets, leftover special tokens, no Chinese at all.
The first failure is the reason; `None` means the summary passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..extract.gazetteer import load_gazetteer
from ..extract.officials import find_officials
from ..extract.regions import scan_places

_ARABIC = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万|亿)?")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
# Only a Chinese numeral before a measure word is a quantity (一是, 统一, 一步一个脚印 are not).
_CN_QUANTITY = re.compile(r"([零〇一二两三四五六七八九十百千万亿]+)(?=[个户人名元项次年村家亩倍条所座批位支期天%％])")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_REPEAT = re.compile(r"(.{1,8}?)\1{3,}", re.DOTALL)
_PAIRS = (("“", "”"), ("（", "）"), ("《", "》"), ("(", ")"), ("【", "】"), ("‘", "’"))
_SPECIAL = re.compile(r"<(?:unk|pad|/?s|extra_id_\d+)>|▁")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def chinese_to_int(text: str) -> int | None:
    """一百二十 -> 120, 三万五千 -> 35000, 二〇二一 -> 2021; None when it is not a number."""
    if not text:
        return None
    if all(ch in _CN_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))  # digit by digit: 二〇二一
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            total = (total + section + (digit or 0)) * _CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def numbers_in(text: str, chinese_anywhere: bool = False) -> set[float]:
    """Every number the text states, normalized to a value."""
    values: set[float] = set()
    for m in _ARABIC.finditer(text):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        values.add(value * (_CN_BIG[m.group(3)] if m.group(3) else 1))
        values.add(value)  # "1.2万户" also states the bare 1.2
    pattern = _CN_NUMBER if chinese_anywhere else _CN_QUANTITY
    for m in pattern.finditer(text):
        value = chinese_to_int(m.group(1) if m.groups() else m.group(0))
        if value is not None:
            values.add(float(value))
    return values


@dataclass(frozen=True)
class GuardSettings:
    min_chars: int = 10


def check_summary(summary: str, source: str, settings: GuardSettings | None = None) -> str | None:
    """Why `summary` may not be shown for `source`, or None when it is faithful and well formed."""
    settings = settings or GuardSettings()
    text = summary.strip()
    if not text:
        return "empty output"
    if special := _SPECIAL.search(text):
        return f"special tokens in the output ({special.group(0)})"
    if not _HAN.search(text):
        return "no Chinese text in the output"
    if len(text) < settings.min_chars:
        return f"too short ({len(text)} characters)"
    if m := _REPEAT.search(text):
        return f"repetition loop ('{m.group(1)}' repeated)"
    if len(text) >= 20 and len(set(text)) / len(text) < 0.3:
        return "degenerate output (too few distinct characters)"
    for left, right in _PAIRS:
        if text.count(left) != text.count(right):
            return f"unbalanced {left}{right}"
    if text.count('"') % 2:
        return 'unbalanced "'
    known = numbers_in(source, chinese_anywhere=True)
    for value in sorted(numbers_in(text)):
        if value not in known:
            shown = int(value) if value.is_integer() else value
            return f"number {shown} is not in the report"
    source_dates = {(int(a), int(b)) for a, b in _MONTH_DAY.findall(source)}
    for month, day in _MONTH_DAY.findall(text):
        if (int(month), int(day)) not in source_dates:
            return f"date {month}月{day}日 is not in the report"
    for official in find_officials(text):
        if official.name not in source:
            return f"name {official.name} is not in the report"
    gaz = load_gazetteer()
    source_codes = {code for m in scan_places(source, gaz) for code in m.codes}
    for mention in scan_places(text, gaz):
        if mention.text not in source and not source_codes & set(mention.codes):
            return f"place {mention.text} is not in the report"
    return None
