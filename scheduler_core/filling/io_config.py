"""Reading the filling line's configuration from a mapping or a YAML / JSON file.

Bytes and text are read by ``scheduler_core.tabular``; this module parses YAML (safely, no
anchors/aliases) or JSON and validates every key. It either returns a valid
``FillingConfig`` or raises ``InputError`` carrying every problem (column = the key).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from scheduler_core.errors import InputError, Problem
from scheduler_core.filling.catalog import STRATEGIES
from scheduler_core.filling.model import FillingConfig
from scheduler_core.tabular import TEXT_HINT, Source, decode_text, read_source, to_datetime

__all__ = ["CONFIG_KEYS", "MAX_CONFIG_BYTES", "config_from_mapping", "parse_config"]

#: Numeric keys -> (zero allowed, largest value).
_NUMBER_KEYS = {
    "fill_rate_vph": (False, 10**9),
    "clean_hours": (True, 10**4),
    "window_hours": (False, 10**5),
    "changeover_same_hours": (True, 10**4),
    "changeover_diff_hours": (True, 10**4),
    "time_limit_s": (False, 3600),
}
#: Every accepted key of a config.
CONFIG_KEYS = (*_NUMBER_KEYS, "changeover_matrix", "start_time", "strategy")
#: Config files larger than this are refused (bytes).
MAX_CONFIG_BYTES = 256 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors/aliases (no "billion laughs" expansion)."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InputError(
                Problem(
                    "YAML anchors/aliases (*name) are not accepted in config files",
                    row=event.start_mark.line + 1,
                )
            )
        return super().compose_node(parent, index)


def parse_config(source: Mapping[str, Any] | Source | None, filename: str | None = None) -> FillingConfig:
    """Validate a config given as a mapping, or as YAML/JSON text in bytes, a path or a file.

    ``None``, an empty file and an empty document give the defaults. JSON if ``filename``
    ends in ``.json``, else YAML (a superset of JSON). Raises ``InputError`` for a file over
    ``MAX_CONFIG_BYTES`` (or ``tabular.MAX_FILE_BYTES``), text that is not UTF-8/UTF-16,
    invalid or too deeply nested YAML/JSON (with its line), anchors/aliases, a document that
    is not a mapping, and every bad key (see ``config_from_mapping``).
    """
    if source is None:
        return FillingConfig()
    if isinstance(source, Mapping):
        return config_from_mapping(source, source_name=filename)
    data, filename = read_source(source, filename)
    if len(data) > MAX_CONFIG_BYTES:
        raise InputError(f"config file larger than {MAX_CONFIG_BYTES // 1024} KB", source=filename)
    text = decode_text(data, filename, hint=TEXT_HINT)
    if not text.strip():
        return FillingConfig()
    suffix = Path(filename).suffix.lower() if filename else ""
    try:
        if suffix == ".json":
            loaded = json.loads(text)
        else:  # YAML is a superset of JSON
            loaded = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - safe subclass
    except InputError as exc:
        raise InputError(exc.problems, source=filename) from exc
    except RecursionError as exc:
        raise InputError("config is nested too deeply", source=filename) from exc
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        line = line + 1 if line is not None else getattr(exc, "lineno", None)
        raise InputError(Problem(f"not valid YAML/JSON: {exc}", row=line), source=filename) from exc
    except ValueError as exc:  # e.g. an integer literal longer than Python converts
        reason = str(exc).split(";")[0]  # drop Python's advice on raising its digit limit
        raise InputError(f"not valid YAML/JSON: {reason}", source=filename) from exc
    if loaded is None:
        return FillingConfig()
    if not isinstance(loaded, Mapping):
        raise InputError(
            f"config must be a mapping of keys to values, got {type(loaded).__name__}",
            source=filename,
        )
    return config_from_mapping(loaded, source_name=filename)


def config_from_mapping(values: Mapping[str, Any], source_name: str | None = None) -> FillingConfig:
    """A ``FillingConfig`` from a mapping of ``CONFIG_KEYS`` to values: numbers (hours,
    vials per hour, seconds) as typed numbers within their range and at most 6 decimals,
    ``strategy`` one of ``STRATEGIES``, ``start_time`` a date/time (or ``None``),
    ``changeover_matrix`` ``{from_type: {to_type: hours}}``. Raises ``InputError`` listing
    every unknown key and bad value (column = key; ``source_name`` names the file)."""
    problems: list[Problem] = []
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if not isinstance(key, str) or key not in CONFIG_KEYS:
            problems.append(Problem(f"unknown key (valid keys: {', '.join(CONFIG_KEYS)})", column=str(key)))
            continue
        if key in _NUMBER_KEYS:
            allow_zero, limit = _NUMBER_KEYS[key]
            number, reason = _config_number(value, allow_zero=allow_zero, limit=limit)
            if reason:
                problems.append(Problem(reason, column=key))
            else:
                kwargs[key] = number
        elif key == "strategy":
            if not isinstance(value, str) or value not in STRATEGIES:
                problems.append(
                    Problem(
                        f"unknown strategy {value!r}; valid: {', '.join(STRATEGIES)}",
                        column=key,
                    )
                )
            else:
                kwargs[key] = value
        elif key == "start_time":
            if value is None:
                continue
            try:
                kwargs[key] = to_datetime(value, what="start_time")
            except ValueError as exc:
                problems.append(Problem(str(exc), column=key))
        elif key == "changeover_matrix":
            matrix, matrix_problems = _matrix(value)
            problems.extend(matrix_problems)
            kwargs[key] = matrix
    if problems:
        raise InputError(problems, source=source_name)
    try:
        return FillingConfig(**kwargs)
    except InputError as exc:  # a rule of the config as a whole
        raise InputError(exc.problems, source=source_name) from None


def _config_number(value: object, *, allow_zero: bool, limit: float) -> tuple[float | int | None, str | None]:
    """A typed config number (YAML/JSON number, not text) or the reason it is refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"must be a number, got {_short(value)}"
    if isinstance(value, int) and abs(value) > 10**15:
        return None, f"must be at most {limit}, got a number of {value.bit_length()} bits"
    if not math.isfinite(value):
        return None, f"must be a finite number, got {value!r}"
    if value < 0 or (value == 0 and not allow_zero):
        return None, f"must be {'zero or ' if allow_zero else ''}positive, got {value!r}"
    if value > limit:
        return None, f"must be at most {limit}, got {value!r}"
    if isinstance(value, float) and Fraction(str(value)).denominator > 10**6:
        return None, f"at most 6 decimals, got {value!r}"
    return value, None


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _matrix(value: object) -> tuple[dict[tuple[str, str], float] | None, list[Problem]]:
    key = "changeover_matrix"
    if value is None:
        return None, []
    if not isinstance(value, Mapping):
        return None, [Problem("must be a mapping {from_type: {to_type: hours}}", column=key)]
    out: dict[tuple[str, str], float] = {}
    problems: list[Problem] = []
    for src, row in value.items():
        if not isinstance(row, Mapping):
            problems.append(Problem(f"entry for {src!r} must be a mapping {{to_type: hours}}", column=key))
            continue
        for dst, hours in row.items():
            number, reason = _config_number(hours, allow_zero=True, limit=10**4)
            if reason:
                problems.append(Problem(f"{src!r} -> {dst!r}: {reason}", column=key))
            else:
                out[(str(src), str(dst))] = number  # type: ignore[assignment]
    return (out or None), problems
