"""Officials are people (issue 17, item 5): a title and a name, never a sentence, a verb phrase or
two people as one. Invented texts of the shapes met on real pages."""

from __future__ import annotations

import pytest

from briefing.extract.officials import find_officials


def titles(text: str) -> dict[str, str]:
    return {o.name: o.title for o in find_officials(text)}


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        # a verb phrase before the title: 听取, 欢迎, 邀请, 陪同
        ("大家一边参观一边认真听取红石村第一书记王强介绍产业发展情况。", "王强", "红石村第一书记"),
        ("5月3日青山镇热烈欢迎东海市经济发展局党委副书记赵明一行。", "赵明", "东海市经济发展局党委副书记"),
        ("帮扶工作队邀请农业大学园艺学院院长钱立群作专题讲座。", "钱立群", "农业大学园艺学院院长"),
        ("县委书记马力陪同市农业农村局局长朱伟调研。", "朱伟", "市农业农村局局长"),
        # a sentence glued on without punctuation
        ("区长刘伟主持了整个会议并发表了讲话.区委书记陈明出席。", "陈明", "区委书记"),
        # two people joined by 和/与: the second has only its own title
        ("副县长周建新和副县长吴海涛出席会议。", "吴海涛", "副县长"),
        ("王建国与中国扶贫基金会秘书长刘涛一行座谈。", "刘涛", "中国扶贫基金会秘书长"),
        ("一同参加的有区农委书记黄志强。", "黄志强", "区农委书记"),
        # a leader quoted, not present: 贯彻落实/传达 begins no title
        ("会议要求，认真贯彻落实省委书记方建国来莞调研指示精神。", "方建国", "省委书记"),
        ("会上传达市委书记林峰在全市推进会上的讲话。", "林峰", "市委书记"),
        # 和 inside an organ's name stays in the title
        ("省文化和旅游厅机关党委专职副书记孙立出席。", "孙立", "省文化和旅游厅机关党委专职副书记"),
    ],
)
def test_the_title_is_the_post_alone(text: str, name: str, title: str) -> None:
    assert titles(text)[name] == title


@pytest.mark.parametrize(
    "text",
    [
        "会议要求，镇全体领导班子参加会议。",
        "会议强调，要压紧压实各级领导干部责任。",
        "镇相关领导和驻村同志参加会议。",
    ],
)
def test_words_after_a_title_are_not_a_person(text: str) -> None:
    assert titles(text) == {}


@pytest.mark.parametrize(
    ("text", "title", "name"),
    [
        ("会议由乡党委书记索南多杰主持。", "乡党委书记", "索南多杰"),
        ("副市长巴桑出席会议并讲话，副市长次仁央宗主持会议。", "副市长", "次仁央宗"),
        ("由县委副书记、代县长木特来甫·阿不都热合曼主持会议。", "代县长", "木特来甫·阿不都热合曼"),
        ("县委书记、县长马合木提·马木提强调，要抓好落实。", "县委书记", "马合木提·马木提"),
    ],
)
def test_names_without_a_chinese_surname_are_read_after_a_title(text, title, name):
    officials = {o.name: o for o in find_officials(text)}
    assert name in officials and officials[name].title == title


def test_two_common_words_are_no_tibetan_name():
    # only two given-name syllables of the list make a four-character name
    assert not [o for o in find_officials("县委书记扎西德勒主持会议。") if len(o.name) == 4]
