"""A valid spec loads into a frozen, fully built Contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from spec_support import CALENDARS, MINI, mini_text, variant

from rulekit import Contract, load_contract
from rulekit.dsl import types as t


@pytest.fixture(scope="module")
def mini() -> Contract:
    return load_contract(MINI)


def test_mini_loads_into_a_contract(mini: Contract) -> None:
    assert isinstance(mini, Contract)
    assert mini.id == "mini"
    assert mini.version == "1"
    assert mini.title.da == "Mini-kontrakt til test"
    assert mini.title.get("en") == "Mini contract for tests"
    assert (mini.start, mini.end) == (dt.date(2020, 7, 1), dt.date(2023, 6, 30))
    assert mini.currency == "DKK"
    assert mini.is_library is False


def test_contract_is_frozen(mini: Contract) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        mini.id = "other"  # type: ignore[misc]
    rule = mini.rules[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.kind = "check"  # type: ignore[misc]


def test_rules_are_in_dependency_order(mini: Contract) -> None:
    ids = [r.id for r in mini.rules]
    assert ids == ["doc_deadline", "doc_penalty"]
    penalty = mini.rule("doc_penalty")
    assert penalty is not None and penalty.deps == frozenset({"doc_deadline"})
    assert mini.rule("nope") is None


def test_rule_sources_cite_documents(mini: Contract) -> None:
    deadline = mini.rule("doc_deadline")
    assert deadline is not None
    assert deadline.source.doc == "k"
    assert deadline.source.doc_title  # a citation name for document `k`
    assert deadline.source.section == "pkt. 2.3.3"
    assert deadline.source.quote == "senest fem Arbejdsdage"
    assert deadline.source.cite() == f'{deadline.source.doc_title} pkt. 2.3.3: "senest fem Arbejdsdage"'
    assert deadline.span.file == str(MINI)
    assert deadline.span.line == mini_text().splitlines().index("  - id: doc_deadline") + 1


def test_parameters_are_typed_constants(mini: Contract) -> None:
    rate = mini.parameters["rate"]
    assert rate.type == t.PERCENT
    assert rate.at(dt.date(2021, 1, 1)).value == Decimal("0.10")
    minimum = mini.parameters["minimum_per_day"]
    assert minimum.type == t.MONEY
    assert minimum.at(dt.date(2021, 1, 1)).value == Decimal("3000")
    assert minimum.values[0].source is not None and minimum.values[0].source.quote == "minimum DKK 3.000"


def test_inputs_assumptions_and_calendars(mini: Contract) -> None:
    assert mini.facts["late_value"].type == t.MONEY
    assert mini.facts["late_value"].minimum == Decimal(0)
    assert set(mini.events) == {"demanded", "delivered"}
    assert mini.events["demanded"].fields["extension"].type == t.WORKING_DAYS
    assert mini.assumptions["roll"].default == "literal"
    assert set(mini.assumptions["roll"].readings) == {"literal", "arbejdsdag"}
    # the contract's own calendar and the imported library's
    assert {"arbejdsdag", "hverdag", "kalenderdag"} <= set(mini.calendars)
    assert mini.calendar.name == "arbejdsdag"
    assert not mini.calendar.is_working_day(dt.date(2021, 12, 24))  # closed by the contract
    assert mini.weekday_calendar.is_working_day(dt.date(2021, 12, 24))


def test_embedded_tests_are_loaded(mini: Contract) -> None:
    (test,) = mini.tests
    assert test.id == "easter"
    assert test.expect["totals"] == {"penalties": "6000.00"}
    assert test.span.file == str(MINI)


def test_sha256_covers_spec_and_imports(mini: Contract) -> None:
    digest = hashlib.sha256(MINI.read_bytes() + CALENDARS.read_bytes()).hexdigest()
    assert mini.sha256 == digest
    assert len(mini.files) == 2
    assert mini.files[0] == str(MINI)


def test_sha256_changes_with_the_spec(write) -> None:  # type: ignore[no-untyped-def]
    a = load_contract(write(mini_text(), "a.yaml"))
    b = load_contract(write(variant(mini_text(), 'version: "1"', 'version: "2"'), "b.yaml"))
    assert a.sha256 != b.sha256
    assert b.version == "2"


def test_a_rule_library_loads_on_its_own() -> None:
    lib = load_contract(CALENDARS)
    assert lib.is_library is True
    assert lib.id == "danish_calendars"
    assert lib.rules == ()
    assert {"hverdag", "kalenderdag"} <= set(lib.calendars)


def test_loading_twice_gives_equal_models(write) -> None:  # type: ignore[no-untyped-def]
    path = write(mini_text())
    a, b = load_contract(path), load_contract(path)
    assert a.sha256 == b.sha256
    assert [r.id for r in a.rules] == [r.id for r in b.rules]


def test_accepts_str_and_path(write) -> None:  # type: ignore[no-untyped-def]
    path = write(mini_text())
    assert load_contract(str(path)).id == load_contract(path).id == "mini"
