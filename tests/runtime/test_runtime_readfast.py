"""read_case's fast path (runtime/readfast.py) gives the Case the careful reader gives, and leaves every
problem to the careful reader, which reports it: checked on every embedded test case of every spec, on
generated cases, and on malformed variants of a valid case."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rulekit import InputError, load_contract
from rulekit.runtime.case import _read_carefully, read_case
from rulekit.runtime.readfast import Unusual, reader_for

ROOT = Path(__file__).parent.parent.parent
SPECS = [ROOT / "contracts" / f"{n}.yaml" for n in ("kobenhavn", "rudersdal", "hedensted")] + [
    ROOT / "tests" / "data" / "instances.yaml", ROOT / "tests" / "data" / "mini.yaml",
    *sorted((ROOT / "examples" / "clauses").glob("*.yaml"))]


def careful(case: dict[str, Any], contract: Any, as_of: dt.date | None = None) -> Any:
    """The Case the careful reader alone gives (the fast path switched off)."""
    from rulekit.runtime import case as module

    real = module.reader_for

    class Never:
        def read(self, *args: Any) -> Any:
            raise Unusual

    module.reader_for = lambda contract: Never()  # type: ignore[assignment,return-value]
    try:
        return read_case(case, contract, as_of=as_of)
    finally:
        module.reader_for = real


def fast_path(contract: Any, case: dict[str, Any]) -> None:
    """What read_case tries first: the fast reader (it checks ids and refs too)."""
    reader_for(contract).read(case, None, None)


def read_alike(contract: Any, case: dict[str, Any]) -> bool:
    """read_case gives what the careful reader gives: the same Case, or the same errors (then False)."""
    try:
        want = careful(case, contract)
    except InputError as exc:
        with pytest.raises(InputError) as got:
            read_case(case, contract)
        assert str(got.value) == str(exc)
        return False
    got = read_case(case, contract)
    assert got == want
    # and each event's keys in the same order (== on dicts does not look at it)
    def keys(read: Any) -> list[list[list[str]]]:
        return [[list(event) for event in read.events[name]] for name in read.events]
    assert keys(got) == keys(want)
    return True


def same_case(contract: Any, case: dict[str, Any]) -> bool:
    """Both readers agree; True when the fast path itself accepted the case."""
    if not read_alike(contract, case):
        return False
    try:
        fast_path(contract, case)
        return True
    except Unusual:
        return False


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_embedded_cases_read_alike(spec: Path) -> None:
    contract = load_contract(spec)
    cases = [{"case": test.id, "contract": contract.id, **test.case} for test in contract.tests if test.case]
    fast = sum(same_case(contract, c) for c in cases)
    assert cases and fast >= len(cases) // 2  # the fast path takes most well-formed cases


@pytest.mark.parametrize("name", ["kobenhavn", "rudersdal", "hedensted"])
def test_generated_cases_read_alike(name: str) -> None:
    contract = load_contract(ROOT / "contracts" / f"{name}.yaml")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), name, "-n", "200",
                          "--seed", "11"], capture_output=True, text=True, check=True)
    cases = [json.loads(line, parse_float=Decimal) for line in out.stdout.splitlines() if line.strip()]
    assert all(same_case(contract, c) for c in cases)  # generated cases are well formed: all fast


def _base() -> tuple[Any, dict[str, Any]]:
    contract = load_contract(ROOT / "tests" / "data" / "instances.yaml")
    case = next(t.case for t in contract.tests if t.case and t.case.get("events"))
    return contract, {"case": "C-1", "contract": contract.id, **copy.deepcopy(case)}


def _mutations(case: dict[str, Any]) -> list[dict[str, Any]]:
    """Variants the fast path must refuse (and the careful reader judge)."""
    out = []
    for change in (
        lambda c: c.update(case="010190-1234"),
        lambda c: c.update(case=True),
        lambda c: c.update(extra=1),
        lambda c: c.update(contract="other"),
        lambda c: c.update(offering="nope"),
        lambda c: c.update(as_of="2022-02-30"),
        lambda c: c.update(as_of="1850-01-01"),
        lambda c: c.update(facts=["x"]),
        lambda c: c["facts"].update(undeclared=1),
        lambda c: c.update(events={}),
        lambda c: c["events"].append("not a mapping"),
        lambda c: c["events"].append({"type": "nope", "date": "2022-01-03"}),
        lambda c: c["events"][0].update(date=None),
        lambda c: c["events"][0].update(date=dt.datetime(2022, 1, 3, 10, 0)),
        lambda c: c["events"][0].update(id=None),
        lambda c: c["events"][0].update(id=True),
        lambda c: c["events"][0].update(id="1203901234"),
        lambda c: c["events"][0].update(id=" "),
        lambda c: c["events"][0].update(id="x" * 201),
        lambda c: c["events"][0].update(ref="nothing"),
        lambda c: c["events"][0].update(nofield=None),
        lambda c: c["events"].extend([{**c["events"][0], "id": "D"}, {**c["events"][0], "id": "D"}]),
    ):
        variant = copy.deepcopy(case)
        change(variant)
        out.append(variant)
    return out


def test_malformed_cases_fall_back_with_the_same_errors() -> None:
    contract, case = _base()
    assert same_case(contract, case)
    for variant in _mutations(case):
        with pytest.raises(Unusual):
            fast_path(contract, variant)
        read_alike(contract, variant)


def test_fast_reader_keeps_the_as_of_override_and_later_events() -> None:
    contract, case = _base()
    day = dt.date(2020, 1, 1)
    assert read_case(case, contract, as_of=day) == careful(case, contract, as_of=day)
    assert _read_carefully(case, contract, None, None, None)[0] == "C-1"


def test_an_event_reader_runs_no_text_of_the_spec() -> None:
    """A field whose name is Python text is read as a key like any other: the generated reader holds the
    spec's names as constants only."""
    import dataclasses

    from rulekit.runtime.readfast import event_reader

    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    decl = contract.events["invoice_sent"]
    odd = "x'] = 1; raise SystemExit  # "
    fields = {(odd if name == "amount" else name): field for name, field in decl.fields.items()}
    read = event_reader(dataclasses.replace(decl, fields=fields))
    day = dt.date(2021, 3, 1)
    by_id: dict[str, Any] = {}
    event = read({"type": "invoice_sent", "date": "2021-03-01", odd: 10, "id": "F-1"}, day, 4, by_id, [])
    assert event == {"type": "invoice_sent", "date": day, odd: Decimal(10), "id": "F-1", "_at": 4, "_key": "F-1"}
    assert by_id == {"F-1": event}
    assert read({"type": "invoice_sent", "date": "2021-03-01"}, day, 0, {}, [])["_key"] == 0  # no id: its index
    for bad in ({"amount": 5}, {"id": None}, {odd: -1}, {"ref": "F-0"}, {"id": "F-1"}):
        # undeclared key, null id, below 0, a `ref` on a type that answers nothing, a duplicate id
        with pytest.raises(Unusual):
            read({"type": "invoice_sent", "date": "2021-03-01", **bad}, day, 0, by_id, [])


