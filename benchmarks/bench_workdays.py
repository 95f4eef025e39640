"""Working-day arithmetic: rulekit's WorkingCalendar against a naive day-by-day loop.

    .venv/bin/python benchmarks/bench_workdays.py                 # 1,000,000 operations
    .venv/bin/python benchmarks/bench_workdays.py -n 200000 --baseline 10000

1,000,000 operations on the København calendar (contracts/kobenhavn.yaml: Mon–Fri except public
holidays, 24/12, 31/12 and 5/6), half `add(day, n)` (n from -20 to 30) and half `count(a, b)` (spans of
up to 400 days), over 2020–2024. The baseline walks day by day over a set of non-working days built
from the same `holidays` package; it runs a slice of the same operations (default 20,000) and is
scaled to 1,000,000. Both give the same answers on that slice. Goal: 1,000,000 operations under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import holidays

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from benchutil import machine  # noqa: E402

ONE = dt.timedelta(days=1)


class NaiveCalendar:
    def __init__(self) -> None:
        years = range(2015, 2031)
        self.off = set(holidays.country_holidays("DK", years=years))
        self.off |= {dt.date(y, m, d) for y in years for m, d in ((12, 24), (12, 31), (6, 5))}

    def working(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.off

    def add(self, day: dt.date, n: int) -> dt.date:
        step = ONE if n > 0 else -ONE
        left = abs(n)
        while left:
            day += step
            if self.working(day):
                left -= 1
        return day

    def count(self, start: dt.date, end: dt.date) -> int:
        if end < start:
            return -self.count(end, start)
        n, day = 0, start
        while day < end:
            day += ONE
            n += self.working(day)
        return n


def operations(n: int, seed: int) -> list[tuple[str, dt.date, object]]:
    rng = random.Random(seed)
    first = dt.date(2020, 1, 1).toordinal()
    ops: list[tuple[str, dt.date, object]] = []
    for i in range(n):
        day = dt.date.fromordinal(first + rng.randint(0, 5 * 365))
        if i % 2 == 0:
            ops.append(("add", day, rng.randint(-20, 30)))
        else:
            ops.append(("count", day, day + dt.timedelta(days=rng.randint(-30, 400))))
    return ops


def run(cal: object, ops: list[tuple[str, dt.date, object]]) -> list[object]:
    add, count = cal.add, cal.count  # type: ignore[attr-defined]
    return [add(a, b) if op == "add" else count(a, b) for op, a, b in ops]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=1_000_000, help="operations on WorkingCalendar (default 1,000,000)")
    p.add_argument("--baseline", type=int, default=20_000, help="operations for the naive loop (default 20,000)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    where = machine()

    from rulekit import load_contract

    calendar = load_contract(ROOT / "contracts" / "kobenhavn.yaml").calendar
    ops = operations(args.n, args.seed)
    s = time.perf_counter()
    calendar.add(dt.date(2022, 1, 3), 1)  # first use builds the years around 2022
    calendar.add(dt.date(2020, 1, 1), -30)
    calendar.count(dt.date(2019, 12, 1), dt.date(2026, 3, 1))
    build = time.perf_counter() - s

    s = time.perf_counter()
    got = run(calendar, ops)
    t_rk = time.perf_counter() - s

    naive = NaiveCalendar()
    sample = ops[: args.baseline]
    s = time.perf_counter()
    want = run(naive, sample)
    t_naive = time.perf_counter() - s
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            print(f"MISMATCH at operation {i} {ops[i]}: WorkingCalendar {a}, naive loop {b}", file=sys.stderr)
            return 1
    scaled = t_naive * args.n / len(sample)

    # the day-by-day helpers the engine also uses (also when it is not tracing, see README)
    s = time.perf_counter()
    for _, a, _ in ops[:2000]:
        calendar.days_off(a, a + dt.timedelta(days=365))
    t_days_off = (time.perf_counter() - s) / 2000

    print(where)
    print(f"WorkingCalendar (contracts/kobenhavn.yaml), {args.n:,} operations (half add, half count), "
          f"seed {args.seed}; building the years used took {build * 1000:.0f} ms (not in the figure)")
    print(f"WorkingCalendar          {t_rk:7.3f} s for {args.n:,}   {args.n / t_rk:12,.0f} ops/s  "
          f"({t_rk / args.n * 1e6:.2f} µs/op)   goal < 1 s: {'met' if t_rk < 1 else 'NOT met'}")
    print(f"naive day-by-day loop    {t_naive:7.3f} s for {len(sample):,}   {len(sample) / t_naive:12,.0f} ops/s  "
          f"({t_naive / len(sample) * 1e6:.2f} µs/op); scaled to {args.n:,}: {scaled:.1f} s")
    print(f"identical answers on the {len(sample):,} operations both ran")
    print(f"\nratio naive / WorkingCalendar: {scaled / t_rk:.0f}× (WorkingCalendar is faster)")
    print(f"aside: WorkingCalendar.days_off over one year (a day-by-day loop): {t_days_off * 1e6:.0f} µs per call")
    print(f"command: .venv/bin/python benchmarks/bench_workdays.py -n {args.n} --baseline {args.baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
