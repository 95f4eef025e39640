"""Schema violations are E100 diagnostics at the offending key or value, with a useful hint; the shipped
contract schema is a valid Draft 2020-12 schema that accepts tests/data/mini.yaml."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import yaml
from spec_support import MINI, mini_text, variant, where

from rulekit.cli import main
from rulekit.spec.schema import load_schema


def e100(err):  # type: ignore[no-untyped-def]
    codes = [d.code for d in err.diagnostics]
    assert set(codes) == {"E100"}, f"expected only E100, got {codes}: {err}"
    return err.diagnostics


def test_unknown_top_level_key_with_did_you_mean(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "currency: DKK", "curency: DKK")
    (d,) = e100(spec_error(text))
    assert (d.span.line, d.span.col) == where(text, "curency")
    assert "unknown key 'curency'" in d.message
    assert d.hint == "did you mean 'currency'?"


def test_unknown_optional_key_inside_a_rule_points_at_the_key(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    max_extension: 10 working_days", "    max_extention: 10 working_days")
    (d,) = e100(spec_error(text))
    assert "unknown key 'max_extention'" in d.message
    assert (d.span.line, d.span.col) == where(text, "max_extention")
    assert d.hint and d.hint.startswith("did you mean 'max_extension'")
    assert d.path[:2] == ("rules", 0)


def test_misspelt_required_key_inside_a_rule_gets_did_you_mean(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    fulfilled: first(delivered).date", "    fulfiled: first(delivered).date")
    diags = e100(spec_error(text))
    unknown = [d for d in diags if "unknown key 'fulfiled'" in d.message]
    assert unknown, [d.render() for d in diags]
    d = unknown[0]
    assert (d.span.line, d.span.col) == where(text, "fulfiled")
    assert d.hint == "did you mean 'fulfilled'?"


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "rounding: {money: {places: 2, mode: half_up},",
                   "rounding: {zzz: 1, money: {places: 2, mode: half_up},")
    (d,) = e100(spec_error(text))
    assert "unknown key 'zzz'" in d.message
    assert d.hint and d.hint.startswith("allowed keys: ") and "money" in d.hint
    assert (d.span.line, d.span.col) == where(text, "zzz")


def test_missing_required_key(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    fulfilled: first(delivered).date\n", "")
    diags = e100(spec_error(text))
    d = next(d for d in diags if "'fulfilled' is a required property" in d.message)
    assert d.message.startswith("rules/0")
    assert (d.span.line, d.span.col) == where(text, "id: doc_deadline")
    assert d.hint and "rulekit schema contract" in d.hint


def test_missing_rulekit_version(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "rulekit: 1\n", "")
    diags = e100(spec_error(text))
    assert any("'rulekit' is a required property" in d.message for d in diags)


def test_wrong_enum_value_with_did_you_mean(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    kind: penalty\n", "    kind: penalti\n")
    (d,) = e100(spec_error(text))
    assert (d.span.line, d.span.col) == where(text, "penalti")
    assert "'penalti' is not allowed here" in d.message
    assert d.hint == "did you mean 'penalty'?"


def test_wrong_enum_value_without_a_close_match_lists_options(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    per: working_day\n", "    per: fortnight\n")
    (d,) = e100(spec_error(text))
    assert (d.span.line, d.span.col) == where(text, "fortnight")
    assert d.hint and d.hint.startswith("allowed: ") and "working_day" in d.hint


def test_rounding_mode_enum(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "mode: half_up", "mode: half_upp")
    (d,) = e100(spec_error(text))
    assert d.hint == "did you mean 'half_up'?"


def test_wrong_type(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "imports: [", "imports: 5\nx_imports: [")
    diags = e100(spec_error(text))
    assert any("expected array" in d.message for d in diags)


def test_bad_identifier_pattern(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "id: mini", "id: Mini-Contract")
    (d,) = e100(spec_error(text))
    assert (d.span.line, d.span.col) == where(text, "Mini-Contract")
    assert d.hint and "lower_snake_case" in d.hint


def test_bad_version_constant(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "rulekit: 1", "rulekit: 2")
    (d,) = e100(spec_error(text))
    assert d.span.line == 1


def test_every_violation_is_reported_at_once(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(variant(mini_text(), "currency: DKK", "curency: DKK"), "    kind: penalty\n", "    kind: penalti\n")
    diags = e100(spec_error(text))
    assert len(diags) >= 2
    lines = [d.span.line for d in diags]
    assert where(text, "curency")[0] in lines and where(text, "penalti")[0] in lines


# the shipped schema ------------------------------------------------------------------------------

def _jsonable(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def printed_schema() -> dict:  # type: ignore[type-arg]
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["schema", "contract"]) == 0
    schema: dict = json.loads(out.getvalue())  # type: ignore[type-arg]
    return schema


def test_schema_command_prints_a_valid_draft_2020_12_schema(printed_schema: dict) -> None:  # type: ignore[type-arg]
    assert printed_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(printed_schema)
    assert printed_schema == load_schema("contract")


def test_schema_validates_mini_yaml(printed_schema: dict) -> None:  # type: ignore[type-arg]
    data = _jsonable(yaml.safe_load(MINI.read_text(encoding="utf-8")))
    errors = list(jsonschema.Draft202012Validator(printed_schema).iter_errors(data))
    assert errors == []


def test_schema_rejects_a_misspelt_key_in_mini(printed_schema: dict) -> None:  # type: ignore[type-arg]
    data = _jsonable(yaml.safe_load(variant(mini_text(), "currency: DKK", "curency: DKK")))
    assert not jsonschema.Draft202012Validator(printed_schema).is_valid(data)


def test_schema_validates_the_calendar_library(printed_schema: dict) -> None:  # type: ignore[type-arg]
    from spec_support import CALENDARS

    data = _jsonable(yaml.safe_load(CALENDARS.read_text(encoding="utf-8")))
    assert list(jsonschema.Draft202012Validator(printed_schema).iter_errors(data)) == []
