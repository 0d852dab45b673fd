"""The top-level command line: ``main`` dispatches to ``fill``/``shop``; bad input exits with
code 2, one line per problem on stderr and nothing on stdout (also through ``python -m``)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from scheduler_core import cli
from scheduler_core.errors import InputError, Problem
from scheduler_core.filling import STRATEGIES as FILL_STRATEGIES


@pytest.fixture
def run(capsys):
    """``run(*argv) -> (exit code, stdout, stderr)`` through ``cli.main``."""

    def call(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def handled_by(monkeypatch):
    """``handled_by(fn)``: ``main`` parses ``fill`` into a parser whose handler is ``fn``, so
    its error translation is tested apart from the real sub-commands."""

    def install(handler):
        def build() -> argparse.ArgumentParser:
            parser = argparse.ArgumentParser(prog="test")
            sub = parser.add_subparsers(dest="problem", required=True)
            sub.add_parser("fill").set_defaults(handler=handler)
            return parser

        monkeypatch.setattr(cli, "build_parser", build)

    return install


def test_parser_has_both_problems_with_their_handlers(tmp_path):
    parser = cli.build_parser()
    fill = parser.parse_args(["fill", "strategies"])
    assert fill.problem == "fill" and fill.handler.__module__ == "scheduler_core.filling.cli"
    shop = parser.parse_args(["shop", "wt", str(tmp_path / "x.csv")])
    assert shop.problem == "shop" and shop.handler.__module__ == "scheduler_core.shop.cli"


def test_main_dispatches_to_fill(run):
    code, out, err = run("fill", "strategies")
    assert code == 0 and err == ""
    assert [line.split()[0] for line in out.splitlines()] == list(FILL_STRATEGIES)


def test_main_dispatches_to_shop(run, tmp_path):
    # three jobs of 10, 20 and 30 minutes, all due at minute 100: every order is on time
    wt = tmp_path / "wt.csv"
    wt.write_text("job,processing_time,weight,due_date\n1,10,1,100\n2,20,1,100\n3,30,2,100\n")
    code, out, err = run("shop", "wt", str(wt), "--json", "--time-limit", "1")
    assert code == 0, err
    data = json.loads(out)
    assert data["objective"] == 0 and data["proven_optimal"] is True
    assert sorted(data["sequence"]) == [1, 2, 3]


def test_input_error_exits_2_with_one_line_per_problem(run, handled_by):
    def handler(args):
        raise InputError([Problem("bad vials", 2, "Vials"), Problem("blank id", 3)], source="lots.csv")

    handled_by(handler)
    code, out, err = run("fill")
    assert code == cli.EXIT_INPUT_ERROR == 2
    assert out == ""
    assert err.splitlines() == ["lots.csv: row 2, column 'Vials': bad vials", "lots.csv: row 3: blank id"]


@pytest.mark.parametrize(
    "error, line",
    [
        (FileNotFoundError("no such file: x.csv"), "error: no such file: x.csv"),
        (PermissionError("denied"), "error: denied"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
         "error: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    ],
)
def test_file_and_encoding_errors_exit_2_with_one_line(run, handled_by, error, line):
    def handler(args):
        raise error

    handled_by(handler)
    code, out, err = run("fill")
    assert (code, out, err) == (2, "", line + "\n")


@pytest.mark.parametrize("returned, code", [(None, 0), (0, 0), (3, 3)])
def test_exit_code_is_the_handlers_result(run, handled_by, returned, code):
    handled_by(lambda args: returned)
    assert run("fill") == (code, "", "")


def test_other_exceptions_are_not_reported_as_bad_input(handled_by):
    def handler(args):
        raise KeyError("a bug")

    handled_by(handler)
    with pytest.raises(KeyError):
        cli.main(["fill"])


@pytest.mark.parametrize("argv", [[], ["paint"], ["fill"], ["shop"]])
def test_bad_command_line_exits_2_without_stdout(capsys, argv):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == "" and "usage" in err


def test_bad_input_of_each_problem_exits_2(run, tmp_path):
    lots = tmp_path / "lots.csv"
    lots.write_text("Lot ID,Type,Vials\nL1,A,x\n,B,5\n")
    code, out, err = run("fill", "check", str(lots))
    assert code == 2 and out == ""
    assert [("row 2" in line, "row 3" in line) for line in err.splitlines()] == [(True, False), (False, True)]
    wt = tmp_path / "wt.csv"
    wt.write_text("job,processing_time,weight,due_date\n1,0,1,5\n")
    code, out, err = run("shop", "wt", str(wt))
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "row 2" in err


def test_missing_file_exits_2_with_one_line(run, tmp_path):
    code, out, err = run("fill", "check", str(tmp_path / "missing.csv"))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "missing.csv" in err


def test_python_dash_m_exits_with_mains_code(tmp_path):
    """``python -m scheduler_core`` (``__main__``) returns ``main``'s exit code."""
    proc = subprocess.run(
        [sys.executable, "-m", "scheduler_core", "fill", "check", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "missing.csv" in proc.stderr
