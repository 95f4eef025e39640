"""`required: true` on an event field (docs/spec-language.md, Inputs): an event that lacks the field, or gives
it as null, is an input error naming the event's place — from the careful reader and never accepted by the
fast one — and the case schema lists the field as required."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from runtime_support import MINI, case
from test_runtime_readfast import read_alike

from rulekit import InputError, evaluate_case, load_contract
from rulekit.runtime.readfast import Unusual, reader_for
from rulekit.spec.caseschema import case_schema


def _spec(tmp_path: Path) -> Any:
    """The mini spec with `delivered` carrying a required `pages` and an optional `note`."""
    text = MINI.read_text(encoding="utf-8").replace(
        "imports: [../../rules/danish_calendars.yaml]",
        f"imports: [{(MINI.parents[2] / 'rules' / 'danish_calendars.yaml').as_posix()}]").replace(
        "    delivered: {title: Leveret}",
        "    delivered: {title: Leveret, fields: {pages: {type: integer, min: 1, required: true, title: Sider},\n"
        "                                         note: {type: text, title: Note}}}")
    path = tmp_path / "required.yaml"
    path.write_text(text, encoding="utf-8")
    return load_contract(path)


def _case(*delivered: dict[str, Any]) -> dict[str, Any]:
    return case([("demanded", "2021-03-01"), *({"type": "delivered", "date": "2021-03-04", **d} for d in delivered)])


def test_an_event_with_its_required_field_is_read(tmp_path: Path) -> None:
    contract = _spec(tmp_path)
    for given in ({"pages": 3}, {"pages": 3, "note": "ok"}, {"pages": 3, "id": "L-1"}):
        data = _case(given)
        assert read_alike(contract, data)
        reader_for(contract).read(data, None, None)  # the fast path accepts it
    result = evaluate_case(contract, _case({"pages": 3}), trace=False)
    assert [o.status for o in result.obligations] == ["met"]


@pytest.mark.parametrize("given", [{}, {"note": "no pages"}, {"pages": None}, {"id": "L-1"}],
                         ids=["bare", "other-field", "null", "id-only"])
def test_an_event_without_its_required_field_is_an_input_error(tmp_path: Path, given: dict[str, Any]) -> None:
    contract = _spec(tmp_path)
    data = _case({"pages": 2}, given)
    with pytest.raises(Unusual):
        reader_for(contract).read(data, None, None)
    assert not read_alike(contract, data)  # both readers give the same error
    with pytest.raises(InputError) as exc:
        evaluate_case(contract, data)
    (diag,) = exc.value.diagnostics
    assert diag.code == "E309"
    assert diag.path == ("events", 2)  # the second delivery, third event of the case
    assert "'delivered' (events[2]) has no 'pages'" in diag.message
    assert diag.hint == "add `pages:` to the event"


def test_a_bad_value_is_reported_once_not_also_as_missing(tmp_path: Path) -> None:
    contract = _spec(tmp_path)
    with pytest.raises(InputError) as exc:
        evaluate_case(contract, _case({"pages": 0}))
    assert [d.code for d in exc.value.diagnostics] == ["E301"]


def test_the_case_schema_lists_required_fields(tmp_path: Path) -> None:
    schema = case_schema(_spec(tmp_path))
    shapes = {s["properties"]["type"]["const"]: s for s in schema["properties"]["events"]["items"]["oneOf"]}
    assert shapes["delivered"]["required"] == ["type", "date", "pages"]
    assert shapes["demanded"]["required"] == ["type", "date"]
