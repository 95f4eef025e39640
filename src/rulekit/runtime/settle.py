"""Portfolio figures: named values, statistics (optionally per period) and settlements (tiered splits of
a basis, with caps, settled per period on the cumulative basis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..calendar import add_months
from ..dsl import Env, Missing
from ..spec.model import Contract, Expr, Figure
from .links import distinct, named
from .values import json_value, money_str

_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


@dataclass
class FigureResult:
    """One portfolio figure's outcome, with the steps that produced it (for explanations)."""

    figure: Figure
    value: Any = None
    periods: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def period_label(start: dt.date, kind: str) -> str:
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == "half_year":
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    if kind == "month":
        return f"{start.year}-{start.month:02d}"
    return str(start.year)


def period_start(day: dt.date, kind: str) -> dt.date:
    months = _MONTHS[kind]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def periods_between(first: dt.date, last: dt.date, kind: str) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    start = period_start(first, kind)
    while start <= last and len(out) < 1200:
        nxt = add_months(start, _MONTHS[kind])
        out.append((start, nxt - dt.timedelta(days=1)))
        start = nxt
    return out


class Figures:
    """Evaluates a contract's portfolio section against the evaluated cases."""

    def __init__(self, contract: Contract, env: Env, lang: str = "da") -> None:
        self.contract, self.env, self.lang = contract, env, lang
        self._all_cases = env.cases

    def _kind(self, fig: Figure) -> str:
        """The figure's kind of period: as the spec gives it, or the reading in force of the assumption it names."""
        kind = fig.options.get("periods", "none")
        return str(self.env.assume[kind["assumption"]]) if isinstance(kind, dict) else str(kind)

    def compute(self, expr: Expr | None, default: Any = None) -> Any:
        if expr is None:
            return default
        return expr.fn(self.env)

    def values(self) -> list[FigureResult]:
        """The named values, each readable by the ones after it, by the portfolio's own rules and by the other
        figures."""
        out = []
        for fig in self.contract.portfolio.values:
            res = self._guarded(self._value, fig)
            self.env.rules[fig.id] = {"value": res.value}
            out.append(res)
        return out

    def others(self) -> list[FigureResult]:
        """The statistics, settlements and checks (after the portfolio's own rules, whose outputs they may read
        in `env.rules`)."""
        spec = self.contract.portfolio
        return [*(self._guarded(self._statistic, fig) for fig in spec.statistics),
                *(self._guarded(self._settlement, fig) for fig in spec.settlements),
                *(self._guarded(self._check, fig) for fig in spec.checks)]

    def _check(self, fig: Figure) -> FigureResult:
        """Whether the check holds: True, False, or None when it was not judged — it does not apply (its
        condition is false: `applies` False) or it could not be checked (what its condition or `assert` reads
        is missing: `missing` names it). With `each`, every element's judgement under `instances`: the check
        fails if one fails, is not checked if one could not be, holds if one holds, else does not apply."""
        res = FigureResult(fig)
        each = fig.expr("each")
        if each is None:
            judged = self._judge(fig, res)
            res.value = judged["holds"]
            res.summary.update((k, v) for k, v in judged.items() if k in ("message", "applies"))
            return res
        instances: list[dict[str, Any]] = []
        seen: set[str] = set()
        try:
            label_fn = fig.exprs["label"].fn if "label" in fig.exprs else None
            for number, item in enumerate(self._safe(each, res) or [], start=1):
                self.env.item = item
                try:
                    judged = self._judge(fig, res)
                except (ArithmeticError, ValueError) as exc:  # this element's error, not the other elements'
                    judged = {"holds": None, "error": f"{type(exc).__name__}: {exc}"}
                label = named(label_fn, self.env, item, number)
                name = distinct(label, seen)  # an earlier element's name: this one's is told apart, and says so
                instances.append({"instance": name, **judged, **({"renamed_from": label} if name != label else {})})
        finally:
            self.env.item = None
        res.summary["instances"] = instances
        held = [i["holds"] for i in instances]
        unchecked = any(i["holds"] is None and ("missing" in i or "error" in i) for i in instances)
        res.value = False if False in held else None if unchecked else True if True in held else None
        if res.value is None and not unchecked and not res.missing:
            res.summary["applies"] = False
        return res

    def _judge(self, fig: Figure, res: FigureResult) -> dict[str, Any]:
        """One judgement: {holds: None, applies: False} when its condition is false; {holds: None, missing: […]}
        when what its condition or `assert` reads is missing (res.missing gathers the names too); else whether
        `assert` holds, with the message when it does not."""
        condition = fig.expr("applies_when")
        if condition is not None:
            applies, missing = self._tried(condition, res)
            if missing:
                return {"holds": None, "missing": missing}
            if not applies:
                return {"holds": None, "applies": False}
        holds, missing = self._tried(fig.expr("assert"), res)
        if missing:
            return {"holds": None, "missing": missing}
        return {"holds": holds, "message": self._message(fig)} if holds is False else {"holds": holds}

    def _message(self, fig: Figure) -> str:
        from ..format import Formatter

        parts = fig.messages.get(self.lang) or fig.messages.get("da")
        if not parts:
            return fig.title.get(self.lang)
        fmt, out = Formatter(self.lang, self.contract.currency), []
        for text, expr in parts:
            out.append(text if expr is None else fmt.said(self._safe_value(expr), expr.type))
        return "".join(out)

    def _safe_value(self, expr: Expr) -> Any:
        try:
            return expr.fn(self.env)
        except Missing:
            return None

    def _guarded(self, method: Any, fig: Figure) -> FigureResult:
        """One figure's arithmetic failure (say, a division by zero) is that figure's error, not all."""
        try:
            result: FigureResult = method(fig)
            return result
        except (ArithmeticError, ValueError) as exc:
            self.env.cases = self._all_cases
            self.env.period_start = self.env.period_end = self.env.it = None
            return FigureResult(fig, error=f"{type(exc).__name__}: {exc}")

    def _value(self, fig: Figure) -> FigureResult:
        res = FigureResult(fig)
        try:
            res.value = self.compute(fig.expr("value"))
        except Missing as exc:
            res.missing.extend(exc.names)
        return res

    # statistics --------------------------------------------------------------------------------------
    def _statistic(self, fig: Figure) -> FigureResult:
        res = FigureResult(fig)
        res.summary["target"] = self.compute(fig.expr("target"))
        res.value = self._safe(fig.expr("value"), res)
        res.summary.update(self._counts(fig, res))
        kind = self._kind(fig)
        if kind == "none":
            return res
        everyone = self.env.cases
        dated = [(self._case_date(fig, case), case) for case in everyone]
        days = [d for d, _ in dated if d is not None]
        res.summary["undated_cases"] = sum(1 for d, _ in dated if d is None)
        if days:
            for start, end in periods_between(min(days), max(days), kind):
                self.env.cases = [c for d, c in dated if d is not None and start <= d <= end]
                row = {"period": period_label(start, kind), "start": start, "end": end,
                       "cases": len(self.env.cases), "value": self._safe(fig.expr("value"), res),
                       **self._counts(fig, res)}
                res.periods.append(row)
        self.env.cases = everyone
        return res

    def _counts(self, fig: Figure, res: FigureResult) -> dict[str, Any]:
        """For a share: how many are in the part and in the whole it is a share of."""
        if "part" not in fig.exprs:
            return {}
        part, whole = self._safe(fig.expr("part"), res), self._safe(fig.expr("whole"), res)
        return {"part": len(part) if part is not None else None, "whole": len(whole) if whole is not None else None}

    def _case_date(self, fig: Figure, case: dict[str, Any]) -> dt.date | None:
        self.env.it = case
        try:
            value: dt.date = self.compute(fig.expr("date"))
            return value
        except Missing:
            return None
        finally:
            self.env.it = None

    def _safe(self, expr: Expr | None, res: FigureResult) -> Any:
        return self._tried(expr, res)[0]

    def _tried(self, expr: Expr | None, res: FigureResult) -> tuple[Any, list[str]]:
        """(its value, []), or (None, what it misses) when something is missing: res.missing gathers the names."""
        try:
            return self.compute(expr), []
        except Missing as exc:
            res.missing.extend(n for n in exc.names if n not in res.missing)
            return None, list(exc.names)

    # settlements -------------------------------------------------------------------------------------
    def _settlement(self, fig: Figure) -> FigureResult:
        res = FigureResult(fig)
        kind = self._kind(fig)
        tiers = self._tiers(fig)
        res.summary["tiers"] = tiers
        if kind == "none":
            spans = [(self.contract.start, self.env.as_of)]
        else:
            first = self.compute(fig.expr("start"))
            last = self.compute(fig.expr("until"), self.env.as_of)
            spans = periods_between(first, last, kind)
        settled = Decimal(0)
        for start, end in spans:
            row = self._period(fig, tiers, start, end, settled)
            row["period"] = period_label(start, kind) if kind != "none" else "total"
            if row.get("approved", True) and row.get("payment") is not None:
                settled += row["payment"]
            res.periods.append(row)
        last_row = res.periods[-1] if res.periods else {}
        res.value = last_row.get("provider_cumulative")
        res.summary.update(basis=last_row.get("basis"), provider_total=last_row.get("provider_cumulative"),
                           settled=settled, municipality_keeps=_minus(last_row.get("basis"),
                                                                      last_row.get("provider_cumulative")))
        return res

    def _tiers(self, fig: Figure) -> list[tuple[Decimal | None, Decimal]]:
        return [(self.compute(up) if up is not None else None, self.compute(share)) for up, share in fig.tiers]

    def _period(self, fig: Figure, tiers: list[tuple[Decimal | None, Decimal]], start: dt.date, end: dt.date,
                settled: Decimal) -> dict[str, Any]:
        self.env.period_start, self.env.period_end = start, end
        row: dict[str, Any] = {"start": start, "end": end}
        try:
            basis: Decimal = self.compute(fig.expr("basis"))
        except Missing as exc:
            row.update(basis=None, missing=exc.what, payment=None)
            return row
        share, bands = split(basis, tiers)
        row.update(basis=basis, bands=bands, provider_before_cap=share)
        cap = self.compute(fig.expr("cap"))
        if cap is not None and self.compute(fig.expr("cap_applies"), True) and share > cap:
            row["cap"] = cap
            share = cap
        paid = self.compute(fig.expr("paid"), settled)
        payment = max(Decimal(0), share - paid)
        row.update(provider_cumulative=share, paid_before=paid, payment=payment,
                   approved=bool(self.compute(fig.expr("approved"), True)))
        self.env.period_start = self.env.period_end = None
        return row


