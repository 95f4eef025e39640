"""`label:` with `each`: what each instance is called (text, a date or a number, read with `item`), instead of
its id or its number and date — in obligations, the amounts that remedy them, findings, test selectors and the
traced and untraced runs alike. Without `each`, or as a list, it is a load error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from spec_support import mini_text, variant

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError

RULES = '''  - id: per_demand
    kind: deadline
    title: {da: Pr. påkrav, en: Per demand}
    source: {doc: k, section: "pkt. 2.3.3", quote: "senest fem Arbejdsdage"}
    each: demanded
    label: item.ref_no
    from: item.date
    period: 5 working_days
    fulfilled: first(delivered where it.date >= item.date).date
  - id: per_demand_penalty
    kind: penalty
    title: {da: Bod pr. påkrav, en: Penalty per demand}
    source: {doc: k, section: "pkt. 6.4", quote: "pr. Arbejdsdag"}
    remedies: per_demand
    applies_when: per_demand.breached
    amount: per_demand.late_working_days * 100 DKK
'''
FIELD = "    demanded: {title: Påkrav, fields: {extension: {type: working_days, min: 0, title: Forlængelse}}}\n"
WITH_REF = ("    demanded: {title: Påkrav, fields: {extension: {type: working_days, min: 0, title: Forlængelse}, "
            "ref_no: {type: text, title: Sagsnr.}}}\n")
CASE = {"case": "L-1", "as_of": "2021-04-30",
        "events": [{"type": "demanded", "date": "2021-03-01", "ref_no": "J-17"},
                   {"type": "demanded", "date": "2021-04-01"},  # no ref_no: named as without a label
                   {"type": "delivered", "date": "2021-03-03"}, {"type": "delivered", "date": "2021-04-14"}]}


def spec(write: Callable[..., Path], rules: str = RULES) -> Path:
    return write(variant(variant(mini_text(), FIELD, WITH_REF), "tests:\n", rules + "tests:\n"))


def test_each_instance_is_called_by_its_label(write: Callable[..., Path]) -> None:
    contract = load_contract(spec(write))
    for trace in (False, True):
        result = evaluate_case(contract, CASE, trace=trace)
        names = [(o.instance, o.status) for o in result.obligations if o.rule.id == "per_demand"]
        assert names == [("J-17", "met"), ("2: 2021-04-01", "breached")], trace
        [penalty] = [p for p in result.penalties if p.rule.id == "per_demand_penalty" and p.amount]
        assert penalty.instance == "2: 2021-04-01"


def test_a_label_needs_each_and_a_plain_value(write: Callable[..., Path]) -> None:
    without_each = RULES.replace("    each: demanded\n", "").replace("item.", "first(demanded).")
    with pytest.raises(SpecError) as info:
        load_contract(spec(write, without_each))
    assert "E105" in {d.code for d in info.value.diagnostics}
    with pytest.raises(SpecError) as listed:
        load_contract(spec(write, RULES.replace("label: item.ref_no", "label: demanded")))
    assert "E202" in {d.code for d in listed.value.diagnostics}


def test_two_instances_with_one_name_are_told_apart_and_said(write: Callable[..., Path]) -> None:
    """Two demands with the same ref_no: the later is called 'J-17 #2' everywhere (its obligation, the penalty
    remedying it), and a warning finding of the rule says so; the traced and untraced runs agree."""
    contract = load_contract(spec(write))
    events = [{"type": "demanded", "date": "2021-03-01", "ref_no": "J-17"},
              {"type": "demanded", "date": "2021-04-01", "ref_no": "J-17"},
              {"type": "delivered", "date": "2021-03-03"}, {"type": "delivered", "date": "2021-04-14"}]
    for trace in (False, True):
        result = evaluate_case(contract, {**CASE, "events": events}, trace=trace, lang="en")
        names = [(o.instance, o.status) for o in result.obligations if o.rule.id == "per_demand"]
        assert names == [("J-17", "met"), ("J-17 #2", "breached")], trace
        [penalty] = [p for p in result.penalties if p.rule.id == "per_demand_penalty" and p.amount]
        assert penalty.instance == "J-17 #2"
        [note] = [f for f in result.findings if f.rule is not None and f.rule.id == "per_demand"]
        assert (note.severity, note.instance) == ("warning", "J-17 #2"), trace
        assert note.message == "an earlier instance of Per demand is also named J-17; this one is called J-17 #2"


ANSWERED = '''  - id: per_demand_by_id
    kind: deadline
    title: {da: Pr. påkrav, en: Per demand}
    source: {doc: k, section: "pkt. 2.3.3", quote: "senest fem Arbejdsdage"}
    each: demanded
    label: "if exists(item.id) then \\"sag \\" + item.id else \\"uden id\\""
    from: item.date
    period: 5 working_days
    fulfilled: first(delivered where exists(it.ref) and it.ref == item.id).date
'''
ANSWERING = "    delivered: {title: Leveret, answers: demanded, match: none}\n"


def test_an_events_id_and_ref_are_readable(write: Callable[..., Path]) -> None:
    """`id` (and `ref` of a type that answers another) are text fields of every event: missing when not given,
    readable in labels and conditions, in the traced and untraced runs alike."""
    answering = variant(mini_text(), "    delivered: {title: Leveret}\n", ANSWERING)
    text = variant(answering, "tests:\n", ANSWERED + "tests:\n")
    contract = load_contract(write(text))
    events = [{"type": "demanded", "date": "2021-03-01", "id": "D1"},
              {"type": "demanded", "date": "2021-03-02", "id": 7},
              {"type": "delivered", "date": "2021-03-03", "ref": "D1"},
              {"type": "demanded", "date": "2021-03-04"},  # no id: item.id is missing
              {"type": "delivered", "date": "2021-03-03", "ref": "D1"},
              {"type": "delivered", "date": "2021-03-20", "ref": "7"}]
    for trace in (False, True):
        result = evaluate_case(contract, {"case": "L-2", "as_of": "2021-04-30", "events": events}, trace=trace)
        names = [(o.instance, o.status) for o in result.obligations if o.rule.id == "per_demand_by_id"]
        assert names == [("sag D1", "met"), ("sag 7", "breached"), ("uden id", "breached")], trace


def test_a_declared_id_field_must_be_text(write: Callable[..., Path]) -> None:
    """The engine reads an event's `id` as text; a field declared under that name with another type is E202 at
    load (review: `item.id + 1` on an integer-declared id was an internal TypeError)."""
    declared = "    demanded: {title: Påkrav, fields: {id: {type: integer, title: Nr}}}\n"
    with pytest.raises(SpecError) as info:
        load_contract(write(variant(mini_text(), FIELD, declared)))
    assert "E202" in str(info.value) and "`id` is the event's own key, read as text" in str(info.value)
