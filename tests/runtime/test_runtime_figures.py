"""Portfolio figures: dated amounts, tiered settlements per quarter (with approval and cap readings),
statistics with targets, portfolio checks, figure errors; and per-event rule instances."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from rulekit import evaluate_case, evaluate_portfolio, load_contract
from rulekit.dsl.compile import month_starts

SPEC = Path(__file__).parent.parent / "fixtures" / "settlement.yaml"


@pytest.fixture(scope="module")
def contract() -> Any:
    return load_contract(SPEC)


def citizen(cid: str, start: str, months: list[str]) -> dict[str, Any]:
    return {"case": cid, "events": [{"type": "window_started", "date": start},
                                    *({"type": "month_ok", "date": m} for m in months)]}


def months(first: str, n: int) -> list[str]:
    return [d.isoformat() for d in month_starts(dt.date.fromisoformat(first), dt.date(2030, 1, 1))[:n]]


def portfolio(contract: Any, cases: list[dict[str, Any]], events: list[dict[str, Any]] | None = None,
              **assume: str) -> dict[str, Any]:
    data = {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31", "cases": cases, "events": events or []}
    out: dict[str, Any] = evaluate_portfolio(contract, data, assume=assume).to_json()
    return out


def periods(out: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["period"]: p for p in out["settlement"]["result"]["periods"]}


def test_dated_amounts_are_counted_inside_the_window_only(contract: Any) -> None:
    case = citizen("a", "2023-03-01", ["2023-02-01", "2023-03-01", "2023-04-01", "2024-03-01"])
    result = evaluate_case(contract, {**case, "contract": "settle", "as_of": "2024-12-31"}).to_json()
    (payment,) = result["payments"]
    assert payment["amount"] == "2000.00"  # February is before the window, March 2024 after its 12 months
    assert [d["date"] for d in payment["dated"]] == ["2023-03-01", "2023-04-01"]
    assert result["values"][0]["value"] == "2023-03-01"


def test_settlement_crosses_the_tiers_quarter_by_quarter(contract: Any) -> None:
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 6)), citizen("b", "2023-01-01", months("2023-04-01", 3))]
    approvals = [{"type": "approved", "date": d, "covers": c}
                 for d, c in (("2023-04-05", "2023-03-31"), ("2023-07-05", "2023-06-30"), ("2023-10-05", "2023-09-30"))]
    rows = periods(portfolio(contract, cases, approvals))
    assert rows["2023-Q1"]["basis"] == "3000.00" and rows["2023-Q1"]["payment"] == "3000.00"
    # Q2: basis 9000 → 3000 + 50 % × 2000 = 4000 in total, 1000 more than paid
    assert rows["2023-Q2"]["provider_cumulative"] == "4000.00"
    assert rows["2023-Q2"]["payment"] == "1000.00"
    assert rows["2023-Q3"]["payment"] == "0.00"


def test_unapproved_quarters_carry_their_payment_forward(contract: Any) -> None:
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 4))]
    approvals = [{"type": "approved", "date": "2023-07-10", "covers": "2023-06-30"}]  # Q2 approved, Q1 never
    rows = periods(portfolio(contract, cases, approvals))
    assert rows["2023-Q1"]["approved"] is False
    assert rows["2023-Q2"]["approved"] is True
    assert rows["2023-Q2"]["paid_before"] == "0.00"
    assert rows["2023-Q2"]["payment"] == "3500.00"  # 3000 + 50 % × 1000, all of it now


@pytest.mark.parametrize(("reading", "provider"), [("basis", "4000.00"), ("payment", "5000.00"),
                                                     ("payment_cap", "4200.00")])
def test_the_same_portfolio_under_each_cap_reading(contract: Any, reading: str, provider: str) -> None:
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 12))]  # basis 12,000
    out = portfolio(contract, cases, **{"reading": reading})
    assert out["settlement"]["result"]["provider_total"] == provider
    assert {"id": "reading", "reading": reading, "default": reading == "basis"} in out["assumptions"]
    assert out["settlement"]["result"]["assumptions"] == ["reading"]


def test_statistics_with_a_parameter_target_and_a_failing_figure(contract: Any) -> None:
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 1)), citizen("b", "2023-01-01", [])]
    out = portfolio(contract, cases)
    assert out["statistics"]["share_paid"]["value"] == "50.00%"
    assert out["statistics"]["share_paid"]["target"] == "50.00%"
    assert out["statistics"]["basis_total"]["value"] == "1000.00"
    assert "division" in out["statistics"]["broken"]["error"].lower()  # one figure's error, not all
    assert out["settlement"]["result"]["provider_total"] == "1000.00"


def test_portfolio_check_becomes_a_finding(contract: Any) -> None:
    out = portfolio(contract, [citizen(c, "2023-01-01", []) for c in "abc"])
    (finding,) = out["findings"]
    assert finding["rule"] == "at_most_two" and finding["severity"] == "error"
    assert finding["message"] == "3 forløb, højst 2"
    assert portfolio(contract, [citizen("a", "2023-01-01", [])])["findings"] == []


def test_each_makes_one_instance_per_event(contract: Any) -> None:
    case = {"case": "inv", "contract": "settle", "as_of": "2022-03-01", "events": [
        {"type": "invoice_sent", "date": "2021-11-25", "id": "F1"},
        {"type": "invoice_sent", "date": "2021-12-01", "id": "F2"},
        {"type": "payment_made", "date": "2021-12-27", "invoice": "F1"},
        {"type": "payment_made", "date": "2022-01-10", "invoice": "F2"}]}
    result = evaluate_case(contract, case)
    by_instance = {o["instance"]: o for o in result.to_json()["obligations"] if o["rule"] == "invoice_due"}
    assert by_instance["F1"]["status"] == "met" and by_instance["F1"]["due"] == "2021-12-27"
    assert by_instance["F2"]["status"] == "breached" and by_instance["F2"]["due"] == "2021-12-31"
    assert result.outputs["invoice_due"]["status"] == "breached"  # what other rules read: the worst


def test_months_lists_month_starts() -> None:
    assert month_starts(dt.date(2023, 11, 15), dt.date(2024, 2, 1)) == [
        dt.date(2023, 11, 1), dt.date(2023, 12, 1), dt.date(2024, 1, 1), dt.date(2024, 2, 1)]
    assert month_starts(dt.date(2024, 3, 1), dt.date(2024, 2, 1)) == []


def with_lets(tmp_path: Path, settlement_let: str, check_let: str) -> Path:
    """The fixture with `let:` in its settlement and its check (the imports made absolute)."""
    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    text = text.replace("      basis: sum((cases.monthly.dated where it.date <= period_end).amount)\n",
                        f"      let:\n{settlement_let}      basis: so_far\n", 1)
    text = text.replace("      assert: count(cases) <= 2\n      message: \"{count(cases)} forløb, højst 2\"\n",
                        f"      let:\n{check_let}      assert: n <= 2\n      message: \"{{n}} forløb, højst 2\"\n", 1)
    path = tmp_path / "settle_lets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_settlements_and_checks_take_local_names(contract: Any, tmp_path: Path) -> None:
    named = load_contract(with_lets(tmp_path, "        so_far: sum((cases.monthly.dated where it.date <= period_end)"
                                              ".amount)\n", "        n: count(cases)\n"))
    cases = [citizen(c, "2023-01-01", months("2023-01-01", k)) for c, k in (("a", 6), ("b", 3), ("c", 2))]
    approvals = [{"type": "approved", "date": "2023-04-05", "covers": "2023-03-31"}]
    plain, lets = portfolio(contract, cases, approvals), portfolio(named, cases, approvals)
    assert periods(lets) == periods(plain) and periods(lets)["2023-Q1"]["basis"] == "8000.00"  # 3 + 3 + 2 months
    [finding] = [f for f in lets["findings"] if f["rule"] == "at_most_two"]
    assert finding["message"] == "3 forløb, højst 2"


def test_a_local_name_that_is_taken_is_a_load_error(tmp_path: Path) -> None:
    from rulekit.errors import SpecError

    with pytest.raises(SpecError) as info:
        load_contract(with_lets(tmp_path, "        so_far: 0 DKK\n        tier1: 1 DKK\n", "        n: 1\n"))
    assert "E122" in str(info.value) and "tier1" in str(info.value) and "settle_lets.yaml:" in str(info.value)


RHYTHM = """\
  rhythm:
    title: Rytme
    question: Hvor ofte afregnes og rapporteres?
    default: quarter
    readings: {quarter: hvert kvartal, half_year: hvert halve år}
