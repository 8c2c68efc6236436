#!/usr/bin/env python3
"""Packaging benchmark: claimpack build/verify against named baselines, same run.

Builds a realistic 1 GiB case (40 photos-sized files of 5 MiB and 2 videos of 400 MiB,
random bytes so nothing compresses, as with real media), warms the page cache, then
times each command RUNS times and prints medians, ratios and peak memory:

  openssl      openssl dgst -sha256 over the same files (the floor: read + hash)
  cat+sync     cat the same files into one file and sync it (the floor: read + write)
  sha256sum+zip  sha256sum of every file, then zip -0 -r (the do-it-yourself bundle)
  bagit.py+zip   bagit.py --sha256 on a fresh copy, then zip -0 -r
  build        claimpack build (hash + zip in one pass, synced to disk)

Before each timed command, earlier outputs are removed and `sync` runs (untimed), so no
contender pays for another's deletes or write-back.
  verify       claimpack verify on that bundle

Usage: python3 bench/build.py [--runs N] [--mib-small 5] [--small 40] [--mib-large 400] [--large 2]
Needs: a release build (cargo build --release), openssl, sha256sum, zip, bagit.py.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
BINARY = ROOT / "target" / "release" / "claimpack"

CASE_TOML = """platform = "aliexpress"
reason = "damaged"

[order]
id = "8123456789012345"
"""


def make_case(small, mib_small, large, mib_large):
    case = WORK / "case"
    marker = case / f".made-{small}x{mib_small}-{large}x{mib_large}"
    if marker.exists():
        return case
    shutil.rmtree(case, ignore_errors=True)
    (case / "photos").mkdir(parents=True)
    (case / "videos").mkdir()
    (case / "case.toml").write_text(CASE_TOML)
    for i in range(small):
        write_random(case / "photos" / f"IMG_{i:04}.jpg", mib_small)
    for i in range(large):
        write_random(case / "videos" / f"VID_{i:04}.mp4", mib_large)
    marker.write_text("")
    return case


def write_random(path, mib):
    chunk = 1 << 20
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(os.urandom(chunk))


def evidence_files(case):
    return sorted(str(p) for p in case.rglob("*") if p.is_file() and not p.name.startswith("."))


def settle(*stale):
    """Untimed: removes earlier outputs and flushes dirty pages, so that no contender
    pays for another's deletes or write-back."""
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    subprocess.run(["sync"], check=True)


def timed(argv, cwd=None):
    """Runs argv under GNU time; returns (wall seconds, peak RSS in MiB of the
    command itself, not of this Python process)."""
    rss_file = WORK / "rss.txt"
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *argv], cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')}")
    return elapsed, int(rss_file.read_text().split()[-1]) / 1024


def timed_shell(script, cwd):
    return timed(["bash", "-c", script], cwd=cwd)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--small", type=int, default=40)
    parser.add_argument("--mib-small", type=int, default=5)
    parser.add_argument("--large", type=int, default=2)
    parser.add_argument("--mib-large", type=int, default=400)
    args = parser.parse_args()

    if not BINARY.exists():
        sys.exit("build the release binary first: cargo build --release")
    for tool in ["openssl", "sha256sum", "zip", "bagit.py"]:
        if shutil.which(tool) is None:
            sys.exit(f"missing {tool}")

    case = make_case(args.small, args.mib_small, args.large, args.mib_large)
    files = evidence_files(case)
    total = sum(os.path.getsize(f) for f in files)
    print(f"case: {len(files)} files, {total / 2**30:.2f} GiB; {args.runs} runs each; "
          f"{os.cpu_count()} cores", flush=True)
    out = WORK / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    # Warm the page cache so every contender reads from memory.
    for f in files:
        with open(f, "rb") as h:
            while h.read(1 << 24):
                pass

    bundle = out / "claim.zip"
    diy = out / "diy.zip"
    contenders = {
        "openssl": lambda: (settle(), timed(["openssl", "dgst", "-sha256", *files]))[1],
        "cat+sync": lambda: (settle(out / "cat.bin"), timed_shell(
            f"cat {' '.join(files)} > {out}/cat.bin && sync {out}/cat.bin", cwd=case))[1],
        "sha256sum+zip": lambda: (settle(diy), timed_shell(
            f"find . -type f ! -name '.*' -print0 | sort -z | "
            f"xargs -0 sha256sum > {out}/manifest.txt && zip -q -0 -r {diy} . -x '.*'",
            cwd=case))[1],
        "bagit.py+zip": None,  # needs a fresh copy per run, timed below
        "build": lambda: (settle(bundle), timed([
            str(BINARY), "build", str(case), "-o", str(bundle), "--quiet",
            "--created-at", "2026-11-23T12:00:00Z"]))[1],
        "verify": lambda: (settle(), timed([str(BINARY), "verify", str(bundle), "--quiet"]))[1],
    }

    results = {name: [] for name in contenders}
    peaks = {name: 0.0 for name in contenders}
    for run in range(args.runs):
        # Interleave contenders so that machine noise hits them alike.
        for name, job in contenders.items():
            if name == "bagit.py+zip":
                copy = out / "bagcopy"
                settle(copy, out / "bag.zip")
                shutil.copytree(case, copy, ignore=shutil.ignore_patterns(".*"))
                settle()
                seconds, peak = timed_shell(
                    "bagit.py --quiet --sha256 --processes 1 . && zip -q -0 -r ../bag.zip .",
                    cwd=copy)
            else:
                seconds, peak = job()
            results[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
        print(f"  run {run + 1}: " + ", ".join(f"{n} {results[n][-1]:.2f}s" for n in results), flush=True)

    base = statistics.median(results["openssl"])
    build = statistics.median(results["build"])
    print()
    print(f"{'command':<15} {'median s':>9} {'min s':>7} {'GiB/s':>6} {'vs openssl':>10} {'peak RSS':>9}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<15} {median:>9.2f} {min(times):>7.2f} {total / 2**30 / median:>6.2f} "
              f"{median / base:>9.2f}x {peaks[name]:>7.1f}MiB")
    print()
    print(f"build / openssl       = {build / base:.2f}  (goal <= 1.10)")
    floor = max(base, statistics.median(results["cat+sync"]))
    print(f"build / max(openssl, cat+sync) = {build / floor:.2f}  (hash and write overlap: 1.00 is ideal)")
    print(f"verify / build        = {statistics.median(results['verify']) / build:.2f}  (goal <= 1.00)")
    print(f"build peak RSS        = {peaks['build']:.1f} MiB (goal <= 64)")
    print(f"sha256sum+zip / build = {statistics.median(results['sha256sum+zip']) / build:.2f}")
    print(f"bagit.py+zip / build  = {statistics.median(results['bagit.py+zip']) / build:.2f}")


if __name__ == "__main__":
    main()
