#!/usr/bin/env python3
"""Scale benchmark: many small files, and one very large video (zip64).

  many    a case of N files (default 10,000: chat exports of 1-8 KiB, and a tenth
          of them 8 MP baseline JPEG photos, as phone cameras write them), built and
          verified
  large   one video of G GiB (default 1 and 5; random bytes, as real video does not
          compress), built and verified; the bundle is zip64 past 4 GiB

For each, the median wall time of RUNS runs and the peak RSS, beside the baseline
`openssl dgst -sha256` over the same files (the floor: read + hash). For `large`,
seconds per GiB show whether time is proportional to the bytes. The bound to keep:
peak RSS at most 64 MiB for build and verify, whatever the case.

Usage: python3 bench/scale.py [--runs 3] [--files 10000] [--gib 1 5] [--progressive]
Needs: a release build, openssl, GNU time (/usr/bin/time), python3 with Pillow.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import BINARY, CASE_TOML, WORK, settle, timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "tests" / "data" / "media" / "phone-iphone6-orientation6.jpg"
# The fixture was re-saved as a progressive JPEG by its contributor; phones write
# baseline. A progressive decode keeps every coefficient (about 40 MB for 8 MP), so
# `--progressive` measures that case too.
RSS_BOUND_MIB = 64


def baseline_photo():
    """The fixture re-encoded as a baseline JPEG (quality 92, EXIF kept), with Pillow."""
    from PIL import Image
    out = WORK / "baseline-photo.jpg"
    if not out.exists():
        with Image.open(PHOTO) as im:
            im.save(out, quality=92, progressive=False, exif=im.info.get("exif", b""))
    return out


def many_case(files, progressive):
    case = WORK / f"many-{files}{'-progressive' if progressive else ''}"
    marker = case / ".made"
    if marker.exists():
        return case
    shutil.rmtree(case, ignore_errors=True)
    for folder in ("chat", "photos"):
        (case / folder).mkdir(parents=True)
    (case / "case.toml").write_text(CASE_TOML)
    photo = (PHOTO if progressive else baseline_photo()).read_bytes()
    words = b"the seller said the parcel was sent but tracking shows nothing "
    for i in range(files):
        if i % 10 == 0:
            # Same picture, one byte of difference: distinct files, as a buyer's are.
            (case / "photos" / f"IMG_{i:05}.jpg").write_bytes(photo + i.to_bytes(4, "big"))
        else:
            size = 1024 + (i * 7919) % 7168
            text = (words * (size // len(words) + 1))[:size]
            (case / "chat" / f"export-{i:05}.txt").write_bytes(b"%d " % i + text)
    marker.write_text("")
    return case


def large_case(gib):
    case = WORK / f"large-{gib}"
    marker = case / ".made"
    if marker.exists():
        return case
    shutil.rmtree(case, ignore_errors=True)
    (case / "videos").mkdir(parents=True)
    (case / "case.toml").write_text(CASE_TOML)
    with open(case / "videos" / "VID_0001.mp4", "wb") as f:
        for _ in range(gib * 1024):
            f.write(os.urandom(1 << 20))
    marker.write_text("")
    return case


def files_of(case):
    return [str(p) for p in case.rglob("*") if p.is_file() and not p.name.startswith(".")]


def measure(case, runs, label):
    bundle = WORK / f"{case.name}.zip"
    notes = WORK / f"{case.name}-NOTES.txt"
    env_none = {"CLAIMPACK_FFMPEG": "none", "CLAIMPACK_HEIF_CONVERT": "none"}
    os.environ.update(env_none)
    files = files_of(case)
    payload = sum(os.path.getsize(f) for f in files)
    # Warm the page cache, as for every contender.
    subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)
    results = {"openssl": [], "build": [], "verify": []}
    rss = {"build": 0.0, "verify": 0.0}
    for _ in range(runs):
        settle()
        # xargs: 10,000 paths do not fit one command line.
        t, _ = timed(["bash", "-c", f"cd {case} && find . -type f ! -name '.*' -print0 | xargs -0 openssl dgst -sha256 > /dev/null"])
        results["openssl"].append(t)
        settle(bundle, notes)
        t, r = timed([str(BINARY), "build", str(case), "-o", str(bundle), "-q", "--created-at", "2026-11-23T10:00:00Z"])
        results["build"].append(t)
        rss["build"] = max(rss["build"], r)
        t, r = timed([str(BINARY), "verify", str(bundle), "-q"])
        results["verify"].append(t)
        rss["verify"] = max(rss["verify"], r)
    with zipfile.ZipFile(bundle) as z:
        entries = len(z.infolist())
        zip64 = any(i.file_size >= 0xFFFFFFFF or i.header_offset >= 0xFFFFFFFF for i in z.infolist())
    openssl = statistics.median(results["openssl"])
    print(f"\n{label}: {len(files)} files, {payload / 2**30:.2f} GiB, bundle {bundle.stat().st_size / 2**30:.2f} GiB, {entries} zip entries, zip64 {'yes' if zip64 else 'no'}")
    for name in ("openssl", "build", "verify"):
        median = statistics.median(results[name])
        per_gib = median / (payload / 2**30)
        extra = f"  peak RSS {rss[name]:.0f} MiB" if name in rss else ""
        print(f"  {name:8} median {median:7.2f} s  {per_gib:6.2f} s/GiB  {median / openssl:5.2f}x openssl{extra}")
    for name, peak in rss.items():
        if peak > RSS_BOUND_MIB:
            print(f"  OVER THE BOUND: {name} peaked at {peak:.0f} MiB > {RSS_BOUND_MIB} MiB")
    settle(bundle, notes)
    return rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--gib", type=int, nargs="*", default=[1, 5])
    parser.add_argument("--progressive", action="store_true",
                        help="use the progressive JPEG as it is, instead of a baseline copy")
    args = parser.parse_args()
    if not BINARY.exists():
        sys.exit("build the release binary first: cargo build --release")
    WORK.mkdir(parents=True, exist_ok=True)
    over = False
    if args.files:
        kind = "progressive" if args.progressive else "baseline"
        rss = measure(many_case(args.files, args.progressive), args.runs,
                      f"many files ({args.files}, photos {kind})")
        over |= max(rss.values()) > RSS_BOUND_MIB
    for gib in args.gib:
        rss = measure(large_case(gib), args.runs, f"one {gib} GiB video")
        over |= max(rss.values()) > RSS_BOUND_MIB
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
