#!/usr/bin/env python3
"""Writes expected.json: the capture time ExifTool (and, for videos, ffprobe) reads
from every file in this folder, by the precedence claimpack documents in its README.

    cd tests/data/corpus && python3 expect.py        # needs exiftool and ffprobe

Each entry is the tag that wins, its value as ExifTool prints it, and the local time
and offset it names. Files where no listed tag holds a date get null: claimpack must
then fall back to the file's modification time or to a time ExifTool also prints
(`also`, every date ExifTool reports for the file).
"""
import json
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
# The order claimpack's TimeSource::rank follows, in ExifTool's group:tag names.
ORDER = [
    "ExifIFD:DateTimeOriginal",
    "IFD0:DateTimeOriginal",
    "XMP-exif:DateTimeOriginal",
    "ExifIFD:CreateDate",
    "IFD0:CreateDate",
    "XMP-xmp:CreateDate",
    "Keys:CreationDate",
    "ItemList:ContentCreateDate",
    "QuickTime:CreateDate",
    "PNG:CreationTime",
    "PNG:ModifyDate",
]
DATE = re.compile(
    r"(\d{4})[:-](\d\d)[:-](\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?"
)


def parse(value):
    m = DATE.match(str(value).strip())
    if not m:
        return None
    y, mo, d, h, mi, s, off = m.groups()
    if int(y) < 1971 or mo == "00" or d == "00":
        return None
    if off and off != "Z" and ":" not in off:
        off = off[:3] + ":" + off[3:]
    if off == "+00:00":
        off = "Z"
    return {"local": f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}", "offset": off}


def ffprobe_time(path):
    out = subprocess.run(
        ["ffprobe", "-v", "quiet", "-print_format", "json", "-show_format", path],
        capture_output=True,
        text=True,
    ).stdout
    try:
        tags = json.loads(out)["format"].get("tags", {})
    except (ValueError, KeyError):
        return None
    return tags.get("creation_time")


def main():
    names = sorted(
        n for n in os.listdir(HERE) if not n.endswith((".py", ".json", ".md"))
    )
    out = subprocess.run(
        ["exiftool", "-j", "-q", "-q", "-G1", "-a", "-time:all", "-api", "QuickTimeUTC=0"]
        + names,
        cwd=HERE,
        capture_output=True,
        text=True,
    ).stdout
    tags = {e["SourceFile"]: e for e in json.loads(out)}
    expected = {}
    for name in names:
        found = tags.get(name, {})
        entry = {"tag": None, "value": None, "local": None, "offset": None}
        for tag in ORDER:
            if tag in found and parse(found[tag]):
                entry = {"tag": tag, "value": str(found[tag]), **parse(found[tag])}
                break
        if entry["tag"] == "QuickTime:CreateDate":
            # mvhd is UTC; where ffprobe reads the file too, it must agree to the second.
            probed = ffprobe_time(os.path.join(HERE, name))
            if probed:
                assert parse(probed)["local"] == entry["local"], (name, probed)
            entry["ffprobe"] = probed
            entry["offset"] = "Z"
        entry["also"] = sorted(
            {
                parse(v)["local"]
                for k, v in found.items()
                if not k.startswith("System:") and parse(v)
            }
        )
        expected[name] = entry
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
