"""Penalties and payments (accrual, minimum, cap, waiver, missing inputs), checks and assumptions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from runtime_support import amounts, case, findings, obligations

from rulekit import evaluate_case
from rulekit.errors import InputError

LATE_OVER_EASTER = [("demanded", "2021-03-31"), ("delivered", "2021-04-14")]  # due 12.04, 2 working days late


def run(contract, events=LATE_OVER_EASTER, **kw):  # type: ignore[no-untyped-def]
    options = {k: kw.pop(k) for k in ("assume", "lang") if k in kw}
    return evaluate_case(contract, case(list(events), **kw), **options)


# penalties --------------------------------------------------------------------------------------

def test_mini_easter_penalty(mini) -> None:  # type: ignore[no-untyped-def]
    result = run(mini, as_of="2021-05-01", facts={"late_value": 24000})
    p = amounts(result)["doc_penalty"]
    assert p["amount"] == "6000.00" and p["currency"] == "DKK"
    assert result.to_json()["totals"] == {"penalties": "6000.00", "payments": "0.00", "currency": "DKK"}
    assert result.complete is True


@pytest.mark.parametrize(("value", "amount"), [
    (24000, "6000.00"),      # 10 % = 2,400 < 3,000 minimum per day → 2 × 3,000
    (30000, "6000.00"),      # exactly the minimum
    (48000, "9600.00"),      # 10 % = 4,800 per day
    ("48000.50", "9600.10"),  # exact decimals
])
def test_daily_penalty_per_working_day(amounts_spec, value, amount: str) -> None:  # type: ignore[no-untyped-def]
    p = amounts(run(amounts_spec, facts={"late_value": value}))["daily_penalty"]
    assert p["amount"] == amount


def test_accrual_step_in_the_trace(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, facts={"late_value": 48000})
    node = next(n for n in result.trace if n.rule == "daily_penalty")
    accrual = next(s.data for s in node.steps if s.key == "accrual")
    assert accrual == {"units": 2, "per": "working_day", "rate": Decimal("4800.00"), "total": Decimal("9600.00")}


def test_cap_limits_the_total(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    # due 08.03.2021; delivered 31.03.2021: 17 working days × 3,000 = 51,000, capped at 10,000
    result = run(amounts_spec, [("demanded", "2021-03-01"), ("delivered", "2021-03-31")], facts={"late_value": 1})
    assert obligations(result)["doc_deadline"]["late_working_days"] == 17
    assert amounts(result)["daily_penalty"]["amount"] == "10000.00"
    node = next(n for n in result.trace if n.rule == "daily_penalty")
    cap = next(s.data for s in node.steps if s.key == "cap")
    assert cap == {"before": Decimal(51000), "cap": Decimal(10000)}


def test_minimum_raises_the_total(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    # 2 days × 100 DKK = 200 < minimum 5,000
    result = run(amounts_spec, facts={"late_value": 1})
    assert amounts(result)["flat_penalty"]["amount"] == "5000.00"
    node = next(n for n in result.trace if n.rule == "flat_penalty")
    assert any(s.key == "minimum" for s in node.steps)


def test_minimum_does_not_lower_a_larger_total(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    # due 08.03.2021, delivered 07.05.2021: 60 days × 100 DKK
    result = run(amounts_spec, [("demanded", "2021-03-01"), ("delivered", "2021-05-07")], facts={"late_value": 1})
    assert obligations(result)["doc_deadline"]["late_days"] == 60
    assert amounts(result)["flat_penalty"]["amount"] == "6000.00"


def test_waived_penalty_is_shown_but_not_counted(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    waiver = {"type": "waiver", "date": "2021-05-01", "rule": "daily_penalty"}
    result = run(amounts_spec, [*LATE_OVER_EASTER, waiver], facts={"late_value": 24000})
    p = amounts(result)["daily_penalty"]
    assert p["amount"] == "6000.00" and p["waived"] is True
    assert result.to_json()["totals"]["penalties"] == "5000.00"  # only the flat penalty
    assert result.outputs["daily_penalty"]["amount"] == Decimal(0)


def test_waiver_for_another_rule_does_not_waive(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    waiver = {"type": "waiver", "date": "2021-05-01", "rule": "flat_penalty"}
    result = run(amounts_spec, [*LATE_OVER_EASTER, waiver], facts={"late_value": 24000})
    assert "waived" not in amounts(result)["daily_penalty"]


def test_no_breach_no_penalty(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, [("demanded", "2021-03-31"), ("delivered", "2021-04-12")], facts={"late_value": 1})
    assert amounts(result) == {}
    assert result.outputs["daily_penalty"]["amount"] == Decimal(0)
    assert result.outputs["daily_penalty"]["applied"] is False
    assert result.to_json()["totals"]["penalties"] == "0.00"


def test_missing_input_gives_null_amount_warning_and_incomplete(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec)  # late_value not given
    p = amounts(result)["daily_penalty"]
    assert p["amount"] is None
    assert p["missing"] == ["late_value"]
    (warning,) = findings(result, "daily_penalty")
    assert warning["severity"] == "warning"
    assert "late_value" in warning["message"]
    out = result.to_json()
    assert out["complete"] is False
    assert out["totals"]["penalties"] == "5000.00"  # the computable flat penalty only
    assert result.outputs["daily_penalty"]["amount"] is None


def test_missing_input_warning_in_english(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    (warning,) = findings(run(amounts_spec, lang="en"), "daily_penalty")
    assert warning["message"] == "the amount cannot be computed: 'late_value' is not given"


def test_penalty_rate_follows_the_allonge(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    # 20 % from 2022-01-01: due 08.03.2022, 1 working day late, 20 % × 48,000 = 9,600
    events = [("demanded", "2022-03-01"), ("delivered", "2022-03-09")]
    result = run(amounts_spec, events, facts={"late_value": 48000}, as_of="2022-06-01")
    assert amounts(result)["daily_penalty"]["amount"] == "9600.00"
    node = next(n for n in result.trace if n.rule == "daily_penalty")
    param = next(s.data for s in node.steps if s.key == "param" and s.data["name"] == "daily_rate")
    assert param["value"] == Decimal("0.20")
    assert str(param["start"]) == "2022-01-01"


# payments ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("group", "amount"), [("a", "7500.00"), ("b", "15000.00")])
def test_monthly_payment(amounts_spec, group: str, amount: str) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, [], facts={"months_self_sufficient": 3, "citizen_group": group})
    p = amounts(result, "payments")["monthly_payment"]
    assert p["amount"] == amount
    assert result.to_json()["totals"]["payments"] == amount


def test_payment_with_a_missing_input(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, [], facts={"months_self_sufficient": 3})
    p = amounts(result, "payments")["monthly_payment"]
    assert p["amount"] is None and p["missing"] == ["citizen_group"]
    assert result.to_json()["complete"] is False


def test_zero_months_is_a_zero_payment(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, [], facts={"months_self_sufficient": 0, "citizen_group": "a"})
    assert amounts(result, "payments")["monthly_payment"]["amount"] == "0.00"


# assumptions ------------------------------------------------------------------------------------

def test_assumption_switches_a_payment_on(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    default = run(amounts_spec, [])
    assert "fee" not in amounts(default, "payments")
    switched = run(amounts_spec, [], assume={"fee_reading": "fee"})
    fee = amounts(switched, "payments")["fee"]
    assert fee["amount"] == "1234.57"  # 1234.565 rounded half up once, when produced
    assert switched.to_json()["assumptions"] == [{"id": "fee_reading", "reading": "fee", "default": False}]


def test_unknown_assumption_is_an_input_error(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        run(amounts_spec, [], assume={"fee_readin": "fee"})
    (d,) = info.value.diagnostics
    assert d.code == "E310" and d.hint == "did you mean 'fee_reading'?"


def test_unknown_reading_is_an_input_error(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        run(amounts_spec, [], assume={"fee_reading": "fees"})
    (d,) = info.value.diagnostics
    assert d.code == "E311" and d.hint and "'fee'" in d.hint


def test_assumption_in_the_trace(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, [], assume={"fee_reading": "fee"})
    node = next(n for n in result.trace if n.rule == "fee")
    step = next(s.data for s in node.steps if s.key == "assumption")
    assert (step["id"], step["reading"]) == ("fee_reading", "fee")


# checks -----------------------------------------------------------------------------------------

def test_check_message_template_in_danish(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, [], facts={"weekly_hours": "4.5"}, offering="A1")
    (f,) = findings(result, "hours_within_range")
    assert f["severity"] == "warning"
    assert f["message"] == "Ugentlige timer 4,5 under 5 for Forløb A1"
    assert result.outputs["hours_within_range"] == {"holds": False}


def test_check_message_template_in_english(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    (f,) = findings(run(amounts_spec, [], facts={"weekly_hours": "4.5"}, offering="A1", lang="en"),
                    "hours_within_range")
    assert f["message"] == "Weekly hours 4.5 below 5 for Course A1"


def test_check_that_holds_gives_no_finding(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    result = run(amounts_spec, [], facts={"weekly_hours": 5}, offering="A1")
    assert findings(result, "hours_within_range") == []
    assert result.outputs["hours_within_range"] == {"holds": True}


def test_check_with_a_date_in_its_message_and_default_severity(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    (f,) = findings(run(amounts_spec), "late_value_given")
    assert f["severity"] == "error"
    assert f["message"] == "Værdien af den forsinkede del mangler (frist 12.04.2021)"


def test_check_the_offering_cannot_answer_is_reported(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    # offering B2 sets no hours_min: the check cannot be evaluated, which is said, not hidden
    result = run(amounts_spec, [], facts={"weekly_hours": "4.5"}, offering="B2")
    (f,) = findings(result, "hours_within_range")
    assert f["severity"] == "warning"
    assert "hours_min" in f["message"]


def test_not_applicable_check_is_silent(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    assert findings(run(amounts_spec, [], offering="A1"), "hours_within_range") == []
