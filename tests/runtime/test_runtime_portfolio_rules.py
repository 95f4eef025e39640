"""The portfolio's own rules (`portfolio: rules:`): duties of the parties as a whole — a report after every
approval, a penalty per working day late, a check over the cases — evaluated once per portfolio, as a case whose
facts and events are the portfolio's, with `cases` and the portfolio's values in scope. Their entries are the
portfolio result's own obligations, penalties and findings, and its totals count them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rulekit import evaluate_portfolio, load_contract
from rulekit.errors import SpecError
from rulekit.spec.schema import load_schema

SPEC = Path(__file__).parent.parent / "fixtures" / "settlement.yaml"
EVENTS = """\
    approved: {title: Data godkendt, fields: {covers: {type: date, title: Kvartalets sidste dag}}}
    report_sent: {title: Kvartalsrapport sendt, repeatable: true}
"""
RULES = """\
  rules:
    - id: quarter_report
      kind: deadline
      title: {da: Kvartalsrapport efter godkendelse, en: Quarterly report after approval}
      source: {doc: b, section: "8", quote: "senest 10 arbejdsdage efter godkendelsen"}
      obliged: provider
      each: approved
      from: item.date
      period: 10 working_days
      fulfilled: first(report_sent where it.date >= item.date).date
    - id: report_penalty
      kind: penalty
      title: {da: Bod for sen rapport, en: Penalty for a late report}
      source: {doc: b, section: "8", quote: "500 kr. pr. arbejdsdag"}
      remedies: quarter_report
      applies_when: quarter_report.breached
      per: working_day
      units: quarter_report.late_working_days
      rate: 500 DKK
    - id: enough_basis
      kind: check
      severity: warning
      title: {da: Grundlag pr. forløb, en: Basis per case}
      source: {doc: b, section: "9", quote: "mindst 2.000 kr. pr. forløb"}
      assert: basis_total >= count(cases) * 2000 DKK
      message:
        da: "Grundlaget {basis_total} er under 2.000 kr. pr. forløb"
        en: "The basis {basis_total} is below DKK 2,000 a case"
"""


def spec(tmp_path: Path, rules: str = RULES) -> Path:
    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    approved = "    approved: {title: Data godkendt, fields: {covers: {type: date, title: Kvartalets sidste dag}}}\n"
    text = text.replace(approved, EVENTS, 1)
    text = text.replace("  checks:\n", rules + "  checks:\n", 1)
    path = tmp_path / "settle_rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def citizen(cid: str, months: int) -> dict[str, Any]:
    return {"case": cid, "events": [{"type": "window_started", "date": "2023-01-01"},
                                    *({"type": "month_ok", "date": f"2023-{m:02d}-01"} for m in range(2, 2 + months))]}


def run(tmp_path: Path, events: list[dict[str, Any]], cases: list[dict[str, Any]] | None = None) -> Any:
    contract = load_contract(spec(tmp_path))
    data = {"portfolio": "P", "contract": "settle", "as_of": "2023-06-30", "events": events,
            "cases": cases if cases is not None else [citizen("a", 2), citizen("b", 1)]}
    return evaluate_portfolio(contract, data, lang="en")


def test_portfolio_duties_are_judged_per_occurrence_and_remedied(tmp_path: Path) -> None:
    result = run(tmp_path, [
        {"type": "approved", "date": "2023-04-03", "covers": "2023-03-31", "id": "Q1"},  # due 20/4 (Easter)
        {"type": "report_sent", "date": "2023-04-24"},                                  # 2 working days late
        {"type": "approved", "date": "2023-06-01", "covers": "2023-05-31", "id": "Q2"},  # due 15/6 (5/6 closed)
        {"type": "report_sent", "date": "2023-06-12"},                                  # on time
        {"type": "approved", "date": "2023-06-26", "covers": "2023-06-30", "id": "Q3"},  # due 10/7: pending
        {"type": "report_sent", "date": "2023-07-05"},                                  # after as_of: not seen
    ])
    out = result.to_json()
    jsonschema.Draft202012Validator(load_schema("result")).validate(out)
    reports = {o["instance"]: (o["status"], o["due"], o.get("late_working_days")) for o in out["obligations"]
               if o["rule"] == "quarter_report"}
    assert reports["Q1"][:2] == ("breached", "2023-04-20") and reports["Q1"][2] == 2
    assert reports["Q2"][:2] == ("met", "2023-06-15")
    assert reports["Q3"][:2] == ("pending", "2023-07-10")
    [penalty] = [p for p in out["penalties"] if p["rule"] == "report_penalty" and p["amount"] != "0.00"]
    assert (penalty["instance"], penalty["amount"]) == ("Q1", "1000.00")
    # the portfolio's penalty counts in its totals, with every case's (none here)
    assert out["totals"]["penalties"] == "1000.00" and result.totals()["penalties"] == Decimal(1000)
    # the check reads a portfolio value and the cases: 3 months of 1000 is below 2 × 2000
    [finding] = [f for f in out["findings"] if f["rule"] == "enough_basis"]
    assert finding["severity"] == "warning" and "3,000.00" in finding["message"], finding


def test_the_explanation_and_the_contract_know_the_portfolios_rules(tmp_path: Path) -> None:
    from rulekit.explain import render_text

    result = run(tmp_path, [{"type": "approved", "date": "2023-04-03", "covers": "2023-03-31", "id": "Q1"}])
    assert result.duties is not None and result.contract.rule("quarter_report") is not None
    text = render_text(result.duties, "quarter_report", detail=False)
    assert "Deadline: Quarterly report after approval [Q1] — breached" in text and "Thu 20 April 2023" in text, text


@pytest.mark.parametrize(("rules", "said"), [
    (RULES.replace("id: enough_basis", "id: at_most_two"), "E104"),             # a portfolio check's id
    (RULES.replace("id: enough_basis", "id: window_start"), "E104"),            # a case rule's id
    (RULES.replace("first(report_sent", "first(month_ok"), "E201"),              # a case event: not in scope
])
def test_portfolio_rules_are_checked_at_load(tmp_path: Path, rules: str, said: str) -> None:
    with pytest.raises(SpecError) as info:
        load_contract(spec(tmp_path, rules))
    assert said in str(info.value) and "settle_rules.yaml:" in str(info.value), str(info.value)


def test_a_portfolio_without_own_rules_has_none(tmp_path: Path) -> None:
    contract = load_contract(SPEC)
    result = evaluate_portfolio(contract, {"portfolio": "P", "contract": "settle", "as_of": "2023-06-30",
                                           "cases": [citizen("a", 1)]})
    assert result.duties is None and result.to_json()["obligations"] == []
    assert dt.date(2023, 6, 30) == result.as_of


PORTFOLIO_TEST = """\
tests:
  - id: report_late
    portfolio:
      as_of: 2023-06-30
      cases: [{case: a, events: [{type: window_started, date: 2023-01-01}]}]
      events:
        - {type: approved, date: 2023-04-03, covers: 2023-03-31, id: Q1}
        - {type: report_sent, date: 2023-04-24}
    expect:
      obligations:
        quarter_report[Q1]: {status: breached, due: 2023-04-20, late_working_days: 2}
      penalties:
        report_penalty[Q1]: {amount: "1000.00"}
      totals: {penalties: "1000.00"}
