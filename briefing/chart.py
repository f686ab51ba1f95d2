"""A small chart of the week: events per province against the mean of the previous four weeks'
digests in the archive (when it has them), or events per county when all are in one province.

Rendered with matplotlib (Agg, no display) to a PNG at most 600 px wide, so it fits a 640 px
email. Chinese labels need a CJK font: `make setup` installs WenQuanYi Micro Hei
(fonts-wqy-microhei); any installed Noto/Source Han/WenQuanYi font works. Without one the chart
is left out with a warning rather than drawn with empty boxes.
"""

from __future__ import annotations

import functools
import io
from collections import Counter
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


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> Path | None:
    from matplotlib import font_manager

    for font in font_manager.fontManager.ttflist:
        if font.name in CJK_FONT_NAMES:
            return Path(font.fname)
    return None


def chart_counts(digest: Digest) -> tuple[str, list[tuple[str, int]]]:
    """(title, [(label, events)]) for the chart."""
    provinces = [g for g in digest.groups if g.province != UNPLACED]
    if len(provinces) == 1:
        counts: Counter[str] = Counter()
        for place in provinces[0].places:
            counts[place.label.split(" › ")[-1] or "省级"] += len(place.events)
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        title = f"{provinces[0].province}各地事件数"
    else:
        rows = sorted(((g.province, g.event_count) for g in provinces), key=lambda kv: (-kv[1], kv[0]))
        title = "各省事件数"
    unplaced = sum(g.event_count for g in digest.groups if g.province == UNPLACED)
    if unplaced:
        rows.append((UNPLACED, unplaced))
    return f"{title}（{digest.week}）", rows


def previous_means(digest: Digest, labels: list[str]) -> dict[str, float] | None:
    """Mean events per week of the previous (up to four) weeks for each province label; None
    without history or when the chart is per county."""
    overview = digest.overview
    if overview is None or not overview.history_weeks:
        return None
    means = {p.province: p.average for p in overview.by_province if p.average is not None}
    if not set(labels) & (set(means) | {p.province for p in overview.by_province}):
        return None
    return {label: means.get(label, 0.0) for label in labels}


def render_chart(digest: Digest) -> bytes | None:
    """The chart as PNG bytes; None when there is nothing to draw or no CJK font."""
    title, rows = chart_counts(digest)
    previous = previous_means(digest, [label for label, _ in rows])
    font = find_cjk_font()
    if not rows or font is None:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(fname=str(font))
    dpi = 100
    height = 1.0 + (0.42 if previous is None else 0.62) * len(rows)
    fig, ax = plt.subplots(figsize=(WIDTH_PX / dpi, height), dpi=dpi)
    try:
        labels = [label for label, _ in rows][::-1]
        values = [count for _, count in rows][::-1]
        colors = ["#bbbbbb" if label == UNPLACED else "#b22222" for label in labels]
        if previous is None:
            bars = ax.barh(labels, values, color=colors)
        else:
            # This week's bar and, just below it, the mean of the previous weeks in grey.
            positions = list(range(len(labels)))
            bars = ax.barh([y + 0.2 for y in positions], values, height=0.4, color=colors, label="本周")
            before = ax.barh(
                [y - 0.2 for y in positions],
                [previous[label] for label in labels],
                height=0.4,
                color="#999999",
                label=f"前{len(digest.overview.history_weeks)}周平均" if digest.overview else "此前平均",
            )
            ax.bar_label(before, padding=3, fontproperties=prop, fmt="%.1f", fontsize=8, color="#666666")
            ax.set_yticks(positions, labels)
            ax.legend(prop=prop, loc="lower right", frameon=False)
            title = f"{title}与前几周平均"
        ax.bar_label(bars, padding=3, fontproperties=prop)
        ax.set_title(title, fontproperties=prop, fontsize=13)
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
