"""Support for spec-loading tests: mutate tests/data/mini.yaml and find where a diagnostic must point."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
MINI = TESTS / "data" / "mini.yaml"
CALENDARS = REPO / "rules" / "danish_calendars.yaml"


# the mini spec's `rate` parameter, as written there (tests swap it for variants)
RATE = '''  rate:
    type: percent
    value: 10%
    source: {doc: k, section: "pkt. 6.4", quote: "10 %"}'''


def mini_text() -> str:
    """tests/data/mini.yaml with its import made absolute, so a copy can live anywhere."""
    text = MINI.read_text(encoding="utf-8")
    assert "../../rules/danish_calendars.yaml" in text
    return text.replace("../../rules/danish_calendars.yaml", str(CALENDARS))


def variant(text: str, old: str, new: str, count: int = 1) -> str:
    """`text` with `old` replaced; fails loudly if `old` is not there (so a changed fixture is noticed)."""
    assert text.count(old) >= count, f"fixture text no longer contains {old!r}"
    return text.replace(old, new, count)


def where(text: str, needle: str, occurrence: int = 1, offset: int = 0) -> tuple[int, int]:
    """1-based (line, col) of the `occurrence`-th `needle` in `text`, plus `offset` characters."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col