"""


def with_rhythm(tmp_path: Path, readings: str = "{quarter: hvert kvartal, half_year: hvert halve år}") -> Path:
    """The fixture with the settlement's and a statistic's periods following the assumption `rhythm`."""
    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    text = text.replace("assumptions:\n", "assumptions:\n" + RHYTHM.replace(
        "{quarter: hvert kvartal, half_year: hvert halve år}", readings), 1)
    text = text.replace("      periods: quarter\n", "      periods: {assumption: rhythm}\n", 1)
    text = text.replace("      target: target\n", "      target: target\n      periods: {assumption: rhythm}\n"
                        "      date: first(it.month_ok).date\n", 1)
    path = tmp_path / "settle_rhythm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_periods_may_follow_an_assumption(contract: Any, tmp_path: Path) -> None:
    """`periods: {assumption: NAME}`: the kind of period is the reading in force; the figures read the assumption
    and say so, and the default reading gives what `periods: quarter` gives."""
    switched = load_contract(with_rhythm(tmp_path))
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 6)), citizen("b", "2023-01-01", months("2023-04-01", 3))]
    approvals = [{"type": "approved", "date": "2023-07-05", "covers": "2023-06-30"}]
    quarters = portfolio(switched, cases, approvals)
    assert periods(quarters) == periods(portfolio(contract, cases, approvals))
    assert list(periods(quarters))[:2] == ["2023-Q1", "2023-Q2"]
    halves = portfolio(switched, cases, approvals, rhythm="half_year")
    assert list(periods(halves))[:2] == ["2023-H1", "2023-H2"]
    assert periods(halves)["2023-H1"]["basis"] == "9000.00" and periods(halves)["2023-H1"]["approved"] is True
    assert set(halves["settlement"]["result"]["assumptions"]) == {"reading", "rhythm"}
    shares = halves["statistics"]["share_paid"]
    assert [(p["period"], p["cases"]) for p in shares["periods"]] == [("2023-H1", 2)]
    assert {"id": "rhythm", "reading": "half_year", "default": False} in halves["assumptions"]


@pytest.mark.parametrize(("periods_given", "readings", "said"), [
    ("{assumption: rythm}", None, "unknown assumption 'rythm'"),
    ("{assumption: rhythm}", "{quarter: kvartal, weekly: ugentligt}", "not kinds of period: weekly"),
])
def test_periods_by_an_assumption_are_checked(tmp_path: Path, periods_given: str, readings: str | None,
                                              said: str) -> None:
    from rulekit.errors import SpecError

    path = with_rhythm(tmp_path, readings or "{quarter: hvert kvartal, half_year: hvert halve år}")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("periods: {assumption: rhythm}", f"periods: {periods_given}", 1), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_contract(path)
    assert "E123" in str(info.value) and said in str(info.value) and "settle_rhythm.yaml:" in str(info.value)


PER_CASE = """\
    - id: each_case_has_a_month
      title: {da: Hvert forløb har en selvforsørgende måned, en: Every case has a self-sufficient month}
      source: {doc: b, section: "7", quote: "højst"}
      severity: warning
      each: cases
      applies_when: exists(item.window_started) and first(item.window_started).date < approved_until
      let:
        approved_until: first(approved).date ?? as_of
      assert: exists(item.month_ok)
      message: {da: "Forløb {item.case} har ingen selvforsørgende måned", en: "Case {item.case} has no month"}
    - id: only_after_approval
      title: Kun efter godkendelse
      source: {doc: b, section: "7", quote: "højst"}
      applies_when: exists(approved)
      assert: count(cases) <= 1
    - id: started_in_2023
      title: Startet i 2023
      source: {doc: b, section: "7", quote: "højst"}
      each: cases
      assert: first(item.window_started).date < 2024-01-01
    - id: after_the_approval_date
      title: Efter godkendelsesdagen
      source: {doc: b, section: "7", quote: "højst"}
      applies_when: first(approved).date < as_of
      assert: count(cases) <= 1
    - id: monthly_since_approval
      title: Hver måned siden godkendelsen
      source: {doc: b, section: "7", quote: "højst"}
      each: months(first(approved).date, as_of)
      assert: count(cases) <= 5
