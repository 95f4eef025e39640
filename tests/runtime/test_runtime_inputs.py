"""Case files are checked against the contract's vocabulary: every problem is an InputError with its path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from runtime_support import case

from rulekit import evaluate_case
from rulekit.errors import InputError, RulekitError
from rulekit.runtime import read_case
from rulekit.runtime.case import span_locator
from rulekit.spec.yamlsource import load_yaml


def problems(contract, data) -> list:  # type: ignore[no-untyped-def, type-arg]
    with pytest.raises(InputError) as info:
        read_case(data, contract)
    return list(info.value.diagnostics)


def only(contract, data):  # type: ignore[no-untyped-def]
    diags = problems(contract, data)
    assert len(diags) == 1, [d.render() for d in diags]
    return diags[0]


def test_a_good_case_is_read_with_typed_values(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    c = read_case(case([("demanded", "2021-03-31"), ("demanded", "2021-03-01")], as_of="2021-05-01",
                       facts={"late_value": "24000.50", "weekly_hours": 5, "citizen_group": "a"}, offering="A1"),
                  amounts_spec)
    assert c.id == "T-1" and c.offering == "A1" and c.as_of == dt.date(2021, 5, 1)
    assert c.facts == {"late_value": Decimal("24000.50"), "weekly_hours": Decimal(5), "citizen_group": "a"}
    assert [e["date"] for e in c.events["demanded"]] == [dt.date(2021, 3, 1), dt.date(2021, 3, 31)]


def test_undeclared_fact(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case(facts={"late_valu": 1}))
    assert (d.code, d.path) == ("E300", ("facts", "late_valu"))
    assert "undeclared fact 'late_valu'" in d.message
    assert d.hint == "did you mean 'late_value'?"


def test_undeclared_event_type(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case([("demandd", "2021-01-01")]))
    assert (d.code, d.path) == ("E300", ("events", 0, "type"))
    assert d.hint == "did you mean 'demanded'?"


def test_undeclared_event_field(amounts_spec, deadlines) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case([{"type": "demanded", "date": "2021-01-01", "extension": 3}]))
    assert d.path == ("events", 0, "extension")
    assert "has no field 'extension'" in d.message
    d = only(deadlines, case([{"type": "demanded", "date": "2021-01-01", "extention": 3}]))
    assert d.path == ("events", 0, "extention")
    assert d.hint == "did you mean 'extension'?"


def test_negative_amount_below_min(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case(facts={"late_value": -5}))
    assert (d.code, d.path) == ("E301", ("facts", "late_value"))
    assert "below the least possible value" in d.message
    assert d.hint == "amounts and counts here cannot be negative"


def test_negative_duration_in_an_event_field(deadlines) -> None:  # type: ignore[no-untyped-def]
    d = only(deadlines, case([{"type": "demanded", "date": "2021-01-01", "extension": -1}]))
    assert (d.code, d.path) == ("E301", ("events", 0, "extension"))


def test_value_above_max(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case(facts={"weekly_hours": 61}))
    assert (d.code, d.path) == ("E301", ("facts", "weekly_hours"))
    assert "above the largest possible value 60" in d.message


@pytest.mark.parametrize(("where", "data"), [
    (("as_of",), {"case": "x", "as_of": "2021-02-30"}),
    (("events", 0, "date"), case([("demanded", "2021-02-29")])),
    (("events", 0, "date"), case([("demanded", "2021-04-31")])),
])
def test_impossible_dates(amounts_spec, where, data) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, data)
    assert d.path == where
    assert "impossible date" in d.message
    assert d.hint and "February" in d.hint


@pytest.mark.parametrize("bad", ["01-04-2021", "2021/04/01", 20210401, "tomorrow", None])
def test_malformed_dates(amounts_spec, bad) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case([{"type": "demanded", "date": bad}]))
    assert d.path == ("events", 0, "date")
    assert "YYYY-MM-DD" in d.message


def test_unknown_offering(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case(offering="A2"))
    assert d.path == ("offering",)
    assert "unknown offering 'A2'" in d.message
    assert d.hint and ("A1" in d.hint)


def test_offering_for_a_contract_without_offerings(deadlines) -> None:  # type: ignore[no-untyped-def]
    d = only(deadlines, case(offering="A1"))
    assert d.path == ("offering",)
    assert d.hint == "remove `offering:`"


@pytest.mark.parametrize(("facts", "words"), [
    ({"late_value": 1.5}, "inexact number"),
    ({"late_value": "abc"}, "expected a number"),
    ({"late_value": "NaN"}, "finite"),
    ({"late_value": True}, "expected a number"),
    ({"months_self_sufficient": "3"}, "whole number"),
    ({"months_self_sufficient": Decimal("2.5")}, "whole number"),
    ({"citizen_group": "c"}, "not one of a, b"),
])
def test_wrong_types(amounts_spec, facts, words: str) -> None:  # type: ignore[no-untyped-def]
    d = only(amounts_spec, case(facts=facts))
    assert d.path == ("facts", next(iter(facts)))
    assert words in d.message


def test_every_problem_is_reported_at_once(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    data = {"case": "x", "as_of": "2021-02-30", "offering": "Z", "facts": {"late_valu": 1, "weekly_hours": -1},
            "events": [{"type": "demandd", "date": "2021-01-01"}, {"type": "demanded", "date": "2021-13-01"}],
            "extra": 1}
    paths = {d.path for d in problems(amounts_spec, data)}
    assert paths == {("as_of",), ("offering",), ("facts", "late_valu"), ("facts", "weekly_hours"),
                     ("events", 0, "type"), ("events", 1, "date"), ("extra",)}


@pytest.mark.parametrize(("data", "path"), [
    ({"as_of": "2021-01-01"}, ("case",)),
    ({"case": "", "as_of": "2021-01-01"}, ("case",)),
    ({"case": "x"}, ("as_of",)),
    ({"case": "x", "contract": "other", "as_of": "2021-01-01"}, ("contract",)),
    ({"case": "x", "as_of": "2021-01-01", "facts": [1]}, ("facts",)),
    ({"case": "x", "as_of": "2021-01-01", "events": {}}, ("events",)),
    ({"case": "x", "as_of": "2021-01-01", "events": [5]}, ("events", 0)),
    ({"case": "x", "as_of": "2021-01-01", "evnts": []}, ("evnts",)),
])
def test_case_structure(amounts_spec, data, path) -> None:  # type: ignore[no-untyped-def]
    assert only(amounts_spec, data).path == path


def test_not_a_mapping(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    for data in ([], "case", 5, None):
        d = only(amounts_spec, data)
        assert d.code == "E300"


def test_as_of_override_wins(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    c = read_case({"case": "x"}, amounts_spec, as_of=dt.date(2022, 1, 1))
    assert c.as_of == dt.date(2022, 1, 1)


def test_evaluate_case_raises_input_errors_too(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError):
        evaluate_case(amounts_spec, case(facts={"late_value": -1}))


def test_input_errors_point_into_the_case_file(amounts_spec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "case.yaml"
    path.write_text("case: C1\ncontract: amounts\nas_of: 2021-05-01\nfacts:\n  late_value: -24000\nevents:\n"
                    "  - {type: demanded, date: 2021-03-31}\n  - {type: delivred, date: 2021-04-14}\n",
                    encoding="utf-8")
    doc = load_yaml(path, kind="input")
    with pytest.raises(InputError) as info:
        read_case(doc.data, amounts_spec, locate=span_locator(doc))
    spans = {d.path: (d.span.file, d.span.line, d.span.col) for d in info.value.diagnostics}
    assert spans[("facts", "late_value")] == (str(path), 5, 15)
    assert spans[("events", 1, "type")] == (str(path), 8, 12)
    rendered = [d.render() for d in info.value.diagnostics]
    assert any(r.startswith(f"{path}:8:12: error[E300]: undeclared event type 'delivred'") for r in rendered)


def test_impossible_date_in_a_case_file_is_caught_by_the_yaml_reader(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("case: C1\nas_of: 2021-02-30\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(path, kind="input")
    (d,) = info.value.diagnostics
    assert (d.code, d.span.line, d.span.col) == ("E017", 2, 8)


def test_dates_outside_the_calendar_are_an_evaluation_error(deadlines) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RulekitError) as info:
        evaluate_case(deadlines, case([("demanded", "1800-01-01")], as_of="1800-02-01"))
    assert info.value.diagnostics[0].code.startswith("E")


def test_extreme_exponents_do_not_blow_up_messages(amounts_spec) -> None:  # type: ignore[no-untyped-def]
    try:
        result = evaluate_case(amounts_spec, case(facts={"weekly_hours": "1e-999999"}, offering="A1"))
    except RulekitError:
        return  # refusing such a number is fine too
    assert all(len(f["message"]) < 1000 for f in result.to_json()["findings"])


@pytest.mark.parametrize("bad", ["Infinity", "-Infinity", "sNaN"])
def test_non_finite_decimal_for_a_whole_number(mini, bad: str) -> None:  # type: ignore[no-untyped-def]
    data = case([{"type": "demanded", "date": "2021-03-31", "extension": Decimal(bad)}])
    with pytest.raises(InputError):
        read_case(data, mini)
