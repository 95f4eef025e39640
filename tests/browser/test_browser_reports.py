"""The case report, the portfolio report and the handbook in a real headless Chromium: they load with no console
errors and no network requests, the timeline shows the case's due dates, and a derivation opens on click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cdp import Browser

from rulekit.cli import main

ROOT = Path(__file__).resolve().parents[2]
KBH = ROOT / "contracts" / "kobenhavn.yaml"


def _write(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / ("page.md" if args[0] == "handbook" and "md" in args else "page.html")
    assert main([*args, "-o", str(out)]) == 0
    return out


def _loads_cleanly(browser: Browser, page: Path) -> None:
    browser.open(page)
    assert browser.errors() == []
    outside = [u for u in browser.requests() if not u.startswith(("file:", "data:", "about:"))]
    assert outside == [], f"the page fetched {outside}"
    assert browser.evaluate("document.querySelectorAll('script, link[rel=stylesheet], img[src^=http]').length") == 0


def _click_first_derivation(browser: Browser) -> None:
    assert browser.evaluate("document.querySelector('details.derivation').open") is False
    browser.evaluate("document.querySelector('details.derivation > summary').click()")
    assert browser.evaluate("document.querySelector('details.derivation').open") is True
    height = browser.evaluate("document.querySelector('details.derivation .tree-root, details.derivation ul')"
                              ".getBoundingClientRect().height")
    assert height > 0


@pytest.mark.parametrize("example", ["late-documentation-easter.yaml", "late-payment-christmas.yaml"])
def test_case_report(browser: Browser, tmp_path: Path, example: str, capsys: pytest.CaptureFixture[str]) -> None:
    case = ROOT / "examples" / "kobenhavn" / example
    page = _write(tmp_path, "report", str(KBH), str(case))
    assert main(["evaluate", str(KBH), str(case)]) == 0
    result = json.loads(capsys.readouterr().out)
    dues = {o["due"] for o in result["obligations"] if o.get("due")}
    assert dues
    _loads_cleanly(browser, page)
    shown = set(browser.evaluate("Array.from(document.querySelectorAll('svg.timeline path.due'))"
                                 ".map(e => e.getAttribute('data-date'))"))
    assert dues <= shown
    labels = browser.evaluate("Array.from(document.querySelectorAll('svg.timeline text.due-label'))"
                              ".map(e => e.textContent)")
    assert len(labels) >= len(dues)
    box = browser.evaluate("document.querySelector('svg.timeline').getBoundingClientRect().width")
    assert box > 500
    _click_first_derivation(browser)


def test_case_report_names_holidays_in_the_timeline(browser: Browser, tmp_path: Path) -> None:
    case = ROOT / "examples" / "kobenhavn" / "late-documentation-easter.yaml"
    page = _write(tmp_path, "report", str(KBH), str(case), "--lang", "en")
    _loads_cleanly(browser, page)
    titles = browser.evaluate("Array.from(document.querySelectorAll('svg.timeline line.off title'))"
                              ".map(e => e.textContent).join('\\n')")
    assert "Good Friday" in titles and "Easter Monday" in titles


@pytest.mark.parametrize("name", ["kobenhavn", "hedensted"])
def test_portfolio_report(browser: Browser, tmp_path: Path, name: str) -> None:
    page = _write(tmp_path, "report", str(ROOT / "contracts" / f"{name}.yaml"),
                  str(ROOT / "examples" / name / "portfolio.yaml"))
    _loads_cleanly(browser, page)
    assert browser.evaluate("document.querySelector('.total-penalties').textContent").endswith("kr.")
    if name == "hedensted":
        assert browser.evaluate("document.querySelectorAll('svg.chart rect').length") > 0
    _click_first_derivation(browser)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_handbook(browser: Browser, tmp_path: Path, lang: str) -> None:
    page = _write(tmp_path, "handbook", str(KBH), "--lang", lang)
    _loads_cleanly(browser, page)
    assert browser.evaluate("document.documentElement.lang") == lang
    assert browser.evaluate("document.querySelectorAll('.rule').length") > 20
    assert browser.evaluate("document.querySelectorAll('table.coverage tbody tr').length") >= 5
    _click_first_derivation(browser)


def test_case_report_screenshot(browser: Browser, tmp_path: Path) -> None:
    """The README's screenshot: the Easter case with its penalty's derivation open.
    RULEKIT_UPDATE_SCREENSHOT=1 writes it to docs/case-report.png."""
    import os

    case = ROOT / "examples" / "kobenhavn" / "late-documentation-easter.yaml"
    page = _write(tmp_path, "report", str(KBH), str(case))
    browser.call("Emulation.setDeviceMetricsOverride", width=1200, height=1350, deviceScaleFactor=1, mobile=False)
    try:
        _loads_cleanly(browser, page)
        browser.evaluate("document.querySelector('table.amounts details.derivation').open = true")
        target = tmp_path / "case-report.png"
        browser.screenshot(target)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("RULEKIT_UPDATE_SCREENSHOT"):
            (ROOT / "docs" / "case-report.png").write_bytes(target.read_bytes())
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
