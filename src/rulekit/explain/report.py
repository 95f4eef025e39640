"""Self-contained HTML reports of a case or a portfolio: a view model built here, drawn by Jinja2 templates
(autoescaped) with inline CSS and SVG. No scripts are needed: derivations fold open with <details>."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..runtime.portfolio import CaseError, PortfolioResult
from ..runtime.result import Amount, CaseResult, Obligation, Value
from ..runtime.settle import FigureResult
from ..spec.model import Contract, Source
from .figures import figure_lines
from .fmt import PlainFormatter
from .timeline import build_timeline
from .tree import Line, build
from .words import REPORT, word

TEMPLATES = Path(__file__).parent / "templates"


def environment(autoescape: bool = True) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


@dataclass
class Item:
    """One row of the report: an obligation instance or an amount, with its derivation."""

    title: str
    status: str
    status_text: str
    value: str
    cite: str
    quote: str
    lines: list[Line] = field(default_factory=list)
    due: str = ""
    fulfilled: str = ""
    late: str = ""
    instance: str = ""


def _words(lang: str) -> dict[str, str]:
    return {**REPORT["da"], **REPORT.get(lang, {})}


def receipt(contract: Contract, as_of: Any, assumptions: Mapping[str, str], fmt: PlainFormatter) -> dict[str, Any]:
    lang = fmt.lang
    readings = []
    for key, reading in assumptions.items():
        decl = contract.assumptions[key]
        readings.append({"title": decl.title.get(lang), "question": decl.question.get(lang),
                         "text": decl.readings[reading].get(lang), "default": decl.default == reading,
                         **dict(zip(("cite", "quote"), _source(decl.source), strict=True))})
    return {"engine": __version__, "contract": contract.id, "version": contract.version, "file": contract.file,
            "sha256": contract.sha256, "as_of": fmt.date(as_of), "readings": readings,
            "title": contract.title.get(lang)}


def _source(src: Source | None) -> tuple[str, str]:
    return (src.label, src.quote) if src is not None else ("", "")


def _obligation(result: CaseResult, o: Obligation, fmt: PlainFormatter, detail: bool) -> Item:
    lang = fmt.lang
    cite, quote = _source(o.rule.source)
    late = fmt.duration(o.late_working_days, "working_days") if o.late_working_days else ""
    status = "not_kept" if o.status == "breached" and o.rule.kind != "deadline" else o.status
    return Item(o.rule.title.get(lang), o.status, word(lang, status), "", cite, quote,
                build(result, o.rule.id, o.instance, detail) if o.status != "not_applicable" else [],
                fmt.day(o.due) if o.due else "", fmt.day(o.fulfilled) if o.fulfilled else "", late,
                fmt.instance(o.instance))


def _amount(result: CaseResult, a: Amount, fmt: PlainFormatter, detail: bool) -> Item:
    lang = fmt.lang
    cite, quote = _source(a.rule.source)
    value = fmt.money(a.amount) if a.amount is not None else "?"
    status = "waived" if a.waived else ("missing" if a.missing else a.rule.kind)
    return Item(a.rule.title.get(lang), status, word(lang, status), value, cite, quote,
                build(result, a.rule.id, a.instance, detail), instance=fmt.instance(a.instance))


def _value(result: CaseResult, v: Value, fmt: PlainFormatter, detail: bool) -> Item:
    cite, quote = _source(v.rule.source)
    shown = fmt.value(v.value, v.rule.exprs["value"].type)
    return Item(v.rule.title.get(fmt.lang), "value", word(fmt.lang, "value"), shown, cite, quote,
                build(result, v.rule.id, v.instance, detail), instance=fmt.instance(v.instance))


def case_view(result: CaseResult, fmt: PlainFormatter, detail: bool = False, rule: str | None = None,
              instance: str | None = None) -> dict[str, Any]:
    lang = fmt.lang

    def chosen(rule_id: str, inst: str | None) -> bool:
        return rule in (None, rule_id) and instance in (None, inst)

    obligations = [_obligation(result, o, fmt, detail) for o in result.obligations
                   if o.status != "not_applicable" and chosen(o.rule.id, o.instance)]
    amounts = [_amount(result, a, fmt, detail) for a in (*result.penalties, *result.payments)
               if chosen(a.rule.id, a.instance) and (a.amount or a.missing or a.waived)]
    findings = [{"severity": word(lang, "severity_" + f.severity), "level": f.severity, "message": f.message,
                 "title": f.rule.title.get(lang) if f.rule else fmt.event_title(f.subject or ""),
                 "cite": f.rule.source.label if f.rule else "", "quote": f.rule.source.quote if f.rule else ""}
                for f in result.findings if f.rule is None or chosen(f.rule.id, f.instance)]
    values = [_value(result, v, fmt, detail) for v in result.values if chosen(v.rule.id, v.instance)]
    return {"case": result.case, "offering": result.offering, "obligations": obligations, "amounts": amounts,
            "findings": findings, "values": values, "timeline": build_timeline(result),
            "totals": {"penalties": fmt.money(result.total(result.penalties)),
                       "payments": fmt.money(result.total(result.payments))},
            "breached": sum(1 for o in result.obligations if o.status == "breached")}


def case_report(result: CaseResult, rule: str | None = None, instance: str | None = None,
                detail: bool = False) -> str:
    """One case as a self-contained HTML page."""
    fmt = PlainFormatter(result.lang, result.contract)
    page = environment().get_template("case.html.j2")
    return page.render(w=_words(result.lang), lang=result.lang, receipt=receipt(result.contract, result.as_of,
                       result.assumptions, fmt), c=case_view(result, fmt, detail, rule, instance)) + "\n"


def _chart(fig: FigureResult, fmt: PlainFormatter) -> dict[str, Any]:
    """A stacked bar per settlement period: the provider's part of each tier, and what the municipality keeps."""
    rows = [r for r in fig.periods if isinstance(r.get("basis"), Decimal)]
    top = max((r["basis"] for r in rows), default=Decimal(0)) or Decimal(1)
    bars, height, x = [], 220, 70
    for r in rows:
        y0, segments = Decimal(height), []
        provider = Decimal(0)
        for i, band in enumerate(r.get("bands", [])):
            part = band["provider"]
            provider += part
            h = part / top * (height - 20)
            segments.append({"y": float(y0 - h), "h": float(h), "css": f"tier{i % 4}",  # ok: SVG pixels, not money
                             "title": f"{fmt.percent(band['share'])}: {fmt.money(part)}"})
            y0 -= h
        rest = r["basis"] - provider
        h = rest / top * (height - 20) if rest > 0 else Decimal(0)
        segments.append({"y": float(y0 - h), "h": float(h), "css": "keeps",  # ok: SVG pixels, not money
                         "title": f"{word(fmt.lang, 'municipality_keeps')}: {fmt.money(rest)}"})
        bars.append({"x": x, "label": r["period"], "segments": segments, "basis": fmt.money(r["basis"])})
        x += 64
    return {"bars": bars, "width": max(x + 20, 300), "height": height + 40, "base": height,
            "top": fmt.money(top)}


