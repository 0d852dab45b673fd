"""Config input (``io_config``): mappings, YAML and JSON; every bad key reported at once."""

from __future__ import annotations

from datetime import datetime

import pytest

from scheduler_core.errors import InputError
from scheduler_core.filling import FillingConfig
from scheduler_core.filling.io_config import parse_config


def test_config_defaults_and_values():
    assert parse_config(None) == FillingConfig()
    config = parse_config(b"window_hours: 100\nchangeover_matrix:\n  A: {B: 6}\n", filename="c.yaml")
    assert config.window_hours == 100
    assert config.changeover_hours("A", "B") == 6
    assert config.changeover_hours("B", "A") == 8
    assert config.changeover_hours("A", "A") == 4


def test_config_json_and_start_time():
    config = parse_config(b'{"start_time": "2026-12-01T06:00", "strategy": "lpt-pack"}', filename="c.json")
    assert config.start_time == datetime(2026, 12, 1, 6) and config.strategy == "lpt-pack"


def test_config_every_bad_key_reported():
    with pytest.raises(InputError) as info:
        parse_config(
            {
                "window_hour": 5,
                "clean_hours": "x",
                "fill_rate_vph": 0,
                "strategy": "fastest",
                "changeover_matrix": {"A": {"B": -1}},
            }
        )
    columns = {p.column for p in info.value.problems}
    assert columns == {"window_hour", "clean_hours", "fill_rate_vph", "strategy", "changeover_matrix"}
    assert "valid" in str(info.value)


def test_config_round_trip():
    config = parse_config({"changeover_matrix": {"A": {"B": 2.5}}, "start_time": "2026-12-01 06:00"})
    assert parse_config(config.to_dict()) == config


def test_config_yaml_alias_bomb_rejected():
    bomb = b'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    with pytest.raises(InputError) as info:
        parse_config(bomb, filename="c.yaml")
    assert "alias" in str(info.value)


def test_config_not_a_mapping():
    with pytest.raises(InputError):
        parse_config(b"- 1\n- 2\n", filename="c.yaml")
    with pytest.raises(InputError):
        parse_config(b"{not json", filename="c.json")


def test_start_time_with_an_offset_is_plant_time_and_must_be_plausible(monkeypatch):
    monkeypatch.setenv("PSS_TIMEZONE", "Europe/Zagreb")
    assert parse_config({"start_time": "2026-01-05T06:00Z"}).start_time == datetime(2026, 1, 5, 7)
    with pytest.raises(InputError, match="start_time '9999-12-31T23:00' is outside the accepted range"):
        parse_config({"start_time": "9999-12-31T23:00"})


def test_deep_nesting_is_refused_whatever_the_recursion_limit():
    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(100_000)
    try:
        deep = '{"a": ' + "[" * 5000 + "]" * 5000 + "}"
        with pytest.raises(InputError, match="nested too deeply"):
            parse_config(deep.encode(), filename="c.json")
    finally:
        sys.setrecursionlimit(old)
    assert parse_config(b'{"changeover_matrix": {"A": {"B": 1.5}}}', filename="c.json").changeover_matrix


def test_objective_key_is_read_and_an_unknown_one_named():
    from scheduler_core.filling.io_config import parse_config

    assert parse_config(b"objective: due\n", "c.yaml").objective == "due"
    with pytest.raises(InputError) as err:
        parse_config(b"objective: lateness\n", "c.yaml")
    assert [p.column for p in err.value.problems] == ["objective"]
