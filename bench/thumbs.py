#!/usr/bin/env python3
"""Thumbnail benchmark: claimpack's thumbnail stage against vipsthumbnail, same run.

Input: 32 JPEGs of 4032x3024 (12 megapixels, the size of a phone photo) at quality 92.
They are made from the real photos in tests/data/media (iPhone 6, Google Pixel),
scaled up with libvips and given per-file Gaussian noise, so that each file is
distinct and has sensor-like detail for the decoder to chew on; none is synthetic
flat colour. They are cached in bench/work/photos12.

  vipsthumbnail  vipsthumbnail -s 480 over all files (libvips, shrink-on-load)
  claimpack      cargo example `thumbs`: the thumbnail stage `build` runs

Both write 480-pixel JPEG thumbnails. Prints medians, the ratio and peak memory.

Usage: python3 bench/thumbs.py [--runs N] [--files 32]
Needs: vips and vipsthumbnail (Debian libvips-tools).
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
SOURCES = ["phone-iphone6-orientation6.jpg", "phone-google-pixel-gps.jpg"]


def run(argv, cwd=None):
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed:\n{proc.stderr.decode(errors='replace')}")


def make_photos(count):
    folder = WORK / "photos12"
    marker = folder / f".made-{count}"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    tmp = WORK / "tmp-vips"
    tmp.mkdir(exist_ok=True)
    for i in range(count):
        source = ROOT / "tests" / "data" / "media" / SOURCES[i % len(SOURCES)]
        width = int(subprocess.check_output(["vipsheader", "-f", "width", str(source)]).decode())
        run(["vips", "resize", str(source), str(tmp / "big.v"), str(4032 / width)])
        run(["vips", "crop", str(tmp / "big.v"), str(tmp / "crop.v"), "0", "0", "4032", "3024"])
        run(["vips", "gaussnoise", str(tmp / "noise.v"), "4032", "3024", "--sigma", str(3 + i % 5)])
        run(["vips", "add", str(tmp / "crop.v"), str(tmp / "noise.v"), str(tmp / "sum.v")])
        run(["vips", "cast", str(tmp / "sum.v"), str(tmp / "u8.v"), "uchar"])
        run(["vips", "jpegsave", str(tmp / "u8.v"), str(folder / f"IMG_{i:04}.jpg"), "--Q", "92"])
    shutil.rmtree(tmp)
    marker.write_text("")
    return folder


def timed(argv):
    rss_file = WORK / "rss.txt"
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *argv],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed:\n{proc.stderr.decode(errors='replace')}")
    return elapsed, int(rss_file.read_text().split()[-1]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=32)
    args = parser.parse_args()
    for tool in ["vips", "vipsthumbnail", "vipsheader"]:
        if shutil.which(tool) is None:
            sys.exit(f"missing {tool} (apt-get install libvips-tools)")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "thumbs"], cwd=ROOT, check=True)
    example = ROOT / "target" / "release" / "examples" / "thumbs"

    photos = make_photos(args.files)
    files = sorted(str(p) for p in photos.glob("*.jpg"))
    megapixels = sum(4032 * 3024 for _ in files) / 1e6
    print(f"{len(files)} JPEGs of 4032x3024 ({megapixels:.0f} MP in all); {args.runs} runs each", flush=True)
    out_vips = WORK / "thumbs-vips"
    out_ours = WORK / "thumbs-claimpack"
    for f in files:  # warm the page cache
        Path(f).read_bytes()

    results = {"vipsthumbnail": [], "claimpack": []}
    peaks = {"vipsthumbnail": 0.0, "claimpack": 0.0}
    for run_number in range(args.runs):
        for name in results:
            out = out_vips if name == "vipsthumbnail" else out_ours
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            if name == "vipsthumbnail":
                argv = ["vipsthumbnail", "-s", "480", "-o", f"{out}/%s.jpg", *files]
            else:
                argv = [str(example), str(photos), str(out)]
            seconds, peak = timed(argv)
            results[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
        print(f"  run {run_number + 1}: " + ", ".join(f"{n} {results[n][-1]:.2f}s" for n in results), flush=True)

    base = statistics.median(results["vipsthumbnail"])
    print()
    print(f"{'command':<14} {'median s':>9} {'min s':>7} {'ms/photo':>9} {'vs vips':>8} {'peak RSS':>9}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<14} {median:>9.2f} {min(times):>7.2f} {median / len(files) * 1000:>9.1f} "
              f"{median / base:>7.2f}x {peaks[name]:>7.1f}MiB")
    print()
    print(f"claimpack / vipsthumbnail = {statistics.median(results['claimpack']) / base:.2f}  (goal <= 1.00)")


if __name__ == "__main__":
    main()
