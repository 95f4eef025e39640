"""The instance syntax at load time (answers:, match:, answers(), W120 single-occurrence reads) and the
embedded test runner naming instances as rule[instance]. Fixtures: tests/data/instances.yaml and
tests/fixtures/single_reads.yaml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spec_support import CALENDARS, TESTS, variant, where

from rulekit import evaluate_case, load_contract
from rulekit.cli import main
from rulekit.errors import SpecError
from rulekit.testing.runner import compare, pick_instance, run_tests, split_key

INSTANCES = TESTS / "data" / "instances.yaml"
SINGLE_READS = TESTS / "fixtures" / "single_reads.yaml"
FULFILLED = "fulfilled: first(answers(item, documentation_delivered)).date"


def text_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return variant(text, "../../rules/danish_calendars.yaml", str(CALENDARS))


# W120: reading one occurrence of a repeatable event ---------------------------------------------------------

def test_w120_for_first_of_a_repeatable_event() -> None:
    contract = load_contract(SINGLE_READS)
    text = SINGLE_READS.read_text(encoding="utf-8")
    line, col = where(text, "id: reply_in_time")
    assert [(d.code, d.severity, d.span.line, d.span.col) for d in contract.warnings] == \
        [("W120", "warning", line, col)] * 2
    assert all(d.span.file.endswith("tests/fixtures/single_reads.yaml") for d in contract.warnings)
    reply, request = contract.warnings
    assert reply.message.startswith("rule 'reply_in_time' reads one occurrence (first/last) of 'reply'")
    assert "of 'request'" in request.message
    assert reply.hint == "make the rule per occurrence (each: reply), or say why one is right with " \
                         "`single_occurrence: \"…\"`"
    assert str(reply.span).endswith(f"single_reads.yaml:{line}:{col}")


def test_single_occurrence_silences_w120(write: Callable[..., Path]) -> None:
    text = text_of(SINGLE_READS)
    reason = '    single_occurrence: "only the first kickoff starts the course; later ones are restarts"\n'
    without = load_contract(write(variant(text, reason, "")))
    assert [d.message.split(" of ")[1].split(",")[0] for d in without.warnings] == ["'reply'", "'request'",
                                                                                    "'kickoff'"]
    both = variant(text, "    from: first(request).date\n", '    single_occurrence: "one request per case"\n'
                   "    from: first(request).date\n")
    assert load_contract(write(both, "both.yaml")).warnings == ()


def test_no_w120_for_non_repeatable_events_or_reads_relative_to_item(write: Callable[..., Path]) -> None:
    assert load_contract(INSTANCES).warnings == ()  # first(answers(item, …)) is per instance
    relative = variant(text_of(INSTANCES), FULFILLED,
                       "fulfilled: first(documentation_delivered where it.date >= item.date).date")
    assert load_contract(write(relative)).warnings == ()
    assert load_contract(TESTS / "data" / "mini.yaml").warnings == ()  # demanded/delivered are not repeatable


def test_a_filter_that_mentions_answers_is_still_a_single_read(write: Callable[..., Path]) -> None:
    """`last(documentation_delivered where exists(answers(…)))` reads one delivery of the whole case: W120. Only a
    list that is itself `answers(x, E)` reads relative to x (review: any answers() inside had silenced it)."""
    filtered = "fulfilled: last(documentation_requested where exists(answers(it, documentation_delivered))).date"
    (warning,) = load_contract(write(variant(text_of(INSTANCES), FULFILLED, filtered))).warnings
    assert warning.code == "W120" and "'documentation_requested'" in warning.message


def test_a_lookup_by_id_is_not_a_single_read(write: Callable[..., Path]) -> None:
    """`first(E where it.id == x)` looks one event up by its (unique) id: no W120; `it.id != x` still reads one."""
    by_id = "fulfilled: first(documentation_delivered where it.id == \"L1\" and it.date >= 2021-01-01).date"
    assert load_contract(write(variant(text_of(INSTANCES), FULFILLED, by_id))).warnings == ()
    named = "fulfilled: 'first(documentation_delivered where d: \"L1\" == d.id).date'"
    assert load_contract(write(variant(text_of(INSTANCES), FULFILLED, named), "named.yaml")).warnings == ()
    other = "fulfilled: first(documentation_delivered where it.id != \"L1\").date"
    (warning,) = load_contract(write(variant(text_of(INSTANCES), FULFILLED, other), "other.yaml")).warnings
    assert warning.code == "W120"


def test_last_of_a_repeatable_event_warns_too(write: Callable[..., Path]) -> None:
    text = variant(text_of(INSTANCES), FULFILLED, "fulfilled: last(documentation_delivered).date")
    (warning,) = load_contract(write(text)).warnings
    assert warning.code == "W120" and "'documentation_on_demand'" in warning.message
    assert (warning.span.line, warning.span.col) == where(text, "id: documentation_on_demand")


# answers:, match: and answers() are checked when the spec loads ---------------------------------------------

def test_answers_of_a_type_that_does_not_answer(spec_error: Callable[..., SpecError]) -> None:
    text = variant(text_of(INSTANCES), FULFILLED, "fulfilled: first(answers(item, invoice_error)).date")
    (d,) = spec_error(text).diagnostics
    assert d.code == "E230" and d.message == "'invoice_error' does not answer 'documentation_requested' " \
                                             "(it answers nothing)"
    assert d.hint == "declare `answers: documentation_requested` on event 'invoice_error'"
    assert (d.span.line, d.span.col) == where(text, "invoice_error)).date")


def test_answers_naming_an_undeclared_type(spec_error: Callable[..., SpecError]) -> None:
    text = variant(text_of(INSTANCES), "      answers: documentation_requested\n      match: {assumption",
                   "      answers: documentation_requestd\n      match: {assumption")
    codes = {d.code: d for d in spec_error(text).diagnostics}
    assert codes["E123"].message == ("event 'documentation_delivered' answers 'documentation_requestd', which is "
                                     "not another declared event type")
    assert "did you mean 'documentation_requested'" in codes["E123"].hint
    assert (codes["E123"].span.line, codes["E123"].span.col) == where(text, "documentation_requestd")


@pytest.mark.parametrize(("old", "new", "code", "needle", "hint"), [
    ("match: {assumption: delivery_matching}", "match: {assumption: delivery_match}", "E123", "delivery_match}",
     "did you mean 'delivery_matching'?"),
    ("      latest_open: {da: Det nyeste", "      newest: {da: Det nyeste", "E123", "delivery_matching}",
     "name its readings after modes: earliest_open, latest_open, latest, none, earliest_uncovered, latest_uncovered"),
    ("match: latest\n", "match: newest\n", "E100", "newest\n",
     "allowed: earliest_open, latest_open, latest, none, earliest_uncovered, latest_uncovered"),
])
def test_bad_match_modes(spec_error: Callable[..., SpecError], old: str, new: str, code: str, needle: str,
                         hint: str) -> None:
    text = variant(text_of(INSTANCES), old, new)
    (d,) = spec_error(text).diagnostics
    assert (d.code, d.hint) == (code, hint)
    assert (d.span.line, d.span.col) == where(text, needle)


# the embedded test runner: rule[instance] -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def three() -> dict[str, Any]:
    contract = load_contract(INSTANCES)
    case = {"case": "T", "as_of": "2021-04-26", "facts": {"late_value": 24000}, "events": [
        {"type": "documentation_requested", "date": "2021-03-31", "id": "D1"},
        {"type": "documentation_requested", "date": "2021-04-06", "id": "D2"},
        {"type": "documentation_requested", "date": "2021-04-20"},
        {"type": "documentation_delivered", "date": "2021-04-09", "ref": "D1"},
        {"type": "documentation_delivered", "date": "2021-04-15", "ref": "D2"}]}
    return evaluate_case(contract, case).to_json()


def test_the_fixture_spec_tests_pass() -> None:
    outcomes = run_tests(load_contract(INSTANCES))
    assert len(outcomes) == 11 and [o.failures for o in outcomes if not o.passed] == []


@pytest.mark.parametrize(("key", "rule", "selector"), [
    ("documentation_on_demand[D2]", "documentation_on_demand", "D2"), ("daily_penalty[2]", "daily_penalty", "2"),
    ("rule[3: 2021-04-20]", "rule", "3: 2021-04-20"), ("plain", "plain", None), ("odd]", "odd]", None)])
def test_split_key(key: str, rule: str, selector: str | None) -> None:
    assert split_key(key) == (rule, selector)


def test_instances_by_id_number_and_label(three: dict[str, Any]) -> None:
    assert compare(three, {"obligations": {
        "documentation_on_demand[D1]": {"status": "met", "due": "2021-04-12"},
        "documentation_on_demand[D2]": {"status": "breached", "late_working_days": 2},
        "documentation_on_demand[3: 2021-04-20]": {"status": "pending", "due": "2021-04-27"},
        "documentation_on_demand[3]": {"status": "pending"},  # the label's number
        "documentation_on_demand[2]": {"status": "breached"},  # the second instance, by position
        "documentation_on_demand": {"instance": "D1", "status": "met"}},
        "penalties": {"daily_penalty[D2]": {"amount": "6000.00", "units": 2, "rate": "3000.00"},
                      "daily_penalty": {"amount": "6000.00"}}}) == []  # one penalty entry: no selector needed


def test_a_wrong_value_in_an_instance_fails(three: dict[str, Any]) -> None:
    assert compare(three, {"obligations": {"documentation_on_demand[D2]": {"status": "met"}}}) == [
        "obligations.documentation_on_demand[D2].status: expected 'met', got 'breached'"]


def test_a_plain_key_on_a_multi_instance_rule_fails_listing_them(three: dict[str, Any]) -> None:
    (failure,) = compare(three, {"obligations": {"documentation_on_demand": {"status": "met"}}})
    assert failure == ("obligations.documentation_on_demand: the rule has 3 instances; name one as rule[instance]: "
                       "D1, D2, 3: 2021-04-20")


def test_an_unknown_instance_fails_listing_them(three: dict[str, Any]) -> None:
    assert compare(three, {"obligations": {"documentation_on_demand[D9]": {"status": "met"}}}) == [
        "obligations.documentation_on_demand[D9]: no instance 'D9' (instances: D1, D2, 3: 2021-04-20)"]
    assert compare(three, {"obligations": {"documentation_on_demand[4]": {"status": "met"}}})[0].endswith(
        "no instance '4' (instances: D1, D2, 3: 2021-04-20)")


def test_pick_instance_with_many_instances_abbreviates() -> None:
    entries = [{"instance": f"{n}: 2021-01-{n:02d}"} for n in range(1, 15)]
    assert pick_instance(entries, "14") == ([entries[13]], None)
    assert pick_instance(entries, "1") == ([entries[0]], None)  # not 10–14
    _, problem = pick_instance(entries, None)
    assert problem is not None and problem.startswith("the rule has 14 instances") and problem.endswith(" …")


def test_an_ambiguous_selector_fails(three: dict[str, Any]) -> None:
    assert compare(three, {"obligations": {"documentation_on_demand[D]": {"status": "met"}}}) != []


def test_rulekit_test_fails_a_plain_key(write: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    text = variant(text_of(INSTANCES), '        "documentation_on_demand[D1]": {status: met, due: 2021-04-12, '
                   'fulfilled: 2021-04-09}', "        documentation_on_demand: {status: met}")
    path = write(text)
    code = main(["test", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    line, col = where(text, "id: three_demands")
    assert out.splitlines()[:2] == [
        f"FAIL {path}:{line}:{col} three_demands",
        "     obligations.documentation_on_demand: the rule has 3 instances; name one as rule[instance]: D1, D2, D3"]
    assert "instances: 10/11 tests passed" in out


def test_no_w120_for_the_first_answer_of_an_element_and_none_in_the_shipped_contracts() -> None:
    """first(answers(r, E)) reads r's first answer, not one occurrence of E: no W120 (nor in any shipped contract,
    København's withheld fee reads the first remedy of each remedy deadline)."""
    root = Path(__file__).resolve().parents[2] / "contracts"
    for name in ("hedensted", "kobenhavn", "rudersdal"):
        assert load_contract(root / f"{name}.yaml").warnings == (), name
