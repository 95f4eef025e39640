"""Human-readable summaries for the terminal (the JSON forms live with the results)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..explain.words import word
from ..format import Formatter
from ..runtime import CaseResult, PortfolioResult
from ..runtime.portfolio import CaseError
from ..spec.model import Contract
from ..testing import Coverage, TestOutcome


def print_summary(outcome: Any, lang: str) -> None:
    if isinstance(outcome, CaseError):
        print(f"{outcome.case or '?'}: ERROR {outcome.error.diagnostics[0].render()}")
        return
    if isinstance(outcome, PortfolioResult):
        _portfolio(outcome, lang)
        return
    _case(outcome, lang)


def _portfolio(outcome: PortfolioResult, lang: str, shown: int = 8) -> None:
    totals = outcome.totals()
    fmt = Formatter(lang, outcome.contract.currency)
    print(f"portfolio {outcome.portfolio}: {len(outcome.results)} cases evaluated, {len(outcome.errors)} errors; "
          f"penalties {fmt.money(totals['penalties'])}, payments {fmt.money(totals['payments'])}")
    for fig in outcome.figures:
        if fig.figure.kind == "settlement":
            print(f"  settlement {fig.figure.id}: basis {_m(fmt, fig.summary.get('basis'))}, provider "
                  f"{_m(fmt, fig.summary.get('provider_total'))}")
            for row in fig.periods:
                if row.get("payment"):
                    status = "" if row.get("approved", True) else " (awaiting approval)"
                    print(f"    {row['period']}: basis {_m(fmt, row.get('basis'))}, payment {_m(fmt, row['payment'])}"
                          f"{status}")
        elif fig.figure.kind == "statistic":
            typ = fig.figure.exprs["value"].type if "value" in fig.figure.exprs else None
            print(f"  statistic {fig.figure.id}: {fmt.value(fig.value, typ)}")
    _checks(outcome, lang)
    if outcome.duties is not None:  # the portfolio's own rules, as a case's
        _case(outcome.duties, lang)
    notable = [c for c in outcome.cases if isinstance(c, CaseError) or (isinstance(c, CaseResult) and (
        c.penalties or c.findings or any(o.status == "breached" for o in c.obligations)))]
    for case in notable[:shown]:
        print_summary(case, lang)
    if len(notable) > shown:
        print(f"  … {len(notable) - shown} more cases with breaches, penalties or findings (use --format json)")


def _checks(outcome: PortfolioResult, lang: str) -> None:
    """The portfolio checks: how many hold, and every one that fails or was not checked, with its findings."""
    checks = [f for f in outcome.figures if f.figure.kind == "check"]
    if not checks:
        return
    held = sum(1 for f in checks if f.value is True)
    idle = sum(1 for f in checks if f.value is None and f.summary.get("applies") is False)
    print(f"  checks: {held} of {len(checks)} {word(lang, 'met')}" + (f", {idle} {word(lang, 'not_applicable')}"
                                                                       if idle else ""))
    found: dict[str, list[dict[str, Any]]] = {}
    for finding in outcome.findings():
        found.setdefault(finding["rule"], []).append(finding)
    for fig in checks:
        quiet = fig.value is True or (fig.value is None and fig.summary.get("applies") is False)
        if quiet and not found.get(fig.figure.id) and not fig.error:
            continue  # holds or does not apply, and nothing to say (a renamed element's warning is said)
        status = "error" if fig.error else "check_failed" if fig.value is False else "met" if fig.value is True \
            else "not_applicable" if quiet else "not_checked"
        missing = f" ({', '.join(fig.missing)})" if fig.value is None and fig.missing else ""
        error = f" ({fig.error})" if fig.error else ""
        print(f"  {word(lang, status)}: {fig.figure.id}{missing}{error}")
        for i in fig.summary.get("instances", ()):
            if "error" in i:
                print(f"    {'error':10} [{i['instance']}] {i['error']}")
        for finding in found.get(fig.figure.id, ()):
            inst = f" [{finding['instance']}]" if "instance" in finding else ""
            print(f"    {finding['severity']:10}{inst} {finding['message']}")


def _m(fmt: Formatter, value: Any) -> str:
    from decimal import Decimal

    return fmt.money(value) if isinstance(value, Decimal) else "—"


def _case(result: CaseResult, lang: str) -> None:
    fmt = Formatter(lang, result.contract.currency)
    print(f"{result.case} ({word(lang, 'as_of_label')} {fmt.date(result.as_of)}):")
    for o in result.obligations:
        if o.status in ("breached", "pending"):
            extra = f", {fmt.duration(o.late_working_days, 'working_days')}" if o.late_working_days else ""
            due = f" {word(lang, 'due')} {fmt.date(o.due)}" if o.due else ""
            inst = f" [{o.instance}]" if o.instance else ""
            missed = o.extra.get("missed_windows")
            extra += f", {missed} ✗" if missed else ""
            print(f"  {word(lang, o.status):12} {o.rule.id}{inst}{due}{extra}")
    for a in (*result.penalties, *result.payments):
        amount = fmt.money(a.amount) if a.amount is not None else f"? ({', '.join(a.missing)})"
        inst = f" [{a.instance}]" if a.instance else ""
        waived = f" ({word(lang, 'waived')})" if a.waived else ""
        print(f"  {word(lang, a.rule.kind):12} {a.rule.id}{inst}: {amount}{waived}")
    for f in result.findings:
        print(f"  {f.severity:12} {f.rule.id if f.rule else f.subject}: {f.message}")
    print("  " + word(lang, "totals_line", penalties=fmt.money(result.total(result.penalties)),
                      payments=fmt.money(result.total(result.payments))))


def print_tests(path: Path, contract: Contract, outcomes: list[TestOutcome], cov: Coverage,
                form: str) -> dict[str, Any]:
    entry = {"file": str(path), "contract": contract.id, "tests": len(outcomes),
             "failed": [{"test": o.test.id, "line": o.test.span.line, "failures": o.failures}
                        for o in outcomes if not o.passed],
             "rules": len(cov.rules), "untouched": cov.untouched, "unasserted": cov.unasserted}
    if form != "text":
        return entry
    for o in outcomes:
        if not o.passed:
            print(f"FAIL {o.test.span} {o.test.id}")
            for failure in o.failures:
                print(f"     {failure}")
    passed = sum(1 for o in outcomes if o.passed)
    print(f"{contract.id}: {passed}/{len(outcomes)} tests passed; rules touched by tests "
          f"{len(cov.rules) - len(cov.untouched)}/{len(cov.rules)}")
    if cov.untouched:
        print("  rules no test touches: " + ", ".join(cov.untouched))
    if cov.unasserted:
        print("  rules touched but never asserted: " + ", ".join(cov.unasserted))
    return entry
