"""The contract spec as a document people read: parties and period, calendars with the contract's own days,
parameters over time with their sources, every rule in words grouped by the agreement's sections with its quote,
assumptions with their readings, offerings, and which sections of each document the rules cite.
One view model, drawn as HTML (autoescaped) or Markdown by Jinja2 templates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import RulekitError
from ..spec.model import Contract, Rule, Source
from ..spec.yamlsource import load_yaml
from .fmt import PlainFormatter
from .plain import Names, in_words
from .report import environment
from .words import REPORT, label_word, word

_WEEKDAYS = {"da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
             "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
# the expressions of a rule worth saying in words, in the order a reader wants them
_SHOWN = ("applies_when", "each", "from", "period", "fulfilled", "units", "rate", "amount", "minimum", "cap",
          "value", "assert", "events", "start", "end", "waived_when")


def raw_meta(contract: Contract) -> dict[str, Any]:
    """Keys the contract model does not keep (parties, municipality), read from the spec file itself."""
    try:
        data = load_yaml(Path(contract.file)).data
    except (RulekitError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def _section_key(section: str) -> list[Any]:
    """Sort 'pkt. 2.10' after 'pkt. 2.9': numbers as numbers."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", section)]


def _cite(src: Source | None) -> dict[str, str]:
    return {"label": src.label, "quote": src.quote} if src is not None else {"label": "", "quote": ""}


def _rule(rule: Rule, fmt: PlainFormatter, names: Names) -> dict[str, Any]:
    lang = fmt.lang
    parts = []
    for key in _SHOWN:
        expr = rule.exprs.get(key)
        if expr is None:
            continue
        said = in_words(expr.checked, {}, fmt, names)
        if said is not None:
            parts.append({"label": label_word(lang, key).capitalize(), "text": said})
    return {"id": rule.id, "title": rule.title.get(lang), "kind": word(lang, rule.kind),
            "description": rule.description.get(lang) if rule.description else "", "parts": parts,
            **_cite(rule.source)}


def handbook_view(contract: Contract, lang: str) -> dict[str, Any]:
    fmt = PlainFormatter(lang, contract)
    names = Names(contract, lang)
    meta = raw_meta(contract)
    parties = meta.get("parties") if isinstance(meta.get("parties"), dict) else {}
    raw_docs = meta.get("documents") if isinstance(meta.get("documents"), dict) else {}
    docs = {key: _doc_title(title, (raw_docs or {}).get(key)) for key, title in contract.documents.items()}
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for rule in (*contract.rules, *contract.portfolio.rules):  # the portfolio's own rules by their clauses too
        groups.setdefault(rule.source.doc, {}).setdefault(rule.source.section, []).append(_rule(rule, fmt, names))
    sections = []
    for doc in sorted(groups, key=lambda d: list(docs).index(d) if d in docs else len(docs)):
        for section in sorted(groups[doc], key=_section_key):
            sections.append({"doc": docs.get(doc, doc), "section": section, "rules": groups[doc][section]})
    return {
        "title": contract.title.get(lang), "id": contract.id, "version": contract.version,
        "municipality": str(meta.get("municipality", "")),
        "parties": [(str(k), str(v)) for k, v in (parties or {}).items()],
        "start": fmt.date(contract.start), "end": fmt.date(contract.end), "currency": contract.currency,
        "documents": [{"id": k, "title": v} for k, v in docs.items()],
        "calendars": [_calendar(name, cal, lang, contract.start.year + 1) for name, cal in contract.calendars.items()],
        "parameters": [_parameter(p, fmt) for p in contract.parameters.values()],
        "sections": sections,
        "assumptions": [{"title": a.title.get(lang), "question": a.question.get(lang), "default": a.default,
                         "readings": [{"id": r, "text": t.get(lang), "default": r == a.default}
                                      for r, t in a.readings.items()], **_cite(a.source)}
                        for a in contract.assumptions.values()],
        "offerings": [_offering(o, contract, fmt) for o in contract.offerings.values()],
        "facts": [{"title": f.title.get(lang), "type": _type_word(f.type, lang)} for f in contract.facts.values()],
        "events": [{"title": e.title.get(lang), "fields": ", ".join(d.title.get(lang) for d in e.fields.values())}
                   for e in contract.events.values()],
        "coverage": _coverage(contract, docs),
        "engine": __version__, "sha256": contract.sha256, "file": contract.file,
    }


