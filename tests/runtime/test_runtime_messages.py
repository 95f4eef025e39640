"""A failed check's message and compared figures: what is the same for every case (the message's parts,
the comparisons of its `assert`) is worked out once per rule and language; the values are each case's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rulekit import evaluate_case, load_contract

ROOT = Path(__file__).parent.parent.parent


def _finding(contract: Any, order: tuple[str, str], lang: str) -> Any:
    case = {"case": "K-1", "contract": "kobenhavn", "offering": "A1-1B", "as_of": "2022-06-01",
            "facts": {"order_start": order[0], "order_end": order[1]}}
    result = evaluate_case(contract, case, trace=False, lang=lang)
    (found,) = [f for f in result.findings if f.rule is not None and f.rule.id == "duration_within_typical"]
    return found


def test_each_case_gets_its_own_figures_in_its_language() -> None:
    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    first = _finding(contract, ("2021-01-04", "2021-09-30"), "da")
    again = _finding(contract, ("2021-02-01", "2021-10-29"), "da")  # the cached parts, other values
    english = _finding(contract, ("2021-01-04", "2021-09-30"), "en")
    assert first.message == "Ordren 04.01.2021–30.09.2021 er længere end den typiske varighed for " \
        + contract.offerings["A1-1B"].title.get("da")
    assert again.message.startswith("Ordren 01.02.2021–29.10.2021 ")
    assert english.message == "The order 4 January 2021–30 September 2021 is longer than the typical " \
        "duration of " + contract.offerings["A1-1B"].title.get("en")
    (compared,) = first.compared
    assert compared["op"] == "<=" and compared["left_text"] == "order_end"
    assert str(compared["left"]) == "2021-09-30" and str(compared["right"]) == "2021-07-05"  # + 26 weeks
    assert str(again.compared[0]["left"]) == "2021-10-29"


def test_a_list_in_a_message_reads_as_a_sentence() -> None:
    """A message's hole holding a list says it as prose ("1 og 2"), each element by its type, not as "[1, 2]"."""
    from decimal import Decimal

    from rulekit.dsl import types as t
    from rulekit.format import Formatter

    da, en = Formatter("da"), Formatter("en")
    assert da.said([1, 2]) == "1 og 2" and en.said([1, 2, 3]) == "1, 2 and 3"
    assert da.said([4]) == "4" and da.said([]) == "ingen" and en.said([]) == "none"
    money = t.list_of(t.MONEY)
    assert en.said([Decimal(3000), Decimal("12.5")], money) == "DKK 3,000.00 and DKK 12.50"
    assert da.said(list(range(12))).endswith("8, 9 og 2 flere")
    assert da.said(Decimal(3000), t.MONEY) == da.value(Decimal(3000), t.MONEY)  # not a list: as value() says it


def test_the_knowledge_report_names_its_short_areas_in_words() -> None:
    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    case = {"case": "K-2", "contract": "kobenhavn", "as_of": "2022-03-01",
            "facts": {"delivers_area_1": True, "delivers_area_2": True},
            "events": [{"type": "knowledge_report_submitted", "date": "2022-02-01", "sampled_area_1": 3,
                        "sampled_area_2": 4}]}
    result = evaluate_case(contract, case, trace=False)
    (found,) = [f for f in result.findings if f.rule is not None and f.rule.id == "knowledge_report_sample_size"]
    assert "fra udbudsområde 1 og 2;" in found.message, found.message


@pytest.mark.parametrize(("value", "da", "en"), [
    ("11.58773777777777777777777777", "11,588", "11.588"),   # an average: three decimals
    ("0.0002191780821917808219178082", "0,000219", "0.000219"),  # below 1: three significant digits
    ("2.0000000000", "2", "2"),
    ("0.1234", "0,1234", "0.1234"),  # as typed (six decimals or fewer): whole
])
def test_a_quotients_digits_are_shown_short(value: str, da: str, en: str) -> None:
    """Text reports and messages show a quotient's 28 digits as explanations do, not all of them."""
    from decimal import Decimal

    from rulekit.format import Formatter

    assert (Formatter("da").number(Decimal(value)), Formatter("en").number(Decimal(value))) == (da, en)
