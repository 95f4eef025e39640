"""A large Hedensted portfolio: time and peak memory of `evaluate_portfolio` over N generated cases.

Each run is a fresh process (peak RSS is `ru_maxrss` of that process alone). The portfolio's own facts and
events (the jobindsats figures, data deliveries, payments) are those of examples/hedensted/portfolio.yaml;
its cases are N generated citizens (benchmarks/generate.py) in a JSON Lines file. Measured in one run:

- the portfolio keeping only a digest of each case and the fields its expressions read (`keep_cases=False`,
  what `rulekit evaluate --detail summary` does) at N and at N/10: memory should grow with the cases only
  through those few fields;
- the same N/10 cases keeping whole case results (the default), as the baseline that shows what the
  digests save.

    .venv/bin/python benchmarks/bench_portfolio.py              # N = 100,000
    .venv/bin/python benchmarks/bench_portfolio.py -n 20000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchutil import PYTHON, ROOT, machine

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

_CHILD = r"""
import json, resource, sys, time
from rulekit import load_contract
from rulekit.runtime import evaluate_portfolio
from rulekit.spec.yamlsource import load_yaml
contract = load_contract(sys.argv[1])
import pathlib
doc = load_yaml(pathlib.Path(sys.argv[2]), kind="input")
keep = sys.argv[3] == "full"
started = time.perf_counter()
result = evaluate_portfolio(contract, doc.data, base=__import__("pathlib").Path(sys.argv[2]).parent,
                            keep_cases=keep)
seconds = time.perf_counter() - started
settlement = {k: v.get("provider_total") for k, v in result.to_json()["settlement"].items()}
print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cases": len(result.cases), "errors": len(result.errors), "settlement": settlement}))
"""


def write_portfolio(folder: Path, n: int, seed: int) -> Path:
    cases = folder / f"cases-{n}.jsonl"
    generate.write(cases, "hedensted", n, seed)
    example = ROOT / "examples" / "hedensted" / "portfolio.yaml"
    import yaml

    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["cases"] = cases.name
    data["portfolio"] = f"bench-{n}"
    path = folder / f"portfolio-{n}.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


def run(portfolio: Path, keep: str) -> dict[str, float]:
    spec = str(ROOT / "contracts" / "hedensted.yaml")
    proc = subprocess.run([str(PYTHON), "-c", _CHILD, spec, str(portfolio), keep], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"the run failed:\n{proc.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small, big = write_portfolio(folder, args.n // 10, args.seed), write_portfolio(folder, args.n, args.seed)
        rows = [(f"{args.n // 10:,} cases, whole results (baseline)", run(small, "full")),
                (f"{args.n // 10:,} cases, digests", run(small, "digest")),
                (f"{args.n:,} cases, digests", run(big, "digest"))]
    print(f"\n{'':44} {'seconds':>9} {'cases/s':>9} {'peak MiB':>9}")
    for label, r in rows:
        print(f"{label:44} {r['seconds']:9.1f} {r['cases'] / r['seconds']:9,.0f} {r['peak_mib']:9.0f}")
    per_case_digest = (rows[2][1]["peak_mib"] - rows[1][1]["peak_mib"]) / (args.n - args.n // 10) * 1024
    per_case_full = (rows[0][1]["peak_mib"] - rows[1][1]["peak_mib"]) / (args.n // 10) * 1024
    print(f"\nmemory per case: {per_case_digest:.1f} KiB with digests, about {per_case_full:.1f} KiB more with whole "
          f"results; {args.n:,} cases peak {rows[2][1]['peak_mib']:.0f} MiB (goal < 500 MB: "
          f"{'met' if rows[2][1]['peak_mib'] * 1.048576 < 500 else 'NOT met'})")
    agree = rows[0][1]["settlement"] == rows[1][1]["settlement"]
    print(f"settlements agree between whole results and digests: {agree}")
    print(f"command: .venv/bin/python benchmarks/bench_portfolio.py -n {args.n} --seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
