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
    leaves: list[ValidationError] = []
    special: dict[int, tuple[str, str, str | None]] = {}  # id(error) → (message, hint, key to point at)
    for top in validator.iter_errors(jsonable(doc.data)):
        alternative = _alternatives(top)
        if alternative is not None:
            error, explained = alternative
            special[id(error)] = explained
            leaves.append(error)
        else:
            leaves.append(_deepest(top))
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
        if id(leaf) in special:
            message, hint, key = special[id(leaf)]
            span = doc.spans.get((*path, "<key>", key), doc.span(path)) if key else doc.span(path)
            out.append(Diagnostic("E100", message, span, hint, path=path))
        else:
            out.append(_diagnostic(doc, leaf, path))
    return out


def _alternatives(error: ValidationError) -> tuple[ValidationError, tuple[str, str, str | None]] | None:
    """A oneOf/anyOf whose alternatives all fail on the keys of one object: the alternative that nearly
    matched and the key that broke it (instead of an error from an arbitrary alternative)."""
    current = error
    while current.context:
        if current.validator in ("oneOf", "anyOf") and isinstance(current.instance, dict):
            branches: dict[int, list[ValidationError]] = {}
            for sub in current.context:
                branches.setdefault(int(sub.relative_schema_path[0]), []).extend(
                    _all_leaves(sub) if sub.context else [sub])
            depth = len(current.absolute_path)
            if all(len(e.absolute_path) == depth for errs in branches.values() for e in errs):
                options = current.validator_value if isinstance(current.validator_value, list) else []
                instance: dict[str, Any] = current.instance
                best = min(branches, key=lambda i: (len(branches[i]), -_present(options, i, instance)))
                missing = [i for i, errs in branches.items() if all(e.validator == "required" for e in errs)]
                if len(missing) > 1 and all(i < len(options) for i in missing):  # only keys missing: name every form
                    forms = " — or ".join(" and ".join(_required(options[i])) for i in sorted(missing))
                    where = "/".join(str(p) for p in current.absolute_path) or "the top level"
                    return current, (f"{where}: keys are missing: give {forms}", f"add {forms}", None)
                return current, _nearly(current, options, best, branches[best])
        current = max(current.context, key=lambda e: (len(e.absolute_path), -_vagueness(e)))
    return None


def _required(schema: Any) -> list[str]:
    """The keys an alternative asks for, as words: 'value', 'source or assumption'."""
    if not isinstance(schema, dict):
        return []
    out = [f"`{k}`" for k in schema.get("required", [])]
    for part in schema.get("allOf", []):
        out.extend(_required(part))
    if "anyOf" in schema:
        out.append(" or ".join(w for alt in schema["anyOf"] for w in _required(alt)))
    return [w for w in out if w]


def _present(options: list[Any], index: int, instance: dict[str, Any]) -> int:
    words = " ".join(_required(options[index])) if index < len(options) else ""
    return sum(f"`{k}`" in words for k in instance)


def _nearly(error: ValidationError, options: list[Any], best: int, errors: list[ValidationError]) -> tuple[
        str, str, str | None]:
    where = "/".join(str(p) for p in error.absolute_path) or "the top level"
    form = " and ".join(_required(options[best])) if best < len(options) else ""
    nearest = f"the nearest allowed form has {form}" if form else f"the nearest is allowed form {best + 1}"
    instance = error.instance if isinstance(error.instance, dict) else {}
    for leaf in errors:
        if leaf.validator == "not":
            banned = [k for k in instance if f"`{k}`" in " ".join(_required(leaf.schema.get("not", {})
                                                                              if isinstance(leaf.schema, dict)
                                                                              else {}))]
            if banned:
                key = banned[0]
                others = [k for k in instance if f"`{k}`" in form and k != key]
                together = f" together with `{others[0]}`" if others else ""
                hint = (f"`values:` gives each dated value its own `value` and `source` or `assumption`: move "
                        f"`{key}` into its entries"
                        if others and key in ("source", "assumption", "value") and others[0] == "values"
                        else f"remove `{key}`, or write the other form")
                return f"{where}: `{key}` is not allowed here{together} ({nearest})", hint, key
        if leaf.validator == "required":
            missing = str(leaf.message).split("'")[1] if "'" in str(leaf.message) else "?"
            alternatives = [w for w in _required(options[best]) if f"`{missing}`" in w] if best < len(options) else []
            need = alternatives[0] if alternatives else f"`{missing}`"
            return f"{where}: {need} is missing ({nearest})", f"add {need}", None
        if leaf.validator == "additionalProperties":
            extra = _extra_keys(leaf)
            if extra:
                return f"{where}: unknown key '{extra[0]}' ({nearest})", "remove it or check its spelling", extra[0]
    first = errors[0] if errors else error
    return f"{where}: {first.message} ({nearest})", "see `rulekit schema contract` for the allowed forms", None


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
