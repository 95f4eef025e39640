"""dsl/codegen.py: untraced, an expression is one generated function with the closures' results — the same
value, or the same Missing with the same label — and no text of the spec in its source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from rulekit.dsl import Calendars, Env, Missing, Scope, Symbol, check, compile_expr, parse, probe_expr
from rulekit.dsl import types as t

D = dt.date
GENERATED = "<rulekit expression>"

REQUESTS = {"documentation_requested": [
    {"type": "documentation_requested", "date": D(2021, 3, 31), "_key": "R-1", "extension": 3},
    {"type": "documentation_requested", "date": D(2021, 5, 3), "_key": "R-2"}]}
DELIVERED = {"documentation_delivered": [
    {"type": "documentation_delivered", "date": D(2021, 4, 9), "_answers": "R-1"},
    {"type": "documentation_delivered", "date": D(2021, 5, 4), "_answers": None}]}

# each expression with the environments it is evaluated in (facts, events, item, rules, offering attrs)
ENVS: list[dict[str, Any]] = [
    {},
    {"facts": {"weekly_hours": Decimal("7.5"), "citizens": 4, "udbudsomraade": "udsatte"}},
    {"events": {**REQUESTS, **DELIVERED}, "item": REQUESTS["documentation_requested"][0]},
    {"events": {**REQUESTS, **DELIVERED}, "item": REQUESTS["documentation_requested"][1]},
    {"offering_attrs": {}, "offering": None, "facts": {"citizens": 0}},
    {"rules": {"documentation_on_demand": {"status": "breached", "breached": True, "late_days": 3,
                                           "due": D(2021, 4, 12)}}},
]
EXPRESSIONS = [
    "weekly_hours * 2 + citizens",
    "citizens / 4",
    "(weekly_hours ?? 0) >= (offering.hours_min ?? 1) and not (citizens == 3)",
    "if exists(weekly_hours) then weekly_hours else 0",
    "udbudsomraade in [\"udsatte\", \"sygemeldte\"]",
    "first(documentation_requested).date + 5 working_days",
    "last(documentation_requested).date - 1 day",
    "first(answers(item, documentation_delivered)).date",
    "count(answers(item, documentation_delivered))",
    "item.extension ?? 0 working_days",
    "next_working_day(first(documentation_requested).date + 30 days)",
    "working_days_between(first(documentation_requested).date, as_of)",
    "as_of - first(documentation_requested).date",
    "sum(invoice_sent.amount)",
    "documentation_on_demand.breached and assume.payment_rollforward == \"literal\"",
    "documentation_on_demand.late_days * daily_penalty_min",
    "offering.max_duration",
    "offering",
    "count(documentation_requested where it.date > 2021-04-01)",
    "count(documentation_requested where r: r.date > 2021-04-01 and (r.extension ?? 0 working_days) > 1 working_days)",
    "documentation_requested where r: exists(answers(r, documentation_delivered) where it.date > r.date)",
    "documentation_requested.extension",
    "sum((documentation_requested where r: r.date < as_of).extension)",
    "contract.start",
    "max(daily_penalty_rate * (value_of_late_part ?? 0 DKK), daily_penalty_min)",
    "min(invoice_sent.amount)",
    "max(first(documentation_requested).date, as_of)",
    "end_of_month(as_of) - 2 days",
    "abs(citizens - 10) + year(as_of) + month(as_of)",
    "days_between(first(documentation_requested).date, as_of)",
    # the field of the first or last of a list of events, probed (None, not Missing) inside `??` and exists()
    "first(answers(item, documentation_delivered)).date ?? as_of",
    "last(documentation_requested).extension ?? 0 working_days",
    "first(documentation_requested where (it.extension ?? 0 working_days) > 1 working_days).date ?? as_of",
    "first(documentation_requested where it.date > first(documentation_delivered).date).date ?? as_of",
    "exists(first(answers(item, documentation_delivered)).date)",
    "last(documentation_delivered).date ?? first(documentation_requested).date",
]


@pytest.fixture
def compiled(cals: Calendars, scope: Scope) -> Callable[..., Any]:
    """As conftest's, in a scope that has `item` (a documentation request, as inside `each`)."""
    requested = scope.symbols["documentation_requested"].type
    assert isinstance(requested, t.ListType)
    delivered = scope.symbols["documentation_delivered"].type
    assert isinstance(delivered, t.ListType) and isinstance(delivered.elem, t.Record)
    answer = t.Record(delivered.elem.name, delivered.elem.fields, answers=("documentation_requested",))
    inner = Scope({**scope.symbols, "item": Symbol("item", "item", requested.elem),
                   "documentation_delivered": Symbol("events", "documentation_delivered", t.list_of(answer))},
                  scope.offering_attrs)

    def build(text: str, *, traced: bool = False) -> tuple[Any, Callable[[Env], Any]]:
        checked = check(text, parse(text), inner)
        return checked, compile_expr(checked, cals, traced=traced)
    return build


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_generated_function_gives_what_the_closures_give(
        text: str, compiled: Callable[..., Any], new_env: Callable[..., Env], outcome: Callable[..., Any]) -> None:
    _, fast = compiled(text)
    _, reference = compiled(text, traced=True)
    for kw in ENVS:
        item = kw.get("item", REQUESTS["documentation_requested"][0])  # inside `each`, item is always set
        given = {k: v for k, v in kw.items() if k != "item"}
        env, ref_env = new_env(**given), new_env(**given)
        env.item = ref_env.item = item
        ref_env.recorder = {}
        assert outcome(fast, env) == outcome(reference, ref_env), (text, kw)


