"""The HTML case and portfolio reports and the contract handbook, without a browser: one self-contained,
well-formed page; the timeline carries every instance's due date; amounts fold open; texts are escaped; the
receipt names the engine and the spec's sha256; the handbook in HTML and Markdown covers every rule."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rulekit import __version__, evaluate_case, load_contract
from rulekit.cli import main
from rulekit.explain.handbook import handbook_html, handbook_markdown
from rulekit.explain.report import case_report

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
DEMANDS = {"case": "THREE", "contract": "instances", "as_of": "2021-04-26", "facts": {"late_value": 24000},
           "events": [{"type": "documentation_requested", "date": "2021-03-31", "id": "D1"},
                      {"type": "documentation_requested", "date": "2021-04-06", "id": "D2"},
                      {"type": "documentation_requested", "date": "2021-04-20", "id": "D3"},
                      {"type": "documentation_delivered", "date": "2021-04-09", "ref": "D1"},
                      {"type": "documentation_delivered", "date": "2021-04-15", "ref": "D2"}]}


class _Page(HTMLParser):
    VOID = frozenset({"meta", "br", "path", "circle", "line", "rect", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    assert page.stack == [], f"unclosed: {page.stack}"
    return page


def self_contained(html: str) -> None:
    assert html.startswith("<!doctype html>")
    assert not re.search(r"""(src|href)=["']https?:""", html)
    assert "<script" not in html and "@import" not in html and "url(" not in html


@pytest.fixture(scope="module")
def instances():  # type: ignore[no-untyped-def]
    return load_contract(TESTS / "data" / "instances.yaml")


def test_case_report_of_several_demands(instances) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(instances, DEMANDS, lang="da")
    html = case_report(result)
    self_contained(html)
    page = parse(html)
    dues = {a["data-date"] for t, a in page.tags if t == "path" and "due" in (a.get("class") or "")}
    assert dues == {"2021-04-12", "2021-04-13", "2021-04-27"}
    text = " ".join(page.text)
    for instance in ("[D1]", "[D2]", "[D3]"):
        assert instance in text
    assert "overholdt" in text and "overskredet" in text and "afventer" in text
    assert "6.000,00 kr." in text
    assert sum(1 for t, _ in page.tags if t == "details") >= 3  # each amount and obligation folds open
    assert __version__ in text and instances.sha256 in text
    assert "skærtorsdag" in text.lower()  # a holiday marked on the timeline


def test_case_report_escapes_what_it_is_given(instances) -> None:  # type: ignore[no-untyped-def]
    html = case_report(evaluate_case(instances, {**DEMANDS, "case": "<script>x</script> & co"}))
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; co" in html
    parse(html)


def test_case_report_in_english(instances) -> None:  # type: ignore[no-untyped-def]
    page = parse(case_report(evaluate_case(instances, DEMANDS, lang="en")))
    text = " ".join(page.text)
    assert "Timeline" in text and "Reproducibility receipt" in text and "DKK 6,000.00" in text


def test_case_report_lists_the_named_values() -> None:
    """A case's named values (a value rule's, one per element with `each`) are in the report with their derivation."""
    kbh = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    result = evaluate_case(kbh, {
        "case": "V", "as_of": "2022-05-31", "facts": {"late_payment_interest_rate": 8}, "events": [
            {"type": "unapproved_subcontractor_used", "date": "2022-02-15"},
            {"type": "invoice_sent", "id": "F1", "date": "2022-03-01", "amount": 100000, "complete": True},
            {"type": "set_off_made", "id": "M1", "ref": "F1", "date": "2022-03-31", "amount": 15000,
             "against": "penalty"}]}, lang="en")
    page = parse(case_report(result))
    text = " ".join(" ".join(page.text).split())
    assert "Values" in text and "The part of a set-off covered by Ordregiver's claim [M1]" in text
    assert "DKK 10,000.00" in text and "computed as:" in text
    assert any(t == "table" and a.get("class") == "values" for t, a in page.tags)


def test_report_command_for_a_case_and_a_portfolio(tmp_path: Path) -> None:
    kbh = ROOT / "contracts" / "kobenhavn.yaml"
    out = tmp_path / "case.html"
    assert main(["report", str(kbh), str(ROOT / "examples" / "kobenhavn" / "late-payment-christmas.yaml"),
                 "-o", str(out)]) == 0
    self_contained(out.read_text(encoding="utf-8"))
    out = tmp_path / "portfolio.html"
    assert main(["report", str(ROOT / "contracts" / "hedensted.yaml"),
                 str(ROOT / "examples" / "hedensted" / "portfolio.yaml"), "-o", str(out), "--lang", "en"]) == 0
    html = out.read_text(encoding="utf-8")
    self_contained(html)
    page = parse(html)
    text = " ".join(page.text)
    assert "Settlements" in text and "Statistics per period" in text
    assert any(t == "svg" and "chart" in (a.get("class") or "") for t, a in page.tags)
    assert "2023-Q4" in text


def test_report_to_a_missing_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(ROOT / "contracts" / "kobenhavn.yaml"),
                 str(ROOT / "examples" / "kobenhavn" / "late-payment-christmas.yaml"),
                 "-o", str(tmp_path / "nowhere" / "r.html")])
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


def test_explain_html_is_the_case_report(capsys: pytest.CaptureFixture[str]) -> None:
    kbh = ROOT / "contracts" / "kobenhavn.yaml"
    assert main(["explain", str(kbh), str(ROOT / "examples" / "kobenhavn" / "late-documentation-easter.yaml"),
                 "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert 'class="timeline"' in html and "Tidslinje" in html


@pytest.mark.parametrize("name", ["kobenhavn", "hedensted", "rudersdal"])
def test_handbook_covers_every_rule(name: str) -> None:
    contract = load_contract(ROOT / "contracts" / f"{name}.yaml")
    html = handbook_html(contract, "da")
    self_contained(html)
    page = parse(html)
    ids = {a.get("id") for t, a in page.tags if t == "div" and "rule" in (a.get("class") or "")}
    assert ids == {f"rule-{r.id}" for r in contract.rules}
    text = " ".join(page.text)
    assert "Dækning af klausuler" in text and "Parametre" in text
    for param in contract.parameters.values():
        assert param.title.get("da") in text


def test_handbook_markdown_and_its_command(tmp_path: Path) -> None:
    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    md = handbook_markdown(contract, "en")
    assert md.startswith("# Framework agreement")
    assert "## Clause coverage" in md and "| Document | Rules | Sections cited by rules |" in md
    assert "Christmas Eve" in md  # the contract's own closed days
    out = tmp_path / "handbook.md"
    assert main(["handbook", str(ROOT / "contracts" / "kobenhavn.yaml"), "-o", str(out), "--lang", "en"]) == 0
    assert out.read_text(encoding="utf-8") == md
    html = tmp_path / "handbook.html"
    assert main(["handbook", str(ROOT / "contracts" / "kobenhavn.yaml"), "-o", str(html)]) == 0
    assert "<h1>Rammeaftale om køb af indsats" in html.read_text(encoding="utf-8")