"""


def test_the_command_line_knows_the_portfolios_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """explain --rule, due, the text summary and rulekit test (with coverage) read the portfolio's own rules."""
    import json

    from rulekit.cli import main

    path = spec(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tests:\n", PORTFOLIO_TEST, 1) if "tests:\n" in text else text + PORTFOLIO_TEST,
                    encoding="utf-8")
    data = {"portfolio": "P", "contract": "settle", "as_of": "2023-06-30", "cases": [citizen("a", 1)],
            "events": [{"type": "approved", "date": "2023-06-26", "covers": "2023-06-30", "id": "Q3"}]}
    portfolio = tmp_path / "portfolio.json"
    portfolio.write_text(json.dumps(data), encoding="utf-8")

    assert main(["explain", str(path), str(portfolio), "--rule", "quarter_report", "--lang", "en"]) == 0
    assert "Deadline: Quarterly report after approval [Q3] — pending" in capsys.readouterr().out
    assert main(["due", str(path), str(portfolio), "--format", "json"]) == 0
    [item] = json.loads(capsys.readouterr().out)["open"]
    assert (item["case"], item["rule"], item["instance"], item["due"]) == ("P", "quarter_report", "Q3", "2023-07-10")
    assert main(["evaluate", str(path), str(portfolio), "--format", "text", "--lang", "en"]) == 0
    assert "  pending      quarter_report [Q3] due 10 July 2023" in capsys.readouterr().out
    assert main(["test", str(path), "--format", "json"]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert report["failed"] == [] and report["rules"] == 6, report  # four case rules and the portfolio's two
    assert not {"quarter_report", "report_penalty"} & {*report["untouched"], *report["unasserted"]}, report


def test_explaining_a_portfolio_rule_in_a_case_is_a_usage_error(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A portfolio rule or figure is judged once per portfolio: `explain --rule` of it on a case (a case file, or
    `--case` of a portfolio) is E023 saying where to explain it, not an empty explanation."""
    import json

    from rulekit.cli import main

    path = spec(tmp_path)
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"contract": "settle", "as_of": "2023-06-30", **citizen("a", 1)}), encoding="utf-8")
    portfolio = tmp_path / "portfolio.json"
    portfolio.write_text(json.dumps({"portfolio": "P", "contract": "settle", "as_of": "2023-06-30",
                                     "cases": [citizen("a", 1)]}), encoding="utf-8")
    for args in ([str(case), "--rule", "quarter_report"], [str(portfolio), "--rule", "quarter_report", "--case", "a"],
                 [str(case), "--rule", "basis_total"]):
        assert main(["explain", str(path), *args]) == 2
        err = capsys.readouterr().err
        assert "E023" in err and "belongs to the portfolio as a whole, not to case 'a'" in err, err



def test_statistics_and_checks_read_the_portfolios_rules(tmp_path: Path) -> None:
    """The portfolio's own rules run after its values and before its other figures: a statistic and a check read
    a rule's outputs (its penalties summed over instances, its worst status), and a value cannot (E201)."""
    path = spec(tmp_path)
    text = path.read_text(encoding="utf-8")
    figures = """  statistics:
    - id: late_report_penalties
      title: Bod for sene rapporter
      source: {doc: b, section: "8", quote: "500 kr. pr. arbejdsdag"}
      value: report_penalty.amount
"""
    check = """    - id: reports_on_time
      severity: warning
      title: Rapporter til tiden
      source: {doc: b, section: "8", quote: "senest 10 arbejdsdage efter godkendelsen"}
      assert: not quarter_report.breached
      message: "{quarter_report.late_working_days} arbejdsdage for sent"
"""
    assert "  statistics:\n" in text and "  checks:\n" in text
    text = text.replace("  statistics:\n", figures, 1).replace("  checks:\n", "  checks:\n" + check, 1)
    path.write_text(text, encoding="utf-8")
    data = {"portfolio": "P", "contract": "settle", "as_of": "2023-06-30", "cases": [citizen("a", 2)],
            "events": [{"type": "approved", "date": "2023-04-03", "covers": "2023-03-31", "id": "Q1"},
                       {"type": "report_sent", "date": "2023-04-24"}]}  # 2 working days late: 1,000
    out = evaluate_portfolio(load_contract(path), data, lang="en").to_json()
    jsonschema.Draft202012Validator(load_schema("result")).validate(out)
    assert out["statistics"]["late_report_penalties"]["value"] == "1000.00"
    assert out["checks"]["reports_on_time"]["holds"] is False
    [finding] = [f for f in out["findings"] if f["rule"] == "reports_on_time"]
    assert finding["message"] == "2 arbejdsdage for sent", finding
    value = "      value: sum(cases.monthly.amount)\n"
    path.write_text(text.replace(value, "      value: report_penalty.amount\n", 1), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_contract(path)
    assert "E201" in str(info.value), str(info.value)
    # it says why, not "unknown name … declare it": the rule is declared, and computed after the values
    assert "'report_penalty' cannot be read here" in str(info.value) and "statistic" in str(info.value)


READS_CASES = """\
    - id: two_windows
      kind: check
      title: {da: To vinduer, en: Two windows}
      source: {doc: b, section: "9", quote: "mindst to forløb"}
      assert: count(cases where exists(it.window_started)) >= 2
      message: "for få: {count(cases where exists(it.window_started))}"
"""


def test_a_portfolio_rule_reads_what_no_figure_reads(tmp_path: Path) -> None:
    """Each case keeps the fields the portfolio's expressions read — its own rules' too (review: a rule reading
    `window_started`, which no figure reads, saw none)."""
    contract = load_contract(spec(tmp_path, RULES + READS_CASES))
    data = {"portfolio": "P", "contract": "settle", "as_of": "2023-06-30", "cases": [citizen("a", 1), citizen("b", 0)]}
    result = evaluate_portfolio(contract, data)
    assert not [f for f in result.to_json()["findings"] if f["rule"] == "two_windows"]
    assert result.duties is not None and result.duties.outputs["two_windows"]["holds"] is True


def test_fail_on_and_the_html_report_count_the_portfolios_own_rules(tmp_path: Path) -> None:
    import json

    from rulekit.cli import main
    from rulekit.cli.commands import EXIT_FOUND
    from rulekit.explain.report import portfolio_report

    path = spec(tmp_path)
    late = {"portfolio": "P", "contract": "settle", "as_of": "2023-06-30", "cases": [citizen("a", 1)],
            "events": [{"type": "approved", "date": "2023-04-03", "covers": "2023-03-31", "id": "Q1"},
                       {"type": "report_sent", "date": "2023-04-24"}]}
    portfolio = tmp_path / "late.json"
    portfolio.write_text(json.dumps(late), encoding="utf-8")
    for what in ("breach", "penalty"):
        assert main(["evaluate", str(path), str(portfolio), "--format", "json", "--fail-on", what]) == EXIT_FOUND
    result = evaluate_portfolio(load_contract(path), late)
    assert result.to_json()["statistics"]["counts"]["obligations"]["quarter_report"] == {"breached": 1}
    page = portfolio_report(result)
    assert "Kvartalsrapport efter godkendelse [Q1]" in page and "built-in method" not in page
