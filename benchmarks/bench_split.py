"""Where rulekit's time goes, against the hand-written code of bench_overhead.py, measured in one run.

    .venv/bin/python benchmarks/bench_split.py -n 20000 --seed 1

The same generated København cases go through four runs, alternating in chunks of 1,000 (a busy spell
of the machine hits all of them), CPU time:
  hand        the hand-written rules (bench_overhead.handwritten);
  rulekit     evaluate_case(contract, case, trace=False), as bench_overhead.py times it;
  fixed       the same, with each rule the case's plan runs giving at once the outputs it gives when its
              trigger has not happened: reading the case, planning, building the result and the GC, with
              no rule judged;
  expressions rulekit on a second copy of the contract whose compiled expressions are timed one by one
              (the timer's own cost, measured here, taken off): the part of the rules' time spent in the
              contract's own expressions.
`rules` is rulekit − fixed; `rule machinery` is rules − expressions: the instance loops, entries,
outputs, labels, calendars and amounts around the expressions. Each figure is printed in µs a case and
as a multiple of the hand-written time, so the figures add up to bench_overhead.py's ratio.

The `fixed` and `expressions` runs reach into the runtime (evaluate._steps, Expr.fn): a diagnostic, not
an interface; it fails loudly when those change.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from bench_overhead import CONTRACT, handwritten  # noqa: E402
from benchutil import machine  # noqa: E402

from rulekit import evaluate_case, load_contract  # noqa: E402
from rulekit.runtime import evaluate as runtime  # noqa: E402
from rulekit.runtime.plan import skipped_outputs  # noqa: E402
from rulekit.spec.model import Contract  # noqa: E402

_NS = time.perf_counter_ns


@contextmanager
def rules_not_judged() -> Iterator[None]:
    """Every rule a plan runs gives the outputs of a rule whose trigger has not happened."""
    steps = runtime._steps

    def constant(plan: Any, compiled: Any) -> list[Any]:
        return [(rule_id, rule, _giving(skipped_outputs(rule))) for rule_id, rule, _ in steps(plan, compiled)]
    runtime._steps = constant  # type: ignore[assignment]
    try:
        yield
    finally:
        runtime._steps = steps


def _giving(outputs: Any) -> Callable[[Any], Any]:
    return lambda run: outputs


class ExpressionClock:
    """Times every compiled expression (and probe) of a contract; `spent` is the total in ns."""

    def __init__(self, contract: Contract) -> None:
        self.spent = self.calls = 0
        for rule in contract.rules:
            for expr in rule.exprs.values():
                object.__setattr__(expr, "fn", self._timed(expr.fn))
                if expr.probe is not None:
                    expr.__dict__["probe"] = self._timed(expr.probe)

    def _timed(self, fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def timed(env: Any) -> Any:
            start = _NS()
            try:
                return fn(env)
            finally:
                self.spent += _NS() - start
                self.calls += 1
        return timed

    def own_cost(self) -> float:
        """ns the timer adds inside the measured span of one call (two clock reads and a try), measured."""
        before, calls = self.spent, self.calls
        timed = self._timed(lambda env: env)
        for _ in range(20_000):
            timed(None)
        inside = (self.spent - before) / 20_000
        bare = min(_two_reads() for _ in range(5))
        self.spent, self.calls = before, calls
        return max(0.0, min(inside, bare))


def _two_reads() -> float:
    start = _NS()
    for _ in range(20_000):
        _NS()
    return (_NS() - start) / 20_000


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=20_000, help="number of cases (default 20,000)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    contract, timed_contract = load_contract(CONTRACT), load_contract(CONTRACT)
    clock = ExpressionClock(timed_contract)
    print(machine())
    source = generate.cases("kobenhavn", args.n, args.seed)
    cpu = {"hand": 0.0, "rulekit": 0.0, "fixed": 0.0, "timed": 0.0}
    runs: dict[str, Callable[[dict[str, Any]], Any]] = {
        "hand": handwritten,
        "rulekit": lambda case: evaluate_case(contract, case, trace=False),
        "fixed": lambda case: evaluate_case(contract, case, trace=False),
        "timed": lambda case: evaluate_case(timed_contract, case, trace=False),
    }
    done, first = 0, True
    while done < args.n:
        chunk = [generate.loads(generate.dumps(next(source))) for _ in range(min(1000, args.n - done))]
        if first:  # warm every path (calendar years, plans, runners) outside the timing
            for name, run in runs.items():
                with rules_not_judged() if name == "fixed" else _nothing():
                    for case in chunk[:50]:
                        run(case)
            clock.spent = clock.calls = 0
            first = False
        for name, run in runs.items():
            gc.collect()
            with rules_not_judged() if name == "fixed" else _nothing():
                start = time.process_time()
                kept = [run(case) for case in chunk]  # kept, as bench_overhead.py keeps them
                cpu[name] += time.process_time() - start
            del kept
        done += len(chunk)
        print(f"\r  {done:,}/{args.n:,} cases", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    _report(args, cpu, clock)
    return 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _report(args: argparse.Namespace, cpu: dict[str, float], clock: ExpressionClock) -> None:
    n = args.n
    per = {name: seconds / n * 1e6 for name, seconds in cpu.items()}
    hand = per["hand"]
    expressions = (clock.spent - clock.calls * clock.own_cost()) / n / 1000
    rules = per["rulekit"] - per["fixed"]
    rows = [("hand-written plain Python", hand), ("rulekit evaluate_case", per["rulekit"]),
            ("  fixed: read, plan, result, GC", per["fixed"]), ("  rules", rules),
            ("    the contract's expressions", expressions), ("    rule machinery around them", rules - expressions)]
    print(f"\n{n:,} generated København cases (seed {args.seed}); CPU time; expressions: "
          f"{clock.calls / n:.1f} calls a case")
    print(f"{'':34s} {'µs/case':>8s}   × hand-written")
    for label, value in rows:
        print(f"{label:34s} {value:8.1f}   {value / hand:5.2f}×")
    print(f"\nfor 3×, fixed + rules must come to at most {3 * hand:.1f} µs a case "
          f"(now {per['rulekit']:.1f}: {per['rulekit'] - 3 * hand:+.1f})")
    print(f"command: .venv/bin/python benchmarks/bench_split.py -n {n} --seed {args.seed}")


if __name__ == "__main__":
    sys.exit(main())
