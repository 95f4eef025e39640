"""The wording of derivation lines in Danish and English. Keys are trace step and label names."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "met": "overholdt", "breached": "overskredet", "pending": "afventer", "not_applicable": "ikke relevant",
        "applies_when": "gælder når", "from": "udløsende dato", "period": "frist", "extension": "forlængelse",
        "max_extension": "højst forlængelse", "due": "frist", "fulfilled": "opfyldt", "units": "antal",
        "rate": "sats", "amount": "beløb", "minimum": "minimum", "cap": "loft", "waived_when": "frafaldes når",
        "assert": "krav", "start": "start", "end": "slut", "events": "hændelser", "window": "vindue",
        "reference_date": "skæringsdato", "repeat.start": "første periode", "repeat.every": "periode",
        "repeat.until": "sidste periode",
        "status": "status", "deadline_eq": "frist {due} = {start} + {period}", "skipped": "springer over",
        "late": "forsinkelse", "late_open": "forsinkelse indtil {until} (endnu ikke opfyldt)",
        "rolled": "forfaldsdag flyttet fra {start} til {due}", "end_of_month": "til udløbet af måneden",
        "accrual": "{units} × {rate} = {total}", "min_applied": "minimum anvendt: {before} → {minimum}",
        "cap_applied": "loft anvendt: {before} → {cap}", "total": "i alt", "waived": "frafaldet",
        "param": "parameter", "since": "gældende fra", "assumption": "antagelse", "reading": "læsning",
        "missing": "mangler", "not_triggered": "ikke udløst: {what} foreligger ikke", "finding": "fund",
        "extension_capped": "aftalt forlængelse {asked} overstiger højst {cap}; {cap} anvendt",
        "judgement_needed": "kræver en registreret vurdering (hændelse '{event}')",
        "judged": "vurderet {date}: {outcome}", "period_inst": "periode {start} – {end}",
        "windows": "{count} vinduer, {missed} uden nok hændelser", "window_line": "{start} – {end}: {events}",
        "gap_line": "{start} → {end} (højst til {limit})", "assumed": "antagelse",
        "contract": "kontraktdag", "holiday": "helligdag", "weekend": "weekend", "source": "Kilde",
        "no_outcome": "intet at forklare", "penalty": "Bod", "payment": "Betaling", "deadline": "Frist",
        "recurring": "Løbende krav", "judgement": "Vurdering", "check": "Kontrol",
    },
    "en": {
        "met": "met", "breached": "breached", "pending": "pending", "not_applicable": "not applicable",
        "applies_when": "applies when", "from": "trigger date", "period": "period", "extension": "extension",
        "max_extension": "maximum extension", "due": "due", "fulfilled": "fulfilled", "units": "units",
        "rate": "rate", "amount": "amount", "minimum": "minimum", "cap": "cap", "waived_when": "waived when",
        "assert": "requirement", "start": "start", "end": "end", "events": "events", "window": "window",
        "reference_date": "reference date", "repeat.start": "first period", "repeat.every": "period",
        "repeat.until": "last period",
        "status": "status", "deadline_eq": "due {due} = {start} + {period}", "skipped": "skipping",
        "late": "late by", "late_open": "late until {until} (not yet fulfilled)",
        "rolled": "due date moved from {start} to {due}", "end_of_month": "to the end of the month",
        "accrual": "{units} × {rate} = {total}", "min_applied": "minimum applied: {before} → {minimum}",
        "cap_applied": "cap applied: {before} → {cap}", "total": "total", "waived": "waived",
        "param": "parameter", "since": "in force from", "assumption": "assumption", "reading": "reading",
        "missing": "missing", "not_triggered": "not triggered: {what} is not there", "finding": "finding",
        "extension_capped": "agreed extension {asked} exceeds the maximum {cap}; {cap} used",
        "judgement_needed": "needs a recorded judgement (event '{event}')",
        "judged": "judged {date}: {outcome}", "period_inst": "period {start} – {end}",
        "windows": "{count} windows, {missed} without enough events", "window_line": "{start} – {end}: {events}",
        "gap_line": "{start} → {end} (at most until {limit})", "assumed": "assumption",
        "contract": "contract day", "holiday": "public holiday", "weekend": "weekend", "source": "Source",
        "no_outcome": "nothing to explain", "penalty": "Penalty", "payment": "Payment", "deadline": "Deadline",
        "recurring": "Recurring duty", "judgement": "Judgement", "check": "Check",
    },
}


def word(lang: str, key: str, **values: str) -> str:
    text = WORDS.get(lang, WORDS["da"]).get(key, key)
    return text.format(**values) if values else text
