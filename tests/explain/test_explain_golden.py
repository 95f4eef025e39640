"""Golden explanations (Danish and English) of the late-documentation penalty over Easter 2021, and golden
renderings of error messages. Regenerate with RULEKIT_UPDATE_GOLDEN=1."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_support import check_golden

from rulekit import evaluate_case, load_contract
from rulekit.errors import RulekitError
from rulekit.explain.text import render_text
from rulekit.runtime import read_case
from rulekit.runtime.case import span_locator
from rulekit.spec.yamlsource import load_yaml

TESTS = Path(__file__).resolve().parents[1]
MINI = TESTS / "data" / "mini.yaml"
CALENDARS = TESTS.parent / "rules" / "danish_calendars.yaml"

EASTER = {"case": "KBH-EASTER", "contract": "mini", "as_of": "2021-05-01", "facts": {"late_value": 24000},
          "events": [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]}


@pytest.fixture(scope="module")
def mini():  # type: ignore[no-untyped-def]
    return load_contract(MINI)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_easter_penalty_explanation(mini, lang: str) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(mini, EASTER, lang=lang)
    text = render_text(result)
    check_golden(f"explain_easter_{lang}.txt", text)


def test_easter_penalty_figures_in_danish(mini) -> None:  # type: ignore[no-untyped-def]
    """What the golden file must say, spelled out (so a regenerated golden cannot silently lose it)."""
    text = render_text(evaluate_case(mini, EASTER, lang="da"))
    assert text.splitlines()[0].startswith("Bod 6.000,00 kr. — Dagbod")
    assert "frist man 12.04.2021 = ons 31.03.2021 + 5 arbejdsdage" in text
    for skipped in ("tors 01.04.2021 (helligdag: Skærtorsdag)", "fre 02.04.2021 (helligdag: Langfredag)",
                    "man 05.04.2021 (helligdag: Anden påskedag)"):
        assert skipped in text
    assert "forsinkelse: 2 arbejdsdage (tirs 13.04.2021, ons 14.04.2021)" in text
    assert "sats: det største af 10 % × 24.000,00 kr. og 3.000,00 kr. = 3.000,00 kr." in text
    assert ("Påkrav ons 31.03.2021; frist 5 arbejdsdage → man 12.04.2021 (skærtorsdag, langfredag og anden "
            "påskedag tæller ikke); Leveret ons 14.04.2021: 2 arbejdsdage for sent") in text
    assert "2 × 3.000,00 kr. = 6.000,00 kr." in text


def test_easter_penalty_figures_in_english(mini) -> None:  # type: ignore[no-untyped-def]
    text = render_text(evaluate_case(mini, EASTER, lang="en"))
    assert text.splitlines()[0].startswith("Penalty DKK 6,000.00 — Daily penalty")
    assert "due Mon 12 April 2021 = Wed 31 March 2021 + 5 working days" in text
    for skipped in ("Thu 1 April 2021 (public holiday: Maundy Thursday)",
                    "Fri 2 April 2021 (public holiday: Good Friday)",
                    "Mon 5 April 2021 (public holiday: Easter Monday)"):
        assert skipped in text
    assert "late by: 2 working days (Tue 13 April 2021, Wed 14 April 2021)" in text
    assert "2 × DKK 3,000.00 = DKK 6,000.00" in text
    assert "rate: the greater of 10% × DKK 24,000.00 and DKK 3,000.00 = DKK 3,000.00" in text


def test_explanation_of_one_rule(mini) -> None:  # type: ignore[no-untyped-def]
    text = render_text(evaluate_case(mini, EASTER, lang="en"), "doc_deadline")
    assert text.startswith("Deadline: Documentation — breached")
    assert "Penalty" not in text


def test_nothing_to_explain(mini) -> None:  # type: ignore[no-untyped-def]
    met = {**EASTER, "events": [{"type": "demanded", "date": "2021-03-31"},
                                {"type": "delivered", "date": "2021-04-01"}]}
    assert render_text(evaluate_case(mini, met, lang="en")) == "KBH-EASTER: nothing to explain\n"
    assert render_text(evaluate_case(mini, met)) == "KBH-EASTER: intet at forklare\n"


# error messages ---------------------------------------------------------------------------------

def _mini_variant(old: str, new: str) -> str:
    text = MINI.read_text(encoding="utf-8").replace("../../rules/danish_calendars.yaml", str(CALENDARS))
    assert old in text
    return text.replace(old, new, 1)


SPEC_ERRORS = {
    "E201_unknown_name": ("rate: max(rate * (late_value ??", "rate: max(rate * (late_valu ??"),
    "E203_unit_error": ("units: doc_deadline.late_working_days", "units: doc_deadline.late_working_days + 3 DKK"),
    "E010_malformed_yaml": ("currency: DKK", "currency: DKK: x"),
    "E015_duplicate_key": ("currency: DKK\n", "currency: DKK\ncurrency: DKK\n"),
    "E100_unknown_key": ("currency: DKK", "curency: DKK"),
    "E102_bad_default": ("default: literal", "default: literl"),
    "E105_deadline_shape": ("    period: 5 working_days\n", ""),
}


@pytest.mark.parametrize("name", list(SPEC_ERRORS))
def test_spec_error_message(name: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(_mini_variant(*SPEC_ERRORS[name]), encoding="utf-8")
    with pytest.raises(RulekitError) as info:
        load_contract("spec.yaml")
    check_golden(f"error_{name}.txt", "\n".join(d.render() for d in info.value.diagnostics) + "\n")


CASE_FILE = """case: C1
contract: mini
as_of: 2021-05-01
facts: {late_valu: 24000}
events:
  - {type: demanded, date: 2021-03-31, extension: -2}
  - {type: delivred, date: 2021-04-14}
"""


def test_input_error_messages(mini, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("case.yaml").write_text(CASE_FILE, encoding="utf-8")
    doc = load_yaml(Path("case.yaml"), kind="input")
    with pytest.raises(RulekitError) as info:
        read_case(doc.data, mini, locate=span_locator(doc))
    check_golden("error_E300_case_file.txt", "\n".join(d.render() for d in info.value.diagnostics) + "\n")


def test_assumption_error_messages(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RulekitError) as info:
        evaluate_case(mini, EASTER, assume={"rol": "x", "roll": "arbejdsdg"})
    check_golden("error_E310_E311_assume.txt", "\n".join(d.render() for d in info.value.diagnostics) + "\n")
