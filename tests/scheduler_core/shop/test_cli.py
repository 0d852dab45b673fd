import importlib
import json
import sys
import types

import pytest

from scheduler_core.shop.demo import write_demo_workbook


@pytest.fixture
def cli(monkeypatch, capsys):
    """``cli(*argv) -> (exit code, stdout, stderr)`` through the package's real ``main``."""
    try:
        importlib.import_module("scheduler_core.filling.cli")
    except ImportError:  # the filling CLI may not exist yet in this checkout
        stub = types.ModuleType("scheduler_core.filling.cli")
        stub.register = lambda subparsers: None
        monkeypatch.setitem(sys.modules, "scheduler_core.filling.cli", stub)
    from scheduler_core.cli import main

    def run(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_wt_json_contract(cli, data_dir):
    code, out, err = cli("shop", "wt", str(data_dir / "wt40_001.csv"), "--time-limit", "2",
                         "--json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["objective", "proven_optimal", "runtime_s", "sequence"]
    assert sorted(data["sequence"]) == list(range(1, 41))
    assert isinstance(data["objective"], int) and data["objective"] >= 913
    assert isinstance(data["proven_optimal"], bool)


def test_jsp_json_contract(cli, data_dir):
    code, out, err = cli("shop", "jsp", str(data_dir / "ft06.txt"), "--time-limit", "5",
                         "--json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["makespan", "proven_optimal", "runtime_s", "operations"]
    assert data["makespan"] == 55 and data["proven_optimal"] is True
    ops = data["operations"]
    assert len(ops) == 36
    assert set(ops[0]) == {"job", "index", "machine", "start", "end"}
    assert {o["job"] for o in ops} == set(range(6)) and {o["index"] for o in ops} == set(range(6))
    assert ops[0] == {"job": 0, "index": 0, "machine": 2, "start": ops[0]["start"],
                      "end": ops[0]["start"] + 1}
    assert max(o["end"] for o in ops) == 55


def test_bad_input_exits_2_with_one_line_per_problem(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("job,processing_time,weight,due_date\n1,x,1,1\n2,3,-1,1\n")
    code, out, err = cli("shop", "wt", str(bad), "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "row 2" in lines[0] and "row 3" in lines[1]
    bad.write_text("job,processing_time,weight,due_date\n1,5,2,1e400\n2,inf,1,3\n")  # non-finite values
    code, out, err = cli("shop", "wt", str(bad), "--json")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "row 2, column 'due_date'" in err and "row 3, column 'processing_time'" in err


def test_missing_file_and_bad_limit_exit_2(cli, tmp_path, data_dir):
    code, out, err = cli("shop", "jsp", str(tmp_path / "nope.txt"), "--json")
    assert code == 2 and out == "" and err
    code, out, err = cli("shop", "jsp", str(data_dir / "ft06.txt"), "--time-limit", "0")
    assert code == 2 and out == "" and "time-limit" in err


def test_plan_json_and_exports(cli, tmp_path):
    wb = write_demo_workbook(tmp_path / "demo.xlsx", seed=2, work_centers=3, orders=12)
    code, out, err = cli("shop", "plan", str(wb), "--start", "2025-01-06T07:00", "--json",
                         "-o", str(tmp_path / "plan.xlsx"))
    assert code == 0, err
    data = json.loads(out)
    assert {"strategy", "due", "start", "proven_optimal", "runtime_s", "kpis", "orders",
            "operations", "warnings"} <= set(data)
    assert data["strategy"] == "dispatch" and data["start"] == "2025-01-06T07:00:00+00:00"
    assert data["time_zone"] == "UTC" and "setup_minutes" in data["operations"][0]
    assert (tmp_path / "plan.xlsx").stat().st_size > 0
    code, out, err = cli("shop", "plan", str(wb), "--strategy", "optimise", "--due", "delivery",
                         "--time-limit", "1", "-o", str(tmp_path / "plan.pdf"))
    assert code == 0, err
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert "optimise" in out


def test_plan_bad_workbook_and_bad_output(cli, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, out, err = cli("shop", "plan", str(bad))
    assert code == 2 and out == "" and "workbook" in err
    wb = write_demo_workbook(tmp_path / "demo.xlsx", seed=2, work_centers=2, orders=5)
    code, out, err = cli("shop", "plan", str(wb), "-o", str(tmp_path / "x.docx"))
    assert code == 2 and out == ""
    code, out, err = cli("shop", "plan", str(wb), "--start", "tomorrow")
    assert code == 2 and "--start is not a date/time: 'tomorrow'" in err
    code, out, err = cli("shop", "plan", str(wb), "--start", "9999-12-31T23:00")
    assert code == 2 and out == "" and "outside the accepted range 1990-01-01 to 2200-12-31" in err


def test_jsp_zero_duration_operation_is_reported(cli, tmp_path):
    f = tmp_path / "z.txt"
    f.write_text("2 2\n0 3 1 0\n1 2 0 4\n")
    code, out, err = cli("shop", "jsp", str(f), "--time-limit", "2", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["operations"]) == 4
    zero = [o for o in data["operations"] if o["job"] == 0 and o["index"] == 1][0]
    assert zero["start"] == zero["end"] == 3
    assert data["makespan"] == 7


def test_plan_start_with_an_offset_is_converted_to_plant_time(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("PSS_TIMEZONE", raising=False)
    wb = write_demo_workbook(tmp_path / "demo.xlsx", seed=2, work_centers=2, orders=5)
    for given, wanted in (("2026-03-02T07:00+01:00", "2026-03-02T07:00:00+01:00"),
                          ("2026-03-02T06:00Z", "2026-03-02T07:00:00+01:00")):
        code, out, err = cli("shop", "plan", str(wb), "--start", given, "--time-zone", "Europe/Zagreb", "--json")
        assert code == 0, err
        data = json.loads(out)
        assert data["start"] == wanted and data["time_zone"] == "Europe/Zagreb"
    code, out, err = cli("shop", "plan", str(wb), "--start", "2026-03-02T06:00Z", "--json")
    assert code == 0 and json.loads(out)["start"] == "2026-03-02T06:00:00+00:00"
    monkeypatch.setenv("PSS_TIMEZONE", "Europe/Zagreb")
    code, out, err = cli("shop", "plan", str(wb), "--start", "2026-07-01T05:00Z", "--json")
    assert code == 0 and json.loads(out)["start"] == "2026-07-01T07:00:00+02:00"
    code, out, err = cli("shop", "plan", str(wb), "--time-zone", "Mars/Base")
    assert code == 2 and "unknown time zone 'Mars/Base'" in err
