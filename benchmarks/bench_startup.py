"""Start-up time of the command line, against `python -c pass` measured in the same run.

    .venv/bin/python benchmarks/bench_startup.py              # 15 runs of each
    .venv/bin/python benchmarks/bench_startup.py --runs 31

Each command runs `--runs` times as a fresh process (after one untimed warm-up run); the median wall
time is reported. Goal: `rulekit --version` under 0.3 s. `rulekit validate contracts` loads and checks
every contract present (and the rule libraries they import).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from benchutil import machine  # noqa: E402

BIN = ROOT / ".venv" / "bin"


def timed(cmd: list[str], runs: int) -> tuple[float, float, float]:
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)  # warm the file cache
    times = []
    for _ in range(runs):
        s = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - s)
    return statistics.median(times), min(times), max(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=15)
    args = p.parse_args(argv)
    where = machine()
    python = str(BIN / "python")
    rulekit = str(BIN / "rulekit")
    contracts = sorted(str(c.relative_to(ROOT)) for c in (ROOT / "contracts").glob("*.yaml"))
    commands = [
        ("python -c pass", [python, "-c", "pass"]),
        ("python -c 'import rulekit'", [python, "-c", "import rulekit"]),
        ("rulekit --version", [rulekit, "--version"]),
        ("rulekit validate contracts", [rulekit, "validate", "contracts"]),
    ]
    rows = [(label, *timed(cmd, args.runs)) for label, cmd in commands]
    base = rows[0][1]
    print(where)
    print(f"median of {args.runs} runs each (min–max); contracts validated: {', '.join(contracts)}")
    for label, med, lo, hi in rows:
        print(f"  {label:30s} {med * 1000:7.0f} ms  ({lo * 1000:.0f}–{hi * 1000:.0f})   "
              f"{med / base:5.1f}× python -c pass")
    version = rows[2][1]
    print(f"\nrulekit --version: {version * 1000:.0f} ms, goal < 300 ms: {'met' if version < 0.3 else 'NOT met'}; "
          f"{(version - base) * 1000:.0f} ms above the interpreter's own start-up")
    print(f"command: .venv/bin/python benchmarks/bench_startup.py --runs {args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
