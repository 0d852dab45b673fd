"""``python -m webapp admin create NAME``: the first admin of a shared deployment, the
password from standard input or a prompt, the app's password rules."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import auth, cli

ROOT = Path(__file__).resolve().parents[2]
GOOD = "Sunflower-2030"


def test_create_admin_reads_the_password_from_stdin(engine, capsys):
    code = cli.main(["admin", "create", "Boss", "--password-stdin", "--email", "boss@example.com"],
                    stdin=io.StringIO(GOOD + "\n"), db=engine)
    assert code == 0 and "created admin 'boss'" in capsys.readouterr().out
    user = auth.authenticate(engine, username="boss", password=GOOD)
    assert user.role == "admin" and user.approval == "approved"
    # the same name again is refused
    assert cli.main(["admin", "create", "boss"], stdin=io.StringIO(GOOD + "\n"), db=engine) == 2
    assert "already taken" in capsys.readouterr().err


def test_weak_password_refused_with_the_apps_rules(engine, capsys):
    assert cli.main(["admin", "create", "boss", "--password-stdin"], stdin=io.StringIO("Password123\n"), db=engine) == 2
    err = capsys.readouterr().err
    assert "too easy to guess" in err
    assert cli.main(["admin", "create", "boss"], stdin=io.StringIO("\n"), db=engine) == 2
    assert "no password given" in capsys.readouterr().err


def test_prompt_on_a_terminal_asks_twice(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter([GOOD, "Sunflower-2031"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(ValueError, match="differ"):
        cli.read_password(Tty(), from_stdin=False)
    answers = iter([GOOD, GOOD])
    assert cli.read_password(Tty(), from_stdin=False) == GOOD


def test_python_m_webapp_creates_the_admin_in_the_configured_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "PSS_REGISTRATION": "closed",
           "PSS_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "webapp", "admin", "create", "ops", "--password-stdin"],
                          input=GOOD + "\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "created admin 'ops'" in done.stdout and GOOD not in done.stdout + done.stderr
