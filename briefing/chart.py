"""The week against the previous weeks: events per province this week beside the mean of the
previous (up to four) weeks' digests in the archive. Where the archive has no earlier week there is
no chart: it would only repeat the table of 本周概览 (the map shows where the week's meetings were).
Meetings with no province are not a bar: their number is not a place, and it made the longest bar.
With more than MAX_ROWS provinces the chart shows those that changed most, and says so.

Rendered with matplotlib (Agg, no display) to a PNG at most 600 px wide, so it fits a 640 px
email. Chinese labels need a CJK font: `make setup` installs WenQuanYi Micro Hei
(fonts-wqy-microhei); any installed Noto/Source Han/WenQuanYi font works. Without one the chart
is left out rather than drawn with empty boxes.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from .digest import Digest
from .text import UNPLACED

CJK_FONT_NAMES = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)
WIDTH_PX = 600
MAX_ROWS = 12  # provinces drawn at most: a 600 px chart a phone shows without endless scrolling


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> Path | None:
    from matplotlib import font_manager

    for font in font_manager.fontManager.ttflist:
        if font.name in CJK_FONT_NAMES:
            return Path(font.fname)
    return None


@dataclass(frozen=True)
class ChartRow:
    province: str
    events: int  # this week's new events there
    average: float  # the mean of the previous weeks (0.0 where a week had none)


@dataclass(frozen=True)
class Comparison:
    title: str
    rows: tuple[ChartRow, ...]  # largest this week first
    weeks: int  # how many earlier weeks the mean is of
    left_out: int  # provinces not drawn (more than MAX_ROWS changed)


def chart_rows(digest: Digest) -> Comparison | None:
    """This week against the previous weeks per province; None without earlier weeks in the
    archive, or with no province on either side."""
    overview = digest.overview
    if overview is None or not overview.history_weeks:
        return None
    rows = [
        ChartRow(p.province, p.events, p.average or 0.0)
        for p in overview.by_province
        if p.province != UNPLACED and (p.events or p.average)
    ]
    if not rows:
        return None
    weeks = len(overview.history_weeks)
    title = f"各省事件数：本周与前{weeks}周平均"
    left_out = max(0, len(rows) - MAX_ROWS)
    if left_out:
        changed = sorted(rows, key=lambda r: (-abs(r.events - r.average), -r.events, r.province))[:MAX_ROWS]
        rows = [r for r in rows if r in changed]
        title = f"变化最大的{MAX_ROWS}个省份：本周与前{weeks}周平均"
    return Comparison(title, tuple(sorted(rows, key=lambda r: (-r.events, -r.average, r.province))), weeks, left_out)


def render_chart(digest: Digest) -> bytes | None:
    """The chart as PNG bytes; None without earlier weeks to compare with, or without a CJK font."""
    comparison = chart_rows(digest)
    font = find_cjk_font()
    if comparison is None or font is None:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(fname=str(font))
    dpi = 100
    rows = comparison.rows[::-1]  # barh draws from the bottom up
    fig, ax = plt.subplots(figsize=(WIDTH_PX / dpi, 1.2 + 0.5 * len(rows)), dpi=dpi)
    try:
        # This week's bar and, just below it, the mean of the previous weeks in grey.
        positions = list(range(len(rows)))
        bars = ax.barh(
            [y + 0.2 for y in positions], [r.events for r in rows], height=0.4, color="#b22222", label="本周"
        )
        before = ax.barh(
            [y - 0.2 for y in positions],
            [r.average for r in rows],
            height=0.4,
            color="#999999",
            label=f"前{comparison.weeks}周平均",
        )
        ax.bar_label(bars, padding=3, fontproperties=prop)
        ax.bar_label(before, padding=3, fontproperties=prop, fmt="%.1f", fontsize=8, color="#666666")
        ax.set_yticks(positions, [r.province for r in rows])
        ax.legend(prop=prop, loc="lower right", frameon=False)
        ax.set_title(comparison.title, fontproperties=prop, fontsize=13)
        for label in ax.get_yticklabels():
            label.set_fontproperties(prop)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        # No metadata: the same week gives the same bytes (no needless wiki commits).
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    finally:
        plt.close(fig)
    return buffer.getvalue()
