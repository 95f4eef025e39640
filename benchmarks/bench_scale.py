"""`rulekit batch` at scale: wall time, throughput and peak memory with 1 and 2 workers.

    .venv/bin/python benchmarks/bench_scale.py                   # 1,000,000 cases (takes a while)
    .venv/bin/python benchmarks/bench_scale.py -n 200000 --small 20000

Generates N København cases (benchmarks/generate.py, seed 1) into a temporary JSON Lines file, then
runs `rulekit batch contracts/kobenhavn.yaml IN -o OUT --no-progress --workers W` as a subprocess for
W = 1 and 2, on the full input and on a small one (default N/10). While each run goes, /proc is polled
every 50 ms for the resident memory (RSS) of the whole process tree (the command and its workers); the
peak of the sum is reported, and the largest single process. If memory is flat, both input sizes give
about the same peak. Goal: peak under 300 MB. The output (compact records, `--detail summary`) goes to a
temporary file and deleted after each run; use --keep to keep it, or --stdout to discard the output
through a pipe instead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from benchutil import machine  # noqa: E402

RULEKIT = ROOT / ".venv" / "bin" / "rulekit"
CONTRACT = "contracts/kobenhavn.yaml"
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> tuple[int, int]:
    """(sum, largest) resident set size of `root` and all its descendants, in bytes."""
    kids = _children()
    todo, total, largest = [root], 0, 0
    while todo:
        pid = todo.pop()
        rss = _rss(pid)
        total += rss
        largest = max(largest, rss)
        todo.extend(kids.get(pid, ()))
    return total, largest


def run_batch(source: Path, out: Path | None, workers: int) -> dict[str, float]:
    cmd = [str(RULEKIT), "batch", CONTRACT, str(source), "--no-progress", "--workers", str(workers)]
    if out is not None:
        cmd += ["-o", str(out)]
    s = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_sum = peak_one = 0
    try:
        while proc.poll() is None:
            total, largest = tree_rss(proc.pid)
            peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
            time.sleep(0.05)
    finally:
        if proc.poll() is None:  # interrupted: do not leave the batch running
            proc.terminate()
            proc.wait()
    wall = time.perf_counter() - s
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, 3):
        raise SystemExit(f"rulekit batch failed ({proc.returncode}): {stderr[-2000:]}")
    summary = json.loads(stderr.strip().splitlines()[-1])
    if not summary.get("reconciles"):
        raise SystemExit(f"summary does not reconcile: {summary}")
    return {"wall": wall, "lines": summary["lines"], "errors": summary["errors"], "peak_sum": peak_sum,
            "peak_one": peak_one}


def _is_error(record: dict[str, object]) -> int:
    return 1 if "error" in record else 0


def run_dask(source: Path, workers: int) -> dict[str, float]:
    """The README's library snippet on a dask.bag of the same lines, multiprocessing scheduler."""
    import dask.bag as db

    from rulekit.runtime.stream import CaseEvaluator

    evaluator = CaseEvaluator(str(ROOT / CONTRACT), detail="summary").check()
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    s = time.perf_counter()
    bag = db.from_sequence(lines, npartitions=workers * 8).map(generate.loads).map(evaluator).map(_is_error)
    errors = bag.sum().compute(scheduler="processes", num_workers=workers)
    return {"wall": time.perf_counter() - s, "lines": len(lines), "errors": errors}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=1_000_000, help="cases in the large input (default 1,000,000)")
    p.add_argument("--small", type=int, help="cases in the small input (default n/10)")
    p.add_argument("--workers", default="1,2", help="worker counts to run (default 1,2)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--stdout", action="store_true", help="discard the output through a pipe instead of -o FILE")
    p.add_argument("--keep", action="store_true", help="keep the output files (in the temporary folder)")
    p.add_argument("--dask", action="store_true", help="also run the small input through dask.bag (processes)")
    args = p.parse_args(argv)
    small = args.small or max(1, args.n // 10)
    workers = [int(w) for w in args.workers.split(",")]
    where = machine()

    with tempfile.TemporaryDirectory(prefix="rulekit-scale-") as tmp:
        folder = Path(tmp)
        inputs = {}
        for n in sorted({small, args.n}):
            path = folder / f"cases-{n}.jsonl"
            s = time.perf_counter()
            generate.write(path, "kobenhavn", n, args.seed)
            print(f"generated {n:,} cases ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - s:.0f} s",
                  file=sys.stderr)
            inputs[n] = path
        rows = []
        for n, path in sorted(inputs.items()):
            for w in workers:
                out = None if args.stdout else folder / f"out-{n}-{w}.jsonl"
                print(f"running {n:,} cases, {w} worker(s) …", file=sys.stderr, flush=True)
                r = run_batch(path, out, w)
                size = out.stat().st_size if out is not None and out.exists() else 0
                if out is not None and not args.keep:
                    out.unlink(missing_ok=True)
                rows.append((n, w, r, size))
                print(f"  {r['wall']:.0f} s, {n / r['wall']:,.0f} cases/s, peak {r['peak_sum'] / 2**20:,.0f} MiB",
                      file=sys.stderr, flush=True)
        dask_row = None
        if args.dask:
            print(f"running {small:,} cases through dask.bag, {max(workers)} processes …", file=sys.stderr, flush=True)
            dask_row = run_dask(inputs[small], max(workers))
        if args.keep:
            print(f"outputs kept in {folder}", file=sys.stderr)
            input("press Enter to delete them … ")

    print(where)
    print(f"rulekit batch {CONTRACT}, generated København cases (seed {args.seed}); output "
          f"{'to a pipe (discarded)' if args.stdout else 'to a file (-o), deleted afterwards'}")
    print(f"{'cases':>10} {'workers':>7} {'wall':>9} {'cases/s':>9} {'peak RSS tree':>14} {'largest proc':>13} "
          f"{'output':>9}")
    for n, w, r, size in rows:
        print(f"{n:>10,} {w:>7} {r['wall']:>8.1f}s {n / r['wall']:>9,.0f} {r['peak_sum'] / 2**20:>10,.0f} MiB "
              f"{r['peak_one'] / 2**20:>9,.0f} MiB {size / 1e9:>7.2f} GB")
    by = {(n, w): r for n, w, r, _ in rows}
    for w in workers:
        if (small, w) in by and (args.n, w) in by and small != args.n:
            a, b = by[(small, w)]["peak_sum"], by[(args.n, w)]["peak_sum"]
            print(f"memory, {w} worker(s): {small:,} cases {a / 2**20:,.0f} MiB → {args.n:,} cases "
                  f"{b / 2**20:,.0f} MiB ({b / a:.2f}×; {'flat' if b / a < 1.25 else 'NOT flat'})")
    if (args.n, 1) in by and (args.n, 2) in by:
        print(f"speed-up with 2 workers: {by[(args.n, 1)]['wall'] / by[(args.n, 2)]['wall']:.2f}× (2 cores)")
    if dask_row is not None:
        batch = by.get((small, max(workers)))
        versus = f"; rulekit batch --workers {max(workers)}: {small / batch['wall']:,.0f} cases/s" if batch else ""
        print(f"dask.bag (processes, {max(workers)} workers), {small:,} cases: {dask_row['wall']:.1f} s, "
              f"{small / dask_row['wall']:,.0f} cases/s, {dask_row['errors']} error records{versus}")
    worst = max(r["peak_sum"] for _, _, r, _ in rows)
    print(f"largest peak {worst / 2**20:,.0f} MiB; goal < 300 MB: {'met' if worst < 300e6 else 'NOT met'}")
    print(f"command: .venv/bin/python benchmarks/bench_scale.py -n {args.n} --small {small}"
          + (f" --workers {args.workers}" if args.workers != "1,2" else "")
          + (f" --seed {args.seed}" if args.seed != 1 else "")
          + (" --stdout" if args.stdout else "") + (" --dask" if args.dask else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
