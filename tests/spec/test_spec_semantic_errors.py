"""Errors found after the schema: sources, assumptions, offerings, rule shapes, cycles, imports, name clashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_support import CALENDARS, mini_text, variant, where

from rulekit import evaluate_case
from rulekit.errors import RulekitError, SpecError
from rulekit.spec import load_contract

OFFERINGS = """offering_attributes:
  hours_min: {type: decimal, title: Timer}
offerings:
  A1:
    title: A1
    source: {doc: k, section: "bilag 1", quote: "A1"}
    attributes: {hours_mni: 5}
rules:
"""


def one(err: RulekitError, code: str):  # type: ignore[no-untyped-def]
    found = [d for d in err.diagnostics if d.code == code]
    assert found, f"expected {code}, got {[d.render() for d in err.diagnostics]}"
    return found[0]


def test_source_citing_an_unknown_document_is_e101(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), '{doc: k, section: "pkt. 2.3.3"', '{doc: kontrakt, section: "pkt. 2.3.3"')
    d = one(spec_error(text), "E101")
    assert (d.span.line, d.span.col) == where(text, "kontrakt, section")
    assert "'kontrakt'" in d.message
    assert d.hint == "declare it under `documents:`" or (d.hint and "did you mean" in d.hint)


def test_e101_did_you_mean_for_a_near_miss(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "documents:\n  k: {title: Kontrakt}", "documents:\n  kontrakt: {title: Kontrakt}")
    err = spec_error(text)
    diags = [d for d in err.diagnostics if d.code == "E101"]
    assert len(diags) >= 4  # the calendar, rounding, two parameters and two rules all cite `k`
    assert all(d.hint == "did you mean 'kontrakt'?" for d in diags if d.hint and "did you mean" in d.hint)


def test_e101_in_a_parameter_source(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), '    source: {doc: k, section: "pkt. 6.4", quote: "10 %"}',
                   '    source: {doc: kk, section: "pkt. 6.4", quote: "10 %"}')
    d = one(spec_error(text), "E101")
    assert (d.span.line, d.span.col) == where(text, "kk, section")


def test_bad_assumption_default_is_e102(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "default: literal", "default: literl")
    d = one(spec_error(text), "E102")
    assert (d.span.line, d.span.col) == where(text, "literl")
    assert "'roll'" in d.message and "'literl'" in d.message
    assert d.hint == "did you mean 'literal'?"


def test_e102_lists_readings_when_nothing_is_close(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "default: literal", "default: zzz")
    d = one(spec_error(text), "E102")
    assert d.hint == "readings: literal, arbejdsdag"


def test_unknown_offering_attribute_is_e103(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "rules:\n", OFFERINGS)
    d = one(spec_error(text), "E103")
    assert (d.span.line, d.span.col) == where(text, "hours_mni")
    assert "offering A1" in d.message and "'hours_mni'" in d.message
    assert d.hint == "did you mean 'hours_min'?"


def test_offering_attribute_of_the_wrong_type(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(variant(mini_text(), "rules:\n", OFFERINGS), "{hours_mni: 5}", "{hours_min: 5 DKK}")
    d = one(spec_error(text), "E202")
    assert d.span.line == where(text, "hours_min: 5 DKK")[0]


def test_duplicate_rule_id_is_e104(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "  - id: doc_penalty", "  - id: doc_deadline")
    d = one(spec_error(text), "E104")
    assert (d.span.line, d.span.col) == where(text, "id: doc_deadline", occurrence=2)
    assert "'doc_deadline'" in d.message
    assert d.hint


@pytest.mark.parametrize(("old", "new"), [
    ("    period: 5 working_days\n", ""),                                         # from without period
    ("    from: first(demanded).date\n", ""),                                     # period without from
    ("    period: 5 working_days\n", "    period: 5 working_days\n    due: 2021-01-01\n"),  # both forms
], ids=["no-period", "no-from", "both-forms"])
def test_deadline_shape_is_e105(spec_error, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), old, new)
    d = one(spec_error(text), "E105")
    assert (d.span.line, d.span.col) == where(text, "id: doc_deadline")
    assert "`from` and `period`, or `due`" in d.message
    assert d.hint


def test_due_form_alone_is_fine(write) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    from: first(demanded).date\n    period: 5 working_days\n"
                   "    extension: first(demanded).extension ?? 0 working_days\n    max_extension: 10 working_days\n",
                   "    due: first(demanded).date + 5 working_days\n")
    assert load_contract(write(text)).rule("doc_deadline") is not None


@pytest.mark.parametrize(("old", "new", "words"), [
    ("    per: working_day\n", "", "`per`, `units` and `rate` together"),
    ("    rate: max(", "    amount: 5 DKK\n    rate: max(", "either `amount`"),
    ("    per: working_day\n    units: doc_deadline.late_working_days\n"
     "    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day)\n", "", "either `amount`"),
], ids=["missing-per", "amount-and-rate", "neither"])
def test_amount_shape_is_e106(spec_error, old: str, new: str, words: str) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), old, new)
    d = one(spec_error(text), "E106")
    assert (d.span.line, d.span.col) == where(text, "id: doc_penalty")
    assert words in d.message



def test_e106_always_has_a_hint(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    rate: max(", "    amount: 5 DKK\n    rate: max(")
    assert one(spec_error(text), "E106").hint

def test_rule_cycle_is_e107(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    fulfilled: first(delivered).date",
                   "    fulfilled: if doc_penalty.applied then first(delivered).date else as_of")
    d = one(spec_error(text), "E107")
    assert "doc_deadline → doc_penalty → doc_deadline" in d.message
    assert d.span.line in (where(text, "id: doc_deadline")[0], where(text, "id: doc_penalty")[0])
    assert d.hint


SELF_REF = ("    fulfilled: first(delivered).date",
            "    fulfilled: if doc_deadline.breached then first(delivered).date else first(delivered).date")
EASTER = {"case": "x", "as_of": "2021-05-01", "facts": {"late_value": 24000},
          "events": [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]}


def test_rule_reading_itself_is_e107(spec_error) -> None:  # type: ignore[no-untyped-def]
    one(spec_error(variant(mini_text(), *SELF_REF)), "E107")


def test_rule_reading_itself_never_raises_a_bare_exception(write) -> None:  # type: ignore[no-untyped-def]
    try:
        contract = load_contract(write(variant(mini_text(), *SELF_REF)))
        evaluate_case(contract, EASTER)
    except RulekitError:
        pass


def test_unknown_default_calendar_is_e114(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "default_calendar: arbejdsdag", "default_calendar: arbejdsdg")
    d = one(spec_error(text), "E114")
    assert (d.span.line, d.span.col) == where(text, "arbejdsdg")
    assert d.hint == "did you mean 'arbejdsdag'?"


# imports ----------------------------------------------------------------------------------------

LIB = """rulekit: 1
library: {name}
title: Bibliotek
imports: {imports}
calendars:
  {calendar}:
    title: Kalender
    country: DK
    assumption: "test"
