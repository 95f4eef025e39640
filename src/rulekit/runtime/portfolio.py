"""Portfolios: many cases under one contract. One bad case is an error record; the rest still count."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..dsl import Env
from ..errors import InputError, RulekitError
from ..spec.model import Contract
from .case import Case, read_case, read_portfolio_inputs
from .evaluate import evaluate_case, resolve_assumptions
from .links import link_answers
from .privacy import safe_id
from .result import CaseResult, header
from .settle import FigureResult, Figures, figure_json
from .values import money_str, to_date
from .words import message


@dataclass
class CaseError:
    case: str | None
    error: RulekitError
    line: int | None = None

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"case": self.case, "error": {
            "diagnostics": [d.as_dict() for d in self.error.diagnostics],
            "message": self.error.diagnostics[0].render() if self.error.diagnostics else str(self.error)}}
        if self.line is not None:
            out["line"] = self.line
        return out


@dataclass(frozen=True, slots=True)
class CaseDigest:
    """What a portfolio keeps of a case when it does not keep the whole result: its totals and counts."""

    case: str
    penalties: Decimal
    payments: Decimal
    statuses: tuple[tuple[str, str], ...]  # (rule, status) of every applicable obligation entry
    severities: tuple[str, ...]
    complete: bool

    @staticmethod
    def of(result: CaseResult) -> CaseDigest:
        return CaseDigest(result.case, result.total(result.penalties), result.total(result.payments),
                          tuple((o.rule.id, o.status) for o in result.obligations if o.status != "not_applicable"),
                          tuple(f.severity for f in result.findings), result.complete)

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        return {"case": self.case, "totals": {"penalties": money_str(self.penalties),
                                              "payments": money_str(self.payments)},
                "breached": sum(1 for _, status in self.statuses if status == "breached"),
                "complete": self.complete}


@dataclass
class PortfolioResult:
    portfolio: str
    contract: Contract
    as_of: dt.date
    assumptions: dict[str, str]
    cases: list[CaseResult | CaseError | CaseDigest] = field(default_factory=list)
    lang: str = "da"
    figures: list[FigureResult] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)  # what portfolio expressions read, per case
    duties: CaseResult | None = None  # the portfolio's own rules, evaluated as one case (traced)

    @property
    def results(self) -> list[CaseResult]:
        return [c for c in self.cases if isinstance(c, CaseResult)]

    @property
    def errors(self) -> list[CaseError]:
        return [c for c in self.cases if isinstance(c, CaseError)]

    @property
    def digests(self) -> list[CaseDigest]:
        return [CaseDigest.of(c) if isinstance(c, CaseResult) else c for c in self.cases
                if not isinstance(c, CaseError)]

    @property
    def every_digest(self) -> list[CaseDigest]:
        """The cases' digests and, when the portfolio has rules of its own, theirs (what totals, counts of
        obligations and --fail-on count)."""
        own = [CaseDigest.of(self.duties)] if self.duties is not None else []
        return [*self.digests, *own]

    def totals(self) -> dict[str, Decimal]:
        """Every case's penalties and payments, and the portfolio's own."""
        every = self.every_digest
        return {"penalties": sum((d.penalties for d in every), Decimal(0)),
                "payments": sum((d.payments for d in every), Decimal(0))}

    def findings(self) -> list[dict[str, Any]]:
        """Portfolio checks that do not hold: one finding each, or one per element that does not (`each`); and a
        warning for every element renamed because an earlier element of the same check has its name."""
        out = []
        for fig in self.figures:
            if fig.figure.kind != "check":
                continue
            src = fig.figure.source
            title = fig.figure.title.get(self.lang)
            head = {"rule": fig.figure.id, "title": title, "source": src.label if src else "",
                    "quote": src.quote if src else "", "severity": fig.figure.options.get("severity", "error")}
            instances = fig.summary.get("instances")
            if instances is None:
                if fig.value is False:
                    out.append({**head, "message": fig.summary.get("message", "")})
                continue
            out += [{**head, "instance": i["instance"], "message": i.get("message", "")}
                    for i in instances if i["holds"] is False]
            out += [{**head, "severity": "warning", "instance": i["instance"], "message": message(
                self.lang, "repeated_label", title=title, label=i["renamed_from"], renamed=i["instance"])}
                for i in instances if "renamed_from" in i]
        return out

    def counts(self) -> dict[str, Any]:
        """How the cases came out (and, under `obligations`, the portfolio's own rules' instances too)."""
        by_rule: dict[str, Counter[str]] = {}
        digests, every = self.digests, self.every_digest
        for digest in every:
            for rule, status in digest.statuses:
                by_rule.setdefault(rule, Counter())[status] += 1
        return {"cases": len(self.cases), "evaluated": len(digests), "errors": len(self.errors),
                "complete": all(d.complete for d in every),
                "obligations": {k: dict(v) for k, v in sorted(by_rule.items())},
                "cases_with_penalties": sum(1 for d in digests if d.penalties),
                "findings": dict(Counter(s for d in digests for s in d.severities))}

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        totals = self.totals()
        own = self.duties.body() if self.duties is not None else {}  # the portfolio's own rules' entries
        return {"portfolio": self.portfolio, **header(self.contract, self.as_of, self.assumptions),
                "obligations": own.get("obligations", []), "penalties": own.get("penalties", []),
                "payments": own.get("payments", []), "findings": [*own.get("findings", []), *self.findings()],
                "values": own.get("values", []),
                "totals": {"penalties": money_str(totals["penalties"]), "payments": money_str(totals["payments"]),
                           "currency": self.contract.currency},
                "cases": [c.to_json(trace=trace) if isinstance(c, CaseResult) else c.to_json() for c in self.cases],
                "settlement": {f.figure.id: figure_json(f, self.lang) for f in self.figures
                               if f.figure.kind == "settlement"},
                "statistics": {**{f.figure.id: figure_json(f, self.lang) for f in self.figures
                                  if f.figure.kind not in ("settlement", "check")}, "counts": self.counts()},
                # every check's judgement, also those that hold, do not apply or were not checked (the
                # findings list only those that fail)
                "checks": {f.figure.id: figure_json(f, self.lang) for f in self.figures if f.figure.kind == "check"}}


def evaluate_portfolio(contract: Contract, data: dict[str, Any], *, base: Path | None = None,
                       assume: dict[str, str] | None = None, as_of: dt.date | None = None,
                       trace: bool = False, lang: str = "da", locate: Any = None,
                       keep_cases: bool = True) -> PortfolioResult:
    """Evaluate every case of a portfolio mapping (cases inline or in a JSON Lines file). With
    `keep_cases=False` only each case's digest and the fields the portfolio expressions read are kept, so
    memory grows with those, not with whole case results."""
    readings = resolve_assumptions(contract, assume)
    if data.get("contract", contract.id) != contract.id:
        raise InputError.one("E300", f"portfolio is for contract '{data.get('contract')}', not '{contract.id}'",
                             span=locate(("contract",)) if locate else None)
    try:
        day = as_of or to_date(data.get("as_of"))
    except Exception:
        raise InputError.one("E300", "the portfolio has no valid as_of date", hint="add `as_of: YYYY-MM-DD`",
                             span=locate(("as_of",)) if locate else None) from None
    result = PortfolioResult(str(data.get("portfolio", "portfolio")), contract, day, readings, lang=lang)
    facts, events = read_portfolio_inputs(data, contract, locate)
    for line, raw, err in iter_cases(data.get("cases"), base):
        if err is not None:
            result.cases.append(CaseError(None, err, line))
            continue
        outcome = _one(contract, raw, readings, day, trace, lang, line, locate)
        if isinstance(outcome, CaseResult):
            result.records.append(project(outcome.record(), contract.portfolio_reads))
            if not keep_cases:
                result.cases.append(CaseDigest.of(outcome))
                continue
        result.cases.append(outcome)
    spec = contract.portfolio
    known = {name: kept for name, items in events.items() if (kept := [e for e in items if e["date"] <= day])}
    duties = contract.portfolio_duties
    loose = _loose(duties, known)
    if loose:  # answers without `ref`, linked by their types' match modes before anything reads answers()
        link_answers(duties, known, readings)
    # the values first; the portfolio's own rules read them; the other figures read both
    figures = Figures(contract, _figure_env(contract, result, facts, events), result.lang)
    result.figures = _guarded(figures.values) if spec.values else []
    if spec.rules or loose:  # the rules, and the occurrences: an answer that links to nothing is reported
        result.duties = _duties(contract, result, facts, known, events, loose)
        figures.env.rules.update((rule.id, result.duties.outputs[rule.id]) for rule in duties.rules)
    if spec.statistics or spec.settlements or spec.checks:
        result.figures += _guarded(figures.others)
    return result


def _loose(duties: Contract, events: dict[str, list[dict[str, Any]]]) -> bool:
    """Whether the portfolio has an answer without `ref` (linked by its type's match mode)."""
    return any("ref" not in e for name, decl in duties.answering for e in events.get(name, ()))


def _duties(contract: Contract, result: PortfolioResult, facts: dict[str, Any], known: dict[str, list[dict[str, Any]]],
            events: dict[str, list[dict[str, Any]]], loose: bool) -> CaseResult:
    """The portfolio's own rules, evaluated once as a case whose facts and events are the portfolio's (`known`:
    those dated after as_of left out, as a case's), with `cases` and the portfolio's values in scope; traced, so
    that `rulekit explain` shows their derivation. `loose`: an answer has no `ref` (its link is reported)."""
    from decimal import localcontext

    from .evaluate import Run
    from .values import PINNED

    later = sum(len(items) for items in events.values()) - sum(len(items) for items in known.values())
    duties = contract.portfolio_duties
    with localcontext(PINNED):
        run = Run(duties, Case(result.portfolio, None, result.as_of, facts, known, events_after_as_of=later,
                               loose_answers=loose), result.assumptions, True, result.lang)
        run.env.cases = result.records
        for fig in result.figures:
            if fig.figure.kind == "value":
                run.env.rules[fig.figure.id] = {"value": fig.value}
        run.occurrences()
        for rule in duties.rules:
            run.evaluate(rule)
    return run.result


def _figure_env(contract: Contract, result: PortfolioResult, facts: dict[str, Any],
                events: dict[str, list[dict[str, Any]]]) -> Env:
    """What the portfolio's figures read: its facts and events, `cases`, parameters on as_of."""
    env = Env(facts=facts, events=events, as_of=result.as_of, offering=None, offering_attrs={},
              assume=result.assumptions, param=lambda name: contract.parameters[name].at(result.as_of).value,
              contract_start=contract.start, contract_end=contract.end)
    env.cases = result.records
    return env


def _guarded(figures: Callable[[], list[FigureResult]]) -> list[FigureResult]:
    """Figures computed in the pinned decimal context; an arithmetic error is E401, not a traceback."""
    from decimal import localcontext

    from .values import PINNED

    with localcontext(PINNED):
        try:
            return figures()
        except (ArithmeticError, ValueError) as exc:
            from ..diagnostics import Diagnostic
            from ..errors import EvaluationError
            raise EvaluationError([Diagnostic("E401", f"portfolio figures failed: {exc}", None,
                                              "check the portfolio section's expressions")]) from None


def project(record: dict[str, Any], reads: frozenset[str] | None) -> dict[str, Any]:
    """A case record cut down to the names portfolio expressions read, without per-instance internals."""
    out = {}
    for key, value in record.items():
        if reads is not None and key not in reads and key != "case":
            continue
        if isinstance(value, dict) and "instances" in value:
            value = {k: v for k, v in value.items() if k != "instances"}
        out[key] = value
    return out


def _one(contract: Contract, raw: Any, readings: Mapping[str, str], day: dt.date, trace: bool, lang: str,
         line: int | None, locate: Any) -> CaseResult | CaseError:
    case_id = raw.get("case") if isinstance(raw, dict) else None
    try:
        if isinstance(raw, dict):
            raw = {"contract": contract.id, "as_of": day, **raw}
        where = None if line is None or locate is None else (lambda p: locate(("cases", line, *p)))
        case = read_case(raw, contract, locate=where)
        return evaluate_case(contract, case, assume=readings, trace=trace, lang=lang)
    except RulekitError as exc:
        return CaseError(safe_id(case_id), exc, line)


def iter_cases(cases: Any, base: Path | None) -> Iterator[tuple[int | None, Any, RulekitError | None]]:
    """(index or line number, case mapping, error) for inline cases or a JSON Lines file."""
    if isinstance(cases, list):
        for i, raw in enumerate(cases):
            yield i, raw, None
        return
    if isinstance(cases, str):
        path = (base or Path(".")) / cases
        if not cases or not path.is_file():
            yield None, None, InputError.one("E302", f"cases file {cases} does not exist",
                                             hint=f"paths are relative to {base or '.'}")
            return
        with path.open(encoding="utf-8", errors="surrogateescape") as handle:
            yield from iter_jsonl(handle)
        return
    yield None, None, InputError.one("E302", "a portfolio needs `cases:`: a list of cases or a JSON Lines file")


_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (read with surrogateescape)


def iter_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, Any, RulekitError | None]]:
    """Parse JSON Lines with exact decimals; a bad line is an error record, not the end of the run."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        if _UNDECODABLE.search(text):
            yield number, None, InputError.one("E003", f"line {number}: not UTF-8 text",
                                               hint="save the file as UTF-8")
            continue
        try:
            yield number, json.loads(text, parse_float=Decimal), None
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = getattr(exc, "msg", "too deeply nested")
            yield number, None, InputError.one("E303", f"line {number}: invalid JSON ({msg})",
                                               hint="each line must be one JSON object")
