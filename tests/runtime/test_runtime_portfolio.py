"""Portfolios: one bad case is an error record while the others evaluate; results follow result.schema.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from runtime_support import case

from rulekit import evaluate_case, evaluate_portfolio
from rulekit.errors import InputError
from rulekit.runtime.portfolio import CaseError
from rulekit.spec.schema import load_schema

EASTER = [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]


def portfolio(cases) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {"portfolio": "P-1", "contract": "mini", "as_of": "2021-05-01", "cases": cases}


GOOD_BAD_GOOD = [
    {"case": "A", "facts": {"late_value": 24000}, "events": EASTER},
    {"case": "B", "facts": {"late_valu": 1}},
    {"case": "C", "events": [{"type": "demanded", "date": "2021-04-20"}]},
]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema("result")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_one_bad_case_is_an_error_record(mini) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_portfolio(mini, portfolio(GOOD_BAD_GOOD))
    assert [type(c).__name__ for c in result.cases] == ["CaseResult", "CaseError", "CaseResult"]
    (error,) = result.errors
    assert isinstance(error, CaseError) and error.case == "B" and error.line == 1
    out = result.to_json()
    record = out["cases"][1]
    assert record["case"] == "B"
    (diag,) = record["error"]["diagnostics"]
    assert diag["code"] == "E300" and diag["path"] == ["facts", "late_valu"]
    assert diag["hint"] == "did you mean 'late_value'?"
    assert "undeclared fact" in record["error"]["message"]


def test_the_other_cases_still_count(mini) -> None:  # type: ignore[no-untyped-def]
    out = evaluate_portfolio(mini, portfolio(GOOD_BAD_GOOD)).to_json()
    a, c = out["cases"][0], out["cases"][2]
    assert a["penalties"][0]["amount"] == "6000.00"
    assert c["obligations"][0]["status"] == "breached"  # due 27.04, nothing delivered by 01.05
    # 28 and 29 April late (30 April 2021 is Store Bededag): 2 working days × 3,000 (no value given)
    assert c["penalties"][0]["amount"] == "6000.00"
    assert out["totals"] == {"penalties": "12000.00", "payments": "0.00", "currency": "DKK"}
    counts = out["statistics"]["counts"]
    assert (counts["cases"], counts["evaluated"], counts["errors"]) == (3, 2, 1)
    assert counts["obligations"]["doc_deadline"] == {"breached": 2}


def test_cases_inherit_the_portfolio_as_of_and_contract(mini) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_portfolio(mini, portfolio([{"case": "A", "events": EASTER}]))
    assert result.results[0].as_of == dt.date(2021, 5, 1)
    own = evaluate_portfolio(mini, portfolio([{"case": "A", "as_of": "2021-04-13", "events": EASTER[:1]}]))
    assert own.results[0].as_of == dt.date(2021, 4, 13)
    assert own.results[0].to_json()["obligations"][0]["late_working_days"] == 1


def test_as_of_override_applies_to_every_case(mini) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_portfolio(mini, portfolio([{"case": "A", "events": EASTER[:1]}]), as_of=dt.date(2021, 4, 1))
    assert result.as_of == dt.date(2021, 4, 1)
    assert result.results[0].to_json()["obligations"][0]["status"] == "pending"


def test_case_for_another_contract_is_an_error_record(mini) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_portfolio(mini, portfolio([{"case": "A", "contract": "other"}, {"case": "B"}]))
    assert [type(c).__name__ for c in result.cases] == ["CaseError", "CaseResult"]


def test_a_non_mapping_case_is_an_error_record(mini) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_portfolio(mini, portfolio(["not a case", {"case": "B"}]))
    assert isinstance(result.cases[0], CaseError) and result.cases[0].case is None


def test_portfolio_for_another_contract_is_refused(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError):
        evaluate_portfolio(mini, {**portfolio([]), "contract": "other"})


def test_portfolio_without_as_of_is_refused(mini) -> None:  # type: ignore[no-untyped-def]
    data = portfolio([])
    del data["as_of"]
    with pytest.raises(InputError) as info:
        evaluate_portfolio(mini, data)
    assert info.value.diagnostics[0].hint == "add `as_of: YYYY-MM-DD`"


def test_portfolio_without_cases_gives_an_error_record(mini) -> None:  # type: ignore[no-untyped-def]
    data = portfolio([])
    del data["cases"]
    result = evaluate_portfolio(mini, data)
    (error,) = result.errors
    assert error.error.diagnostics[0].code == "E302"


def test_cases_from_a_json_lines_file(mini, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [json.dumps({"case": "A", "facts": {"late_value": "24000.00"}, "events": EASTER}), "",
             "{not json", json.dumps({"case": "C", "facts": {"late_value": -1}})]
    (tmp_path / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = evaluate_portfolio(mini, portfolio("cases.jsonl"), base=tmp_path)
    assert [type(c).__name__ for c in result.cases] == ["CaseResult", "CaseError", "CaseError"]
    bad_json, negative = result.errors
    assert bad_json.line == 3 and bad_json.error.diagnostics[0].code == "E303"
    assert negative.case == "C" and negative.error.diagnostics[0].code == "E301"


def test_missing_json_lines_file_is_an_error_record(mini, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_portfolio(mini, portfolio("nowhere.jsonl"), base=tmp_path)
    (error,) = result.errors
    assert error.error.diagnostics[0].code == "E302"


# result JSON against the shipped schema ---------------------------------------------------------

def test_case_result_validates(mini, validator) -> None:  # type: ignore[no-untyped-def]
    out = evaluate_case(mini, case(EASTER, as_of="2021-05-01", facts={"late_value": 24000})).to_json()
    validator.validate(out)
    assert out["rulekit"] and len(out["contract"]["sha256"]) == 64
    json.dumps(out)  # plain JSON, no Decimals or dates left


def test_case_result_with_trace_validates(mini, validator) -> None:  # type: ignore[no-untyped-def]
    out = evaluate_case(mini, case(EASTER, as_of="2021-05-01")).to_json(trace=True)
    validator.validate(out)
    assert out["trace"] and out["trace"][0]["rule"] in ("doc_deadline", "doc_penalty")
    json.dumps(out)


@pytest.mark.parametrize("events", [
    [],
    EASTER,
    [{"type": "demanded", "date": "2021-03-31"}],
    [{"type": "waiver", "date": "2021-05-01", "rule": "daily_penalty"}, *EASTER],
])
def test_amounts_results_validate(amounts_spec, validator, events) -> None:  # type: ignore[no-untyped-def]
    data = case(events, facts={"weekly_hours": "4", "months_self_sufficient": 2}, offering="A1")
    out = evaluate_case(amounts_spec, data, assume={"fee_reading": "fee"}).to_json(trace=True)
    validator.validate(out)  # including amount null for missing inputs
    json.dumps(out)


def test_deadline_and_duty_results_validate(deadlines, duties, validator) -> None:  # type: ignore[no-untyped-def]
    out = evaluate_case(deadlines, case([("demanded", "2021-03-31"), ("report", "2021-02-10"),
                                         ("ordered", "2021-12-14")], facts={"started": "2021-01-05"},
                                        as_of="2023-06-01")).to_json(trace=True)
    validator.validate(out)
    out = evaluate_case(duties, case([("course_started", "2021-03-03"), ("contact", "2021-03-05"),
                                      ("complaint", "2021-03-04")], as_of="2021-04-01")).to_json(trace=True)
    validator.validate(out)
    json.dumps(out)


def test_portfolio_result_validates(mini, validator) -> None:  # type: ignore[no-untyped-def]
    out = evaluate_portfolio(mini, portfolio(GOOD_BAD_GOOD)).to_json()
    validator.validate(out)
    assert out["portfolio"] == "P-1" and "case" not in out
    json.dumps(out)


@pytest.mark.parametrize("cases", ["", "sub"])
def test_cases_naming_a_folder(mini, tmp_path: Path, cases: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    try:
        result = evaluate_portfolio(mini, portfolio(cases), base=tmp_path)
    except InputError:
        return
    assert result.errors


def test_non_utf8_json_lines(mini, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cases.jsonl").write_bytes(b'{"case": "A"}\n\xff\xfe\n')
    try:
        result = evaluate_portfolio(mini, portfolio("cases.jsonl"), base=tmp_path)
    except InputError:
        return
    assert [type(c).__name__ for c in result.cases] == ["CaseResult", "CaseError"]


def test_a_portfolio_of_digests_validates(mini, validator) -> None:  # type: ignore[no-untyped-def]
    """`--detail summary` keeps a digest of each case; the result still follows result.schema.json (review: the
    digests were not in it)."""
    out = evaluate_portfolio(mini, portfolio(GOOD_BAD_GOOD), keep_cases=False).to_json()
    validator.validate(out)
    assert {"case", "totals", "breached", "complete"} <= set(out["cases"][0])