def portfolio_view(result: PortfolioResult, fmt: PlainFormatter, detail: bool) -> dict[str, Any]:
    lang = fmt.lang
    settlements, statistics, values = [], [], []
    for fig in result.figures:
        typ = fig.figure.exprs["value"].type if "value" in fig.figure.exprs else None
        cite, quote = _source(fig.figure.source)
        entry: dict[str, Any] = {"title": fig.figure.title.get(lang), "cite": cite, "quote": quote,
                 "lines": figure_lines(result, fig.figure.id, None, detail), "value": fmt.value(fig.value, typ)}
        if fig.figure.kind == "settlement":
            entry["rows"] = [{"period": r["period"], "basis": _m(fmt, r.get("basis")),
                              "provider": _m(fmt, r.get("provider_cumulative")), "payment": _m(fmt, r.get("payment")),
                              "approved": word(lang, "approved" if r.get("approved") else "not_approved")}
                             for r in fig.periods]
            entry["chart"] = _chart(fig, fmt)
            entry["value"] = _m(fmt, fig.summary.get("provider_total"))
            settlements.append(entry)
        elif fig.figure.kind == "statistic":
            entry["rows"] = [{"period": r["period"], "value": fmt.value(r["value"], typ), "cases": r["cases"]}
                             for r in fig.periods]
            statistics.append(entry)
        else:
            values.append(entry)
    own = [result.duties] if result.duties is not None else []  # the portfolio's own rules, shown as a case
    notable = [c for c in (*own, *result.results) if (c.penalties and c.total(c.penalties) > 0) or c.findings
               or any(o.status == "breached" for o in c.obligations)]
    cases = [case_view(c, PlainFormatter(lang, result.contract), detail) for c in notable[:200]]
    for view in cases:
        view.pop("timeline")
    totals = result.totals()
    errors = [{"case": e.case or "?", "message": e.error.diagnostics[0].message if e.error.diagnostics else ""}
              for e in result.cases if isinstance(e, CaseError)]
    return {"portfolio": result.portfolio, "settlements": settlements, "statistics": statistics,
            "value_figures": values,
            "cases": cases, "more_cases": max(0, len(notable) - 200), "errors": errors,
            "totals": {"cases": len(result.cases), "evaluated": len(result.results), "errors": len(errors),
                       "penalties": fmt.money(totals["penalties"]), "payments": fmt.money(totals["payments"]),
                       "breached": len(notable)}}


def _m(fmt: PlainFormatter, value: Any) -> str:
    return fmt.money(value) if isinstance(value, Decimal) else "—"


def portfolio_report(result: PortfolioResult, detail: bool = False) -> str:
    fmt = PlainFormatter(result.lang, result.contract)
    page = environment().get_template("portfolio.html.j2")
    return page.render(w=_words(result.lang), lang=result.lang,
                       receipt=receipt(result.contract, result.as_of, result.assumptions, fmt),
                       p=portfolio_view(result, fmt, detail)) + "\n"
