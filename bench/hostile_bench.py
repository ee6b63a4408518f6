"""Peak memory of a worker on hostile uploads (issue #12), and the batch pages' size and
time for a batch of 100,000 rejected rows. Each upload is processed in a forked worker
process (xinyong/ingest/tests/hostile.py); its peak RSS comes from os.wait4.

    .venv/bin/python bench/hostile_bench.py [DIR]

Prints a Markdown table for bench/RESULTS.md."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    env = {**os.environ, "HOSTILE_PAGES": "1", "HOSTILE_ERROR_ROWS": "100000"}
    env.pop("DATABASE_URL", None)
    run = subprocess.run(  # noqa: S603 - this interpreter, this repository's module
        [sys.executable, "-m", "xinyong.ingest.tests.hostile", str(target)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    results = [json.loads(line) for line in run.stdout.splitlines()]
    print("| upload | file | outcome | worker peak RSS | time |")
    print("|---|---:|---|---:|---:|")
    for r in results:
        outcome = r["status"] + (f" ({', '.join(r['rules'])})" if r["rules"] else "")
        if r["rejected"]:
            outcome += f", {r['rejected']:,} rows rejected, {r['detailed_rows']:,} with details"
        print(f"| {r['case']} | {r['file_bytes'] / 2**20:.1f} MB | {outcome} | "
              f"{r['peak_rss_mb']:.0f} MB | {r['seconds']:.1f} s |")  # fmt: skip
    for r in results:
        if r.get("pages") and r["rejected"]:
            print(f"\nPages of the {r['rejected']:,}-rejected-row batch ({r['case']}):\n")
            print("| page | status | size | time |")
            print("|---|---:|---:|---:|")
            for name, p in r["pages"].items():
                print(f"| {name} | {p['status']} | {p['bytes'] / 1024:.0f} KB | {p['ms']:.0f} ms |")


if __name__ == "__main__":
    main()
