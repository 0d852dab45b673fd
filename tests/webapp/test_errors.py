"""The webapp's error kinds and how a failure is described to a user."""

from scheduler_core.errors import InputError as CoreInputError
from webapp.errors import InputError, RunFailed, UnknownReference, describe_error


def test_input_error_is_the_core_type():
    assert InputError is CoreInputError and issubclass(UnknownReference, InputError)


def test_describe_error():
    assert describe_error(InputError("no lots")) == "no lots"
    assert describe_error(RuntimeError("disk full")) == "RuntimeError: disk full"
    assert describe_error(KeyError()) == "KeyError"


def test_run_failed_lines():
    failed = RunFailed(4, CoreInputError("x", source="f.csv"))
    assert failed.schedule_id == 4 and failed.lines() == ["f.csv: x"]
    assert "schedule 4 failed" in str(failed)
    assert RunFailed(5, ValueError("boom")).lines() == ["ValueError: boom"]