"""


def with_per_case_checks(tmp_path: Path) -> Path:
    """The fixture with two more portfolio checks: one per case (`each: cases`) with a condition per case, and
    one whose condition reads a portfolio event."""
    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    text = text.replace("  checks:\n", "  checks:\n" + PER_CASE, 1)
    path = tmp_path / "settle_each.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_portfolio_check_judges_each_element(tmp_path: Path) -> None:
    """`each:` one judgement per element (`item`), each with its own condition; a finding per element that does
    not hold, named by its instance; `applies_when` false: not applicable, not 'holds'."""
    from rulekit.explain.figures import figure_lines
    from rulekit.explain.text import draw
    from rulekit.runtime.settle import figure_json

    named = load_contract(with_per_case_checks(tmp_path))
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 2)), citizen("b", "2023-02-01", []),
             citizen("c", "2024-06-01", [])]
    approval = [{"type": "approved", "date": "2024-01-05", "covers": "2023-12-31"}]
    data = {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31", "cases": cases}
    result = evaluate_portfolio(named, {**data, "events": approval})
    checks = {f.figure.id: figure_json(f, "da") for f in result.figures if f.figure.kind == "check"}
    # c started after the approval: not judged; b has no month: fails
    assert [(i["instance"], i["holds"], i.get("message")) for i in checks["each_case_has_a_month"]["instances"]] == [
        ("a", True, None), ("b", False, "Forløb b har ingen selvforsørgende måned"), ("c", None, None)]
    assert checks["each_case_has_a_month"]["holds"] is False
    assert checks["only_after_approval"]["holds"] is False and "applies" not in checks["only_after_approval"]
    findings = [f for f in result.to_json()["findings"] if f["rule"] == "each_case_has_a_month"]
    assert [(f["severity"], f["instance"], f["message"]) for f in findings] == [
        ("warning", "b", "Forløb b har ingen selvforsørgende måned")]
    text = draw(figure_lines(result, None, None), "P", "da")
    assert "Kontrol: Hvert forløb har en selvforsørgende måned — ikke opfyldt" in text, text
    assert "fund [b]: Forløb b har ingen selvforsørgende måned" in text and "ikke relevant: c" in text, text
    # no approval: the second check does not apply, and says so (no finding, and it does not 'hold')
    quiet = evaluate_portfolio(named, data)
    [after] = [figure_json(f, "da") for f in quiet.figures if f.figure.id == "only_after_approval"]
    assert after["holds"] is None and after["applies"] is False
    assert not [f for f in quiet.to_json()["findings"] if f["rule"] == "only_after_approval"]
    assert "Kontrol: Kun efter godkendelse — ikke relevant" in draw(figure_lines(quiet, None, None), "P", "da")


def test_a_portfolio_check_that_misses_data_is_not_checked_and_says_what(tmp_path: Path) -> None:
    """An element whose `assert` needs what it lacks, or a condition that needs what the portfolio lacks: not
    checked (holds None, the missing names given), never 'holds' or 'not applicable'."""
    from rulekit.explain.figures import figure_lines
    from rulekit.explain.text import draw
    from rulekit.runtime.settle import figure_json

    named = load_contract(with_per_case_checks(tmp_path))
    cases = [citizen("a", "2023-01-01", []), {"case": "b", "events": []}]
    result = evaluate_portfolio(named, {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31",
                                        "cases": cases})
    checks = {f.figure.id: figure_json(f, "da") for f in result.figures if f.figure.kind == "check"}
    started = checks["started_in_2023"]
    assert started["holds"] is None and "applies" not in started
    assert [(i["instance"], i["holds"], i.get("missing")) for i in started["instances"]] == [
        ("a", True, None), ("b", None, ["first(item.window_started)"])]
    after = checks["after_the_approval_date"]
    assert after["holds"] is None and "applies" not in after and after["missing"] == ["first(approved)"]
    text = draw(figure_lines(result, None, None), "P", "da")
    assert "Kontrol: Startet i 2023 — ikke kontrolleret (oplysninger mangler)" in text, text
    assert "mangler [b]: «Vindue start»" in text and "mangler: «Data godkendt»" in text, text
    assert "Kontrol: Efter godkendelsesdagen — ikke kontrolleret (oplysninger mangler)" in text, text
    # `each` itself needs what is missing: nothing to judge, and the check says what is missing
    assert "Kontrol: Hver måned siden godkendelsen — ikke kontrolleret (oplysninger mangler)" in text, text
    assert checks["monthly_since_approval"]["missing"] == ["first(approved)"]
    assert not [f for f in result.to_json()["findings"] if f["rule"] in ("started_in_2023", "after_the_approval_date")]


def test_an_arithmetic_error_in_one_element_is_that_elements(tmp_path: Path) -> None:
    """A division by zero for one element of `each` is that element's error; the others keep their judgement."""
    from rulekit.runtime.settle import figure_json

    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    text = text.replace("  checks:\n", """  checks:
    - id: months_per_window
      title: Måneder pr. vindue
      source: {doc: b, section: "7", quote: "højst"}
      each: cases
      assert: count(item.month_ok) / count(item.window_started) <= 12
""", 1)
    path = tmp_path / "settle_error.yaml"
    path.write_text(text, encoding="utf-8")
    named = load_contract(path)
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 2)), {"case": "b", "events": []}]
    result = evaluate_portfolio(named, {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31", "cases": cases})
    [check] = [figure_json(f, "da") for f in result.figures if f.figure.id == "months_per_window"]
    assert "error" not in check and check["holds"] is None  # not checked: one element could not be
    assert [(i["instance"], i["holds"], "error" in i) for i in check["instances"]] == [("a", True, False),
                                                                                        ("b", None, True)]
    from rulekit.explain.figures import figure_lines
    from rulekit.explain.text import draw

    text = draw(figure_lines(result, "months_per_window", None), "P", "da")
    assert "Kontrol: Måneder pr. vindue — ikke kontrolleret (oplysninger mangler)" in text, text
    assert "fejl [b]: " in text, text


def test_portfolio_json_has_every_checks_judgement(tmp_path: Path) -> None:
    """The portfolio result's `checks` holds every check, also those that hold, do not apply or were not
    checked (the findings list only those that fail), and follows result.schema.json."""
    import jsonschema

    from rulekit.spec.schema import load_schema

    named = load_contract(with_per_case_checks(tmp_path))
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 2)), citizen("b", "2023-02-01", [])]
    out = evaluate_portfolio(named, {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31",
                                     "cases": cases}).to_json()
    jsonschema.Draft202012Validator(load_schema("result")).validate(out)
    checks = out["checks"]
    assert set(checks) == {f.id for f in named.portfolio.checks}
    per_case = checks["each_case_has_a_month"]
    assert per_case["holds"] is False and per_case["source"] and per_case["quote"] == "højst"
    assert [(i["instance"], i["holds"], i.get("message")) for i in per_case["instances"]] == [
        ("a", True, None), ("b", False, "Forløb b har ingen selvforsørgende måned")]
    assert checks["started_in_2023"]["holds"] is True  # holds: no finding, but here
    assert (checks["only_after_approval"]["holds"], checks["only_after_approval"]["applies"]) == (None, False)
    assert (checks["after_the_approval_date"]["holds"], checks["after_the_approval_date"]["missing"]) == (
        None, ["first(approved)"])
    assert [f["rule"] for f in out["findings"] if f["rule"] in checks] == ["each_case_has_a_month"]
    # a check without `each` that fails carries its message here as in its finding
    approved = evaluate_portfolio(named, {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31",
                                          "cases": cases, "events": [
                                              {"type": "approved", "date": "2024-01-05", "covers": "2023-12-31"}]})
    whole = approved.to_json()
    [finding] = [f for f in whole["findings"] if f["rule"] == "only_after_approval"]
    assert whole["checks"]["only_after_approval"]["holds"] is False
    assert whole["checks"]["only_after_approval"]["message"] == finding["message"]


