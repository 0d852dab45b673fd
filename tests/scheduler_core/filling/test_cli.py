"""The CLI contract: exact JSON keys, exit codes, stderr-only errors, output files."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest
from pypdf import PdfReader

from scheduler_core.cli import main
from scheduler_core.filling import STRATEGIES

from .conftest import data_file

KEYS = {
    "strategy",
    "makespan_h",
    "lower_bound_h",
    "gap_pct",
    "proven_optimal",
    "blocks",
    "changeovers",
    "changeover_h",
    "fill_h",
    "utilisation",
    "late_lots",
    "tardiness_h",
    "weighted_tardiness_h",
    "max_lateness_h",
    "objective",
    "runtime_s",
    "activities",
}
ACTIVITY_KEYS = {"kind", "block", "lot_id", "lot_type", "start", "end", "due", "lateness_h"}
LOTS = str(data_file("r15_s1.csv"))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_json_exact_keys(capsys):
    code, out, err = run(
        capsys, "fill", "plan", LOTS, "--json", "--strategy", "smart-pack", "--start", "2026-12-01T06:00"
    )
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == KEYS
    assert doc["strategy"] == "smart-pack"
    first = doc["activities"][0]
    assert set(first) == ACTIVITY_KEYS
    assert first["kind"] == "CLEAN" and first["lot_id"] is None and first["lot_type"] is None
    assert first["start"] == "2026-12-01T06:00:00"
    fills = [a for a in doc["activities"] if a["kind"] == "FILL"]
    assert len(fills) == 15


def test_compare_json_list(capsys):
    code, out, _ = run(capsys, "fill", "compare", LOTS, "--strategies", "lpt-pack,as-given", "--json")
    assert code == 0
    docs = json.loads(out)
    assert [d["strategy"] for d in docs] == ["lpt-pack", "as-given"]
    assert all(set(d) == KEYS for d in docs)


def test_compare_all_text_summary(capsys):
    code, out, _ = run(capsys, "fill", "compare", LOTS, "--time-limit", "1")
    assert code == 0
    for name in STRATEGIES:
        assert name in out
    assert "best:" in out and "lowest makespan, then lowest weighted tardiness, then the fastest run" in out


def test_bad_lots_exit_2_stderr_only(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Lot ID,Type,Vials\nL1,A,x\n,B,5\n")
    code, out, err = run(capsys, "fill", "plan", str(bad), "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "row 2" in lines[0] and "Vials" in lines[0]
    assert "row 3" in lines[1] and "Lot ID" in lines[1]


def test_unknown_strategy_exit_2(capsys):
    code, out, err = run(capsys, "fill", "plan", LOTS, "--strategy", "nope")
    assert code == 2 and out == "" and "smart-pack" in err
    code, out, err = run(capsys, "fill", "compare", LOTS, "--strategies", "best,nope")
    assert code == 2 and out == "" and "nope" in err


def test_bad_config_and_missing_file(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("window_hours: -1\ncolour: red\n")
    code, out, err = run(capsys, "fill", "plan", LOTS, "--config", str(cfg))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 2
    code, out, err = run(capsys, "fill", "plan", str(tmp_path / "missing.csv"))
    assert code == 2 and out == ""


def test_check_and_strategies(capsys, tmp_path):
    code, out, _ = run(capsys, "fill", "check", LOTS)
    assert code == 0 and "15 lots" in out and "warning" not in out
    config = tmp_path / "c.yaml"
    config.write_text("changeover_matrix:\n  NoSuchType:\n    AlsoNone: 1.0\n", encoding="utf-8")
    for command in ("check", "plan"):
        code, out, err = run(capsys, "fill", command, LOTS, "--config", str(config), "--strategy", "smart-pack") \
            if command == "plan" else run(capsys, "fill", command, LOTS, "--config", str(config))
        assert code == 0 and err.count("warning: changeover_matrix names type") == 2, command
    code, out, _ = run(capsys, "fill", "strategies")
    assert code == 0
    assert [line.split()[0] for line in out.strip().splitlines()] == list(STRATEGIES)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".pdf"])
def test_output_files(tmp_path, capsys, suffix):
    target = tmp_path / f"plan{suffix}"
    code, _, _ = run(capsys, "fill", "plan", LOTS, "--strategy", "lpt-pack", "-o", str(target))
    assert code == 0 and target.stat().st_size > 0
    if suffix == ".xlsx":
        assert "Activities" in openpyxl.load_workbook(target).sheetnames
    elif suffix == ".pdf":
        assert len(PdfReader(target).pages) >= 1
    else:
        assert target.read_text().splitlines()[0].startswith("block")


def test_unknown_output_suffix(tmp_path, capsys):
    code, out, err = run(capsys, "fill", "plan", LOTS, "-o", str(tmp_path / "x.doc"))
    assert code == 2 and out == "" and ".xlsx" in err


def test_module_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "scheduler_core", "fill", "plan", LOTS, "--json", "--strategy", "cfs-pack"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["strategy"] == "cfs-pack"


def test_start_with_an_offset_is_plant_time_and_a_bad_start_exits_2(capsys, monkeypatch):
    monkeypatch.setenv("PSS_TIMEZONE", "Europe/Zagreb")
    code, out, _ = run(capsys, "fill", "plan", LOTS, "--json", "--strategy", "smart-pack",
                       "--start", "2026-12-01T05:00Z")
    assert code == 0 and json.loads(out)["activities"][0]["start"] == "2026-12-01T06:00:00"
    code, out, err = run(capsys, "fill", "plan", LOTS, "--start", "9999-12-31T23:00")
    assert code == 2 and out == "" and "outside the accepted range" in err and "Traceback" not in err


def test_without_a_start_the_plan_starts_at_the_next_full_hour_on_the_plant_clock(capsys, monkeypatch, tmp_path):
    from datetime import datetime

    from scheduler_core.zones import next_full_hour

    zone = "Pacific/Kiritimati"  # UTC+14: never the server's own day and hour
    monkeypatch.setenv("PSS_TIMEZONE", zone)
    before = next_full_hour(zone)
    code, out, _ = run(capsys, "fill", "plan", LOTS, "--json", "--strategy", "lpt-pack", "-o",
                       str(tmp_path / "p.csv"))
    after = next_full_hour(zone)
    assert code == 0
    start = datetime.fromisoformat(json.loads(out)["activities"][0]["start"])
    assert start in {before, after}
    header = (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()[0]
    assert f"start ({zone})" in header  # the export names the zone the times are in


#: The trade-off example of issue 15 (start 2026-01-05 00:00, default line).
DUE_LOTS = (
    "Lot ID,Type,Vials,Due,Priority,Release\n"
    "A1,A,996000,2026-01-07 20:00,,\n"
    "A2,A,996000,,3,2026-01-05 06:00\n"
    "B1,B,199200,2026-01-06 12:00,1,\n"
)


def test_plan_json_due_kpis_and_lateness(capsys, tmp_path):
    lots = tmp_path / "due.csv"
    lots.write_text(DUE_LOTS)
    code, out, _ = run(capsys, "fill", "plan", str(lots), "--json", "--strategy", "smart-pack",
                       "--start", "2026-01-05T00:00")
    assert code == 0
    doc = json.loads(out)
    fills = {a["lot_id"]: a for a in doc["activities"] if a["kind"] == "FILL"}
    # smart-pack: [B1], [A1, A2] -> A1 ends 2026-01-09 12:00, 40 h after its due date
    assert fills["A1"]["due"] == "2026-01-07T20:00:00" and fills["A1"]["lateness_h"] == 40.0
    assert fills["B1"]["lateness_h"] == -2.0 and fills["A2"]["due"] is None and fills["A2"]["lateness_h"] is None
    assert (doc["late_lots"], doc["tardiness_h"], doc["weighted_tardiness_h"], doc["max_lateness_h"]) == (
        1, 40.0, 40.0, 40.0)
    assert doc["objective"] == "makespan"
    assert all(a["due"] is None and a["lateness_h"] is None for a in doc["activities"] if a["kind"] != "FILL")


def test_objective_option_and_its_errors(capsys, tmp_path):
    lots = tmp_path / "due.csv"
    lots.write_text(DUE_LOTS)
    code, out, _ = run(capsys, "fill", "plan", str(lots), "--json", "--strategy", "smart-pack",
                       "--objective", "due", "--start", "2026-01-05T00:00")
    assert code == 0 and json.loads(out)["objective"] == "due"
    code, out, err = run(capsys, "fill", "plan", str(lots), "--json", "--objective", "soonest")
    assert code == 2 and out == ""
    assert "objective" in err and "soonest" in err


def test_no_due_dates_give_null_max_lateness(capsys):
    code, out, _ = run(capsys, "fill", "plan", LOTS, "--json", "--strategy", "smart-pack")
    doc = json.loads(out)
    assert code == 0 and doc["max_lateness_h"] is None and doc["late_lots"] == 0


def test_release_after_due_is_a_warning(capsys, tmp_path):
    lots = tmp_path / "late.csv"
    lots.write_text("Lot ID,Type,Vials,Due,Release\nX,A,19920,2026-01-05 06:00,2026-01-06 00:00\n")
    code, out, err = run(capsys, "fill", "check", str(lots))
    assert code == 0 and out.startswith("OK")
    assert "warning: lot 'X' is released (2026-01-06 00:00) after it is due" in err
