"""`rulekit due`: every open obligation instance across cases and portfolios, soonest due first.

Open means not yet met and not ended: pending, suspended, or breached without fulfilment (overdue).
Cases are evaluated one at a time without traces and only the open instances are kept, so memory grows
with the instances listed, not with the cases read."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..format import Formatter
from ..runtime import CaseResult, PortfolioResult
from ..runtime.portfolio import CaseError
from ..spec import load_contract
from ..spec.model import Contract
from . import EXIT_INVALID, EXIT_OK
from .inputs import Settings, evaluate_inputs, parse_as_of, parse_assume

_OPEN = ("pending", "suspended", "breached")


@dataclass(frozen=True, slots=True)
class OpenItem:
    due: dt.date
    case: str
    rule: str
    instance: str | None
    status: str
    obliged: str | None
    working_days_left: int
    days_left: int
    title: str
    source: str

    def as_json(self) -> dict[str, Any]:
        return {"case": self.case, "rule": self.rule, "instance": self.instance, "status": self.status,
                "obliged": self.obliged, "due": self.due.isoformat(), "working_days_left": self.working_days_left,
                "days_left": self.days_left, "title": self.title, "source": self.source}


def parse_within(values: list[str] | None) -> tuple[int, str] | None:
    """`--within 5 working_days` / `--within 10 days`."""
    if not values:
        return None
    count, unit = [*values, "working_days"][:2]
    if not count.lstrip("-").isdigit() or unit not in ("working_days", "days"):
        raise UsageError.one("E027", f"--within {' '.join(values)} is not N working_days|days",
                             hint="e.g. --within 5 working_days")
    return int(count), unit


def open_items(contract: Contract, result: CaseResult) -> Iterator[OpenItem]:
    cal = contract.calendar
    for o in result.obligations:
        if o.status not in _OPEN or o.due is None or (o.status == "breached" and o.fulfilled is not None):
            continue
        left = cal.count(result.as_of, o.due) if o.due >= result.as_of else -cal.count(o.due, result.as_of)
        yield OpenItem(o.due, result.case, o.rule.id, o.instance, o.status, o.rule.obliged, left,
                       (o.due - result.as_of).days, o.rule.title.get(result.lang), o.rule.source.label)


def collect(contract: Contract, names: list[str], settings: Settings,
            within: tuple[int, str] | None) -> tuple[list[OpenItem], list[CaseError]]:
    items: list[OpenItem] = []
    errors: list[CaseError] = []
    for outcome in evaluate_inputs(contract, names, settings):
        # a portfolio's cases, and its own duties (their 'case' is the portfolio's id)
        cases = ([*outcome.cases, *([outcome.duties] if outcome.duties is not None else [])]
                 if isinstance(outcome, PortfolioResult) else [outcome])
        for case in cases:
            if isinstance(case, CaseError):
                errors.append(case)
                continue
            if not isinstance(case, CaseResult):
                continue  # a digest: no instances kept
            for item in open_items(contract, case):
                left = item.working_days_left if within and within[1] == "working_days" else item.days_left
                if within is None or left <= within[0]:
                    items.append(item)
    items.sort(key=lambda i: (i.due, i.case, i.rule, i.instance or ""))
    return items, errors


def due(args: argparse.Namespace) -> int:
    if not args.inputs:
        raise UsageError.one("E029", "rulekit due needs at least one case, portfolio or JSON Lines file",
                             hint="rulekit due CONTRACT INPUT … [--within N working_days] (INPUT - reads "
                                  "standard input)")
    contract = load_contract(args.contract)
    settings = Settings(parse_assume(args.assume), parse_as_of(args.as_of), args.lang, trace=False)
    items, errors = collect(contract, args.inputs, settings, parse_within(args.within))
    if args.format == "json":
        print(json.dumps({"contract": contract.id, "open": [i.as_json() for i in items],
                          "errors": [e.to_json() for e in errors]}, indent=2, ensure_ascii=False))
    else:
        _print_text(items, errors, args.lang)
    return EXIT_INVALID if errors else EXIT_OK


def _print_text(items: list[OpenItem], errors: list[CaseError], lang: str) -> None:
    fmt = Formatter(lang)
    head = ("frist", "arb.dage", "sag", "forpligtelse", "status") if lang == "da" else \
        ("due", "work days", "case", "obligation", "status")
    width = 12 if lang == "da" else 18  # "27 September 2021"
    cw = max([16, *(len(i.case) for i in items)])
    print(f"{head[0]:<{width}} {head[1]:>9}  {head[2]:<{cw}} {head[3]:<44} {head[4]}")
    for i in items:
        what = i.rule + (f"[{i.instance}]" if i.instance else "")
        danish = {"pending": "afventer", "suspended": "suspenderet", "breached": "overskredet"}
        status = danish.get(i.status, i.status) if lang == "da" else i.status
        print(f"{fmt.date(i.due):<{width}} {i.working_days_left:>9}  {i.case:<{cw}} {what:<44} {status:<12} "
              f"{i.title} ({i.source})")
    if not items:
        print("ingen åbne forpligtelser" if lang == "da" else "no open obligations")
    for e in errors:
        message = e.error.diagnostics[0].render() if e.error.diagnostics else str(e.error)
        print(f"error: case {e.case}: {message}", file=sys.stderr)
