"""rulekit against GoRules zen-engine on one rule set, the same 100,000 inputs.

    .venv/bin/python benchmarks/bench_peer.py            # 100,000 inputs
    .venv/bin/python benchmarks/bench_peer.py -n 20000

The rules (København Kontrakt pkt. 6.4 and 5.6.3):
- daily penalty max(10 % × value of the late part, DKK 3,000) per working day late;
- invoicing penalty 50 % of the wrongly invoiced amount, or DKK 10,000 per working day when no amount
  can be computed;
- the liability cap max(DKK 1 mio., 5 × estimated annual turnover) against property-damage claims.
rulekit evaluates benchmarks/specs/peer.yaml (evaluate_case, trace=False, input validation included);
zen-engine evaluates benchmarks/peer.jdm.json (one expression node). zen-engine has no Danish
working-day calendar, so the late working days are computed once, before timing, with rulekit's
København calendar, and both engines get the same numbers. rulekit computes in Decimal; zen returns
floats; amounts are compared rounded to øre (half up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from benchutil import machine  # noqa: E402

SPEC = HERE / "specs" / "peer.yaml"
JDM = HERE / "peer.jdm.json"
CENT = Decimal("0.01")
PENALTIES = ("daily_penalty", "invoicing_penalty", "invoicing_penalty_per_day")


def inputs(n: int, seed: int) -> list[dict[str, Any]]:
    """`n` seeded fact sets; the working-day counts come from real dates on the København calendar."""
    from rulekit import load_contract

    calendar = load_contract(ROOT / "contracts" / "kobenhavn.yaml").calendar
    rng = random.Random(seed)
    first = dt.date(2020, 7, 1)

    def money(lo: int, hi: int) -> Decimal:
        return Decimal(rng.randint(lo * 100, hi * 100)) / 100

    out = []
    for _ in range(n):
        due = first + dt.timedelta(days=rng.randint(0, 1090))
        done = due + dt.timedelta(days=rng.randint(-5, 30))
        facts: dict[str, Any] = {"late_working_days": max(0, calendar.count(due, done))}
        if rng.random() < 0.85:
            facts["late_part_value"] = money(0, 100_000)
        if rng.random() < 0.3:
            facts["invoicing_error"] = True
            if rng.random() < 0.6:
                facts["erroneous_amount"] = money(100, 20_000)
            else:
                sent = first + dt.timedelta(days=rng.randint(0, 1090))
                facts["invoice_error_working_days"] = calendar.count(sent, sent + dt.timedelta(days=rng.randint(1, 40)))
        if rng.random() < 0.2:
            facts["property_claims"] = money(10_000, 3_000_000)
            if rng.random() < 0.9:
                facts["estimated_annual_turnover"] = money(50_000, 500_000)
        out.append(facts)
    return out


def ore(value: Any) -> str | None:
    if value is None:
        return None
    return f"{Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP):f}"


def rulekit_view(result: Any) -> dict[str, Any]:
    from rulekit.runtime.values import money_str

    out: dict[str, Any] = {rule: None for rule in PENALTIES}
    for a in result.penalties:
        out[a.rule.id] = money_str(a.amount)
    values = {r.id: v for r, v in result.values}
    out["liability_cap_amount"] = money_str(values.get("liability_cap_amount"))
    out["liability_cap_exceeded"] = any(f.rule.id == "liability_cap" for f in result.findings)
    return out


def zen_view(response: dict[str, Any]) -> dict[str, Any]:
    result = response["result"]
    out: dict[str, Any] = {rule: ore(result.get(rule)) for rule in PENALTIES}
    out["liability_cap_amount"] = ore(result.get("liability_cap_amount"))
    out["liability_cap_exceeded"] = bool(result.get("liability_cap_exceeded"))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=100_000, help="number of inputs (default 100,000)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    import zen

    from rulekit import __version__, evaluate_case, load_contract

    where = machine()

    facts = inputs(args.n, args.seed)
    # each engine's native input, built before timing: rulekit a case dict (exact Decimals), zen a dict of numbers
    cases = [{"case": f"P-{i}", "contract": "peer", "as_of": "2023-06-30", "facts": f} for i, f in enumerate(facts)]
    contexts = [{k: float(v) if isinstance(v, Decimal) else v for k, v in f.items()} for f in facts]

    contract = load_contract(SPEC)
    content = JDM.read_text(encoding="utf-8")
    decision = zen.ZenEngine().create_decision(content)
    batch_engine = zen.ZenEngine({"loader": lambda key: content})
    for case, ctx in zip(cases[:200], contexts[:200], strict=False):  # warm-up
        evaluate_case(contract, case, trace=False)
        decision.evaluate(ctx)

    gc.collect()
    s, c0 = time.perf_counter(), time.process_time()
    rk_results = [evaluate_case(contract, case, trace=False) for case in cases]
    t_rk, cpu_rk = time.perf_counter() - s, time.process_time() - c0
    gc.collect()
    s, c0 = time.perf_counter(), time.process_time()
    zen_results = [decision.evaluate(ctx) for ctx in contexts]
    t_zen, cpu_zen = time.perf_counter() - s, time.process_time() - c0
    gc.collect()
    s, c0 = time.perf_counter(), time.process_time()
    batch_results: list[Any] = []
    for i in range(0, len(contexts), 1000):
        batch_results.extend(batch_engine.evaluate_batch([{"key": "peer", "context": c} for c in contexts[i:i + 1000]]))
    t_batch, cpu_batch = time.perf_counter() - s, time.process_time() - c0

    counts = dict.fromkeys((*PENALTIES, "liability_cap_exceeded"), 0)
    for i, (case, rk, zr, zb) in enumerate(zip(cases, rk_results, zen_results, batch_results, strict=True)):
        a, b = rulekit_view(rk), zen_view(zr)
        c = zen_view(zb["data"]) if zb.get("success") else {"error": zb.get("error")}
        if a != b or b != c:
            print(f"MISMATCH on input {i}: {json.dumps(case['facts'], default=str)}\n  rulekit {a}\n  zen     {b}\n"
                  f"  zen batch {c}", file=sys.stderr)
            return 1
        for key in counts:
            counts[key] += bool(a[key])

    rk, zn, zb_rate = args.n / t_rk, args.n / t_zen, args.n / t_batch
    print(f"rulekit {__version__} ({SPEC.relative_to(ROOT)}) vs zen-engine ({JDM.relative_to(ROOT)}), "
          f"{args.n:,} inputs, seed {args.seed}")
    print(where)
    print("late working days and invoice-error working days were precomputed once with rulekit's København "
          "calendar and given to BOTH engines (zen-engine has no Danish working-day calendar)")
    print("identical results on every input (amounts compared rounded to øre): "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print("\n                                       wall       rate            per input   CPU (all threads)")
    for label, wall, rate, cpu in (("rulekit evaluate_case", t_rk, rk, cpu_rk),
                                   ("zen-engine decision.evaluate(dict)", t_zen, zn, cpu_zen),
                                   ("zen-engine evaluate_batch (1,000)", t_batch, zb_rate, cpu_batch)):
        print(f"{label:37s} {wall:7.2f} s  {rate:9,.0f} inputs/s  {wall / args.n * 1e6:7.1f} µs  {cpu:7.2f} s")
    print(f"\nratio rulekit / zen-engine per call:  {t_rk / t_zen:.2f}×  (below 1: rulekit is faster)")
    print(f"ratio rulekit / zen-engine batch:     {t_rk / t_batch:.2f}×")
    print(f"command: .venv/bin/python benchmarks/bench_peer.py -n {args.n} --seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
