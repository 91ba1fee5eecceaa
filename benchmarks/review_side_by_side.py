"""The review benchmark at a baseline revision and at the working tree, side by side in one run.

Each round runs `benchmarks/bench_review.py` of the baseline (a `git archive` of REV in a temporary
directory, imported first through PYTHONPATH) and of the working tree, alternately, so that the load of the
machine falls on both alike; the table gives each operation's p50 / p95 over all rounds of each side.

    .venv/bin/python benchmarks/review_side_by_side.py --base a1a9b72^ [--runs 2] [--fields 10000] [--reviewers 8]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def checkout(rev: str, into: Path) -> None:
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def run(tree: Path, args: argparse.Namespace, out: Path) -> dict[str, dict[str, float]]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, str(tree / "benchmarks" / "bench_review.py"), "--fields", str(args.fields)]
    cmd += ["--reviewers", str(args.reviewers), "--rounds", str(args.rounds), "--json", str(out)]
    subprocess.run(cmd, cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
    data: dict[str, dict[str, float]] = json.loads(out.read_text())["operations"]
    return data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="the baseline revision (git rev)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--fields", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    results: dict[str, list[dict[str, dict[str, float]]]] = {"base": [], "head": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        checkout(args.base, base)
        for i in range(args.runs):
            for side, tree in (("base", base), ("head", ROOT)):
                results[side].append(run(tree, args, Path(tmp) / f"{side}-{i}.json"))
    ops = sorted(set(results["base"][0]) & set(results["head"][0]))
    print(f"review benchmark, {args.fields} fields, {args.reviewers} reviewers, {args.runs} runs per side")
    print(
        f"{'operation':<48} {'base p50':>9} {'base p95':>9} {'head p50':>9} {'head p95':>9}  (ms; per side the middle run, the upper one of an even count)"
    )
    for op in ops:
        row = []
        for side in ("base", "head"):
            for q in ("p50", "p95"):
                values = sorted(r[op][f"{q}_ms"] for r in results[side])
                row.append(values[len(values) // 2])
        print(f"{op:<48} " + " ".join(f"{v:>9.1f}" for v in row))


if __name__ == "__main__":
    main()
