"""A oneOf/anyOf failure names the alternative that nearly matched and the key that broke it."""

from __future__ import annotations

from spec_support import mini_text, variant, where

PARAM = '''    value: 10%
    source: {doc: k, section: "pkt. 6.4", quote: "10 %"}'''
ROW = '''      - {from: 2020-07-01, value: 8%, source: {doc: k, section: "pkt. 6.4", quote: "10 %"}}'''


def test_values_with_its_own_source(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), PARAM, f'''    source: {{doc: k, section: "pkt. 6.4", quote: "10 %"}}
    values:
{ROW}''')
    (d,) = spec_error(text).diagnostics
    assert "'value' is a required property" not in d.message
    assert "`source` is not allowed here together with `values`" in d.message
    assert d.hint and "move `source` into its entries" in d.hint
    assert (d.span.line, d.span.col) == where(text, "source: {doc: k, section: \"pkt. 6.4\", quote: \"10 %\"}\n")


def test_value_without_source_names_the_missing_key(spec_error) -> None:  # type: ignore[no-untyped-def]
    (d,) = spec_error(variant(mini_text(), PARAM, "    value: 10%")).diagnostics
    assert "`source` or `assumption` is missing" in d.message
    assert "nearest allowed form has `value`" in d.message and d.hint


def test_neither_value_nor_values(spec_error) -> None:  # type: ignore[no-untyped-def]
    (d,) = spec_error(variant(mini_text(), PARAM, "    title: x")).diagnostics
    assert "give `value` and `source` or `assumption` — or `values`" in d.message and d.hint


def test_library_and_id(spec_error) -> None:  # type: ignore[no-untyped-def]
    (d,) = spec_error(variant(mini_text(), "id: mini", "id: mini\nlibrary: x")).diagnostics
    assert "`library` is not allowed here together with `id`" in d.message and d.hint
