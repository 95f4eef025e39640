"""dsl.check: the types of expressions, unit errors, names, functions, fields and enum literals."""

from __future__ import annotations

import pytest

from rulekit.dsl import Checked, CheckError, Scope, Symbol, check, parse
from rulekit.dsl import types as t


def typed(text: str, scope: Scope, expected: t.Type | None = None) -> Checked:
    return check(text, parse(text), scope, expected)


def type_of(text: str, scope: Scope) -> t.Type:
    return typed(text, scope).type


def error(text: str, scope: Scope, expected: t.Type | None = None) -> CheckError:
    with pytest.raises(CheckError) as info:
        typed(text, scope, expected)
    return info.value


# literals -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "typ"), [
    ("42", t.INT), ("3.5", t.DEC), ("3000 DKK", t.MONEY), ("12 kr", t.MONEY), ("10%", t.PERCENT),
    ("5 working_days", t.WORKING_DAYS), ("30 days", t.DAYS), ("2 weeks", t.WEEKS), ("3 months", t.MONTHS),
    ("2021-09-30", t.DATE), ('"x"', t.TEXT), ("true", t.BOOL), ("false", t.BOOL),
    ("[]", t.list_of(t.NOTHING)), ("[1, 2]", t.list_of(t.INT)), ("[1, 2.5]", t.list_of(t.DEC)),
    ("[1 DKK, 2 DKK]", t.list_of(t.MONEY)), ("[[1], []]", t.list_of(t.list_of(t.INT))),
])
def test_literal_types(text: str, typ: t.Type, scope: Scope) -> None:
    assert type_of(text, scope) == typ


def test_list_items_must_share_a_type(scope: Scope) -> None:
    err = error('[1 DKK, "a"]', scope)
    assert err.code == "E202"
    assert err.offset == 8  # the item that does not fit


@pytest.mark.parametrize("text", ["1.5 days", "0.5 working_days", "2.25 weeks", "1.1 months"])
def test_durations_must_be_whole(text: str, scope: Scope) -> None:
    assert error(text, scope).code == "E203"


def test_fractional_money_is_fine(scope: Scope) -> None:
    assert type_of("0.50 DKK", scope) == t.MONEY


# arithmetic and units -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "typ"), [
    ("value_of_late_part + 3000 DKK", t.MONEY),
    ("value_of_late_part - daily_penalty_min", t.MONEY),
    ("value_of_late_part * daily_penalty_rate", t.MONEY),
    ("daily_penalty_rate * value_of_late_part", t.MONEY),
    ("value_of_late_part * 2", t.MONEY),
    ("2 * value_of_late_part", t.MONEY),
    ("value_of_late_part * 1.5", t.MONEY),
    ("value_of_late_part / 2", t.MONEY),
    ("value_of_late_part / daily_penalty_min", t.DEC),
    ("10% + 5%", t.PERCENT),
    ("10% * 10%", t.PERCENT),
    ("10% * 3", t.PERCENT),
    ("10% / 2", t.PERCENT),
    ("10% / 5%", t.DEC),
    ("1 + 2", t.INT),
    ("2 * 3", t.INT),
    ("1 + 2.5", t.DEC),
    ("2 * 2.5", t.DEC),
    ("1 / 2", t.DEC),
    ("4 / 2", t.DEC),
    ("-citizens", t.INT),
    ("-value_of_late_part", t.MONEY),
    ("as_of + 5 working_days", t.DATE),
    ("5 working_days + as_of", t.DATE),
    ("as_of - 5 working_days", t.DATE),
    ("as_of + 30 days", t.DATE),
    ("as_of + 2 weeks", t.DATE),
    ("as_of + 3 months", t.DATE),
    ("as_of - 2021-01-01", t.INT),  # a number of days, like days_between
    ("2 * 5 working_days", t.WORKING_DAYS),
    ("5 working_days * 2", t.WORKING_DAYS),
    ("citizens * 1 weeks", t.WEEKS),
    ("offering.max_duration * 2", t.WEEKS),
    ("5 working_days + 2 working_days", t.WORKING_DAYS),
    ("30 days - 2 days", t.DAYS),
    ("10 days / 2 days", t.DEC),
    ('"a" + "b"', t.TEXT),
])
def test_arithmetic_types(text: str, typ: t.Type, scope: Scope) -> None:
    assert type_of(text, scope) == typ