def test_an_expression_is_one_generated_function(compiled: Callable[..., Any]) -> None:
    _, fn = compiled("first(answers(item, documentation_delivered)).date")
    assert fn.__code__.co_filename == GENERATED
    _, traced = compiled("first(answers(item, documentation_delivered)).date", traced=True)
    assert traced.__code__.co_filename != GENERATED  # tracing runs the closures


def test_a_where_is_one_loop_with_its_condition_written_out(compiled: Callable[..., Any],
                                                            new_env: Callable[..., Env]) -> None:
    _, fn = compiled("documentation_requested where it.date > 2021-04-01")
    assert fn.__code__.co_filename == GENERATED
    env = new_env(events=REQUESTS)
    first, second = REQUESTS["documentation_requested"]
    assert fn(env) == [second]
    assert env.it is None  # `it` is given back as it was
    # an element without the field the condition asks about does not match (the second has no extension)
    _, field = compiled("documentation_requested where it.extension > 1 working_days")
    assert field.__code__.co_filename == GENERATED
    assert field(new_env(events=REQUESTS)) == [first]
    _, missing = compiled("documentation_requested where it.date > first(documentation_delivered).date")
    with pytest.raises(Missing) as got:  # anything else missing is missing for the whole list
        missing(new_env(events=REQUESTS))
    assert got.value.what == "first(documentation_delivered)"