def test_portfolio_check_elements_with_one_name_are_told_apart(tmp_path: Path) -> None:
    """Elements of a check's `each` whose `label:` is the same: the later ones are called 'name #2', …, and a
    warning finding says so; result.schema.json takes `renamed_from`."""
    import jsonschema

    from rulekit.spec.schema import load_schema

    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    text = text.replace("  checks:\n", """  checks:
    - id: by_start_year
      title: Pr. startår
      source: {doc: b, section: "7", quote: "højst"}
      each: cases
      label: year(first(item.window_started).date)
      assert: exists(item.month_ok)
""", 1)
    path = tmp_path / "settle_label.yaml"
    path.write_text(text, encoding="utf-8")
    named = load_contract(path)
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 2)), citizen("b", "2023-02-01", []),
             citizen("c", "2023-03-01", [])]
    out = evaluate_portfolio(named, {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31",
                                     "cases": cases}).to_json()
    jsonschema.Draft202012Validator(load_schema("result")).validate(out)
    check = out["checks"]["by_start_year"]
    assert [(i["instance"], i["holds"], i.get("renamed_from")) for i in check["instances"]] == [
        ("2023", True, None), ("2023 #2", False, "2023"), ("2023 #3", False, "2023")]
    found = [(f["severity"], f["instance"]) for f in out["findings"] if f["rule"] == "by_start_year"]
    assert found == [("error", "2023 #2"), ("error", "2023 #3"), ("warning", "2023 #2"), ("warning", "2023 #3")]


