"""Derivation trees for portfolio figures: a settlement's tier split per period, statistics, values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..runtime.portfolio import PortfolioResult
from ..runtime.settle import FigureResult
from .fmt import PlainFormatter
from .plain import Names, in_words, item_words, missing_words
from .tree import Line
from .words import word


def figure_lines(result: PortfolioResult, figure_id: str | None, period: str | None,
                 detail: bool = False) -> list[Line]:
    fmt = PlainFormatter(result.lang, result.contract)
    chosen = [f for f in result.figures if figure_id is None or f.figure.id == figure_id]
    return [_figure(f, result, fmt, period, detail) for f in chosen]


def _figure(res: FigureResult, result: PortfolioResult, fmt: PlainFormatter, period: str | None,
            detail: bool = False) -> Line:
    fig, lang = res.figure, fmt.lang
    src = fig.source
    cite = f" ({src.cite()})" if src else ""
    typ = fig.exprs["value"].type if "value" in fig.exprs else None
    if fig.kind == "settlement":
        head = f"{word(lang, 'settlement')}: {fig.title.get(lang)} — {word(lang, 'provider_total')} " \
               f"{_money(fmt, res.summary.get('provider_total'))}{cite}"
    elif fig.kind == "check":
        status = {True: "met", False: "check_failed"}.get(res.value) or (
            "not_applicable" if res.summary.get("applies") is False else "not_checked")
        head = f"{word(lang, 'check')}: {fig.title.get(lang)} — {word(lang, status)}{cite}"
    else:
        head = f"{word(lang, fig.kind)}: {fig.title.get(lang)} = {fmt.value(res.value, typ)}{cite}"
    line = Line(head)
    for name in sorted(fig.assumptions):
        reading = result.assumptions[name]
        decl = result.contract.assumptions[name]
        line.children.append(Line(f"{word(lang, 'assumption')} «{decl.title.get(lang)}»: "
                                  f"{decl.readings[reading].get(lang)}"))
    names = Names(result.contract, lang)
    names.lets = fig.options.get("let_titles", {})
    each = fig.exprs.get("each")
    names.item = item_words(each.checked if each is not None else None, names)
    for key, expr in sorted(fig.exprs.items()):
        if key in ("value", "assert"):
            said = in_words(expr.checked, {}, fmt, names)
            if said is not None and len(said) < 240:
                line.children.append(Line(f"{word(lang, 'computed_as')}: {said}"))
            if detail:
                line.children.append(Line(f"{word(lang, 'expression')}: {' '.join(expr.text.split())}"))
    if fig.kind == "settlement":
        line.children.extend(_settlement(res, fmt, period))
    elif fig.kind == "check":
        line.children.extend(_check(res, fmt, names))
    else:
        line.children.extend(_statistic(res, fmt, typ))
    return line


def _check(res: FigureResult, fmt: PlainFormatter, names: Names) -> list[Line]:
    """A check's findings: its message, or each element's that does not hold (with `each`); the elements that
    could not be checked, with what they miss; and those the check does not apply to."""
    lang = fmt.lang
    instances = res.summary.get("instances")
    if not instances:  # no `each`, or nothing to judge (its list may itself be missing)
        if res.value is False:
            return [Line(f"{word(lang, 'finding')}: {res.summary.get('message', '')}")]
        return [Line(f"{word(lang, 'missing')}: {_missing(res.missing, names)}")] if res.missing else []
    out = [Line(f"{word(lang, 'finding')} [{i['instance']}]: {i.get('message', '')}")
           for i in instances if i["holds"] is False]
    out += [Line(f"{word(lang, 'missing')} [{i['instance']}]: {_missing(i['missing'], names)}")
            for i in instances if i["holds"] is None and "missing" in i]
    out += [Line(f"{word(lang, 'error')} [{i['instance']}]: {i['error']}") for i in instances if "error" in i]
    idle = [i["instance"] for i in instances if i.get("applies") is False]
    if idle and len(idle) < len(instances):  # all of them: the head says the check does not apply
        out.append(Line(f"{word(lang, 'not_applicable')}: {', '.join(idle)}"))
    return out


def _missing(names_missing: list[str], names: Names) -> str:
    return ", ".join(missing_words(n, names) for n in names_missing) or "?"


def _money(fmt: PlainFormatter, value: Any) -> str:
    return fmt.money(value) if isinstance(value, Decimal) else "—"


def _settlement(res: FigureResult, fmt: PlainFormatter, period: str | None) -> list[Line]:
    lang = fmt.lang
    tiers = res.summary.get("tiers", [])
    bands = "; ".join(f"{word(lang, 'up_to')} {fmt.money(up)}: {fmt.percent(share)}" if up is not None
                      else f"{word(lang, 'above')}: {fmt.percent(share)}" for up, share in tiers)
    out = [Line(f"{word(lang, 'tiers')}: {bands}")]
    for row in res.periods:
        if period is not None and row.get("period") != period:
            continue
        out.append(_period(row, fmt))
    if period is None:
        out.append(Line(f"{word(lang, 'municipality_keeps')}: {_money(fmt, res.summary.get('municipality_keeps'))}"))
    return out


def _period(row: dict[str, Any], fmt: PlainFormatter) -> Line:
    lang = fmt.lang
    line = Line(f"{row['period']} ({fmt.date(row['start'])} – {fmt.date(row['end'])}): "
                f"{word(lang, 'cum_basis')} {_money(fmt, row.get('basis'))}")
    if row.get("basis") is None:
        line.children.append(Line(f"{word(lang, 'missing')}: {row.get('missing')}"))
        return line
    for band in row.get("bands", []):
        key = "band" if band["to"] is not None and row["basis"] >= band["to"] else "band_open"
        line.children.append(Line(word(lang, key, share=fmt.percent(band["share"]), top=_money(fmt, band["to"]),
                                       low=fmt.money(band["from"]), basis=fmt.money(row["basis"]),
                                       part=fmt.money(band["provider"]))))
    line.children.append(Line(f"{word(lang, 'share_sum')}: {_money(fmt, row.get('provider_before_cap'))}"))
    if "cap" in row:
        line.children.append(Line(word(lang, "cap_hit", cap=fmt.money(row["cap"]),
                                       before=fmt.money(row["provider_before_cap"]))))
    status = word(lang, "approved") if row.get("approved") else word(lang, "not_approved")
    line.children.append(Line(f"{word(lang, 'period_payment')}: {_money(fmt, row.get('provider_cumulative'))} − "
                              f"{_money(fmt, row.get('paid_before'))} ({word(lang, 'paid_before')}) = "
                              f"{_money(fmt, row.get('payment'))}; {status}"))
    return line


def _statistic(res: FigureResult, fmt: PlainFormatter, typ: Any) -> list[Line]:
    lang = fmt.lang
    out = []
    if res.summary.get("target") is not None:
        out.append(Line(f"{word(lang, 'target')}: {fmt.value(res.summary['target'], typ)}"))
    for row in res.periods:
        out.append(Line(f"{row['period']}: {fmt.value(row['value'], typ)} "
                        f"({word(lang, 'cases_n', n=str(row['cases']))})"))
    if res.missing:
        out.append(Line(f"{word(lang, 'missing')}: {', '.join(names_of(res.missing, fmt))}"))
    return out


def names_of(missing: list[str], fmt: PlainFormatter) -> list[str]:
    """Missing inputs by their titles."""
    if fmt.contract is None:
        return missing
    names = Names(fmt.contract, fmt.lang)
    return sorted({missing_words(name, names) for name in missing})