def _doc_title(short: str, raw: Any) -> str:
    full = raw.get("title") if isinstance(raw, dict) else None
    return str(full) if full and str(full) != short else short


def _type_word(typ: Any, lang: str) -> str:
    name = getattr(typ, "name", str(typ))
    return {"money": "beløb" if lang == "da" else "amount", "date": "dato" if lang == "da" else "date",
            "integer": "heltal" if lang == "da" else "whole number", "decimal": "tal" if lang == "da" else "number",
            "percent": "procent" if lang == "da" else "percentage", "bool": "ja/nej" if lang == "da" else "yes/no",
            "text": "tekst" if lang == "da" else "text"}.get(name, label_word(lang, name))


def _calendar(name: str, cal: Any, lang: str, year: int) -> dict[str, Any]:
    """Weekend, the contract's own closed and open days, and the public holidays of one year (the agreement's
    first full year), as an example."""
    weekend = ", ".join(_WEEKDAYS[lang][d] for d in sorted(cal.weekend)) or "—"
    day = REPORT[lang]
    own = [{"date": f"{d.day:02d}.{d.month:02d}", "name": d.name_da if lang == "da" else d.name_en,
            "rule": day["closed"]} for d in cal.closed]
    own += [{"date": f"{d.day:02d}.{d.month:02d}", "name": d.name_da if lang == "da" else d.name_en,
             "rule": day["open"]} for d in cal.open_days]
    holidays = cal.days_off(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
    listed = [f"{o.date.day:02d}.{o.date.month:02d} {o.name_da if lang == 'da' else o.name_en}" for o in holidays
              if o.reason == "holiday"]
    country = {"DK": "Danmark" if lang == "da" else "Denmark"}.get(cal.country, cal.country)
    return {"name": name, "weekend": weekend, "own": own, "country": country if cal.public_holidays else "—",
            "holidays": listed, "year": year}


def _parameter(param: Any, fmt: PlainFormatter) -> dict[str, Any]:
    rows = []
    for value in param.values:
        rows.append({"from": fmt.date(value.start) if value.start else "", "value": fmt.value(value.value, param.type),
                     "assumption": value.assumption or "", **_cite(value.source)})
    return {"title": param.title.get(fmt.lang) or param.name, "rows": rows}


def _offering(offering: Any, contract: Contract, fmt: PlainFormatter) -> dict[str, Any]:
    attrs = []
    for key, value in offering.attributes.items():
        decl = contract.offering_attrs.get(key)
        title = decl.title.get(fmt.lang) if decl is not None and decl.title.da else label_word(fmt.lang, key)
        shown = fmt.value(value, decl.type if decl is not None else None)
        if isinstance(value, list | tuple):
            shown = ", ".join(fmt.value(v) for v in value)
        attrs.append({"title": title, "value": shown})
    return {"id": offering.id, "title": offering.title.get(fmt.lang), "attributes": attrs, **_cite(offering.source)}


def _coverage(contract: Contract, docs: dict[str, str]) -> list[dict[str, Any]]:
    cited: dict[str, dict[str, int]] = {key: {} for key in docs}
    for rule in (*contract.rules, *contract.portfolio.rules):
        by_doc = cited.setdefault(rule.source.doc, {})
        by_doc[rule.source.section] = by_doc.get(rule.source.section, 0) + 1
    out = []
    for key, sections in cited.items():
        ordered = sorted(sections, key=_section_key)
        out.append({"doc": docs.get(key, key), "sections": [(s, sections[s]) for s in ordered],
                    "rules": sum(sections.values())})
    return out


def handbook_html(contract: Contract, lang: str = "da") -> str:
    page = environment().get_template("handbook.html.j2")
    return page.render(w={**REPORT["da"], **REPORT.get(lang, {})}, lang=lang, h=handbook_view(contract, lang),
                       receipt={"engine": __version__, "contract": contract.id, "version": contract.version,
                                "sha256": contract.sha256}) + "\n"


def handbook_markdown(contract: Contract, lang: str = "da") -> str:
    page = environment(autoescape=False).get_template("handbook.md.j2")
    return page.render(w={**REPORT["da"], **REPORT.get(lang, {})}, lang=lang, h=handbook_view(contract, lang))
