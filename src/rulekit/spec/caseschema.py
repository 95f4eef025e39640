"""The JSON Schema of a case file for one contract, derived from its declared inputs."""

from __future__ import annotations

from typing import Any

from ..dsl import types as t
from .model import Contract, InputDecl

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_ID = {"type": ["string", "integer"], "description": "this event's id, unique within the case", "maxLength": 200}


def _type_schema(decl: InputDecl) -> dict[str, Any]:
    typ = decl.type
    if isinstance(typ, t.EnumType):
        out: dict[str, Any] = {"enum": list(typ.values)}
    elif typ == t.BOOL:
        out = {"type": "boolean"}
    elif typ in (t.MONEY, t.DEC, t.PERCENT):
        out = {"type": ["number", "string"]}
    elif typ == t.INT or typ in t.DURATIONS:
        out = {"type": "integer"}
    elif typ == t.DATE:
        out = dict(_DATE)
    elif typ == t.DATETIME:
        out = {"type": "string", "format": "date-time",
               "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"}
    elif typ in t.TIME_SPANS:
        out = {"type": ["string", "integer"], "pattern": r"^\d+:[0-5]\d$", "minimum": 0}  # H:MM, or minutes
    else:
        out = {"type": "string"}
    out["description"] = decl.title.get("da") + (f" / {decl.title.en}" if decl.title.en else "")
    if decl.minimum is not None and typ in (t.INT, *t.DURATIONS):
        out["minimum"] = int(decl.minimum)
    return out


def case_schema(contract: Contract) -> dict[str, Any]:
    events = []
    for name, ev in contract.events.items():
        props = {"type": {"const": name}, "date": _DATE, "id": _ID,
                 **{k: _type_schema(d) for k, d in ev.fields.items()}}
        if ev.answers:
            props["ref"] = {**_ID, "description": "the id of the " + " or ".join(ev.answers) + " this answers"}
        events.append({"type": "object", "description": ev.title.get("da"), "properties": props,
                       "required": ["type", "date", *(k for k, d in ev.fields.items() if d.required)],
                       "additionalProperties": False})
    facts = {name: _type_schema(d) for name, d in contract.facts.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"rulekit case for contract {contract.id}",
        "type": "object",
        "properties": {
            "case": {"type": "string", "description": "pseudonymous id (never a CPR number)"},
            "contract": {"const": contract.id},
            "offering": {"enum": list(contract.offerings)} if contract.offerings else {"type": "null"},
            "as_of": _DATE,
            "facts": {"type": "object", "properties": facts, "additionalProperties": False,
                      "required": [n for n, d in contract.facts.items() if d.required]},
            "events": {"type": "array", "items": {"oneOf": events} if events else False},
        },
        "required": ["case", "contract"],
        "additionalProperties": False,
    }
