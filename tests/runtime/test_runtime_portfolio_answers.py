"""A portfolio's events answer one another as a case's do (`answers:`, `ref:`, `match:`, `covers:`): a report
answers the approval its `ref` names, else one by its type's match mode; an answer that links to nothing is
reported in the portfolio's findings; a bad `ref` is an input error; a bad `answers:` a load error at its place.
The example clause examples/clauses/mentoring_hours.yaml (report_sent answers data_approved) is the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rulekit import evaluate_portfolio, load_contract
from rulekit.errors import InputError, SpecError
from rulekit.spec.schema import load_schema

SPEC = Path(__file__).parents[2] / "examples" / "clauses" / "mentoring_hours.yaml"
CASE = {"case": "M-1", "facts": {"course_start": "2025-01-06", "course_end": "2025-03-28"},
        "events": [{"type": "session", "date": "2025-01-07", "hours": 2}]}


def portfolio(*events: dict[str, Any], as_of: str = "2025-07-31") -> dict[str, Any]:
    return {"portfolio": "P", "as_of": as_of, "cases": [CASE], "events": list(events)}


def reports(data: dict[str, Any], spec: Path = SPEC) -> dict[str, dict[str, Any]]:
    result = evaluate_portfolio(load_contract(spec), data, lang="en").to_json()
    jsonschema.validate(result, load_schema("result"))
    return {o["instance"]: o for o in result["obligations"] if o["rule"] == "quarterly_report"}


def approvals() -> list[dict[str, Any]]:
    return [{"type": "data_approved", "date": "2025-04-07", "id": "Q1"},
            {"type": "data_approved", "date": "2025-07-07", "id": "Q2"}]


def test_a_report_without_ref_answers_the_earliest_approval_without_one() -> None:
    got = reports(portfolio(*approvals(), {"type": "report_sent", "date": "2025-07-10"}))
    assert got["Q1"]["status"] == "breached" and got["Q1"]["fulfilled"] == "2025-07-10"
    assert got["Q2"]["status"] == "breached" and "fulfilled" not in got["Q2"]  # one report, one quarter


def test_ref_names_the_approval_a_report_answers() -> None:
    got = reports(portfolio(*approvals(), {"type": "report_sent", "date": "2025-07-10", "ref": "Q2"}))
    assert got["Q2"]["status"] == "met" and got["Q2"]["fulfilled"] == "2025-07-10"
    assert got["Q1"]["status"] == "breached" and "fulfilled" not in got["Q1"]


def test_an_answer_that_links_to_nothing_is_reported() -> None:
    data = portfolio(*approvals(), {"type": "report_sent", "date": "2025-04-02", "id": "early"})
    result = evaluate_portfolio(load_contract(SPEC), data, lang="en").to_json()
    [finding] = [f for f in result["findings"] if f["rule"] == "input:report_sent"]
    assert finding["severity"] == "warning" and finding["instance"] == "early"
    assert "answers no Quarter's data approved" in finding["message"]


def test_an_answer_dated_after_as_of_is_not_seen() -> None:
    got = reports(portfolio(*approvals(), {"type": "report_sent", "date": "2025-08-01"}))
    assert got["Q1"]["status"] == "breached" and "fulfilled" not in got["Q1"]


def test_a_ref_to_no_approval_is_an_input_error() -> None:
    data = portfolio(*approvals(), {"type": "report_sent", "date": "2025-07-10", "ref": "Q9"})
    with pytest.raises(InputError) as err:
        evaluate_portfolio(load_contract(SPEC), data)
    [diag] = err.value.diagnostics
    assert diag.code == "E307" and "Q9" in diag.message


def test_the_match_mode_is_the_portfolio_types_own(tmp_path: Path) -> None:
    """`match: latest_open`: a report without ref answers the latest approval without a report."""
    answers = "      answers: data_approved\n"
    spec = variant(tmp_path, answers, answers + "      match: latest_open\n")
    got = reports(portfolio(*approvals(), {"type": "report_sent", "date": "2025-07-10"}), spec)
    assert got["Q2"]["status"] == "met" and "fulfilled" not in got["Q1"]


def test_figures_read_the_links_without_portfolio_rules(tmp_path: Path) -> None:
    """Without rules, a portfolio value reads answers() with the loose answers linked, and an answer that links
    to nothing is still reported (the portfolio's findings)."""
    text = SPEC.read_text(encoding="utf-8")
    head, rules = text.split("  rules:\n", 1)
    value = ("  values:\n    - id: unanswered\n      type: integer\n      title: Ubesvarede godkendelser\n"
             "      source: {doc: clause, section: \"2\", quote: \"the supplier sends a quarterly report\"}\n"
             "      value: count(data_approved where not exists(answers(it, report_sent)))\n")
    spec = tmp_path / "no_rules.yaml"
    spec.write_text(head.replace("../../rules/", f"{SPEC.parents[2] / 'rules'}/") + value
                    + "\ntests:" + rules.split("\ntests:", 1)[1].split("\n  - id: reports_after_approvals")[0],
                    encoding="utf-8")
    data = portfolio(*approvals(), {"type": "report_sent", "date": "2025-07-10"},
                     {"type": "report_sent", "date": "2025-03-01", "id": "early"})
    result = evaluate_portfolio(load_contract(spec), data, lang="en").to_json()
    assert result["statistics"]["unanswered"]["value"] == 1  # Q1 answered by the loose report, Q2 not
    assert [f["instance"] for f in result["findings"] if f["rule"] == "input:report_sent"] == ["early"]


@pytest.mark.parametrize(("old", "new", "where"), [
    ("      answers: data_approved\n", "      answers: data_aproved\n", "answers"),  # a typo
    ("      answers: data_approved\n", "      answers: session\n", "answers"),  # a case's event type
    ("      answers: data_approved\n", "      answers: data_approved\n      covers: hours\n", "covers"),
])
def test_a_bad_answers_is_a_load_error_at_its_place(tmp_path: Path, old: str, new: str, where: str) -> None:
    spec = variant(tmp_path, old, new)
    with pytest.raises(SpecError) as err:
        load_contract(spec)
    diag = err.value.diagnostics[0]  # (a rule reading answers() of the type may say more after it)
    line = next(i for i, text in enumerate(spec.read_text(encoding="utf-8").splitlines(), start=1)
                if text.strip().startswith(f"{where}:"))
    assert diag.code == "E123" and diag.span is not None and diag.span.line == line


def test_the_published_schema_takes_answers_on_portfolio_events() -> None:
    import json

    import yaml

    data = json.loads(json.dumps(yaml.safe_load(SPEC.read_text(encoding="utf-8")), default=str))  # dates as text
    assert "answers" in data["portfolio"]["events"]["report_sent"]
    jsonschema.validate(data, load_schema("contract"))


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SPEC.read_text(encoding="utf-8")
    assert old in text
    spec = tmp_path / "variant.yaml"
    spec.write_text(text.replace(old, new, 1).replace("../../rules/", f"{SPEC.parents[2] / 'rules'}/"),
                    encoding="utf-8")
    return spec


GAP = """\
    - id: report_gap
      kind: value
      type: integer
      title: {da: "Arbejdsdage til rapporten", en: "Working days to the report"}
      source: {doc: clause, section: "2", quote: "within 10 working days"}
      each: data_approved
      value: working_days_between(item.date, first(answers(item, report_sent)).date ?? as_of)
    - id: gap_total
      kind: value
      type: integer
      title: {da: "I alt", en: "Total"}
      source: {doc: clause, section: "2", quote: "within 10 working days"}
      value: sum(report_gap.value)
"""


def test_the_portfolios_own_values_are_in_its_result(tmp_path: Path) -> None:
    """A portfolio value rule (one per approval with `each`, and one over their list) is in the portfolio's JSON
    `values`, as a case's are, and a spec test can expect it (the test runner read a missing section as an
    internal error)."""
    from rulekit.testing.runner import compare

    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    spec = tmp_path / "gaps.yaml"
    spec.write_text(text.replace("    - id: quarterly_report_penalty\n", GAP + "    - id: quarterly_report_penalty\n"),
                    encoding="utf-8")
    out = evaluate_portfolio(load_contract(spec), portfolio(*approvals(), {"type": "report_sent",
                                                                          "date": "2025-07-10"})).to_json()
    jsonschema.validate(out, load_schema("result"))
    assert [(v["rule"], v.get("instance"), v["value"]) for v in out["values"]] == [
        ("report_gap", "Q1", 63), ("report_gap", "Q2", 18), ("gap_total", None, 81)]  # 10 + 53 late; 7/7 → 31/7
    assert compare(out, {"values": {"report_gap[Q2]": {"value": 18}}}) == []
    # a result without the section: the expectation fails (it raised KeyError)
    assert compare({"obligations": []}, {"values": {"gap_total": {"value": 81}}}) == [
        "values.gap_total: expected an entry, got none"]