def test_item_reads_as_what_each_walks(tmp_path: Path) -> None:
    """`item` in an explanation is named by what `each` walks: an event type by its title, a portfolio's cases as
    the case, months(…) as the month, other dates as the date — not "the triggering event" for all."""
    from rulekit.explain.plain import Names, item_words

    named = load_contract(with_per_case_checks(tmp_path))
    checks = {fig.id: fig for fig in named.portfolio.checks}
    for lang, case, month in (("da", "forløbet", "måneden"), ("en", "the case", "the month")):
        names = Names(named, lang)
        assert item_words(checks["each_case_has_a_month"].exprs["each"].checked, names) == case
        assert item_words(checks["monthly_since_approval"].exprs["each"].checked, names) == month
        assert item_words(None, names) is None
    kbh = load_contract(Path(__file__).parent.parent.parent / "contracts" / "kobenhavn.yaml")
    payment_due = kbh.rule("payment_due")
    assert payment_due is not None
    assert item_words(payment_due.exprs["each"].checked, Names(kbh, "en")) == "«Electronic invoice sent»"


def test_a_portfolio_events_id_is_readable(tmp_path: Path) -> None:
    """A portfolio event's `id` is a text field, as a case event's: here it names each element of a check."""
    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    text = text.replace("  checks:\n", """  checks:
    - id: per_approval
      title: Pr. godkendelse
      source: {doc: b, section: "7", quote: "højst"}
      each: approved
      label: item.id ?? "uden id"
      assert: item.date <= as_of
""", 1)
    path = tmp_path / "settle_ids.yaml"
    path.write_text(text, encoding="utf-8")
    approvals = [{"type": "approved", "date": "2024-01-05", "covers": "2023-12-31", "id": "G-1"},
                 {"type": "approved", "date": "2024-04-05", "covers": "2024-03-31"}]
    out = evaluate_portfolio(load_contract(path), {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31",
                                                   "cases": [], "events": approvals}).to_json()
    assert [(i["instance"], i["holds"]) for i in out["checks"]["per_approval"]["instances"]] == [
        ("G-1", True), ("uden id", True)]


