"""Bad YAML never escapes as a PyYAML exception: it is a SpecError with code, file:line:col and a hint."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from spec_support import mini_text, variant, where

from rulekit.errors import InputError, RulekitError, SpecError
from rulekit.spec import load_contract
from rulekit.spec.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_yaml, parse_yaml


def only(err: RulekitError, code: str):  # type: ignore[no-untyped-def]
    codes = [d.code for d in err.diagnostics]
    assert code in codes, f"expected {code}, got {codes}: {err}"
    return next(d for d in err.diagnostics if d.code == code)


def test_malformed_yaml_is_e010_at_the_offending_column(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "currency: DKK", "currency: DKK: more")
    err = spec_error(text)
    d = only(err, "E010")
    line, col = where(text, "currency: DKK: more", offset=len("currency: DKK"))
    assert (d.span.line, d.span.col) == (line, col)
    assert d.span.file.endswith("spec.yaml")
    assert "malformed YAML" in d.message
    assert d.hint and "indentation" in d.hint
    assert d.render().startswith(f"{d.span.file}:{line}:{col}: error[E010]: ")


def test_unclosed_flow_mapping_is_e010(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "period: {start: 2020-07-01, end: 2023-06-30}",
                   "period: {start: 2020-07-01, end: 2023-06-30")
    d = only(spec_error(text), "E010")
    assert d.span is not None and d.span.line >= where(text, "period:")[0]


def test_tab_indentation_is_e010() -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml("rulekit: 1\n\tid: x\n", "t.yaml")
    d = only(info.value, "E010")
    assert (d.span.line, d.span.col) == (2, 1)


def test_two_documents_in_one_file_are_e010() -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml("rulekit: 1\n---\nid: x\n", "t.yaml")
    assert only(info.value, "E010").span.line == 2


def test_duplicate_key_is_e015_at_the_second_key(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "currency: DKK\n", "currency: DKK\ncurrency: EUR\n")
    d = only(spec_error(text), "E015")
    assert (d.span.line, d.span.col) == where(text, "currency: EUR")
    assert "'currency'" in d.message
    assert d.hint == "remove one of the two entries"


def test_duplicate_key_deep_inside_a_rule(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    period: 5 working_days\n",
                   "    period: 5 working_days\n    period: 6 working_days\n")
    d = only(spec_error(text), "E015")
    assert (d.span.line, d.span.col) == where(text, "period: 6")


def test_impossible_date_is_e017_at_the_date(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "end: 2023-06-30", "end: 2023-02-30")
    d = only(spec_error(text), "E017")
    assert (d.span.line, d.span.col) == where(text, "2023-02-30")
    assert "2023-02-30" in d.message
    assert d.hint and "February" in d.hint


@pytest.mark.parametrize("bad", ["2021-13-01", "2021-00-10", "2021-04-31", "2022-02-29"])
def test_every_impossible_date_form(bad: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml(f"d: {bad}\n", "t.yaml")
    d = only(info.value, "E017")
    assert (d.span.line, d.span.col) == (1, 4)


def test_quoted_impossible_date_stays_text() -> None:
    assert parse_yaml('d: "2021-02-30"\n', "t.yaml").data == {"d": "2021-02-30"}


def test_leap_day_is_a_date() -> None:
    import datetime as dt

    assert parse_yaml("d: 2024-02-29\n", "t.yaml").data == {"d": dt.date(2024, 2, 29)}


def _alias_bomb(levels: int = 9, width: int = 10) -> str:
    lines = ["rulekit: 1", "id: bomb", "a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_e011_and_fast(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = _alias_bomb()
    started = time.perf_counter()
    d = only(spec_error(text), "E011")
    assert time.perf_counter() - started < 10
    assert f"{MAX_NODES:,}" in d.message
    assert d.hint and "alias" in d.hint
    assert d.span is not None and d.span.line >= 3


def test_small_aliases_are_fine() -> None:
    doc = parse_yaml("a: &x [1, 2]\nb: *x\n", "t.yaml")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_too_deep_flow_nesting_is_e012(spec_error) -> None:  # type: ignore[no-untyped-def]
    depth = MAX_DEPTH + 10
    text = "rulekit: 1\nid: deep\nx: " + "[" * depth + "]" * depth + "\n"
    d = only(spec_error(text), "E012")
    assert d.span is not None and d.span.line == 3
    assert str(MAX_DEPTH) in d.message
    assert d.hint == "flatten the structure"


def test_too_deep_block_nesting_is_e012() -> None:
    text = "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(MAX_DEPTH + 5))
    with pytest.raises(SpecError) as info:
        parse_yaml(text, "t.yaml")
    only(info.value, "E012")


def test_nesting_just_inside_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    doc = parse_yaml("x: " + "[" * depth + "]" * depth + "\n", "t.yaml")
    assert isinstance(doc.data["x"], list)


def test_file_over_the_size_limit_is_e002(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # a sparse file: cheap to make, never read
        handle.write(b"rulekit: 1\n")
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SpecError) as info:
        load_contract(path)
    d = only(info.value, "E002")
    assert (d.span.file, d.span.line, d.span.col) == (str(path), 1, 1)
    assert f"{MAX_BYTES:,}" in d.message and f"{MAX_BYTES + 1:,}" in d.message
    assert d.hint


def test_size_limit_applies_to_inputs_as_input_error(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 10)
    with pytest.raises(InputError) as info:
        load_yaml(path, kind="input")
    only(info.value, "E002")


def test_missing_file_is_e001(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_contract(tmp_path / "nope.yaml")
    d = only(info.value, "E001")
    assert "nope.yaml" in d.message
    assert d.hint


def test_non_utf8_file_is_e003(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("rulekit: 1\nid: k\ntitle: Københavns\n".encode("latin-1"))
    with pytest.raises(SpecError) as info:
        load_contract(path)
    d = only(info.value, "E003")
    assert "UTF-8" in d.message and d.hint


def test_merge_keys_are_e013() -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml("a: &x {b: 1}\nc:\n  <<: *x\n", "t.yaml")
    d = only(info.value, "E013")
    assert (d.span.line, d.span.col) == (3, 3)


def test_non_scalar_key_is_e014() -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml("? [1, 2]\n: 3\n", "t.yaml")
    only(info.value, "E014")


def test_unknown_local_tag_on_text_is_e016() -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml("a: !foo bar\n", "t.yaml")
    d = only(info.value, "E016")
    assert (d.span.line, d.span.col) == (1, 4)


def test_unknown_local_tag_on_a_number_is_e016() -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml("a: !foo 3\n", "t.yaml")
    only(info.value, "E016")


def test_python_tag_is_refused() -> None:
    with pytest.raises(SpecError) as info:
        parse_yaml("a: !!python/object/apply:os.system [echo]\nb: !!python/name:os.system x\n", "t.yaml")
    only(info.value, "E016")


def test_yaml_numbers_become_exact() -> None:
    from decimal import Decimal

    doc = parse_yaml("a: 1_000\nb: 0.1\nc: -3\nd: ~\ne: true\n", "t.yaml")
    assert doc.data == {"a": 1000, "b": Decimal("0.1"), "c": -3, "d": None, "e": True}
    assert isinstance(doc.data["b"], Decimal)


def test_empty_document_is_a_spec_error(spec_error) -> None:  # type: ignore[no-untyped-def]
    d = only(spec_error(""), "E100")
    assert d.hint and "rulekit: 1" in d.hint


def test_a_list_at_the_top_is_a_spec_error(spec_error) -> None:  # type: ignore[no-untyped-def]
    only(spec_error("- rulekit: 1\n"), "E100")


def test_positions_are_recorded_for_every_value() -> None:
    text = "a:\n  b: [1, {c: x}]\n"
    doc = parse_yaml(text, "t.yaml")
    assert (doc.span(("a", "b", 1, "c")).line, doc.span(("a", "b", 1, "c")).col) == (2, 14)
    assert doc.span(("a", "nope")).line == 2  # the nearest ancestor
