"""dsl.parse: literals, precedence, positions, syntax errors with offsets and hints, input bounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rulekit.dsl import ParseError, ast, parse
from rulekit.dsl.parse import MAX_LENGTH, MAX_NESTING, MAX_OPERATORS


def sexp(node: ast.Node) -> str:
    """A compact, unambiguous rendering of the tree: shows exactly how the parser grouped things."""
    match node:
        case ast.Number(value=v):
            return str(v)
        case ast.Quantity(value=v, unit=u):
            return f"{v}{u}"
        case ast.DateLit(value=d):
            return d.isoformat()
        case ast.Text(value=s):
            return repr(s)
        case ast.Bool(value=b):
            return str(b).lower()
        case ast.Name(name=n):
            return n
        case ast.Attr(obj=o, name=n):
            return f"{sexp(o)}.{n}"
        case ast.Call(fn=f, args=args):
            return f"{f}({', '.join(sexp(a) for a in args)})"
        case ast.ListLit(items=items):
            return "[" + ", ".join(sexp(i) for i in items) + "]"
        case ast.Unary(op=op, operand=x):
            return f"({op} {sexp(x)})"
        case ast.Binary(op=op, left=a, right=b):
            return f"({op} {sexp(a)} {sexp(b)})"
        case ast.IfElse(cond=c, then=a, other=b):
            return f"(if {sexp(c)} {sexp(a)} {sexp(b)})"
        case ast.Where(source=s, cond=c):
            return f"(where {sexp(s)} {sexp(c)})"
    raise AssertionError(f"unknown node {node!r}")


def parse_error(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse(text)
    return info.value


# literals ---------------------------------------------------------------------------------------

def test_integer_literal_is_exact_int() -> None:
    node = parse("42")
    assert isinstance(node, ast.Number)
    assert node.value == Decimal(42)
    assert node.is_int is True


def test_decimal_literal_is_exact_decimal_not_float() -> None:
    node = parse("0.1")
    assert isinstance(node, ast.Number)
    assert node.is_int is False
    assert node.value == Decimal("0.1")
    assert isinstance(node.value, Decimal)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("3000 DKK", Decimal(3000), "money"),
    ("3000.50 DKK", Decimal("3000.50"), "money"),
    ("12 kr", Decimal(12), "money"),
    ("5 working_days", Decimal(5), "working_days"),
    ("1 working_day", Decimal(1), "working_days"),
    ("30 days", Decimal(30), "days"),
    ("1 day", Decimal(1), "days"),
    ("2 weeks", Decimal(2), "weeks"),
    ("1 week", Decimal(1), "weeks"),
    ("3 months", Decimal(3), "months"),
    ("1 month", Decimal(1), "months"),
])
def test_quantity_literals(text: str, value: Decimal, unit: str) -> None:
    node = parse(text)
    assert isinstance(node, ast.Quantity)
    assert (node.value, node.unit) == (value, unit)


@pytest.mark.parametrize(("text", "fraction"), [("10%", Decimal("0.1")), ("10.75%", Decimal("0.1075")),
                                                ("100%", Decimal(1)), ("0%", Decimal(0))])
def test_percent_literal_is_a_fraction(text: str, fraction: Decimal) -> None:
    node = parse(text)
    assert isinstance(node, ast.Quantity)
    assert node.unit == "percent"
    assert node.value == fraction


def test_date_literal() -> None:
    node = parse("2021-09-30")
    assert isinstance(node, ast.DateLit)
    assert node.value == dt.date(2021, 9, 30)


def test_leap_day_is_a_valid_date_literal() -> None:
    node = parse("2024-02-29")
    assert isinstance(node, ast.DateLit)
    assert node.value == dt.date(2024, 2, 29)


@pytest.mark.parametrize(("text", "value"), [('"text"', "text"), ("'single'", "single"), ('""', ""),
                                             ('"A1-1B"', "A1-1B"), ('"æøå"', "æøå")])
def test_string_literals_drop_their_quotes(text: str, value: str) -> None:
    node = parse(text)
    assert isinstance(node, ast.Text)
    assert node.value == value


def test_booleans() -> None:
    assert parse("true") == ast.Bool(0, 4, True)
    assert parse("false") == ast.Bool(0, 5, False)


def test_list_literal() -> None:
    node = parse('[a, "b", 3]')
    assert isinstance(node, ast.ListLit)
    assert sexp(node) == "[a, 'b', 3]"


def test_empty_list_literal() -> None:
    node = parse("[]")
    assert isinstance(node, ast.ListLit)
    assert node.items == ()


def test_names_may_contain_digits_and_underscores() -> None:
    assert parse("weekly_followup_2") == ast.Name(0, 17, "weekly_followup_2")


# precedence and associativity -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tree"), [
    ("a + b * c", "(+ a (* b c))"),
    ("a * b + c", "(+ (* a b) c)"),
    ("a - b - c", "(- (- a b) c)"),
    ("a / b * c", "(* (/ a b) c)"),
    ("(a + b) * c", "(* (+ a b) c)"),
    ("-a * b", "(* (- a) b)"),
    ("-a.b", "(- a.b)"),
    ("a + b < c * d", "(< (+ a b) (* c d))"),
    ("a < b and c", "(and (< a b) c)"),
    ("a or b and c", "(or a (and b c))"),
    ("a and b or c", "(or (and a b) c)"),
    ("not a and b", "(and (not a) b)"),
    ("not a == b", "(not (== a b))"),
    ("not not a", "(not (not a))"),
    ("a ?? b or c", "(?? a (or b c))"),
    ("a ?? b ?? c", "(?? (?? a b) c)"),
    ("a.b ?? 0 DKK", "(?? a.b 0money)"),
    ("a in [1, 2]", "(in a [1, 2])"),
    ("a not in [1]", "(not in a [1])"),
    ("not a in b", "(not (in a b))"),
    ("a + 1 in b", "(in (+ a 1) b)"),
    ("if a then b else c", "(if a b c)"),
    ("if a then b else if c then d else e", "(if a b (if c d e))"),
    ("if a then b else c ?? d", "(if a b (?? c d))"),
    ("if a or b then 1 else 2", "(if (or a b) 1 2)"),
    ("x where it.date > as_of", "(where x (> it.date as_of))"),
    ("x where a and b", "(where x (and a b))"),
    ("x ?? y where c", "(where (?? x y) c)"),
    ("first(x where it.rule == \"r\").date", "first((where x (== it.rule 'r'))).date"),
    ("a.b.c", "a.b.c"),
    ("first(x).date + 5 working_days", "(+ first(x).date 5working_days)"),
    ("max(a * 10%, 3000 DKK)", "max((* a 0.1percent), 3000money)"),
    ("date - 2021-01-01", "(- date 2021-01-01)"),
    ("count(x) >= 2", "(>= count(x) 2)"),
])
def test_precedence(text: str, tree: str) -> None:
    assert sexp(parse(text)) == tree


def test_comparisons_do_not_chain() -> None:
    err = parse_error("a < b < c")
    assert err.offset == 6


def test_call_arguments() -> None:
    node = parse("max(a, b + 1, round(c, 2))")
    assert isinstance(node, ast.Call)
    assert node.fn == "max"
    assert [sexp(a) for a in node.args] == ["a", "(+ b 1)", "round(c, 2)"]


def test_call_without_arguments_has_empty_args() -> None:
    node = parse("f()")
    assert isinstance(node, ast.Call)
    assert node.args == ()


def test_attribute_chain_is_left_nested() -> None:
    node = parse("documentation_on_demand.due.year")
    assert isinstance(node, ast.Attr) and node.name == "year"
    assert isinstance(node.obj, ast.Attr) and node.obj.name == "due"
    assert node.obj.obj == ast.Name(0, 23, "documentation_on_demand")


def test_whitespace_and_newlines_are_ignored() -> None:
    assert sexp(parse("a\n  +\tb")) == "(+ a b)"


# positions ------------------------------------------------------------------------------------

def test_nodes_carry_offsets_into_the_text() -> None:
    node = parse("a + bb * 3")
    assert isinstance(node, ast.Binary)
    assert (node.pos, node.end) == (0, 10)
    assert node.left == ast.Name(0, 1, "a")
    right = node.right
    assert isinstance(right, ast.Binary)
    assert (right.pos, right.end) == (4, 10)
    assert right.left == ast.Name(4, 6, "bb")


def test_call_argument_offsets() -> None:
    node = parse("max(x, 3000 DKK)")
    assert isinstance(node, ast.Call)
    quantity = node.args[1]
    assert (quantity.pos, quantity.end) == (7, 15)


# syntax errors --------------------------------------------------------------------------------

def test_single_equals_points_at_it_and_hints_double_equals() -> None:
    err = parse_error("a = b")
    assert err.offset == 2
    assert err.hint is not None and "'=='" in err.hint


def test_single_equals_offset_inside_a_longer_expression() -> None:
    text = 'udbudsomraade = "udsatte"'
    err = parse_error(text)
    assert text[err.offset] == "="
    assert err.hint is not None and "==" in err.hint


@pytest.mark.parametrize("op", ["&", "|"])
def test_c_style_logic_hints_and_or(op: str) -> None:
    err = parse_error(f"a {op} b")
    assert err.offset == 2
    assert err.hint is not None and "'and'" in err.hint and "'or'" in err.hint


def test_uppercase_name_hints_snake_case() -> None:
    err = parse_error("Value + 1")
    assert err.offset == 0
    assert err.hint is not None and "lower_snake_case" in err.hint


def test_unknown_unit_is_an_error_at_the_unit() -> None:
    err = parse_error("3000 EURO")
    assert err.offset == 5


def test_unclosed_paren_expects_closing_paren() -> None:
    err = parse_error("max(a, b")
    assert err.hint is not None and "')'" in err.hint


def test_unclosed_list_expects_closing_bracket() -> None:
    err = parse_error("[1, 2")
    assert err.hint is not None and "']'" in err.hint


def test_if_without_else_expects_else() -> None:
    err = parse_error("if a then b")
    assert "end of expression" in err.message
    assert err.hint is not None and "'else'" in err.hint


def test_unexpected_token_is_named_and_located() -> None:
    err = parse_error("a + * b")
    assert err.offset == 4
    assert "'*'" in err.message


def test_empty_expression_is_a_parse_error() -> None:
    err = parse_error("")
    assert err.offset == 0
    assert "end of expression" in err.message


def test_unterminated_string() -> None:
    err = parse_error('"abc')
    assert err.offset == 0


def test_end_of_expression_error_points_at_the_end() -> None:
    err = parse_error("1 +")
    assert err.offset == 3


@pytest.mark.parametrize("text", ["2021-02-30", "2021-13-01", "2023-02-29", "2021-04-31", "2021-00-10"])
def test_impossible_date_literal(text: str) -> None:
    err = parse_error(text)
    assert "impossible date" in err.message
    assert err.offset == 0
    assert err.hint is not None and "February" in err.hint


def test_impossible_date_offset_inside_expression() -> None:
    text = "as_of > 2021-02-30"
    err = parse_error(text)
    assert err.offset == 8
    assert text[err.offset:] == "2021-02-30"


# bounds ---------------------------------------------------------------------------------------

def test_length_limit() -> None:
    ok = '"' + "a" * (MAX_LENGTH - 2) + '"'
    assert len(ok) == MAX_LENGTH
    assert parse(ok) == ast.Text(0, MAX_LENGTH, "a" * (MAX_LENGTH - 2))
    err = parse_error('"' + "a" * (MAX_LENGTH - 1) + '"')
    assert str(MAX_LENGTH) in err.message
    assert err.offset == 0
    assert err.hint is not None


def test_nesting_limit_parentheses() -> None:
    ok = "(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert parse(ok) == ast.Number(MAX_NESTING, MAX_NESTING + 1, Decimal(1), True)
    err = parse_error("(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1))
    assert err.offset == MAX_NESTING  # the bracket that goes one level too deep
    assert str(MAX_NESTING) in err.message


def test_nesting_limit_counts_brackets_and_calls() -> None:
    text = "[" * 20 + "max(" * 13 + "1" + ")" * 13 + "]" * 20
    err = parse_error(text)
    opened = text[:err.offset + 1]
    assert opened.count("[") + opened.count("(") == MAX_NESTING + 1
    assert text[err.offset] == "("


def test_nesting_limit_is_about_depth_not_count() -> None:
    text = " + ".join(["(((1)))"] * 30)
    assert isinstance(parse(text), ast.Binary)


def test_operator_limit() -> None:
    ok = "1" + " + 1" * MAX_OPERATORS
    assert isinstance(parse(ok), ast.Binary)
    err = parse_error("1" + " + 1" * (MAX_OPERATORS + 1))
    assert str(MAX_OPERATORS) in err.message
    assert err.hint is not None


def test_operator_limit_counts_word_operators() -> None:
    assert isinstance(parse("not " * MAX_OPERATORS + "true"), ast.Unary)
    err = parse_error("not " * (MAX_OPERATORS + 1) + "true")
    assert str(MAX_OPERATORS) in err.message


def test_words_containing_operator_names_are_not_operators() -> None:
    # 'order', 'android', 'index', 'window' contain or/and/in but are names.
    text = " + ".join(["order", "android", "index", "window"] * 25)
    node = parse(text)  # 99 operators; would exceed the limit if the names were counted too
    assert sexp(node).count("(+ ") == 99


def test_long_run_of_unary_minus_is_rejected_with_parse_error() -> None:
    with pytest.raises(ParseError):
        parse("-" * 1000 + "1")


def test_long_attribute_chain_is_rejected_with_parse_error() -> None:
    with pytest.raises(ParseError):
        parse("a" + ".b" * 990)


def test_closing_brackets_in_a_string_do_not_lift_the_nesting_limit() -> None:
    with pytest.raises(ParseError):
        parse('"' + ")" * 1000 + '" == first(' + "[" * 450 + "]" * 450 + ")")


@pytest.mark.parametrize("text", ['"' + "(" * 40 + '"', '"' + "a+" * 125 + '"'])
def test_string_contents_are_not_brackets_or_operators(text: str) -> None:
    assert isinstance(parse(text), ast.Text)
