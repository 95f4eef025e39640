"""JSON and HTML explanations: the same derivation, as data and as a page; skipped days come with reasons."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rulekit import evaluate_case, load_contract
from rulekit.explain.data import explanation_json, trace_json
from rulekit.explain.html import render_html
from rulekit.explain.text import render_text

TESTS = Path(__file__).resolve().parents[1]
EASTER = {"case": "KBH-EASTER", "as_of": "2021-05-01", "facts": {"late_value": 24000},
          "events": [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]}
# deadlines.yaml: fre 17.12.2021 + 5 arbejdsdage over Christmas; delivered 4 January 2022
CHRISTMAS = {"case": "XMAS", "as_of": "2022-02-01",
             "events": [{"type": "demanded", "date": "2021-12-17"}, {"type": "delivered", "date": "2022-01-04"}]}


@pytest.fixture(scope="module")
def mini():  # type: ignore[no-untyped-def]
    return load_contract(TESTS / "data" / "mini.yaml")


@pytest.fixture(scope="module")
def deadlines():  # type: ignore[no-untyped-def]
    return load_contract(TESTS / "fixtures" / "deadlines.yaml")


def steps(doc: dict, rule: str, key: str) -> list[dict]:  # type: ignore[type-arg]
    node = next(n for n in doc["trace"] if n["rule"] == rule)
    return [s for s in node["steps"] if s["step"] == key]


# JSON ---------------------------------------------------------------------------------------------

def test_json_explanation_is_plain_json_with_tree_and_trace(mini) -> None:  # type: ignore[no-untyped-def]
    doc = explanation_json(evaluate_case(mini, EASTER, lang="en"))
    assert json.loads(json.dumps(doc)) == doc
    assert (doc["case"], doc["lang"]) == ("KBH-EASTER", "en")
    (root,) = doc["tree"]
    assert root["text"].startswith("Penalty DKK 6,000.00")
    assert {n["rule"] for n in doc["trace"]} == {"doc_deadline", "doc_penalty"}


def test_json_lists_skipped_days_with_reasons(mini) -> None:  # type: ignore[no-untyped-def]
    doc = explanation_json(evaluate_case(mini, EASTER, lang="da"))
    (due,) = steps(doc, "doc_deadline", "due")
    assert (due["start"], due["due"], due["n"], due["unit"]) == ("2021-03-31", "2021-04-12", 5, "working_days")
    skipped = {d["date"]: (d["reason"], d["name"]) for d in due["off"]}
    assert skipped["2021-04-01"] == ("holiday", "Skærtorsdag")
    assert skipped["2021-04-02"] == ("holiday", "Langfredag")
    assert skipped["2021-04-05"] == ("holiday", "Anden påskedag")
    (late,) = steps(doc, "doc_deadline", "late")
    assert late["days"] == ["2021-04-13", "2021-04-14"]
    assert late["late_days"] == 2 and late["open"] is False


def test_json_contract_days_and_holidays_over_christmas(deadlines) -> None:  # type: ignore[no-untyped-def]
    doc = explanation_json(evaluate_case(deadlines, CHRISTMAS, lang="en"), "doc_deadline")
    (due,) = steps(doc, "doc_deadline", "due")
    skipped = {d["date"]: (d["reason"], d["name"]) for d in due["off"]}
    assert skipped["2021-12-24"] == ("contract", "Christmas Eve")
    assert skipped["2021-12-25"][0] == "holiday" and skipped["2021-12-26"][0] == "holiday"
    (late,) = steps(doc, "doc_deadline", "late")
    assert late["days"] == ["2021-12-28", "2021-12-29", "2021-12-30", "2022-01-03", "2022-01-04"]
    off = {d["date"]: d["reason"] for d in late["off"]}
    assert off["2021-12-31"] == "contract"
    assert off["2022-01-01"] == "holiday"


def test_json_formulas_carry_expression_and_values(mini) -> None:  # type: ignore[no-untyped-def]
    doc = explanation_json(evaluate_case(mini, EASTER, lang="da"))
    rate = next(s["formula"] for s in steps(doc, "doc_penalty", "formula") if s["formula"]["label"] == "rate")
    assert rate["expr"] == "max(rate * (late_value ?? 0 DKK), minimum_per_day)"
    assert rate["with_values"] == "max(10 % × 24.000,00 kr., 3.000,00 kr.)"
    assert rate["value"] == "3000.00" and rate["type"] == "money"


def test_json_for_one_rule_only(mini) -> None:  # type: ignore[no-untyped-def]
    doc = explanation_json(evaluate_case(mini, EASTER), "doc_deadline")
    assert [n["rule"] for n in doc["trace"]] == ["doc_deadline"]
    assert doc["tree"][0]["text"].startswith("Frist: Dokumentation — overskredet")


def test_trace_json_of_every_node(mini) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(mini, EASTER, lang="en")
    for node in result.trace:
        data = trace_json(node, "en")
        json.dumps(data)
        assert data["source"]["doc"] == "k"


# HTML ---------------------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], f"unclosed tags: {parser.stack}"
    return parser


def test_html_is_a_self_contained_well_formed_page(mini) -> None:  # type: ignore[no-untyped-def]
    html = render_html(evaluate_case(mini, EASTER, lang="da"))
    assert html.startswith("<!doctype html>")
    assert '<html lang="da">' in html
    tags = parse(html)
    assert "script" not in tags.tags
    assert tags.tags.count("ul") >= 3  # nested: penalty → deadline → skipped days
    text = "".join(tags.text)
    assert "Bod 6.000,00 kr. — Dagbod" in text
    assert "tors 01.04.2021 (helligdag: Skærtorsdag)" in text
    assert "forsinkelse: 2 arbejdsdage" in text


def test_html_has_the_same_lines_as_the_text(mini) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(mini, EASTER, lang="en")
    text_lines = [re.sub(r"^[│├└─ ]+", "", line) for line in render_text(result).splitlines() if line.strip()]
    html_text = "\n".join(parse(render_html(result)).text)
    for line in text_lines:
        assert line in html_text


def test_html_escapes_case_ids_and_texts(mini) -> None:  # type: ignore[no-untyped-def]
    html = render_html(evaluate_case(mini, {**EASTER, "case": "<script>alert('x')</script> & co"}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; co" in html
    parse(html)


def test_html_in_english_for_one_rule(mini) -> None:  # type: ignore[no-untyped-def]
    html = render_html(evaluate_case(mini, EASTER, lang="en"), "doc_deadline")
    assert '<html lang="en">' in html
    text = "".join(parse(html).text)
    assert "Deadline: Documentation — breached" in text
    assert "Penalty" not in text
    assert "Good Friday" in text


# other kinds in text --------------------------------------------------------------------------------

def test_text_shows_the_days_a_roll_passed_over(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, {"case": "R", "as_of": "2022-01-20",
                                       "events": [{"type": "ordered", "date": "2021-12-14"}]}, lang="en")
    text = render_text(result, "ship_working")
    assert "due Fri 24 December 2021 = Tue 14 December 2021 + 10 days" in text
    assert ("due date moved from Fri 24 December 2021 to Mon 27 December 2021: "
            "Fri 24 December 2021 (contract day: Christmas Eve), Sat 25 December 2021 (public holiday: Christmas Day)"
            ) in text
    assert "late until Thu 20 January 2022 (not yet fulfilled)" in text
    month = render_text(result, "ship_month")
    assert "due date moved from Fri 14 January 2022 to Mon 31 January 2022 (to the end of the month)" in month


def test_text_for_recurring_duties_and_judgements() -> None:
    duties = load_contract(TESTS / "fixtures" / "duties.yaml")
    events = [("course_started", "2021-03-03"), ("contact", "2021-03-05"), ("followup", "2021-03-10"),
              ("followup", "2021-03-27"), ("complaint", "2021-03-04")]
    data = {"case": "D", "as_of": "2021-03-28", "events": [{"type": t, "date": d} for t, d in events]
            + [{"type": "judgement", "date": "2021-03-20", "rule": "complaint_handled", "outcome": "breached",
                "note": "for sent"}]}
    text = render_text(evaluate_case(duties, data))
    assert "Løbende krav: Ugentlig kontakt — ikke overholdt" in text  # "overskredet" is for deadlines
    assert "4 vinduer, 3 uden nok hændelser" in text
    assert "man 08.03.2021 – søn 14.03.2021: ingen" in text
    assert "ons 10.03.2021 → lør 27.03.2021 (højst til ons 24.03.2021)" in text
    assert "vurderet lør 20.03.2021: overskredet — for sent" in text
    pending = render_text(evaluate_case(duties, {**data, "events": data["events"][:-1]}, lang="en"),
                          "complaint_handled")
    assert "needs a recorded judgement («Vurdering»)" in pending
