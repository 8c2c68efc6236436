#!/usr/bin/env python3
"""Upload-kit benchmark: `claimpack kit` against libvips and img2pdf, same run.

Input: 30 JPEGs of 4032x3024 (12 megapixels) at quality 92, made as bench/thumbs.py
makes them (real fixture photos scaled up, per-file sensor-like noise), sealed once
into a bundle (not timed).

  AliExpress (images under 2 MB each):
    vipsthumbnail   vipsthumbnail -s 2400 -o %s.jpg[Q=85,strip] over the 30 photos
                    (libvips: shrink-on-load, rotates upright, strips metadata)
    claimpack kit   claimpack kit BUNDLE --platform aliexpress: verifies the bundle
                    (re-hashes every file), fits every photo under the 2 MB cap
                    (quality first, then size), writes the exhibit book and UPLOAD.txt
  Card (a PDF book within 19 pages and 14.5 MB):
    img2pdf         img2pdf over the 30 original JPEGs (lossless passthrough, no fitting)
    claimpack kit   claimpack kit BUNDLE --platform card

Prints medians, ratios, peak memory and the sizes made.

Usage: python3 bench/kit.py [--runs N] [--files 30]
       CLAIMPACK_BIN=/path/to/claimpack python3 bench/kit.py   (another build, not rebuilt)
Needs: vips, vipsthumbnail (Debian libvips-tools), img2pdf, /usr/bin/time.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from thumbs import ROOT, WORK, make_photos, timed  # noqa: E402

BINARY = Path(os.environ.get("CLAIMPACK_BIN", ROOT / "target" / "release" / "claimpack"))


def folder_bytes(folder):
    return sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file())


def sealed_bundle(photos, files):
    """The photos in a case folder, built once into a bundle."""
    case = WORK / f"kit-case-{len(files)}"
    bundle = WORK / f"kit-bundle-{len(files)}.zip"
    if bundle.exists():
        return bundle
    shutil.rmtree(case, ignore_errors=True)
    (case / "photos").mkdir(parents=True)
    (case / "case.toml").write_text(
        'platform = "aliexpress"\nreason = "damaged"\n'
        '[order]\nid = "8123456789012345"\nplaced = 2026-10-01\nitem = "Glass teapot"\n'
        '[received]\nproblem = "The lid arrived broken."\n'
    )
    for f in files:
        shutil.copy(f, case / "photos" / Path(f).name)
    subprocess.run([str(BINARY), "build", str(case), "-o", str(bundle), "--quiet",
                    "--created-at", "2026-11-23T12:00:00Z"], check=True)
    return bundle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=30)
    args = parser.parse_args()
    for tool in ["vips", "vipsthumbnail", "vipsheader", "img2pdf"]:
        if shutil.which(tool) is None:
            sys.exit(f"missing {tool} (apt-get install libvips-tools img2pdf)")
    if "CLAIMPACK_BIN" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)

    photos = make_photos(32)
    files = sorted(str(p) for p in photos.glob("*.jpg"))[: args.files]
    bundle = sealed_bundle(photos, files)
    print(f"{len(files)} JPEGs of 4032x3024, {sum(Path(f).stat().st_size for f in files) / 1e6:.0f} MB; "
          f"bundle {bundle.stat().st_size / 1e6:.0f} MB; {args.runs} runs each", flush=True)
    for f in [*files, str(bundle)]:  # warm the page cache
        Path(f).read_bytes()

    out = WORK / "kit-out"
    contenders = {
        "aliexpress": {
            "vipsthumbnail": lambda: ["vipsthumbnail", "-s", "2400", "-o",
                                      f"{out}/%s.jpg[Q=85,strip]", *files],
            "claimpack kit": lambda: [str(BINARY), "kit", str(bundle), "--platform", "aliexpress",
                                      "--quiet", "-o", str(out / "kit")],
        },
        "card": {
            "img2pdf": lambda: ["img2pdf", *files, "-o", str(out / "book.pdf")],
            "claimpack kit": lambda: [str(BINARY), "kit", str(bundle), "--platform", "card",
                                      "--quiet", "-o", str(out / "kit")],
        },
    }
    for form, tools in contenders.items():
        results = {name: [] for name in tools}
        peaks = {name: 0.0 for name in tools}
        made = {}
        for run_number in range(args.runs):
            for name, argv in tools.items():
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir(parents=True)
                seconds, peak = timed(argv())
                results[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
                made[name] = folder_bytes(out / "kit") if name == "claimpack kit" else folder_bytes(out)
            print(f"  {form} run {run_number + 1}: "
                  + ", ".join(f"{n} {results[n][-1]:.2f}s" for n in results), flush=True)
        base_name = next(iter(tools))
        base = statistics.median(results[base_name])
        print()
        print(f"{form}: {'command':<14} {'median s':>9} {'min s':>7} {'ms/photo':>9} "
              f"{'vs ' + base_name:>18} {'peak RSS':>9} {'made':>9}")
        for name, times in results.items():
            median = statistics.median(times)
            print(f"{'':<{len(form) + 2}}{name:<14} {median:>9.2f} {min(times):>7.2f} "
                  f"{median / len(files) * 1000:>9.1f} {median / base:>17.2f}x "
                  f"{peaks[name]:>7.1f}MiB {made[name] / 1e6:>7.1f}MB")
        print()


if __name__ == "__main__":
    main()
