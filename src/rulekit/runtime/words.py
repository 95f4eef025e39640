"""The messages the runtime writes into results (findings), in Danish and English."""

from __future__ import annotations

from typing import Any

from ..format import Formatter

_MESSAGES: dict[str, dict[str, str]] = {
    "extension_capped": {
        "da": "den aftalte forlængelse på {asked} overstiger det højst tilladte ({cap}); maksimum er anvendt{by}",
        "en": "the agreed extension of {asked} exceeds the maximum of {cap}; the maximum is used{by}",
    },
    "extension_after_due": {
        "da": "forlængelsen {event} blev aftalt {date}, efter fristen {due}",
        "en": "the extension {event} was agreed on {date}, after the due date {due}",
    },
    "unlinked_answer": {
        "da": "{title} {event}({date}) besvarer ingen {targets} og indgår ikke i nogen frist",
        "en": "{title} {event}({date}) answers no {targets} and counts towards no deadline",
    },
    "repeated_label": {
        "da": "en tidligere forekomst af {title} hedder også {label}; denne kaldes {renamed}",
        "en": "an earlier instance of {title} is also named {label}; this one is called {renamed}",
    },
    "unread_occurrences": {
        "da": "sagen har {count} hændelser af typen {title}; {rules} læser kun én af dem",
        "en": "the case has {count} events of type {title}; {rules} read only one of them",
    },
}


def message(lang: str, key: str, **data: Any) -> str:
    """A finding's message: dates and durations formatted for the language."""
    fmt = Formatter(lang)
    unit = data.pop("unit", None)
    shown: dict[str, Any] = {}
    for name, value in data.items():
        if name in ("asked", "cap") and unit is not None:
            shown[name] = fmt.duration(value, unit)
        elif name == "by":
            shown[name] = value
        elif name == "event" and key == "unlinked_answer":
            shown[name] = f"{value} " if value else ""
        else:
            shown[name] = fmt.value(value) if value is not None else ""
    if "by" not in shown:
        event = data.get("event")
        shown["by"] = (f" ({event})" if event else "") if key == "extension_capped" else ""
    texts = _MESSAGES[key]
    return texts.get(lang, texts["da"]).format(**shown)