@pytest.mark.parametrize(("text", "words"), [
    ("value_of_late_part + 5 working_days", ("add", "working_days", "money")),
    ("5 working_days + 2 days", ("add", "days", "working_days")),
    ("as_of - value_of_late_part", ("subtract", "money", "date")),
    ("value_of_late_part - 10%", ("subtract", "percent", "money")),
    ("2 weeks + 3 months", ("add", "months", "weeks")),
    ("as_of + as_of", ("add", "date")),
    ("5 days - as_of", ("subtract", "date", "days")),
])
def test_unit_errors_in_sums(text: str, words: tuple[str, ...], scope: Scope) -> None:
    err = error(text, scope)
    assert err.code == "E203"
    assert err.message.startswith("unit error")
    for word in words:
        assert word in err.message
    assert err.hint


def test_money_plus_integer_hints_the_currency(scope: Scope) -> None:
    err = error("value_of_late_part + 5", scope)
    assert err.code == "E203"
    assert err.hint is not None and "DKK" in err.hint


@pytest.mark.parametrize("text", [
    "value_of_late_part * value_of_late_part", "2 days * 3 days", "5 working_days * 1.5", "1.5 * 2 weeks",
    "value_of_late_part * 2 days", "2 days * 10%"])
def test_unit_errors_in_products(text: str, scope: Scope) -> None:
    err = error(text, scope)
    assert err.code == "E203"
    assert err.hint is not None and "integer" in err.hint


@pytest.mark.parametrize("text", ["true + 1", '"a" - "b"', "true * 2", "[1] + [2]", "-true", "-as_of", '-"a"'])
def test_non_quantities_in_arithmetic_are_type_errors(text: str, scope: Scope) -> None:
    assert error(text, scope).code == "E202"


def test_unit_error_offset_is_the_operation(scope: Scope) -> None:
    text = "max(value_of_late_part + 5 working_days, 0 DKK)"
    err = error(text, scope)
    assert err.offset == text.index("value_of_late_part")


# comparisons and logic ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "value_of_late_part > 0 DKK", "as_of <= 2021-01-01", "citizens == 2.5", "5 days < 6 days",
    '"a" == offering', 'offering != "b"', "true == false", "[1] == [2]", 'udbudsomraade == "udsatte"',
    'offering in ["A1-2A", "A1-2B"]', 'offering not in ["A1-2A"]', "1 in []", "citizens in [1, 2.5]",
    "not (citizens > 1)", "true and false or true"])
def test_boolean_expressions(text: str, scope: Scope) -> None:
    assert type_of(text, scope) == t.BOOL


@pytest.mark.parametrize(("text", "code"), [
    ("value_of_late_part > 5 working_days", "E203"),
    ("5 days < 5 working_days", "E203"),
    ("value_of_late_part > 0", "E203"),
    ('citizens == "1"', "E202"),
    ('"a" < "b"', "E202"),
    ("true < false", "E202"),
    ("[1] < [2]", "E202"),
    ('offering in "A1"', "E202"),
    ("citizens in [as_of]", "E202"),
    ("citizens and true", "E202"),
    ("true or 1", "E202"),
    ("not citizens", "E202"),
])
def test_comparison_and_logic_errors(text: str, code: str, scope: Scope) -> None:
    assert error(text, scope).code == code


def test_and_error_points_at_the_non_boolean_side(scope: Scope) -> None:
    text = "true and citizens"
    assert error(text, scope).offset == text.index("citizens")


