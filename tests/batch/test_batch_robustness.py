"""Inputs and situations a batch meets in practice. Several of these were engine problems found while
building the benchmarks (see benchmarks/README.md, "Problems found"); an xfail test records one that
is still open and passes once it is fixed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from batch_support import CONTRACT, ROOT, closing_summary, generate, read_jsonl, rulekit

LINE_A = '{"case":"A","contract":"kobenhavn","as_of":"2022-01-01"}'
LINE_B = '{"case":"B","contract":"kobenhavn","as_of":"2022-02-30"}'


def test_blank_lines_are_skipped_and_numbers_kept(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(f"{LINE_A}\n\n{LINE_A.replace('A', 'C')}\r\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(out)
    assert [(r["line"], r["case"]) for r in records] == [(1, "A"), (3, "C")]
    assert closing_summary(proc.stderr)["lines"] == 2


def test_input_error_is_a_record_not_the_end(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(f"{LINE_B}\n[1, 2]\n{LINE_A}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress")
    assert proc.returncode == 3
    records = read_jsonl(out)
    assert [("error" in r, r["line"]) for r in records] == [(True, 1), (True, 2), (False, 3)]
    assert records[0]["case"] == "B"
    assert records[0]["error"]["diagnostics"][0]["path"] == ["as_of"]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """Windows and Excel exports start with a UTF-8 byte-order mark; line 1 is still a case."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + f"{LINE_A}\n".encode())
    out = tmp_path / "out.jsonl"
    proc = rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress")
    records = read_jsonl(out)
    assert "error" not in records[0], records[0]["error"]["message"]
    assert proc.returncode == 0


def test_standard_input_is_read_with_a_dash(tmp_path: Path) -> None:
    """`-` reads the cases from standard input (`zcat cases.jsonl.gz | rulekit batch SPEC -`), byte-order mark,
    bad lines and all; the records are the same as from the file, and an error record names `<stdin>`."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + f"{LINE_A}\n{LINE_B}\n".encode())
    from_file = tmp_path / "file.jsonl"
    rulekit("batch", CONTRACT, str(source), "-o", str(from_file), "--no-progress")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "rulekit", "batch", CONTRACT, "-", "-o", str(out), "--no-progress",
                           "--detail", "full"], cwd=ROOT, input=source.read_bytes(), capture_output=True, timeout=120)
    assert proc.returncode == 3, proc.stderr.decode()[-2000:]  # line 2 is an input error
    records = read_jsonl(out)
    assert [r.get("case") for r in records] == ["A", "B"]
    assert records[1]["error"]["message"].startswith("<stdin>:2:1: error[E300]: impossible date 2022-02-30")
    assert json.dumps(records).replace("<stdin>", str(source)) == json.dumps(read_jsonl(from_file))
    assert closing_summary(proc.stderr.decode())["lines"] == 2


def test_a_folder_or_a_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    folder = rulekit("batch", CONTRACT, str(tmp_path), "--no-progress")
    missing = rulekit("batch", CONTRACT, str(tmp_path / "nope.jsonl"), "--no-progress")
    assert (folder.returncode, missing.returncode) == (2, 2)
    assert "E020" in folder.stderr and "is a folder" in folder.stderr and "Traceback" not in folder.stderr
    assert "no such file" in missing.stderr and "- to read standard input" in missing.stderr


def test_error_records_same_as_evaluate(tmp_path: Path) -> None:
    """An input error reads the same from `rulekit batch` as from `rulekit evaluate FILE.jsonl`."""
    source = tmp_path / "in.jsonl"
    source.write_text(f"{LINE_A}\n{LINE_B}\n", encoding="utf-8")
    evaluated = json.loads(rulekit("evaluate", CONTRACT, str(source), "--format", "json").stdout)
    out = tmp_path / "out.jsonl"
    rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress")
    assert read_jsonl(out)[1]["error"] == evaluated[1]["error"]


def test_spec_edited_during_a_run_does_not_change_the_run(tmp_path: Path) -> None:
    """A spec edited while a batch runs does not split the output between two versions of the spec."""
    (tmp_path / "contracts").mkdir()
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    spec = tmp_path / "contracts" / "kobenhavn.yaml"
    shutil.copy(ROOT / CONTRACT, spec)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(generate.dumps(c) + "\n" for c in generate.cases("kobenhavn", 1500, seed=13)),
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    part = Path(str(out) + ".part")
    proc = subprocess.Popen([sys.executable, "-m", "rulekit", "batch", str(spec), str(source), "-o", str(out),
                             "--no-progress", "--detail", "full"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (part.exists() and part.stat().st_size > 0) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    edited = tmp_path / "contracts" / "edited.yaml.tmp"
    edited.write_text(spec.read_text(encoding="utf-8").replace("    value: 3000 DKK", "    value: 4000 DKK", 1),
                      encoding="utf-8")
    os.replace(edited, spec)  # atomic: the run never sees a half-written spec
    proc.communicate(timeout=120)
    shas = {r["contract"]["sha256"] for r in read_jsonl(out)}
    assert len(shas) == 1, f"one batch run used {len(shas)} versions of the spec"


def test_new_evaluator_sees_an_edited_spec(tmp_path: Path) -> None:
    from rulekit.runtime.stream import CaseEvaluator

    (tmp_path / "contracts").mkdir()
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    spec = tmp_path / "contracts" / "kobenhavn.yaml"
    shutil.copy(ROOT / CONTRACT, spec)
    case = {"case": "X", "contract": "kobenhavn", "as_of": "2021-05-01",
            "events": [{"type": "documentation_requested", "date": "2021-03-31"},
                       {"type": "documentation_delivered", "date": "2021-04-14"}]}
    assert CaseEvaluator(str(spec))(case)["totals"]["penalties"] == "6000.00"
    time.sleep(0.01)
    spec.write_text(spec.read_text(encoding="utf-8").replace("    value: 3000 DKK", "    value: 4000 DKK", 1),
                    encoding="utf-8")
    assert CaseEvaluator(str(spec))(case)["totals"]["penalties"] == "8000.00"
