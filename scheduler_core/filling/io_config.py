"""Reading the filling line's configuration from a mapping or a YAML / JSON file.

Bytes and text are read by ``scheduler_core.tabular``; this module parses YAML (safely, no
anchors/aliases) or JSON, refuses unknown keys and converts the start time and the matrix;
the values themselves are validated once, by ``FillingConfig``'s own rules. It either
returns a valid ``FillingConfig`` or raises ``InputError`` carrying every problem (column =
the key).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from scheduler_core.cells import to_datetime
from scheduler_core.errors import InputError, Problem
from scheduler_core.filling.model import NUMBER_KEYS, FillingConfig
from scheduler_core.tabular import TEXT_HINT, Source, decode_text, read_source
from scheduler_core.zones import default_zone_name, to_plant

__all__ = ["CONFIG_KEYS", "MAX_CONFIG_BYTES", "config_from_mapping", "parse_config"]

#: Every accepted key of a config.
CONFIG_KEYS = (*NUMBER_KEYS, "changeover_matrix", "start_time", "strategy", "objective")
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
    if bracket_depth(text) > MAX_DEPTH:  # decided here, not by the interpreter's recursion limit
        raise InputError("config is nested too deeply", source=filename)
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


#: Deepest bracket nesting (``[`` / ``{``) a config may have; real configs need 3.
MAX_DEPTH = 50


def bracket_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in ``text`` outside quoted strings (JSON and YAML
    flow style), so a hostile file is refused the same way whatever the recursion limit."""
    depth = deepest = 0
    quote = ""
    escaped = False
    for ch in text:
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def config_from_mapping(values: Mapping[str, Any], source_name: str | None = None) -> FillingConfig:
    """A ``FillingConfig`` from a mapping of ``CONFIG_KEYS`` to values: numbers (hours,
    vials per hour, seconds) as typed numbers, ``strategy`` a name, ``objective`` ``makespan``
    or ``due``, ``start_time`` a
    date/time (or ``None``), ``changeover_matrix`` ``{from_type: {to_type: hours}}``.
    Raises ``InputError`` listing every unknown key, unreadable value and broken config rule
    (column = key; ``source_name`` names the file)."""
    problems: list[Problem] = []
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if not isinstance(key, str) or key not in CONFIG_KEYS:
            problems.append(Problem(f"unknown key (valid keys: {', '.join(CONFIG_KEYS)})", column=str(key)))
        elif key == "start_time":
            if value is None:
                continue
            try:
                moment = to_datetime(value, what="start_time", keep_offset=True)
                kwargs[key] = to_plant(moment, default_zone_name())
            except ValueError as exc:
                problems.append(Problem(str(exc), column=key))
        elif key == "changeover_matrix":
            matrix, matrix_problems = _matrix(value)
            problems.extend(matrix_problems)
            kwargs[key] = matrix
        else:
            kwargs[key] = value
    try:
        config = FillingConfig(**kwargs)
    except InputError as exc:  # the config's own rules, every bad value
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems, source=source_name)
    return config


def _matrix(value: object) -> tuple[dict[tuple[str, str], Any] | None, list[Problem]]:
    """``{from: {to: hours}}`` as ``{(from, to): hours}`` (hours checked by the config), or
    the problems of its shape."""
    key = "changeover_matrix"
    if value is None:
        return None, []
    if not isinstance(value, Mapping):
        return None, [Problem("must be a mapping {from_type: {to_type: hours}}", column=key)]
    out: dict[tuple[str, str], Any] = {}
    problems: list[Problem] = []
    for src, row in value.items():
        if not isinstance(row, Mapping):
            problems.append(Problem(f"entry for {src!r} must be a mapping {{to_type: hours}}", column=key))
            continue
        for dst, hours in row.items():
            out[(str(src), str(dst))] = hours
    return (out or None), problems