# if / ?? -----------------------------------------------------------------------------------------

def test_if_branches_unify(scope: Scope) -> None:
    assert type_of("if true then 1 else 2.5", scope) == t.DEC
    assert type_of('if true then udbudsomraade else "x"', scope) == t.TEXT
    assert type_of("if true then [] else [1 DKK]", scope) == t.list_of(t.MONEY)


def test_if_condition_must_be_bool(scope: Scope) -> None:
    err = error("if citizens then 1 else 2", scope)
    assert (err.code, err.offset) == ("E202", 3)


def test_if_branches_must_agree(scope: Scope) -> None:
    text = "if true then 1 DKK else 5 days"
    err = error(text, scope)
    assert err.code == "E202"
    assert err.offset == text.index("5 days")


def test_coalesce_types(scope: Scope) -> None:
    assert type_of("value_of_late_part ?? 0 DKK", scope) == t.MONEY
    assert type_of("first(documentation_requested).extension ?? 0 working_days", scope) == t.WORKING_DAYS
    assert type_of("first([]) ?? 1", scope) == t.INT


def test_coalesce_with_wrong_unit_hints(scope: Scope) -> None:
    err = error("value_of_late_part ?? 0", scope)
    assert err.code == "E202"
    assert err.hint is not None and "DKK" in err.hint


# names ------------------------------------------------------------------------------------------

def test_unknown_name_with_did_you_mean(scope: Scope) -> None:
    err = error("value_of_late_prt * 10%", scope)
    assert err.code == "E201"
    assert "value_of_late_prt" in err.message
    assert err.offset == 0
    assert err.hint is not None and "did you mean" in err.hint and "'value_of_late_part'" in err.hint


def test_unknown_name_offset(scope: Scope) -> None:
    text = "daily_penalty_min + dayly_penalty_min"
    err = error(text, scope)
    assert err.offset == text.index("dayly")
    assert err.hint is not None and "'daily_penalty_min'" in err.hint


def test_unknown_name_without_anything_close_has_no_did_you_mean(scope: Scope) -> None:
    err = error("zzzzqqq", scope)
    assert err.code == "E201"
    assert err.hint is not None and "did you mean" not in err.hint and "let:" in err.hint


def test_function_used_as_a_name(scope: Scope) -> None:
    err = error("first + 1", scope)
    assert err.code == "E201"
    assert err.hint is not None and "first(" in err.hint


def test_it_is_unknown_outside_where(scope: Scope) -> None:
    assert error("it.date > as_of", scope).code == "E201"


def test_checked_records_what_the_expression_uses(scope: Scope) -> None:
    checked = typed("documentation_on_demand.breached and value_of_late_part * daily_penalty_rate > "
                    'daily_penalty_min and assume.payment_rollforward == "literal"', scope)
    assert checked.rules == {"documentation_on_demand"}
    assert checked.params == {"daily_penalty_rate", "daily_penalty_min"}
    assert checked.facts == {"value_of_late_part"}
    assert checked.assumptions == {"payment_rollforward"}


def test_every_node_gets_a_type(scope: Scope) -> None:
    checked = typed("value_of_late_part * 10% + 1 DKK", scope)
    assert checked.type == t.MONEY
    assert sorted(str(v) for v in checked.types.values()) == ["money", "money", "money", "money", "percent"]


