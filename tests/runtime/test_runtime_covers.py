"""`covers:` and the match modes earliest_uncovered / latest_uncovered: what an answer answers stays open for
matching until its answers' field reaches its own — a payment without `ref` pays the oldest invoice not yet paid in
full, not the oldest without a payment (earliest_open, which ignores `covers:`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from runtime_support import spec_header

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError

HEAD = spec_header("covering", "2021-01-01") + """\
inputs:
  events:
    invoice_sent: {title: Faktura, repeatable: true, fields: {amount: {type: money, title: Beløb}}}
    payment_made:
      title: Betaling
      repeatable: true
      answers: invoice_sent
      match: MATCH
      COVERS
      fields: {amount: {type: money, title: Beløb}}
rules:
  - id: payment_due
    kind: deadline
    title: {da: Betaling, en: Payment}
    source: {doc: k, section: "pkt. 5", quote: "30 dage"}
    obliged: buyer
    each: invoice_sent
    let:
      paid: answers(item, payment_made)
    due: item.date + 30 days
    fulfilled: "first(paid where p: sum((paid where it.date <= p.date).amount) >= item.amount).date"
"""


def spec(tmp_path: Path, covers: str = "covers: amount", match: str = "earliest_uncovered") -> Path:
    path = tmp_path / "covering.yaml"
    path.write_text(HEAD.replace("COVERS", covers or "# no covers").replace("MATCH", match), encoding="utf-8")
    return path


def case(*events: dict[str, Any]) -> dict[str, Any]:
    return {"case": "c1", "as_of": "2021-06-30", "events": list(events)}


INVOICES = ({"type": "invoice_sent", "id": "A", "date": "2021-03-01", "amount": 1000},
            {"type": "invoice_sent", "id": "B", "date": "2021-03-15", "amount": 500})


def fulfilled(contract: Any, *payments: dict[str, Any], trace: bool) -> dict[str | None, tuple[str, dt.date | None]]:
    result = evaluate_case(contract, case(*INVOICES, *payments), trace=trace)
    return {o.instance: (o.status, o.fulfilled) for o in result.obligations
            if o.rule.id == "payment_due"}


@pytest.mark.parametrize("trace", [True, False])
def test_a_rest_payment_pays_the_oldest_invoice_not_paid_in_full(tmp_path: Path, trace: bool) -> None:
    payments = ({"type": "payment_made", "date": "2021-03-20", "amount": 600},   # A: 600 of 1000
                {"type": "payment_made", "date": "2021-03-25", "amount": 400},   # A again: paid in full
                {"type": "payment_made", "date": "2021-04-01", "amount": 500})   # B
    covering = fulfilled(load_contract(spec(tmp_path)), *payments, trace=trace)
    assert covering == {"A": ("met", dt.date(2021, 3, 25)), "B": ("met", dt.date(2021, 4, 1))}
    # without covers: the second payment goes to B (no payment yet), the third to nothing; neither is paid in full
    plain = fulfilled(load_contract(spec(tmp_path, covers="", match="earliest_open")), *payments, trace=trace)
    assert plain == {"A": ("breached", None), "B": ("breached", None)}
    # without covers, an invoice is covered by its first payment: earliest_uncovered is earliest_open
    assert fulfilled(load_contract(spec(tmp_path, covers="")), *payments, trace=trace) == plain


@pytest.mark.parametrize("trace", [True, False])
def test_a_payment_with_ref_counts_from_its_date(tmp_path: Path, trace: bool) -> None:
    """A's 1000 paid by ref on 25/3: the payment of 20/3 without ref found A still open (the ref'd one came
    later), so A is overpaid and B gets nothing from it."""
    contract = load_contract(spec(tmp_path))
    got = fulfilled(contract, {"type": "payment_made", "date": "2021-03-20", "amount": 500},
                    {"type": "payment_made", "date": "2021-03-25", "amount": 1000, "ref": "A"}, trace=trace)
    assert got["A"] == ("met", dt.date(2021, 3, 25)) and got["B"][0] == "breached"


@pytest.mark.parametrize("trace", [True, False])
def test_latest_open_and_nothing_open(tmp_path: Path, trace: bool) -> None:
    contract = load_contract(spec(tmp_path, match="latest_uncovered"))
    got = fulfilled(contract, {"type": "payment_made", "date": "2021-03-20", "amount": 300},  # B: 300 of 500
                    {"type": "payment_made", "date": "2021-03-21", "amount": 200},   # B: paid in full
                    {"type": "payment_made", "date": "2021-03-22", "amount": 1000},  # A
                    trace=trace)
    assert got == {"A": ("met", dt.date(2021, 3, 22)), "B": ("met", dt.date(2021, 3, 21))}
    result = evaluate_case(contract, case(*INVOICES, {"type": "payment_made", "date": "2021-03-20", "amount": 1500},
                                          {"type": "payment_made", "date": "2021-03-21", "amount": 5}), trace=trace)
    # B is covered by the first; A is open and takes the second (latest open), nothing is left over
    assert not [f for f in result.findings if f.rule is None]
    over = evaluate_case(contract, case(INVOICES[0], {"type": "payment_made", "date": "2021-03-20", "amount": 1000},
                                        {"type": "payment_made", "date": "2021-03-21", "amount": 5}), trace=trace)
    [note] = [f for f in over.findings if f.rule is None]  # nothing open: the answer links to nothing, and says so
    assert note.severity == "warning" and note.subject == "payment_made"


@pytest.mark.parametrize(("covers", "said"), [
    ("covers: amount_x", "needs a number field of its own"),
    ("covers: {amount: total}", "which has no money field 'total'"),
])
def test_a_wrong_covers_is_a_load_error(tmp_path: Path, covers: str, said: str) -> None:
    with pytest.raises(SpecError) as info:
        load_contract(spec(tmp_path, covers=covers))
    assert "E123" in str(info.value) and said in str(info.value) and "covering.yaml:" in str(info.value)
