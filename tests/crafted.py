"""Helpers that build realistic messy inputs (seed excerpts, encodings, web pages) for the tests.

Plain functions, no fixtures: each test passes its own `tmp_path`.
"""

from __future__ import annotations

import codecs
import random
import re
from pathlib import Path

from conftest import SEEDS

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# A tone-marked pinyin annotation in parentheses, as the scraper left them: 鎮(zhèn), 鎮（zhèn）.
PINYIN_ANNOTATION = re.compile(rf"[(（]\s*[a-z{TONED}]*[{TONED}][a-z{TONED}]*\s*[)）]")

# Bytes that start like no BOM, contain no NUL and are not valid UTF-8, GB18030 or Big5.
UNDECODABLE = b"\xff\xfa\xfb\xfc\xfd" * 20

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def seed_names() -> list[str]:
    return sorted(p.name for p in SEEDS.glob("*.txt"))


def read_seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def seed_lines(name: str) -> list[str]:
    """The non-empty lines of a seed, in order."""
    return [line for line in read_seed(name).splitlines() if line.strip()]


def strip_pinyin(text: str) -> str:
    """The seed text without its tone-marked annotations (Big5 cannot encode ō, è, ...)."""
    return PINYIN_ANNOTATION.sub("", text)


def to_simplified(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def simplified_excerpt(length: int | None = None) -> str:
    """The paragraphs of seed 002 that end in 。: Simplified, no pinyin, with quotes and digits."""
    paragraphs = [line for line in seed_lines("002_68af5a0512a93f3f.txt") if line.endswith("。")]
    body = "\n".join(paragraphs)
    return body if length is None else body[:length]


def traditional_excerpt(length: int | None = None) -> str:
    """Traditional Chinese from seed 003 with the pinyin removed: every character exists in Big5."""
    text = strip_pinyin(read_seed("003_f79c5a7088eff534.txt")).strip()
    return text if length is None else text[:length]


def write_bytes(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def encode(text: str, encoding: str) -> bytes:
    """Encode like the tools that wrote our inputs: 'utf-8-sig' and the UTF-16 variants get a BOM."""
    if encoding == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


def write_text(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(folder, name, encode(text, encoding))


def random_binary(size: int = 2048, seed: int = 7) -> bytes:
    """Random bytes with NULs in them, like a truncated download saved as .txt."""
    rng = random.Random(seed)
    data = bytearray(rng.randrange(256) for _ in range(size))
    data[10] = 0
    return bytes(data)


ARTICLE_PARAGRAPHS = (
    "8月26日，草潭镇在镇政府四楼会议室召开脱贫攻坚与乡村振兴交接衔接工作会议，县人大常委会副主任韩永红出席会议并作讲话。",
    "会上，镇委副书记、镇长候选人卜英忠汇报了我镇2016-2020年脱贫攻坚工作成效。"
    "经过五年不懈努力，我镇现行标准下农村贫困人口958户、2478人全部脱贫退出。",
    "韩永红要求，各帮扶单位要主动跟进、积极配合，扎实做好驻镇帮扶工作，巩固拓展脱贫攻坚成果，全面推进乡村振兴。",
)

# Page chrome of the crafted page: none of it may reach the extracted body.
PAGE_CHROME = (
    "欢迎访问某某县人民政府门户网站",
    "政务公开",
    "办事服务",
    "互动交流",
    "当前位置",
    "主办单位",
    "版权所有",
    "ICP备",
    "网站标识码",
    "技术支持",
    "0759-1234567",
)


def government_page(
    title: str,
    headline: str,
    paragraphs: tuple[str, ...] = ARTICLE_PARAGRAPHS,
    charset: str = "utf-8",
) -> str:
    """A county government news page as scraped: banner, nav, breadcrumb, article, footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}</title>
<meta name="keywords" content="乡村振兴,脱贫攻坚,草潭镇">
<link rel="stylesheet" href="/css/style.css">
</head>
<body>
<div class="top-banner"><img src="/images/banner.jpg" alt="某某县人民政府">
<span>欢迎访问某某县人民政府门户网站</span></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjmx/">走进某某</a></li>
</ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 乡镇动态</div>
<div class="article">
<h1>{headline}</h1>
<div class="info">发布时间：2021-08-27 10:32　来源：某某县乡村振兴局　浏览次数：1024</div>
<div class="content">
{body}
</div>
</div>
<div class="footer">
<p>主办单位：某某县人民政府办公室　承办单位：某某县大数据中心</p>
<p>版权所有：某某县人民政府　网站标识码：4408230001　<a href="https://beian.miit.gov.cn">粤ICP备05012345号</a></p>
<p>技术支持：某某网络科技有限公司　联系电话：0759-1234567</p>
</div>
<script>var _hmt = _hmt || [];</script>
</body>
</html>
"""