"""


def lib(name: str, imports: list[str], calendar: str | None = None) -> str:
    return LIB.format(name=name, imports="[" + ", ".join(imports) + "]", calendar=calendar or f"cal_{name}")


def test_import_cycle_is_e110(write) -> None:  # type: ignore[no-untyped-def]
    write(lib("lib_a", ["lib_b.yaml"]), "lib_a.yaml")
    b = write(lib("lib_b", ["lib_a.yaml"]), "lib_b.yaml")
    main = write(variant(mini_text(), f"imports: [{CALENDARS}]", "imports: [lib_a.yaml]"), "main.yaml")
    with pytest.raises(SpecError) as info:
        load_contract(main)
    d = one(info.value, "E110")
    assert d.span.file == str(b)  # the import that closes the cycle
    assert (d.span.line, d.span.col) == where(b.read_text(), "lib_a.yaml")
    assert "lib_a.yaml" in d.message
    assert d.hint


def test_a_contract_importing_itself_is_e110(write) -> None:  # type: ignore[no-untyped-def]
    main = write(variant(mini_text(), f"imports: [{CALENDARS}]", "imports: [main.yaml]"), "main.yaml")
    with pytest.raises(SpecError) as info:
        load_contract(main)
    one(info.value, "E110")


def test_missing_import_is_e111(write) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), f"imports: [{CALENDARS}]", "imports: [../rules/nowhere.yaml]")
    main = write(text, "sub/main.yaml")
    with pytest.raises(SpecError) as info:
        load_contract(main)
    d = one(info.value, "E111")
    assert (d.span.file, d.span.line, d.span.col) == (str(main), *where(text, "../rules/nowhere.yaml"))
    assert "../rules/nowhere.yaml" in d.message
    assert d.hint and str(main.parent) in d.hint


def test_importing_a_contract_is_e112(write) -> None:  # type: ignore[no-untyped-def]
    write(variant(mini_text(), "id: mini", "id: other"), "other.yaml")
    text = variant(mini_text(), f"imports: [{CALENDARS}]", "imports: [other.yaml]")
    main = write(text, "main.yaml")
    with pytest.raises(SpecError) as info:
        load_contract(main)
    d = one(info.value, "E112")
    assert (d.span.line, d.span.col) == where(text, "other.yaml")
    assert "library:" in (d.hint or "")


def test_name_clash_with_an_imported_library_is_e113(write) -> None:  # type: ignore[no-untyped-def]
    write(lib("extra", [], calendar="arbejdsdag"), "extra.yaml")
    text = variant(mini_text(), f"imports: [{CALENDARS}]", f"imports: [{CALENDARS}, extra.yaml]")
    main = write(text, "main.yaml")
    with pytest.raises(SpecError) as info:
        load_contract(main)
    d = one(info.value, "E113")
    assert "'arbejdsdag'" in d.message and "calendars" in d.message
    assert (d.span.line, d.span.col) == where(text, "extra.yaml")
    assert d.hint == "rename one of them"


def test_a_chain_of_libraries_is_merged(write) -> None:  # type: ignore[no-untyped-def]
    write(lib("lib_a", ["lib_b.yaml"]), "lib_a.yaml")
    write(lib("lib_b", []), "lib_b.yaml")
    main = write(variant(mini_text(), f"imports: [{CALENDARS}]", f"imports: [{CALENDARS}, lib_a.yaml]"), "main.yaml")
    contract = load_contract(main)
    assert {"cal_lib_a", "cal_lib_b", "hverdag", "arbejdsdag"} <= set(contract.calendars)
    assert len(contract.files) == 4


def test_an_invalid_library_reports_its_own_file(write) -> None:  # type: ignore[no-untyped-def]
    bad = write(lib("lib_a", []).replace("country: DK", "countyr: DK"), "lib_a.yaml")
    main = write(variant(mini_text(), f"imports: [{CALENDARS}]", "imports: [lib_a.yaml]"), "main.yaml")
    with pytest.raises(SpecError) as info:
        load_contract(main)
    d = one(info.value, "E100")
    assert d.span.file == str(bad)
    assert (d.span.line, d.span.col) == where(bad.read_text(), "countyr")


# name clashes -----------------------------------------------------------------------------------

CLASH = ("    delivered: {title: Leveret}", "    delivered: {title: Leveret}\n    rate: {title: Sats}")


def test_parameter_and_event_type_with_one_name_is_e115(spec_error) -> None:  # type: ignore[no-untyped-def]
    d = one(spec_error(variant(mini_text(), *CLASH)), "E115")
    assert "'rate'" in d.message
    assert d.hint and "must differ" in d.hint


@pytest.mark.parametrize("name", ["as_of", "offering", "assume", "contract", "it"])
def test_fact_with_a_built_in_name_is_e115(spec_error, name: str) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    late_value: {type: money, title: Værdi, min: 0}",
                   f"    late_value: {{type: money, title: Værdi, min: 0}}\n    {name}: {{type: date, title: X}}")
    d = one(spec_error(text), "E115")
    assert f"fact '{name}'" in d.message and "built-in" in d.message


def test_rule_named_like_a_fact_is_e115(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), "    late_value: {type: money, title: Værdi, min: 0}",
                   "    late_value: {type: money, title: Værdi, min: 0}\n    doc_penalty: {type: money, title: X}")
    d = one(spec_error(text), "E115")
    assert "rule 'doc_penalty'" in d.message and "fact" in d.message


def test_e115_points_at_the_clashing_name(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), *CLASH)
    d = one(spec_error(text), "E115")
    assert d.span.line in (where(text, "  rate:")[0], where(text, "    rate: {title: Sats}")[0])


def test_e115_wording_uses_an_before_event(spec_error) -> None:  # type: ignore[no-untyped-def]
    d = one(spec_error(variant(mini_text(), *CLASH)), "E115")
    assert "an event type" in d.message


def test_all_semantic_problems_come_together_sorted(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(variant(mini_text(), "default: literal", "default: literl"),
                   "applies_when: doc_deadline.breached", "applies_when: doc_deadlin.breached")
    err = spec_error(text)
    codes = [d.code for d in err.diagnostics]
    assert "E102" in codes and "E201" in codes
    lines = [d.span.line for d in err.diagnostics if d.span]
    assert lines == sorted(lines)


def test_spec_error_message_is_all_rendered_diagnostics(spec_error) -> None:  # type: ignore[no-untyped-def]
    err = spec_error(variant(mini_text(), "default: literal", "default: literl"))
    assert str(err) == "\n".join(d.render() for d in err.diagnostics)


def test_library_cannot_be_found_relative_to_cwd(write, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Imports are relative to the importing file, not to the working directory."""
    write(lib("lib_a", []), "specs/lib_a.yaml")
    main = write(variant(mini_text(), f"imports: [{CALENDARS}]", f"imports: [{CALENDARS}, lib_a.yaml]"),
                 "specs/main.yaml")
    monkeypatch.chdir(tmp_path)
    assert "cal_lib_a" in load_contract(main.relative_to(tmp_path)).calendars


def test_import_of_a_folder_is_a_spec_error(write) -> None:  # type: ignore[no-untyped-def]
    main = write(variant(mini_text(), f"imports: [{CALENDARS}]", f"imports: [{CALENDARS.parent}]"), "main.yaml")
    with pytest.raises(SpecError):
        load_contract(main)


def test_loading_a_folder_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError):
        load_contract(tmp_path)


def test_unknown_calendar_country_is_a_spec_error(spec_error) -> None:  # type: ignore[no-untyped-def]
    spec_error(variant(mini_text(), "    country: DK\n", "    country: DX\n"))


def test_unknown_calendar_country_never_raises_a_bare_exception(write) -> None:  # type: ignore[no-untyped-def]
    try:
        contract = load_contract(write(variant(mini_text(), "    country: DK\n", "    country: DX\n")))
        evaluate_case(contract, EASTER)
    except RulekitError:
        pass