def split(basis: Decimal, tiers: list[tuple[Decimal | None, Decimal]]) -> tuple[Decimal, list[dict[str, Any]]]:
    """The provider's share of `basis` under tiered bands: each band's width times its share."""
    low, total, bands = Decimal(0), Decimal(0), []
    for up, share in tiers:
        top = basis if up is None else min(basis, up)
        width = max(Decimal(0), top - low)
        part = width * share
        bands.append({"from": low, "to": up, "share": share, "width": width, "provider": part})
        total += part
        if up is None or basis <= up:
            break
        low = up
    return total, bands


def _minus(a: Any, b: Any) -> Any:
    return a - b if isinstance(a, Decimal) and isinstance(b, Decimal) else None


def figure_json(res: FigureResult, lang: str) -> dict[str, Any]:
    fig = res.figure
    typ = fig.exprs["value"].type if "value" in fig.exprs else None
    out: dict[str, Any] = {"title": fig.title.get(lang), "kind": fig.kind}
    if fig.source:
        out["source"] = fig.source.label
        out["quote"] = fig.source.quote
    if fig.kind == "check":
        out["holds"] = res.value
        out.update((k, res.summary[k]) for k in ("applies", "message") if k in res.summary)
        if "instances" in res.summary:
            out["instances"] = res.summary["instances"]
    elif fig.kind == "settlement":
        out.update({k: _money_or(v) for k, v in res.summary.items() if k != "tiers"})
        out["periods"] = [{k: _money_or(v) for k, v in row.items() if k not in ("bands",)} for row in res.periods]
    else:
        out["value"] = json_value(res.value, typ)
        out.update({k: res.summary[k] for k in ("part", "whole") if k in res.summary})
        if res.summary.get("target") is not None:
            out["target"] = json_value(res.summary["target"], typ)
        if res.periods:
            out["periods"] = [{**{k: json_value(v) for k, v in row.items() if k != "value"},
                               "value": json_value(row["value"], typ)} for row in res.periods]
    if res.missing:
        out["missing"] = res.missing
    if res.error:
        out["error"] = res.error
    if fig.assumptions:
        out["assumptions"] = sorted(fig.assumptions)
    return out


def _money_or(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money_str(value)
    return json_value(value)
