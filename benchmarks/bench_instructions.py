"""Engine overhead counted in machine instructions: rulekit against the hand-written rules of
bench_overhead.py, each run under valgrind's callgrind, which counts the instructions a process executes.

    .venv/bin/python benchmarks/bench_instructions.py            # 1,000 cases
    .venv/bin/python benchmarks/bench_instructions.py -n 300 --seed 3

Time on a shared machine varies by ±20 % from one minute to the next; an instruction count does not (it
varies by about 1 % between runs). Each side runs twice — once up to the point where its cases are
ready and warm, once with N evaluations more — and the difference, divided by N, is what one case
costs. Before the N cases the child collects garbage, as bench_overhead.py does before each chunk, so the
count holds the collections the cases cause and not a full collection that loading the contract and its
imports brought near (whose cost follows the heap, so it moved the count by a few per cent). The same
cases as bench_overhead.py (benchmarks/generate.py, København) go through
`evaluate_case(contract, case, trace=False)` and through `handwritten(case)`; both sides' results are
compared by bench_overhead.py, not here. Valgrind runs a program about 50× slower: about 2 minutes for
1,000 cases. Needs valgrind (`apt-get install valgrind`).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from benchutil import machine  # noqa: E402

WARM = 50


def child(side: str, n: int, seed: int, run: bool) -> None:
    """Make the cases and warm the side up; with `run`, evaluate the N cases after the warm ones."""
    import generate

    source = generate.cases("kobenhavn", WARM + n, seed)
    cases = [generate.loads(generate.dumps(next(source))) for _ in range(WARM + n)]
    if side == "rulekit":
        from rulekit import evaluate_case, load_contract

        contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")

        def one(case: dict[str, object]) -> object:
            return evaluate_case(contract, case, trace=False)
    else:
        import bench_overhead

        one = bench_overhead.handwritten  # type: ignore[assignment]
    for case in cases[:WARM]:
        one(case)
    gc.collect()  # as bench_overhead.py before each chunk: the collector starts afresh, whatever loading left
    if run:
        results = [one(case) for case in cases[WARM:]]  # kept, as bench_overhead.py keeps a chunk's results
        del results


def instructions(side: str, n: int, seed: int, run: bool) -> int:
    """The instructions the child process executes (callgrind's total)."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
           "--child", side, "-n", str(n), "--seed", str(seed)] + (["--run"] if run else [])
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # string hashes alike in every run
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or found is None:
        sys.exit(f"valgrind run failed ({' '.join(cmd)}):\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=1_000, help="number of cases (default 1,000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--child", choices=["rulekit", "hand"], help=argparse.SUPPRESS)
    p.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.child, args.n, args.seed, args.run)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind); nothing measured", file=sys.stderr)
        return 2
    print(machine())
    per: dict[str, float] = {}
    for side in ("hand", "rulekit"):
        base = instructions(side, args.n, args.seed, run=False)
        total = instructions(side, args.n, args.seed, run=True)
        per[side] = (total - base) / args.n
        print(f"{'hand-written plain Python' if side == 'hand' else 'rulekit evaluate_case':28s} "
              f"{per[side]:12,.0f} instructions a case", flush=True)
    ratio = per["rulekit"] / per["hand"]
    print(f"\n{args.n:,} generated København cases (seed {args.seed}); ratio rulekit / hand-written: "
          f"{ratio:.2f}× in instructions   target ≤ 3×: {'met' if ratio <= 3 else 'NOT met'}")
    print(f"command: .venv/bin/python benchmarks/bench_instructions.py -n {args.n} --seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