def test_a_named_where_is_one_loop(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    first, second = REQUESTS["documentation_requested"]
    _, fn = compiled("documentation_requested where r: r.date > 2021-04-01")
    assert fn.__code__.co_filename == GENERATED
    env = new_env(events=REQUESTS)
    assert fn(env) == [second]
    assert env.vars == {}  # the element is the loop's own variable
    _, field = compiled("documentation_requested where r: r.extension > 1 working_days")
    assert field(new_env(events=REQUESTS)) == [first]  # an element without the field does not match
    # a condition with a function of its own (the inner `where` reads `r`): the loop sets env.vars and restores it
    _, nested = compiled("documentation_requested where r: exists(documentation_delivered where it.date > r.date)")
    assert nested.__code__.co_filename == GENERATED
    env = new_env(events={**REQUESTS, **DELIVERED})
    env.vars["r"] = "outer"
    assert nested(env) == [first, second]
    assert env.vars == {"r": "outer"}


def test_a_coalesce_over_fields_of_it_names_both(cals: Calendars, scope: Scope,
                                                 new_env: Callable[..., Env]) -> None:
    """`it.a ?? it.b` with neither field: the generated function's MissingField names both, as the closures' do
    (a field of `it` is missing by _miss_field, which the generator must count as a side that may be missing)."""
    from rulekit.dsl.env import MissingField

    record = t.Record("ext", (("date", t.DATE), ("a", t.WORKING_DAYS), ("b", t.WORKING_DAYS)))
    text = "it.a ?? it.b"
    checked = check(text, parse(text), scope.child(it=Symbol("it", "it", record)))
    for fn in (compile_expr(checked, cals), compile_expr(checked, cals, traced=True)):
        env = new_env()
        env.it, env.recorder = {"date": D(2021, 1, 1)}, {}
        with pytest.raises(MissingField) as got:
            fn(env)
        assert got.value.names == ("it.a", "it.b")


def test_exists_of_a_list_field_asks_for_elements(cals: Calendars, scope: Scope, new_env: Callable[..., Env]) -> None:
    """`exists(it.xs)` of a list-typed field (a case record's events in a portfolio): true only when the list has
    elements, in generated code and closures alike (a probe made any given list exist, empty or not)."""
    record = t.Record("rec", (("date", t.DATE), ("xs", t.list_of(t.DATE))))
    text = "exists(it.xs)"
    checked = check(text, parse(text), scope.child(it=Symbol("it", "it", record)))
    for fn in (compile_expr(checked, cals), compile_expr(checked, cals, traced=True)):
        for xs, want in (([], False), ([D(2021, 1, 1)], True), (None, False)):
            env = new_env()
            env.it, env.recorder = {"date": D(2021, 1, 1), **({"xs": xs} if xs is not None else {})}, {}
            assert fn(env) is want, (xs, fn)


def test_a_projection_is_a_list_comprehension(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    _, fn = compiled("documentation_requested.date")
    assert fn.__code__.co_filename == GENERATED
    assert fn(new_env(events=REQUESTS)) == [D(2021, 3, 31), D(2021, 5, 3)]
    _, missing = compiled("documentation_requested.extension")
    with pytest.raises(Missing) as got:  # the second request has no extension: as the closure, Missing
        missing(new_env(events=REQUESTS))
    assert got.value.what == "documentation_requested.extension"


def test_spec_text_is_a_constant_never_code(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    """A text literal that looks like Python is a value in the generated function, never part of its source."""
    text = "if citizens > 0 then \"__import__('os').system('false')\" else \"x\""
    _, fn = compiled(text)
    assert fn.__code__.co_filename == GENERATED
    assert fn(new_env(facts={"citizens": 1})) == "__import__('os').system('false')"
    assert "__import__('os').system('false')" not in fn.__code__.co_names
    assert "__import__('os').system('false')" in fn.__globals__.values()


def test_missing_labels_match_the_closures(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    _, fn = compiled("first(documentation_requested).date")
    with pytest.raises(Missing) as got:
        fn(new_env())
    assert got.value.what == "first(documentation_requested)"
    _, fact = compiled("weekly_hours + 1")
    with pytest.raises(Missing) as missing:
        fact(new_env())
    assert missing.value.what == "weekly_hours"


def test_the_field_of_a_first_event_is_probed_without_missing(compiled: Callable[..., Any],
                                                              new_env: Callable[..., Env]) -> None:
    """`first(LIST).field ?? fallback` is written out as one function (no closure catching Missing) when the
    list itself is never Missing; a condition that may be Missing keeps the closure's `??`."""
    text = "first(documentation_requested where (it.extension ?? 0 working_days) > 1 working_days).date ?? as_of"
    _, fn = compiled(text)
    assert fn.__code__.co_filename == GENERATED
    assert fn(new_env(events=REQUESTS)) == D(2021, 3, 31)
    assert fn(new_env(as_of=D(2021, 6, 1))) == D(2021, 6, 1)  # no request: the fallback
    _, answer = compiled("first(answers(item, documentation_delivered)).date ?? as_of")
    assert answer.__code__.co_filename == GENERATED
    _, failing = compiled("first(documentation_requested where it.date > first(documentation_delivered).date)"
                          ".date ?? as_of")
    assert failing.__code__.co_filename != GENERATED  # the closure's `??`: its Missing is caught there
    env = new_env(events=REQUESTS, as_of=D(2021, 6, 1))
    assert failing(env) == D(2021, 6, 1)  # no delivery: the condition is Missing, the fallback is taken


@pytest.mark.parametrize("text", ["first(answers(item, documentation_delivered)).date", "weekly_hours",
                                  "last(documentation_requested where (it.extension ?? 0 working_days) > 1 "
                                  "working_days).date", "offering.max_duration", "item.extension"])
def test_a_probe_gives_none_where_the_function_is_missing(text: str, compiled: Callable[..., Any], cals: Calendars,
                                                         new_env: Callable[..., Env]) -> None:
    checked, fn = compiled(text)
    probe = probe_expr(checked, cals)
    assert probe is not None and probe.__code__.co_filename == GENERATED
    for kw in ENVS:
        item = kw.get("item", REQUESTS["documentation_requested"][0])
        env = new_env(**{k: v for k, v in kw.items() if k != "item"})
        env.item = item
        try:
            want = fn(env)
        except Missing:
            want = None
        assert probe(env) == want, (text, kw)


@pytest.mark.parametrize("text", ["first(documentation_requested).date + 5 working_days", "weekly_hours * 2",
                                  "first(documentation_requested where it.date > first(documentation_delivered)"
                                  ".date).date"])
def test_only_a_probe_has_a_probe(text: str, compiled: Callable[..., Any], cals: Calendars) -> None:
    checked, _ = compiled(text)
    assert probe_expr(checked, cals) is None