# functions --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "typ"), [
    ("count(documentation_requested)", t.INT),
    ("exists(value_of_late_part)", t.BOOL),
    ("exists(documentation_requested)", t.BOOL),
    ("first(documentation_requested)", None),
    ("first(documentation_requested).date", t.DATE),
    ("last(documentation_requested).extension", t.WORKING_DAYS),
    ("min(value_of_late_part, 3000 DKK)", t.MONEY),
    ("max(1, 2.5)", t.DEC),
    ("max(documentation_requested.date)", t.DATE),
    ("min(5 days, 2 days, 1 days)", t.DAYS),
    ("sum(invoice_sent.amount)", t.MONEY),
    ("sum([])", t.INT),
    ("sum([1 days, 2 days])", t.DAYS),
    ("round(value_of_late_part * 10%, 2)", t.MONEY),
    ("round(weekly_hours, 0)", t.INT),  # rounded to a whole number
    ("abs(value_of_late_part)", t.MONEY),
    ("abs(-5 days)", t.DAYS),
    ("working_days_between(as_of, 2021-01-01)", t.INT),
    ("days_between(as_of, 2021-01-01)", t.INT),
    ("is_working_day(as_of)", t.BOOL),
    ("next_weekday(as_of)", t.DATE),
    ("next_working_day(as_of)", t.DATE),
    ("end_of_month(as_of)", t.DATE),
    ("year(as_of)", t.INT),
    ("month(as_of)", t.INT),
    ("quarter(as_of)", t.INT),
    ("week_start(as_of)", t.DATE),
    ("avg(invoice_sent.amount)", t.MONEY),
    ("avg([1, 2])", t.DEC),
    ("share(invoice_sent where it.amount > 0 DKK, invoice_sent)", t.PERCENT),
    ("percent(0.25)", t.PERCENT),
])
def test_function_types(text: str, typ: t.Type | None, scope: Scope) -> None:
    result = type_of(text, scope)
    if typ is None:  # first() of an event list is the event record
        assert isinstance(result, t.Record) and result.name == "documentation_requested"
    else:
        assert result == typ


def test_unknown_function_with_did_you_mean(scope: Scope) -> None:
    err = error("cont(documentation_requested)", scope)
    assert err.code == "E204"
    assert err.hint is not None and "'count'" in err.hint


def test_unknown_function_without_close_match_points_to_docs(scope: Scope) -> None:
    err = error("frobnicate(1)", scope)
    assert err.code == "E204"
    assert err.hint is not None and "spec-language" in err.hint


def test_unknown_function_offset(scope: Scope) -> None:
    text = "1 + fist(documentation_requested)"
    err = error(text, scope)
    assert err.offset == 4
    assert err.hint is not None and "'first'" in err.hint


@pytest.mark.parametrize(("text", "count"), [
    ("count(documentation_requested, invoice_sent)", "1 argument, got 2"),
    ("round(value_of_late_part)", "2 arguments, got 1"),
    ("working_days_between(as_of)", "2 arguments, got 1"),
    ("is_working_day(as_of, as_of)", "1 argument, got 2"),
    ("exists()", "1 argument, got 0"),
    ("abs(1, 2)", "1 argument, got 2"),
])
def test_wrong_arity(text: str, count: str, scope: Scope) -> None:
    err = error(text, scope)
    assert err.code == "E205"
    assert count in err.message


def test_min_without_arguments(scope: Scope) -> None:
    assert error("min()", scope).code == "E205"


@pytest.mark.parametrize("text", [
    "count(1)", "first(as_of)", "sum(documentation_requested)", 'sum(["a"])', "year(1)",
    "is_working_day(5 days)", 'abs("x")', "round(as_of, 2)", "round(1 DKK, citizens)", "round(1 DKK, 2.5)",
    "max(1)", 'min(["a", "b"])', "max(true, false)", "avg([1 days])", "share(1, invoice_sent)",
    "percent(10%)", "week_start(1)"])
def test_function_argument_type_errors(text: str, scope: Scope) -> None:
    assert error(text, scope).code == "E202"


def test_min_with_mixed_units(scope: Scope) -> None:
    err = error("min(value_of_late_part, 5)", scope)
    assert err.code == "E203"
    assert err.hint is not None and "DKK" in err.hint


# fields ---------------------------------------------------------------------------------------

