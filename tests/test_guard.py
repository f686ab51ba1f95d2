"""The faithfulness guard's general rules, on the seeds: what random-weight checkpoints wrote
must be rejected, each with its reason; our reference summaries (written by hand, reworded)
must pass."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SEEDS

from briefing.clean import clean_text
from briefing.summarize.guard import (
    MAX_UNSUPPORTED_RUN,
    SUPPORT,
    check_batch,
    check_summary,
    reason_kind,
    repeated_share,
    support,
    unsupported_stretch,
)
from briefing.summarize.seq2seq import tidy_output

SEED_FILES = sorted(SEEDS.glob("*.txt"))
REFERENCES = json.loads((ROOT / "tests" / "data" / "reference_summaries.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    return {p.name: clean_text(p.read_text(encoding="utf-8")).text for p in SEED_FILES}


# What random-weight checkpoints wrote for the seeds before these rules (issue 10): they passed.
MT5_SENTENCEPIECE = "CCC脱贫脱贫脱贫肅肅肅作用作用作用 R R R詳詳詳工作会议"
T5_BERT = "講講講揚揚揚 á á á 退退退正正正"


def test_the_outputs_that_once_passed_are_rejected_on_every_seed(bodies):
    for body in bodies.values():
        assert check_summary(MT5_SENTENCEPIECE, body) == "repeated token ('C' 3 times in a row)"
        assert check_summary(T5_BERT, body) == "repeated token ('講' 3 times in a row)"


@pytest.mark.parametrize(
    ("summary", "kind"),
    [
        # no run of three, but Traditional characters the Simplified report lacks
        ("脱贫作用肅詳工作会议，乡村振兴工作会议", "繁体字"),
        # pinyin with tone marks, and a Latin word
        ("草潭镇召开乡村振兴工作会议 á 会议要求", "外文或拼音"),
        ("草潭镇召开乡村振兴工作会议，Rrr 会议要求", "外文或拼音"),
        # a symbol the report does not use
        ("草潭镇召开乡村振兴工作会议§会议要求扎实推进", "异常符号"),
        # fluent words of the domain in an order the report never uses
        ("振兴攻坚乡村脱贫会议推进镇村帮扶振兴镇草潭工作衔接", "内容无出处"),
        # a mostly copied lead that turns to garble (the trained tiny model on a long seed sentence)
        (
            "为扎实推进脱贫攻坚与乡村振兴交接衔接工作，8月26日，草潭镇在镇政府四楼会议室召开脱贫坚坚与农村振振交金接部部。",
            "内容无出处",
        ),
        # a loop with variation: no run of three, but most trigrams repeat
        ("草潭镇召开会议草潭镇召开会议，草潭镇召开会议草潭镇召开会议", "重复"),
    ],
)
def test_general_rules_reject_with_their_reason(bodies, summary, kind):
    reason = check_summary(summary, bodies["000_497ccbb6f08a9728.txt"])
    assert reason is not None
    assert reason_kind(reason) == kind, reason


def test_reference_summaries_pass_and_set_the_support_threshold(bodies):
    """Hand-written summaries reword the report; the support threshold sits well below them."""
    for name, reference in REFERENCES.items():
        assert check_summary(reference, bodies[name]) is None, name
        assert support(reference, bodies[name]) >= SUPPORT + 0.2
        assert repeated_share(reference) < 0.1
        assert len(unsupported_stretch(reference, bodies[name])) - 1 < MAX_UNSUPPORTED_RUN - 1


def test_a_faithful_summary_of_another_report_is_rejected(bodies):
    names = list(REFERENCES)
    for name, other in zip(names, names[1:] + names[:1], strict=True):
        assert check_summary(REFERENCES[other], bodies[name]) is not None, (name, other)


def test_latin_and_symbols_of_the_report_itself_are_allowed():
    source = "会议通报了GDP增长情况，全县GDP同比增长8%，“四个不摘”要求落实到位。会议由县长主持。"
    assert check_summary("全县GDP同比增长8%，“四个不摘”要求落实到位。", source) is None
    assert check_summary("全县gdp同比增长8%，“四个不摘”要求落实到位。", source) is None  # case aside


def test_length_relative_to_the_report():
    source = "8月26日，草潭镇召开乡村振兴工作会议。会议要求扎实推进驻镇帮镇扶村工作，确保工作落实。"
    assert check_summary("8月26日，草潭镇召开乡村振兴工作会议。", source) is None
    reason = check_summary(source, source)
    assert reason is not None and reason.startswith("too long for its report")


def test_identical_outputs_for_different_reports_are_rejected():
    same = "县委召开脱贫攻坚工作会议，部署下一阶段工作。"
    texts = [
        same + "会议要求压实责任，确保各项工作落到实处。",
        same + "会议听取了各乡镇工作汇报，并对问题整改提出要求。",
        "县政府召开脱贫攻坚工作推进会，部署下一阶段工作。会议要求压实责任。",
    ]
    reasons = check_batch([same, same, "县政府召开脱贫攻坚工作推进会，部署下一阶段工作。"], texts)
    assert reasons[2] is None
    assert reasons[0] == reasons[1] == "identical output for 2 different reports"
    assert reason_kind(reasons[0]) == "多篇输出相同"
    # the same report twice (a duplicate file) may well get the same summary
    lead = "8月26日，草潭镇召开乡村振兴工作会议。"
    source = lead + "会议要求扎实推进驻镇帮镇扶村工作，确保各项工作落到实处。"
    assert check_batch([lead, lead], [source, source]) == [None, None]


def test_existing_checks_still_come_first(bodies):
    body = bodies["000_497ccbb6f08a9728.txt"]
    assert check_summary("8月27日，草潭镇召开乡村振兴工作会议，部署驻镇帮镇扶村工作。", body) == (
        "number 27 is not in the report"
    )
    assert reason_kind("number 999 is not in the report; retry: repeated token ('x' 3 times in a row)") == "数字不符"


def test_tidy_output_joins_what_bert_and_sentencepiece_split():
    assert tidy_output("脱 贫 攻 坚 ， 2021 年 全 县 GDP 增 长") == "脱贫攻坚，2021年全县GDP增长"
    assert tidy_output("会议要求,压实责任;落实(四个不摘)") == "会议要求，压实责任；落实（四个不摘）"
    assert tidy_output("R R R") == "R R R"  # Latin words keep their spaces
    assert tidy_output("共 1.5 万 元, 增长 8%") == "共1.5万元，增长8%"
