"""The embedded summarizer: a briefing sentence made of the report's own clauses (issue 17, item 2).

Each rule of the briefing sentence has a regression test on an invented text of the shape met on
real pages (the page text itself stays in ../shared): the place for 我县, no purpose clause, no
attendance list, a month for a bare day, no dateline, byline or photo credit, and the decision
chosen over scene-setting. Quality on the seeds is pinned; on the 40 reference summaries it is
pinned in test_summary_quality.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import ROOT

from briefing.clean import clean_text
from briefing.errors import ConfigError
from briefing.extract import extract_report
from briefing.ingest import IngestOptions, iter_input_files
from briefing.model_eval.rouge import compare, lead3
from briefing.models import SourceFile
from briefing.pipeline import process_file
from briefing.sentences import split_clauses, split_sentences
from briefing.summarize import get_summarizer
from briefing.summarize.extractive import (
    DECISION_RESERVE_CHARS,
    Clause,
    ExtractiveSummarizer,
    ReportContext,
    Scope,
    _choose,
    guard_source,
    select_input,
)
from briefing.summarize.guard import check_summary, support
from briefing.text import LOST_MARK

REFERENCES = json.loads((ROOT / "tests/data/reference_summaries.json").read_text(encoding="utf-8"))
COLLECTED = dt.datetime(2026, 11, 26, 12, 0).astimezone()
DECISION = "会议要求，各村要建立防返贫监测台账，每月走访一次脱贫户。"


@pytest.fixture(scope="module")
def seed_reports():
    return [process_file(p, IngestOptions()) for p in iter_input_files(ROOT / "seeds")]


def report_from(text: str):
    source = SourceFile(path="x.txt", size=len(text), encoding="utf-8", collected=COLLECTED, kind="text")
    return extract_report(source, clean_text(text))


def summary_of(text: str) -> str:
    (summary,) = ExtractiveSummarizer().summarize([report_from(text)])
    return summary.text


# --- what a briefing sentence never carries ------------------------------------------------------


def test_self_reference_is_replaced_by_the_reports_place():
    text = (
        "岑巩县召开乡村振兴推进会\n5月18日，我县召开乡村振兴工作推进会，县委书记张明主持会议。"
        "会议要求，各乡镇要加快推进产业项目建设，确保6月底前全部完工。"
    )
    assert report_from(text).region.county == "岑巩县"
    summary = summary_of(text)
    assert "我县" not in summary
    assert summary.startswith("5月18日，岑巩县召开乡村振兴工作推进会")


@pytest.mark.parametrize("word", ["我县", "我镇", "我市", "我区", "我乡"])
def test_self_reference_without_a_known_place_is_dropped_not_guessed(word):
    body = f"5月18日，{word}召开乡村振兴工作推进会，书记张明主持会议。{DECISION}"
    summary = ExtractiveSummarizer().summarize_text(body, ReportContext(month=5))
    assert word not in summary and "召开乡村振兴工作推进会" in summary


def test_purpose_clauses_are_dropped():
    text = (
        "城关镇召开推进会\n为进一步巩固拓展脱贫攻坚成果，扎实推进乡村振兴，5月8日，城关镇召开乡村振兴推进会。"
        f"{DECISION}"
    )
    summary = summary_of(text)
    assert "为进一步" not in summary and "扎实推进乡村振兴" not in summary
    assert summary.startswith("5月8日，城关镇召开乡村振兴推进会")


def test_an_attendee_list_is_dropped_and_the_chair_kept():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会，镇党委书记王强主持会议，"
        f"镇领导班子成员、各村党支部书记、驻村第一书记等参加会议。{DECISION}"
    )
    summary = summary_of(text)
    assert "参加会议" not in summary and "驻村第一书记" not in summary
    assert "镇党委书记王强主持会议" in summary


def test_a_head_count_is_kept_without_its_list():
    text = f"5月8日，城关镇召开乡村振兴推进会，各村妇联主席、妇女致富带头人近140人参加培训。{DECISION}"
    summary = ExtractiveSummarizer().summarize_text(text, ReportContext(month=5))
    assert "近140人参加培训" in summary and "妇联主席" not in summary


def test_a_day_without_its_month_gets_the_reports_month():
    text = f"城关镇召开推进会\n发布时间：2024-05-20 10:00\n18日，城关镇召开乡村振兴推进会。{DECISION}"
    assert report_from(text).date.month == 5
    summary = summary_of(text)
    assert summary.startswith("5月18日，城关镇召开乡村振兴推进会")


def test_a_day_without_any_known_month_is_dropped():
    text = f"城关镇召开推进会\n18日，城关镇召开乡村振兴推进会。{DECISION}"
    assert report_from(text).date.month is None
    summary = summary_of(text)
    assert "18日" not in summary and summary.startswith("城关镇召开乡村振兴推进会")


@pytest.mark.parametrize(
    "opening",
    [
        "新武山讯（记者 张三 通讯员 李四）5月8日，",  # dateline and bracketed byline
        "昆明信息港讯 通讯员陈佳丽5月8日，",  # a byline glued to the date
        "讯 近日，",  # a dateline whose outlet was cut off
        "新晃融媒7月1讯（记者：甘胜男）5月8日，",  # a dateline with a day but no 日
        "（张建贞）5月8日，",  # the reporter's name in brackets
        "[摘要] 5月8日，",
        "【摘要】5月8日，",
        "• 5月8日，",
        "记者日前从县农业农村局获悉，5月8日，",
    ],
)
def test_datelines_bylines_and_page_labels_are_removed(opening):
    text = f"城关镇召开推进会\n{opening}城关镇召开乡村振兴推进会。{DECISION}（王五 摄）\n原标题：城关镇召开推进会"
    summary = summary_of(text)
    assert not re.search(r"讯|记者|通讯员|摄|摘要|原标题|张建贞|•", summary), summary
    assert "城关镇召开乡村振兴推进会" in summary


@pytest.mark.parametrize(
    ("page", "gone"),
    [
        # the headline and the page's meta line glued to the first sentence by a scraper
        (
            "城关镇召开推进会\n城关镇召开推进会文章来源：城关镇广播电视站2019-04-3020:30:00点击数：次5月8日，",
            r"来源|点击|20:30|推进会5月",
        ),
        # a newsletter's editor line and the headline, then the reporter's framing with its day
        (
            "城关镇召开推进会\n本期编辑 | 刘洋城关镇召开推进会昨日，记者从城关镇政府获悉，5月8日，",
            r"编辑|刘洋|记者|获悉",
        ),
        ("城关镇召开推进会\n点击蓝色字免费订阅，每天都能收到好信息5月8日，", r"点击|订阅|信息"),
        ("城关镇召开推进会\n图为会议现场。□□□□张三 摄导 ?语5月8日，", r"张三|摄|导|语"),
        ("城关镇召开推进会\n东方网5月9日讯 9日，记者从城关镇获悉，5月8日，", r"讯|记者|获悉|5月9日"),
    ],
)
def test_page_furniture_glued_to_the_opening_is_removed(page, gone):
    summary = summary_of(f"{page}城关镇召开乡村振兴推进会。{DECISION}")
    assert not re.search(gone, summary), summary
    assert summary.startswith("5月8日，城关镇召开乡村振兴推进会"), summary


def test_decisions_before_the_event_sentence_are_kept_when_the_page_starts_inside_the_report():
    # the page was cut: it starts with what the meeting said, the event sentence comes after
    text = (
        "城关镇召开推进会\n会议指出，要抓紧出台城关镇村级集体经济奖补办法。"
        "会议传达了市委督查组督查反馈意见。会议要求，要把力量沉在一线，各村要建立防返贫监测台账。"
    )
    summary = summary_of(text)
    assert "抓紧出台城关镇村级集体经济奖补办法" in summary and "防返贫监测台账" in summary


def test_numbered_requirements_after_n_points_are_the_speakers():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会，镇长李华主持会议。"
        "会上，各村汇报了工作。李华对前期工作给予肯定，他同时提出三点要求：一是要提高政治站位，增强责任感和使命感。"
        "二是要把产业发展与带贫益贫紧密结合起来，每村培育1个特色产业。三是要建立防返贫监测台账，每月走访一次脱贫户。"
    )
    summary = summary_of(text)
    assert "李华提出" in summary and "特色产业" in summary and "防返贫监测台账" in summary, summary
    assert "三点要求" not in summary and "使命感" not in summary


def test_how_much_a_task_matters_loses_to_the_tasks():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会。会议要求，要把防返贫监测作为极其重要、极为严肃的政治任务"
        "和全镇工作的底线目标；层层压实帮扶责任，狠抓帮扶领域作风建设；抓住产业和就业这两个关键，力戒形式主义；"
        "引进社会资本助力发展村级集体经济，严把“两不愁三保障”政策标准，有效预防和坚决惩治侵害群众利益的腐败问题。"
    )
    summary = summary_of(text)
    assert "政治任务" not in summary, summary
    assert "层层压实帮扶责任" in summary and "狠抓帮扶领域作风建设" in summary, summary


def test_the_escort_is_dropped_and_he_is_the_visitor():
    text = (
        "副县长王明到城关镇调研\n5月8日，副县长王明在镇长李华等的陪同下，来到城关镇调研乡村振兴工作。"
        "他强调，要建立防返贫监测台账，每月走访一次脱贫户。"
    )
    summary = summary_of(text)
    assert "陪同" not in summary and "李华" not in summary, summary
    assert summary.startswith("5月8日，副县长王明来到城关镇调研乡村振兴工作，王明强调建立防返贫监测台账"), summary


def test_a_place_holding_an_event_of_any_name_is_the_event():
    text = (
        "城关镇召开擂台赛\n城关镇召开第一期“乡村振兴擂台赛”，营造比学赶超的氛围。擂台赛由镇党委书记李华主持。"
        "李华要求，各村要建立防返贫监测台账，每月走访一次脱贫户。"
    )
    assert summary_of(text).startswith("城关镇召开第一期“乡村振兴擂台赛”")


def test_a_standpoint_or_an_occasion_is_not_a_task():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会。镇长李华指出，要从巩固党的执政根基和全面推进乡村振兴的"
        "战略高度，坚持以习近平新时代中国特色社会主义思想为指引，以村级组织换届为契机，选优配强村级组织班子，"
        "加快推进美丽乡村建设，持续壮大村级集体经济，开展乡村环境整治，建立防返贫监测台账，每月走访一次脱贫户。"
    )
    summary = summary_of(text)
    assert not re.search("高度|指引|契机", summary), summary
    assert "选优配强村级组织班子" in summary, summary


def test_a_clause_cut_inside_a_list_is_not_shown():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会。镇党委书记李华强调，对违法地块坚决退耕，保证4、"
        "做好还林还湿管护，各村要建立防返贫监测台账，每月走访一次脱贫户。"
    )
    summary = summary_of(text)
    assert "保证4" not in summary and "防返贫监测台账" in summary, summary


def test_the_decision_is_chosen_over_scene_setting_and_reports():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会。春风和煦，田野里一派繁忙景象。"
        "与会人员观看了产业发展专题片。会上，各村党支部书记分别汇报了近期工作情况。"
        "会议要求，各村要在6月底前建立防返贫监测台账，对2100户脱贫户每月走访一次。"
    )
    summary = summary_of(text)
    assert "会议要求在6月底前建立防返贫监测台账" in summary and "2100户" in summary
    assert "田野" not in summary and "汇报" not in summary


def test_a_speaker_named_without_a_post_gets_the_post_the_report_gives():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会。会议由镇长李华主持。"
        "会上，各村汇报了工作。李华强调，各村要建立防返贫监测台账，每月走访一次脱贫户。"
    )
    assert "镇长李华强调建立防返贫监测台账" in summary_of(text)


def test_praise_and_quotes_of_villagers_stay_out():
    text = (
        "城关镇召开推进会\n5月8日，城关镇召开乡村振兴推进会。调研组对城关镇的工作给予充分肯定。"
        "“现在日子好过多了。”村民张大爷说，自家的30亩玉米地今年收入5万元。"
        f"{DECISION}"
    )
    summary = summary_of(text)
    assert "充分肯定" not in summary and "玉米地" not in summary


# --- shape ---------------------------------------------------------------------------------------------


def test_summaries_are_the_reports_own_words(seed_reports):
    """Nothing is invented: the guard that holds a model to its report passes every summary (its
    figures, dates, names and places are the report's), and nearly all its character pairs are the
    report's (the rest is where two clauses meet)."""
    summaries = get_summarizer("extractive").summarize(seed_reports)
    assert len(summaries) == len(seed_reports)
    for report, summary in zip(seed_reports, summaries, strict=True):
        assert summary.backend == "extractive"
        source = guard_source(report)
        assert check_summary(summary.text, source) is None, summary.text
        assert support(summary.text, source) >= 0.9, summary.text
        assert 1 <= len(split_sentences(summary.text)) <= 3


def test_summaries_keep_to_the_budget(seed_reports):
    for budget in (80, 120):
        for summary in ExtractiveSummarizer(max_chars=budget).summarize(seed_reports):
            assert len(summary.text) <= budget + 1, summary.text  # + the final 。


def test_one_sentence_when_asked(seed_reports):
    for summary in ExtractiveSummarizer(max_sentences=1).summarize(seed_reports):
        assert len(split_sentences(summary.text)) == 1, summary.text


def test_summaries_are_deterministic(seed_reports):
    first = [s.text for s in ExtractiveSummarizer().summarize(seed_reports)]
    second = [s.text for s in ExtractiveSummarizer().summarize(list(seed_reports))]
    assert first == second


def test_event_and_figures_are_preferred_over_scene_setting(seed_reports):
    report = next(r for r in seed_reports if r.source.path.endswith("002_68af5a0512a93f3f.txt"))
    text = ExtractiveSummarizer().summarize([report])[0].text
    assert "仲冬时节" not in text
    assert "11886元" in text or "152名" in text


def test_a_last_sentence_without_final_punctuation_is_not_lost():
    body = "8月1日，某镇召开推进会，部署脱贫攻坚工作。会议强调要巩固成果\n全镇958户、2478人全部脱贫"
    assert split_sentences(body)[-1] == "全镇958户、2478人全部脱贫"
    summary = ExtractiveSummarizer().summarize_text(body)
    assert "958户" in summary


def test_clauses_inside_quotes_stay_whole():
    assert split_clauses("会议要求，开展“大排查、大整改，大落实”行动，确保实效。") == [
        "会议要求",
        "开展“大排查、大整改，大落实”行动",
        "确保实效",
    ]
    # a quote mark lost in the page must not swallow the rest of the sentence
    assert split_clauses("会议要求，开展“大排查，确保实效。") == ["会议要求", "开展“大排查", "确保实效"]


def test_rouge_beats_lead3_with_a_pinned_floor(seed_reports):
    ours = ExtractiveSummarizer()
    scores = compare(
        seed_reports,
        REFERENCES,
        {"ours": lambda r: ours.summarize([r])[0].text, "lead3": lead3},
    )
    # Floors pinned within 0.01 of the measured 0.641 / 0.506 / 0.535 (make eval-summary; before the
    # briefing sentence: 0.605 / 0.506 / 0.505; 0.683 / 0.543 / 0.566 with a 120-character budget, which
    # these 110-124-character references favour over the 135 that covers more key points on the 40):
    # a change that costs quality fails here.
    assert scores["ours"].rouge1 >= 0.631
    assert scores["ours"].rouge2 >= 0.496
    assert scores["ours"].rougeL >= 0.525
    assert scores["ours"].rouge1 > scores["lead3"].rouge1
    assert scores["ours"].rouge2 > scores["lead3"].rouge2
    assert scores["ours"].rougeL > scores["lead3"].rougeL


# --- the seq2seq backend reads the same selection --------------------------------------------------


def test_the_model_input_is_the_selection_without_chrome_or_purpose():
    text = (
        "城关镇召开推进会\n新武山讯（记者 张三）为进一步巩固拓展脱贫攻坚成果，5月8日，城关镇召开乡村振兴推进会，"
        "镇领导班子成员、各村党支部书记等参加会议。春风和煦，田野里一派繁忙景象。"
        "会议要求，各村要在6月底前建立防返贫监测台账，对2100户脱贫户每月走访一次。"
    )
    report = report_from(text)
    model_input = select_input(report)
    assert model_input.startswith("5月8日，城关镇召开乡村振兴推进会")
    assert "建立防返贫监测台账" in model_input and "2100户" in model_input
    assert not re.search(r"讯|记者|为进一步|参加会议|田野", model_input)
    # Whatever the selection adds (the month, the place) is something a model may repeat.
    assert check_summary("5月8日，城关镇召开乡村振兴推进会，要求建立防返贫监测台账。", guard_source(report)) is None


def test_a_model_reading_the_selection_gets_fewer_pieces_than_the_whole_report(seed_reports, tmp_path):
    """The seq2seq backend splits what it reads into pieces that fit the model: with the
    selection as its input, a long report is read in fewer pieces than its whole body would need.
    A random-weight model's output fails the guard, so the summary falls back to the extract."""
    pytest.importorskip("torch")
    from briefing.summarize.backend import Seq2SeqSummarizer
    from briefing.summarize.seq2seq import Seq2SeqEngine, Seq2SeqOptions, split_into_chunks
    from evaluation.tinymodel import TINY, TinyModelSpec, build_mt5

    texts = [clean_text(p.read_text(encoding="utf-8")).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
    model = build_mt5(tmp_path / "tiny", texts, TinyModelSpec(TINY, vocab_size=1200))
    options = Seq2SeqOptions(model=str(model), device="cpu", max_input_tokens=64, cache_dir=tmp_path / "cache")
    report = max(seed_reports, key=lambda r: len(r.body))
    engine = Seq2SeqEngine(options)
    room = engine.max_input - engine.count_tokens([""])[0]
    whole = split_into_chunks(report.body, engine.count_text_tokens, room)
    selected = split_into_chunks(select_input(report), engine.count_text_tokens, room)
    assert len(selected) < len(whole)
    (summary,) = Seq2SeqSummarizer(options, engine=engine).summarize([report])
    assert summary.chunks == len(selected)
    assert summary.guard is not None
    if not summary.guard.passed:
        assert summary.text == ExtractiveSummarizer().summarize([report])[0].text


# --- the backend registry and the cache --------------------------------------------------------------


def test_unknown_backend_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown summarizer backend 'nope'"):
        get_summarizer("nope")


def test_cache_entries_are_written_whole_and_private(tmp_path):
    import stat

    from briefing.summarize.cache import SummaryCache

    cache = SummaryCache(tmp_path / "summaries")
    cache.put("ab" + "0" * 62, {"text": "全镇958户全部脱贫。"})
    (entry,) = (tmp_path / "summaries").rglob("*.json")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # README: summary cache entries are private to you
    assert cache.get("ab" + "0" * 62) == {"text": "全镇958户全部脱贫。", "key": "ab" + "0" * 62}
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary file left beside it


def test_a_caption_glued_before_the_lead_and_a_lists_tail_never_reach_the_summary(tmp_path):
    # "会议现场 近日，…" (a photo caption before the lead) and "…负责人，以及各村专干近30人参加会议"
    # (an attendee list split at its comma): the caption goes, the list keeps only its head count.
    text = (
        "中路铺镇推动环境整治\n会议现场 近日，中路铺镇召开农村人居环境整治攻坚月专项工作推进会。"
        "该镇镇长、分管负责人、整治办负责人，以及各村整治专干近30人参加会议。"
        "会议要求，各村要把心思和重心放到此项工作上来，提升全镇农村环境卫生水平。\n"
    )
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = process_file(path, IngestOptions())
    summary = ExtractiveSummarizer().summarize([report])[0].text
    assert summary.startswith("近日，中路铺镇召开"), summary
    assert "会议现场" not in summary and "以及" not in summary and "负责人" not in summary
    assert "会议要求把心思和重心放到此项工作上来" in summary


def test_the_last_characters_of_the_budget_are_kept_for_whole_decisions():
    """A weak clause that would only fill the line stops DECISION_RESERVE_CHARS short of the budget;
    a clause that is a whole decision may use them."""
    scopes = [Scope("会议", "要求")]
    first = Clause("压实各乡镇脱贫攻坚主体责任并建立月度调度机制确保各项任务按期完成", 1, 1, 2.5, 0, 1)
    weak = Clause("全县共有脱贫人口12000人分布在128个行政村其中监测对象1200人已全部落实帮扶措施", 2, 2, 1.6, None, 2)
    decision = Clause("各村要建立防返贫监测台账每月走访一次脱贫户并于月底前报送乡镇审核汇总", 3, 3, 2.2, 0, 3)
    assert DECISION_RESERVE_CHARS >= 10
    room = len(first.text) + 1 + len("会议要求") + len(weak.text) + 1 + 9  # the weak clause fits the whole room
    assert len(decision.text) + 1 <= len(weak.text) + 1 + 9  # and so does the decision
    chosen = _choose([first, weak], scopes, room, fill=0)
    assert weak not in chosen  # it would fit only inside the reserve
    chosen = _choose([first, decision], scopes, room, fill=0)
    assert decision in chosen


def test_a_roster_of_who_attended_is_not_a_figure_even_when_the_page_cuts_its_verb():
    body = (
        "3月2日，某某县召开全县巩固脱贫成果工作会议。县委副书记李文华要求建立防返贫监测台账，每月走访一次脱贫户。\n"
        "县乡村振兴领导小组成员单位分管负责同志，全县132名驻村第一书记、帮扶村党支部书记，各镇分管副书记、农办主任，县农业农村局全体"
    )
    summary = summary_of(body)
    assert "台账" in summary
    assert "132名" not in summary and "第一书记" not in summary


def test_the_content_of_visitors_praise_is_praise_clause_after_clause():
    body = (
        "7月15日，省农科院专家组赴某某县开展乡村产业调研。专家组先后到三个乡镇实地考察茶叶种植和肉牛养殖。"
        "经过现场调研交流，专家组一致认为某某县自然资源得天独厚，生态环境良好，发展潜力巨大，产业前景十分广阔。"
    )
    summary = summary_of(body)
    assert "得天独厚" not in summary
    assert "前景" not in summary and "潜力" not in summary


def test_a_second_verb_of_saying_keeps_its_speaker():
    body = (
        "6月3日，某某省农业农村厅调研组在某某县召开驻村帮扶座谈会。副厅长赵长江说，要提高驻村帮扶工作的针对性，"
        "管好用好衔接资金。赵长江表示，省农业农村厅将主动对接某某县委，统筹整合帮扶力量，支持发展特色产业。"
    )
    summary = summary_of(body)
    assert "，表示，" not in summary
    assert "赵长江表示，省农业农村厅将主动对接" in summary


def test_a_clause_with_two_lost_characters_is_not_shown():
    body = (
        "2月20日，某某市农业农村局调研组到某某县调研典型村培育工作。调研组要求组建强村公司，发挥示范引领作用，"
        "让典型村更好融入当?貎?势产业链。"
    )
    summary = summary_of(body)
    assert "强村公司" in summary
    assert LOST_MARK not in summary


def test_a_day_counted_from_an_unseen_publication_becomes_the_reports_date_or_goes():
    undated = (
        "据某某区消息：昨天下午，某某区召开示范村建设指挥部全体会议。区长王志强要求制定任务清单和时间表，搞好污水处理。"
    )
    summary = summary_of(undated)
    assert "昨天" not in summary and "消息" not in summary
    assert summary.startswith("某某区召开示范村建设指挥部全体会议")
    dated = (
        "某某县召开防返贫监测推进会\n发布时间：2024-03-15 07:30\n"
        "昨天，某某县召开防返贫监测推进会。会议要求各村每月走访一次脱贫户，建立监测台账。"
    )
    report = report_from(dated)
    assert (report.date.month, report.date.day) == (3, 14)
    (summary,) = ExtractiveSummarizer().summarize([report])
    assert summary.text.startswith("3月14日，某某县召开防返贫监测推进会"), summary.text


def test_the_moment_a_speaker_reacted_to_is_not_a_decision():
    body = (
        "5月22日，副省长王某某来到某某县调研脱贫攻坚工作。当听说村里依托加工厂种植了300亩富硒谷子，"
        "可直接带动75户贫困户户均年增收2900元时，王某某希望扩大优质农产品种植，拓宽销售渠道。"
    )
    summary = summary_of(body)
    assert "当听说" not in summary and "2900元时" not in summary
    assert "扩大优质农产品种植" in summary


def test_a_means_stays_with_the_action_it_serves():
    body = (
        "4月25日至28日，某某区举办残疾人精准康复服务培训班，150多人参加了培训。"
        "某某区将通过家庭医生团队签约的形式，为残疾人提供个性化康复服务。"
    )
    summary = summary_of(body)
    assert "通过家庭医生团队签约的形式，为残疾人提供个性化康复服务" in summary
    assert not summary.endswith("的形式。")


def test_a_character_lost_before_a_numbered_item_was_its_colon():
    body = (
        "5月23日，某某市农业局召开机关党建工作会议。局长燕某林强调，做好新年度机关党建工作?一要不断强化理论武装，"
        "突出抓好政治建设；二要严格落实机关党建工作责任。"
    )
    summary = summary_of(body)
    assert LOST_MARK not in summary
    assert "强化理论武装" in summary


def test_a_manner_alone_is_not_a_task():
    body = (
        "11月18日，某某县委召开常委会（扩大）会议。会议强调，统筹好援藏主业和地方发展的关系，靶向定位、精准施策，"
        "以更高站位、更宽视野。"
    )
    summary = summary_of(body)
    assert "统筹好援藏主业" in summary and "更宽视野" not in summary


def test_the_last_clause_of_a_page_cut_mid_sentence_is_not_shown():
    body = (
        "2月28日，某某镇召开镇村两级干部大会。会议要求，要深入贯彻落实新时代党的建设新要求，"
        "推进全面从严治党向纵深发展，切实把党组织建设的更加坚"
    )
    summary = summary_of(body)
    assert "更加坚" not in summary
    assert "推进全面从严治党向纵深发展" in summary