def test_an_answer_is_noted_with_what_it_may_answer() -> None:
    from rulekit.runtime.readfast import event_reader

    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    read = event_reader(contract.events["payment_made"])
    day, answers = dt.date(2021, 3, 1), list[Any]()
    paid = read({"type": "payment_made", "date": "2021-03-01", "amount": 5, "ref": "F-1"}, day, 1, {}, answers)
    loose = read({"type": "payment_made", "date": "2021-03-01", "amount": 5}, day, 2, {}, answers)
    assert answers == [(paid, contract.events["payment_made"].answers), (loose, None)]


def test_an_event_with_every_field_is_read_as_one_dict_like_the_others() -> None:
    """The usual event (every declared field given, no id, no ref) is made in one step: the same record,
    keys in the same order, as the key-by-key lines give an event with an id; bad values are still refused."""
    from rulekit.runtime.readfast import event_reader

    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    read = event_reader(contract.events["invoice_sent"])
    day = dt.date(2021, 3, 1)
    whole = read({"type": "invoice_sent", "date": "2021-03-01", "amount": 5, "complete": True}, day, 3, {}, [])
    with_id = read({"type": "invoice_sent", "date": "2021-03-01", "complete": True, "amount": 5, "id": "F"},
                   day, 3, {}, [])
    assert list(whole.items()) == [("type", "invoice_sent"), ("date", day), ("amount", Decimal(5)),
                                   ("complete", True), ("_at", 3), ("_key", 3)]
    assert [k for k in with_id if k != "id"] == list(whole)
    for bad in ({"amount": -1}, {"amount": "five"}, {"complete": "yes"}, {"amount": Decimal("NaN")}):
        with pytest.raises(Unusual):
            read({"type": "invoice_sent", "date": "2021-03-01", "amount": 5, "complete": True, **bad}, day, 0, {}, [])
    answers: list[Any] = []
    paid = event_reader(contract.events["payment_made"])(
        {"type": "payment_made", "date": "2021-03-01", "amount": Decimal("2.50")}, day, 1, {}, answers)
    assert paid["amount"] == Decimal("2.50") and answers == [(paid, None)]  # no ref: linked by its match mode
