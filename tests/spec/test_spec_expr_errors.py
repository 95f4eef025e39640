"""Expression errors inside YAML point at the exact file:line:col of the problem, whatever the scalar style."""

from __future__ import annotations

import pytest
from spec_support import mini_text, variant, where

RATE = "    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day)\n"


def one(err, code: str):  # type: ignore[no-untyped-def]
    found = [d for d in err.diagnostics if d.code == code]
    assert found, f"expected {code}, got {[d.render() for d in err.diagnostics]}"
    return found[0]


STYLES = {
    "plain": RATE.replace("late_value ??", "late_valu ??"),
    "double-quoted": '    rate: "max(rate * (late_valu ?? 0 DKK), minimum_per_day)"\n',
    "single-quoted": "    rate: 'max(rate * (late_valu ?? 0 DKK), minimum_per_day)'\n",
    "block": "    rate: |\n      max(rate *\n          (late_valu ?? 0 DKK), minimum_per_day)\n",
    "block-strip": "    rate: |-\n      max(\n        rate * (late_valu ?? 0 DKK),\n        minimum_per_day)\n",
    "folded": "    rate: >\n      max(rate *\n      (late_valu ?? 0 DKK), minimum_per_day)\n",
    "plain-multiline": "    rate: max(rate *\n      (late_valu ?? 0 DKK), minimum_per_day)\n",
}


@pytest.mark.parametrize("style", list(STYLES))
def test_unknown_name_points_at_the_typo(spec_error, style: str) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, STYLES[style])
    d = one(spec_error(text), "E201")
    assert (d.span.line, d.span.col) == where(text, "late_valu ??"), d.render()
    assert d.message == "unknown name 'late_valu'"
    assert d.hint == "did you mean 'late_value'?"
    assert d.path[-1] == "rate"


def test_typo_at_the_very_start_of_an_expression(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    from: first(demanded).date", "    from: frist(demanded).date")
    d = one(spec_error(text), "E204")
    assert (d.span.line, d.span.col) == where(text, "frist(")
    assert d.hint and "first" in d.hint


def test_unknown_rule_in_applies_when(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "applies_when: doc_deadline.breached", "applies_when: doc_dedline.breached")
    d = one(spec_error(text), "E201")
    assert (d.span.line, d.span.col) == where(text, "doc_dedline")
    assert d.hint == "did you mean 'doc_deadline'?"


def test_unknown_field_of_a_rule(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "applies_when: doc_deadline.breached", "applies_when: doc_deadline.breachd")
    d = one(spec_error(text), "E206")
    assert d.span.line == where(text, "breachd")[0]
    assert where(text, "doc_deadline.breachd")[1] <= d.span.col <= where(text, "breachd")[1]
    assert d.hint == "did you mean 'breached'?"


def test_undeclared_assumption_reading_is_e207(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "applies_when: doc_deadline.breached",
                   'applies_when: doc_deadline.breached and assume.roll == "literl"')
    d = one(spec_error(text), "E207")
    assert (d.span.line, d.span.col) == where(text, '"literl"')
    assert d.hint == "did you mean 'literal'?"


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("    units: doc_deadline.late_working_days", "    units: doc_deadline.late_working_days + 3 DKK",
     "doc_deadline.late_working_days + 3 DKK"),
    ("    from: first(demanded).date", "    from: first(demanded).date + 3 DKK", "first(demanded).date + 3 DKK"),
    ("    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day)",
     "    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day + 2 working_days)",
     "minimum_per_day + 2 working_days"),
], ids=["int-plus-money", "date-plus-money", "money-plus-working-days"])
def test_unit_errors_are_e203_at_the_operation(spec_error, old: str, new: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), old, new)
    d = one(spec_error(text), "E203")
    assert (d.span.line, d.span.col) == where(text, needle), d.render()
    assert "unit error" in d.message
    assert d.hint


def test_unit_error_inside_a_block_scalar(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, "    rate: |\n      max(rate * (late_value ?? 0 DKK),\n"
                   "          minimum_per_day + 2 working_days)\n")
    d = one(spec_error(text), "E203")
    assert (d.span.line, d.span.col) == where(text, "minimum_per_day + 2 working_days")


def test_period_of_the_wrong_unit_is_e203(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    max_extension: 10 working_days", "    max_extension: 10 days")
    d = one(spec_error(text), "E203")
    assert (d.span.line, d.span.col) == where(text, "10 days")
    assert "working_days" in d.message


def test_period_that_is_not_a_duration_is_e203(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    period: 5 working_days", "    period: 5 DKK")
    d = one(spec_error(text), "E203")
    assert (d.span.line, d.span.col) == where(text, "5 DKK")


def test_wrong_result_type_is_e202_with_a_conversion_hint(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "minimum_per_day:\n    type: money\n    value: 3000 DKK",
                   "minimum_per_day:\n    type: money\n    value: 3000")
    d = one(spec_error(text), "E202")
    assert (d.span.line, d.span.col) == where(text, "3000\n")
    assert d.hint == "write the amount with its currency, e.g. 3000 DKK"


def test_syntax_error_is_e200_at_the_offending_token(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, "    rate: max(rate * (late_value ?? 0 DKK)), minimum_per_day)\n")
    d = one(spec_error(text), "E200")
    assert (d.span.line, d.span.col) == where(text, "), minimum_per_day)", offset=1)
    assert "syntax error" in d.message


def test_syntax_error_at_the_end_of_an_expression(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, "    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day\n")
    d = one(spec_error(text), "E200")
    assert "end of expression" in d.message
    assert d.span.line == where(text, "    rate: max(")[0]


def test_typo_inside_a_message_template(spec_error) -> None:  # type: ignore[no-untyped-def]
    check = ("  - id: value_given\n    kind: check\n    title: Værdi\n"
             '    source: {doc: k, section: "pkt. 6.4", quote: "værdien"}\n'
             "    assert: exists(late_value)\n"
             '    message: {da: "Værdien {late_valu} mangler", en: "Value {late_value} missing"}\n')
    text = variant(mini_text(), "tests:\n", check + "tests:\n")
    d = one(spec_error(text), "E201")
    assert (d.span.line, d.span.col) == where(text, "late_valu}")
    assert d.hint == "did you mean 'late_value'?"


def test_several_expression_errors_are_reported_together(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(variant(mini_text(), RATE, STYLES["plain"]), "    from: first(demanded).date",
                   "    from: first(demandd).date")
    err = spec_error(text)
    e201 = [d for d in err.diagnostics if d.code == "E201"]
    assert {(d.span.line, d.span.col) for d in e201} == {where(text, "late_valu ??"), where(text, "demandd")}


def test_crlf_line_endings_keep_columns(write) -> None:  # type: ignore[no-untyped-def]
    from rulekit.errors import SpecError
    from rulekit.spec import load_contract

    text = variant(mini_text(), RATE, STYLES["plain"])
    path = write("")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(SpecError) as info:
        load_contract(path)
    d = one(info.value, "E201")
    assert (d.span.line, d.span.col) == where(text, "late_valu ??")