def test_unknown_event_field_with_did_you_mean(scope: Scope) -> None:
    err = error("first(documentation_requested).extensoin", scope)
    assert err.code == "E206"
    assert "extensoin" in err.message
    assert err.hint is not None and "'extension'" in err.hint


def test_unknown_field_lists_the_known_ones(scope: Scope) -> None:
    err = error("first(invoice_sent).zzz", scope)
    assert err.code == "E206"
    assert err.hint is not None and "amount" in err.hint and "date" in err.hint


def test_unknown_rule_output(scope: Scope) -> None:
    err = error("documentation_on_demand.dew", scope)
    assert err.code == "E206"
    assert err.hint is not None and "'due'" in err.hint


def test_unknown_offering_attribute(scope: Scope) -> None:
    err = error("offering.max_duraton", scope)
    assert err.code == "E206"
    assert "offering attribute" in err.message
    assert err.hint is not None and "'max_duration'" in err.hint


def test_offering_attribute_types(scope: Scope) -> None:
    assert type_of("offering.max_duration", scope) == t.WEEKS
    assert type_of("weekly_hours >= offering.hours_min", scope) == t.BOOL


def test_contract_dates(scope: Scope) -> None:
    assert type_of("contract.start", scope) == t.DATE
    assert error("contract.begin", scope).code == "E206"


def test_field_of_a_scalar(scope: Scope) -> None:
    err = error("as_of.year", scope)
    assert err.code == "E206"
    assert "date has no fields" in err.message


def test_field_of_a_list_of_scalars_hints_first(scope: Scope) -> None:
    err = error("[1, 2].x", scope)
    assert err.code == "E206"
    assert err.hint is not None and "first(" in err.hint


def test_list_projection(scope: Scope) -> None:
    assert type_of("documentation_requested.date", scope) == t.list_of(t.DATE)
    assert type_of("invoice_sent.amount", scope) == t.list_of(t.MONEY)
    assert error("invoice_sent.amont", scope).code == "E206"


def test_rule_outputs(scope: Scope) -> None:
    assert type_of("documentation_on_demand.due + 1 days", scope) == t.DATE
    assert type_of('documentation_on_demand.status == "breached"', scope) == t.BOOL
    assert type_of("documentation_on_demand.late_working_days * 3000 DKK", scope) == t.MONEY


# enum literals ----------------------------------------------------------------------------------

def test_enum_literal_not_in_enum(scope: Scope) -> None:
    text = 'udbudsomraade == "udsate"'
    err = error(text, scope)
    assert err.code == "E207"
    assert err.offset == text.index('"udsate"')
    assert "udsatte" in err.message
    assert err.hint is not None and "'udsatte'" in err.hint


def test_enum_literal_on_the_left(scope: Scope) -> None:
    err = error('"sygemeldt" != udbudsomraade', scope)
    assert err.code == "E207"
    assert err.offset == 0
    assert err.hint is not None and "'sygemeldte'" in err.hint


def test_enum_literal_in_a_list(scope: Scope) -> None:
    text = 'udbudsomraade in ["udsatte", "hjerneskde"]'
    err = error(text, scope)
    assert err.code == "E207"
    assert err.offset == text.index('"hjerneskde"')


def test_assumption_reading_not_declared(scope: Scope) -> None:
    err = error('assume.payment_rollforward == "literl"', scope)
    assert err.code == "E207"
    assert err.hint is not None and "'literal'" in err.hint


def test_unknown_assumption(scope: Scope) -> None:
    assert error('assume.payment_rollfoward == "literal"', scope).code == "E206"


def test_rule_status_literal_is_checked(scope: Scope) -> None:
    assert error('documentation_on_demand.status == "late"', scope).code == "E207"


def test_valid_enum_literals_pass(scope: Scope) -> None:
    assert type_of('udbudsomraade in ["udsatte", "psykiske_lidelser"]', scope) == t.BOOL
    assert type_of('assume.payment_rollforward == "arbejdsdag"', scope) == t.BOOL