def test_the_text_summary_says_which_checks_fail_and_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`rulekit evaluate --format text` on a portfolio: how many checks hold, each one that fails with its
    findings, each one not checked with what it misses."""
    from rulekit.cli.report import print_summary

    named = load_contract(with_per_case_checks(tmp_path))
    cases = [citizen("a", "2023-01-01", months("2023-01-01", 2)), citizen("b", "2023-02-01", [])]
    print_summary(evaluate_portfolio(named, {"portfolio": "P", "contract": "settle", "as_of": "2024-12-31",
                                             "cases": cases}, lang="en"), "en")
    out = capsys.readouterr().out
    total = len(named.portfolio.checks)
    assert f"  checks: {total - 4} of {total} met, 1 not applicable\n" in out, out
    assert "  fails: each_case_has_a_month\n    warning    [b] Case b has no month\n" in out, out
    assert "  not checked (information missing): after_the_approval_date (first(approved))\n" in out, out


def test_the_text_summary_says_a_checks_error_and_its_renamed_elements(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A check whose arithmetic fails is an error with its reason, not 'information missing'; a check that holds
    but renamed an element still says so (review)."""
    from rulekit.cli.report import print_summary

    text = SPEC.read_text(encoding="utf-8").replace("../../rules/", f"{SPEC.parent.parent.parent / 'rules'}/")
    text = text.replace("  checks:\n", """  checks:
    - id: div0
      title: Division
      source: {doc: b, section: "7", quote: "højst"}
      assert: count(cases) / count(cases where false) > 0
    - id: per_year
      title: Pr. år
      source: {doc: b, section: "7", quote: "højst"}
      each: cases
      label: year(first(item.window_started).date)
      assert: true
""", 1)
    path = tmp_path / "settle_text.yaml"
    path.write_text(text, encoding="utf-8")
    cases = [citizen("a", "2023-01-01", []), citizen("b", "2023-02-01", [])]
    print_summary(evaluate_portfolio(load_contract(path), {"portfolio": "P", "contract": "settle",
                                                           "as_of": "2024-12-31", "cases": cases}, lang="en"), "en")
    out = capsys.readouterr().out
    assert "  error: div0 (ZeroDivisionError: division by zero)\n" in out, out
    assert "  met: per_year\n    warning    [2023 #2] an earlier instance of Pr. år is also named 2023" in out, out
