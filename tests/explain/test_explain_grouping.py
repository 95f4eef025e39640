"""Explanations read as the expression computes: brackets the writer gave stay, and a local name is called by its
own name (never by a phrase of the explanations' vocabulary, nor mistaken for a key such as `due`)."""

from __future__ import annotations

from pathlib import Path

from rulekit import evaluate_case, load_contract
from rulekit.explain import render_text

ROOT = Path(__file__).parent.parent.parent
RULES = """\
  - id: grouped
    kind: penalty
    title: {da: Gruppering, en: Grouping}
    source: {doc: k, section: "pkt. 9", quote: "pr. dag"}
    remedies: doc_deadline
    applies_when: doc_deadline.breached
    let:
      extended: doc_deadline.late_days - 1
      due: late_value / 90
    amount: (late_value + 100 DKK) * (doc_deadline.late_days - 2) / 10 + -(due - 4 DKK) + extended * 1 DKK
"""


def spec(tmp_path: Path) -> Path:
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8").replace(
        "imports: [../../rules/danish_calendars.yaml]",
        f"imports: [{(ROOT / 'rules' / 'danish_calendars.yaml').as_posix()}]")
    path = tmp_path / "grouping.yaml"
    path.write_text(text.replace("rules:\n", "rules:\n" + RULES, 1), encoding="utf-8")
    return path


def explained(tmp_path: Path, lang: str) -> str:
    contract = load_contract(spec(tmp_path))
    result = evaluate_case(contract, {"case": "G-1", "as_of": "2021-04-20", "facts": {"late_value": 900},
                                      "events": [{"type": "demanded", "date": "2021-03-31"},
                                                 {"type": "delivered", "date": "2021-04-14"}]}, lang=lang)
    [amount] = [a for a in result.penalties if a.rule.id == "grouped"]
    # due 12/4, delivered 14/4: 2 days late → (900 + 100) × 0 / 10 − 6 + 1 = −5
    assert str(amount.amount) == "-5.00"
    return render_text(result, "grouped")


def test_brackets_the_writer_gave_are_kept(tmp_path: Path) -> None:
    text = explained(tmp_path, "en")
    assert "(DKK 900.00 + DKK 100.00) × (2 − 2) / 10" in text
    assert "−(DKK 10.00 − DKK 4.00)" in text or "−(due − DKK 4.00)" in text, text


def test_a_local_name_is_called_by_its_name(tmp_path: Path) -> None:
    for lang in ("da", "en"):
        text = explained(tmp_path, lang)
        assert "├─ extended: 2 − 1 = 1" in text.replace("2 dage − 1", "2 − 1"), text
        assert "{" not in text  # no phrase of the vocabulary with its blanks
        # its own line (the word for it, when the explanations have one), not taken for a deadline's due date
        line = "├─ due: DKK 900.00 / 90" if lang == "en" else "├─ frist: 900,00 kr. / 90"
        assert line in text


EASTER_CASE = {"case": "G-1", "as_of": "2021-04-20", "facts": {"late_value": 900},
               "events": [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]}


def penalty_on_doc_deadline(tmp_path: Path, rule_id: str, title: str, body: str) -> Path:
    """The grouping spec with one more penalty remedying the documentation deadline: `body` is its let and amount."""
    path = spec(tmp_path)
    rule = (f"  - id: {rule_id}\n    kind: penalty\n    title: {title}\n"
            '    source: {doc: k, section: "pkt. 9", quote: "pr. dag"}\n'
            f"    remedies: doc_deadline\n    applies_when: doc_deadline.breached\n{body}")
    path.write_text(path.read_text(encoding="utf-8").replace("rules:\n", "rules:\n" + rule, 1), encoding="utf-8")
    return path


def test_a_local_name_with_a_title_is_called_by_it(tmp_path: Path) -> None:
    """`let: {NAME: {value: …, title: …}}`: its line says the title, in the result's language; a name without one
    keeps its own name."""
    contract = load_contract(penalty_on_doc_deadline(tmp_path, "titled", "{da: Med titler, en: With titles}", """\
    let:
      extended:
        value: doc_deadline.late_days - 1
        title: {da: dage ud over den første, en: days after the first}
      plain: late_value / 90
    amount: extended * 1 DKK + plain
"""))
    assert contract.rule("titled").options["let_titles"]["extended"].en == "days after the first"
    for lang, line in (("en", "├─ days after the first: 2 − 1 = 1"), ("da", "├─ dage ud over den første: 2 − 1 = 1")):
        result = evaluate_case(contract, EASTER_CASE, lang=lang)
        [amount] = [a for a in result.penalties if a.rule.id == "titled"]
        assert str(amount.amount) == "11.00"  # 2 days late: 1 × 1 + 900 / 90
        text = render_text(result, "titled").replace("2 dage − 1", "2 − 1")
        assert line in text, text
        assert "plain: " in text  # no title: its own name
        assert "extended" not in text


def test_an_evaluated_if_keeps_its_brackets_around_the_branch_it_took(tmp_path: Path) -> None:
    """An if/else that was evaluated reads as the branch it took; inside a product that branch is a sum, so it is
    bracketed as the writer's brackets grouped it — in the plain reading and in the filled-in expression alike."""
    path = penalty_on_doc_deadline(tmp_path, "chosen", "{da: Valgt gren, en: Chosen branch}", """\
    amount: (if late_value > 0 DKK then late_value + 100 DKK else 0 DKK) * doc_deadline.late_days
""")
    result = evaluate_case(load_contract(path), EASTER_CASE, lang="en")
    [amount] = [a for a in result.penalties if a.rule.id == "chosen"]
    assert str(amount.amount) == "2000.00"  # (900 + 100) × 2 working days late
    text = render_text(result, "chosen", detail=True)
    assert "amount: (DKK 900.00 + DKK 100.00) × 2 = DKK 2,000.00" in text, text
    assert "= (DKK 900.00 + DKK 100.00) × 2" in text.split("expression:", 1)[1], text


def test_a_where_condition_reads_each_element_not_the_last_ones_values(tmp_path: Path) -> None:
    """What a `where` reads of its element differs from one element to the next: its line says 'its date', not
    the last element's date (the trace holds only the last); values that do not depend on the element stay."""
    contract = load_contract(penalty_on_doc_deadline(tmp_path, "filtered", "{da: Filtreret, en: Filtered}", """\
    let:
      recent: demanded where it.date > 2021-03-01 and it.date < first(delivered).date
      close: "demanded where d: d.date >= doc_deadline.due - 30 days"
    amount: count(recent) * 100 DKK + count(close) * 1 DKK
"""))
    events = [{"type": "demanded", "date": "2021-03-31"}, {"type": "demanded", "date": "2021-04-02"},
              {"type": "delivered", "date": "2021-04-14"}]
    case = {**EASTER_CASE, "events": events}
    for lang, recent, close in (
            ("en", "where its date > 1 March 2021 and its date < 14 April 2021 =",
             "where its date ≥ 12 April 2021 − 30 days ="),
            ("da", "hvor den enkeltes dato > 01.03.2021 og den enkeltes dato < 14.04.2021 =",
             "hvor den enkeltes dato ≥ 12.04.2021 − 30 dage =")):
        result = evaluate_case(contract, case, lang=lang)
        [amount] = [a for a in result.penalties if a.rule.id == "filtered"]
        assert str(amount.amount) == "202.00"
        text = render_text(result, "filtered")
        assert recent in text and close in text, text
        assert "2 April 2021 >" not in text and "02.04.2021 >" not in text  # never the last element's value