# where and it -----------------------------------------------------------------------------------

def test_where_keeps_the_list_type(scope: Scope) -> None:
    typ = type_of("documentation_requested where it.date > as_of", scope)
    assert isinstance(typ, t.ListType)
    assert isinstance(typ.elem, t.Record) and typ.elem.name == "documentation_requested"


def test_count_where(scope: Scope) -> None:
    assert type_of("count(documentation_requested where it.extension > 2 working_days)", scope) == t.INT


def test_where_over_scalars(scope: Scope) -> None:
    assert type_of("[1, 2, 3] where it > 1", scope) == t.list_of(t.INT)
    assert type_of("sum(invoice_sent.amount where it > 100 DKK)", scope) == t.MONEY


def test_nested_where_it_is_the_inner_element(scope: Scope) -> None:
    text = "invoice_sent where count(documentation_requested where it.extension > 0 working_days) > 0"
    assert isinstance(type_of(text, scope), t.ListType)
    # inside the inner `where`, `it` is a documentation_requested event: it has no `amount`
    err = error("invoice_sent where exists(documentation_requested where it.amount > 0 DKK)", scope)
    assert err.code == "E206"


def test_where_needs_a_list(scope: Scope) -> None:
    err = error("as_of where true", scope)
    assert (err.code, err.offset) == ("E202", 0)


def test_where_condition_must_be_bool(scope: Scope) -> None:
    text = "documentation_requested where it.date"
    err = error(text, scope)
    assert err.code == "E202"
    assert err.offset == text.index("it.date")


def test_it_field_is_checked(scope: Scope) -> None:
    err = error("documentation_requested where it.dato > as_of", scope)
    assert err.code == "E206"
    assert err.hint is not None and "'date'" in err.hint


def test_where_scope_does_not_leak(scope: Scope) -> None:
    typed("documentation_requested where it.date > as_of", scope)
    assert scope.lookup("it") is None


# expected type ----------------------------------------------------------------------------------

def test_expected_type_mismatch_hints_the_unit(scope: Scope) -> None:
    err = error("3000", scope, t.MONEY)
    assert err.code == "E202"
    assert err.hint is not None and "3000 DKK" in err.hint
    err = error("5", scope, t.WORKING_DAYS)
    assert err.hint is not None and "5 working_days" in err.hint
    err = error("10", scope, t.PERCENT)
    assert err.hint is not None and "%" in err.hint
    err = error("5 working_days", scope, t.DATE)
    assert err.hint is not None and "+ 5 working_days" in err.hint


def test_expected_type_accepts_compatible_types(scope: Scope) -> None:
    assert typed("1", scope, t.DEC).type == t.INT
    assert typed("udbudsomraade", scope, t.TEXT).type.name == "udbudsomraade"
    assert typed("[]", scope, t.list_of(t.DATE)).type == t.list_of(t.NOTHING)
    assert typed("first([])", scope, t.MONEY).type == t.NOTHING


def test_expected_type_rejects_decimal_for_integer(scope: Scope) -> None:
    assert error("2.5", scope, t.INT).code == "E202"


# scope --------------------------------------------------------------------------------------------

def test_scope_child_shadows_and_chains() -> None:
    root = Scope({"a": Symbol("fact", "a", t.INT), "b": Symbol("fact", "b", t.TEXT)})
    inner = root.child(a=Symbol("it", "a", t.DATE))
    assert inner.lookup("a") == Symbol("it", "a", t.DATE)
    assert inner.lookup("b") == Symbol("fact", "b", t.TEXT)
    assert inner.lookup("c") is None
    assert root.lookup("a") == Symbol("fact", "a", t.INT)
    assert inner.names() == ["a", "a", "b"]


def test_empty_scope_rejects_every_name() -> None:
    assert error("x", Scope()).code == "E201"
