"""JSON Schema validation of a loaded document; every violation becomes a Diagnostic with a position."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from ..diagnostics import Diagnostic, did_you_mean
from .yamlsource import Document


@lru_cache(maxsize=4)
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with rulekit (contract, case, result)."""
    text = resources.files("rulekit.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def jsonable(value: Any) -> Any:
    """The JSON view of loaded YAML data: dates as ISO strings (numbers stay exact Decimals)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validate(doc: Document, schema: dict[str, Any]) -> list[Diagnostic]:
    """All schema violations of `doc`, most specific first, one per place."""
    validator = jsonschema.Draft202012Validator(schema)
    leaves = [_deepest(e) for e in validator.iter_errors(jsonable(doc.data))]
    for error in list(leaves):  # a misspelt key shows up as "unknown key" and as "missing key": keep the first
        if error.validator == "required":
            leaves.extend(e for e in _all_leaves(error.parent) if e.validator == "additionalProperties")
    leaves.sort(key=lambda e: (list(map(str, e.absolute_path)), _PRIORITY.get(str(e.validator), 5)))
    seen: set[tuple[Any, ...]] = set()
    out: list[Diagnostic] = []
    for leaf in leaves:
        path = tuple(leaf.absolute_path)
        if path in seen:
            continue
        seen.add(path)
        out.append(_diagnostic(doc, leaf, path))
    return out


_PRIORITY = {"additionalProperties": 0, "enum": 1, "const": 1, "type": 2, "pattern": 2, "required": 3}


def _all_leaves(error: Any) -> list[ValidationError]:
    if error is None:
        return []
    out: list[ValidationError] = []
    for sub in error.context or []:
        out.extend(_all_leaves(sub) if sub.context else [sub])
    return out


def _deepest(error: ValidationError) -> ValidationError:
    """For if/then, oneOf and anyOf: the sub-error that says most about the problem."""
    best = error
    while best.context:
        best = max(best.context, key=lambda e: (len(e.absolute_path), -_vagueness(e)))
    return best


def _vagueness(error: ValidationError) -> int:
    return {"oneOf": 3, "anyOf": 3, "not": 3, "if": 2, "required": 1}.get(str(error.validator), 0)


def _diagnostic(doc: Document, error: ValidationError, path: tuple[Any, ...]) -> Diagnostic:
    where = "/".join(str(p) for p in path) or "the top level"
    message, hint = _explain(error, where)
    span = doc.span(path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = _extra_keys(error)
        if extra:
            span = doc.spans.get((*path, "<key>", extra[0]), span)
    return Diagnostic("E100", message, span, hint, path=path)


def _extra_keys(error: ValidationError) -> list[str]:
    allowed = set((error.schema or {}).get("properties", {})) if isinstance(error.schema, dict) else set()
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [k for k in instance if k not in allowed]


def _explain(error: ValidationError, where: str) -> tuple[str, str | None]:
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties":
        extra = _extra_keys(error)
        allowed = sorted(schema.get("properties", {}))
        hint = did_you_mean(extra[0], allowed) if extra else None
        return (f"unknown key '{extra[0] if extra else '?'}' in {where}",
                hint or ("allowed keys: " + ", ".join(allowed) if allowed else None))
    if kind == "required":
        return f"{where}: {error.message}", "add the missing key (see `rulekit schema contract`)"
    if kind in ("enum", "const"):
        options = schema.get("enum") or [schema.get("const")]
        hint = did_you_mean(str(error.instance), options) or "allowed: " + ", ".join(map(str, options))
        return f"{where}: {error.instance!r} is not allowed here", hint
    if kind == "pattern":
        return f"{where}: {error.instance!r} does not have the required form", _pattern_hint(schema)
    if kind == "type":
        shown = "a number" if isinstance(error.instance, Decimal | int) else type(error.instance).__name__
        return f"{where}: expected {schema.get('type')}, found {shown}", None
    return f"{where}: {error.message}", None


def _pattern_hint(schema: dict[str, Any]) -> str:
    pattern = str(schema.get("pattern", ""))
    if "a-z" in pattern and "0-9_" in pattern:
        return "use lower_snake_case: lowercase letters, digits and underscores, starting with a letter"
    if r"\d{4}" in pattern:
        return "write dates as YYYY-MM-DD"
    return f"it must match {pattern}"
