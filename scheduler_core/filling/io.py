"""Reading lots (CSV / Excel) and configuration (YAML / JSON) for the filling line.

Every function here either returns fully valid objects or raises ``InputError`` carrying
*every* problem found (row, column, reason), so a user fixes a file in one go.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import yaml

from scheduler_core.errors import InputError, Problem
from scheduler_core.filling.catalog import STRATEGIES
from scheduler_core.filling.model import FillingConfig, Lot

#: Files larger than this are refused before parsing (bytes).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: More lots than this are refused (the planner targets up to a few thousand).
MAX_LOTS = 20_000
#: Largest accepted vial count of one lot.
MAX_VIALS = 10**12
#: At most this many problems are listed (the rest are summarised in one line).
MAX_PROBLEMS = 200

Source = str | Path | bytes | IO[bytes] | IO[str]

_REQUIRED = {"lot_id": "Lot ID", "lot_type": "Type", "vials": "Vials"}
_OPTIONAL = {"priority": "Priority", "due": "Due"}
_HEADER_ALIASES = {
    "lotid": "lot_id",
    "lot": "lot_id",
    "lotnumber": "lot_id",
    "type": "lot_type",
    "lottype": "lot_type",
    "producttype": "lot_type",
    "vials": "vials",
    "vialcount": "vials",
    "numvials": "vials",
    "quantity": "vials",
    "priority": "priority",
    "due": "due",
    "duedate": "due",
}
_DISPLAY = {**_REQUIRED, **_OPTIONAL}


def _normalise_header(name: object) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name if name is not None else "")).lower()


# --------------------------------------------------------------------------------------
# raw bytes / text
# --------------------------------------------------------------------------------------


def _read_source(source: Source, filename: str | None) -> tuple[bytes, str | None]:
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(_too_big(size), source=filename)
        data = path.read_bytes()
    else:
        raw = source.read(MAX_FILE_BYTES + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        filename = filename or getattr(source, "name", None)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(_too_big(len(data)), source=filename)
    return data, filename


def _too_big(size: int) -> str:
    return f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"


def _decode_text(
    data: bytes, filename: str | None, hint: str = "save it as CSV UTF-8 or upload the Excel file"
) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("file claims UTF-16 but is not valid UTF-16", source=filename) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); " + hint,
                row=line,
            ),
            source=filename,
        ) from exc


def _is_excel(data: bytes, filename: str | None) -> bool:
    suffix = Path(filename).suffix.lower() if filename else ""
    if suffix in (".xlsx", ".xlsm"):
        return True
    if suffix in (".csv", ".txt", ".tsv"):
        return False
    return data[:4] == b"PK\x03\x04"


# --------------------------------------------------------------------------------------
# lots
# --------------------------------------------------------------------------------------


def parse_lots(source: Source, filename: str | None = None) -> list[Lot]:
    """Read lots from a CSV (``,`` ``;`` or tab; UTF-8 with/without BOM, UTF-16 with BOM) or
    an Excel workbook (first sheet, or a sheet called ``lots``)."""
    data, filename = _read_source(source, filename)
    if not data.strip():
        raise InputError("file is empty", source=filename)
    if _is_excel(data, filename):
        rows = _excel_rows(data, filename)
    else:
        if (
            data[:4] == b"PK\x03\x04"
            or b"\x00" in data[:4096]
            and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        ):
            raise InputError("file is binary, not a CSV text file", source=filename)
        rows = _csv_rows(_decode_text(data, filename), filename)
    return _lots_from_rows(rows, filename)


def _csv_rows(text: str, filename: str | None) -> list[tuple[int, list[Any]]]:
    lines = text.splitlines()
    header_line = next((ln for ln in lines if ln.strip()), "")
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    filled = 0
    try:
        for record in reader:
            rows.append((reader.line_num, record))
            if any(v.strip() for v in record):
                filled += 1
                if filled > MAX_LOTS + 1:  # header + lots
                    raise InputError(
                        f"more than {MAX_LOTS} lots; at most {MAX_LOTS} are accepted",
                        source=filename,
                    )
    except csv.Error as exc:
        raise InputError(Problem(f"unreadable CSV: {exc}", row=reader.line_num), source=filename) from exc
    # csv.line_num is the physical line where the record *ended*; report the record's own
    # start line instead so that "row 5" is where the user looks.
    out: list[tuple[int, list[Any]]] = []
    previous_end = 0
    for end_line, record in rows:
        out.append((previous_end + 1, record))
        previous_end = end_line
    return out


def _excel_rows(data: bytes, filename: str | None) -> list[tuple[int, list[Any]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl/zipfile/XML raise many types
        raise InputError(f"not a readable Excel (.xlsx) workbook: {exc}", source=filename) from exc
    try:
        names = {n.lower(): n for n in wb.sheetnames}
        if not wb.sheetnames:
            raise InputError("the workbook has no sheets", source=filename)
        sheet_name = names["lots"] if "lots" in names else wb.sheetnames[0]
        sheet = wb[sheet_name]
        rows = []
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if index > MAX_LOTS + 10_000:
                raise InputError(f"sheet has more than {MAX_LOTS} rows", source=filename)
            rows.append((index, list(values)))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet fails while iterating
        raise InputError(f"not a readable Excel (.xlsx) workbook: {exc}", source=filename) from exc
    finally:
        wb.close()
    if not any(not _blank(v) for _, r in rows for v in r):
        raise InputError(
            f"sheet {sheet_name!r} is empty (lots are read from the first sheet, or from a "
            "sheet named 'lots')",
            source=filename,
        )
    if any(v is None for _, r in rows for v in r):
        _refuse_uncached_formulas(data, sheet_name, rows, filename)
    return rows


def _refuse_uncached_formulas(
    data: bytes, sheet_name: str, rows: list[tuple[int, list[Any]]], filename: str | None
) -> None:
    """A formula cell saved without its computed value (files written by scripts, not by
    Excel) reads as blank: name it instead of reporting a misleading "blank" value."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - it loaded once already; nothing more to say
        return
    problems: list[Problem] = []
    try:
        cached = dict(rows)
        for index, values in enumerate(wb[sheet_name].iter_rows(values_only=True), start=1):
            got = cached.get(index, [])
            for col, value in enumerate(values):
                if isinstance(value, str) and value.startswith("=") and (col >= len(got) or got[col] is None):
                    problems.append(
                        Problem(
                            f"cell {get_column_letter(col + 1)}{index} holds the formula "
                            f"{value[:60]!r} without a saved value; open the file in Excel and "
                            "save it (or paste the values) before uploading",
                            row=index,
                            column=get_column_letter(col + 1),
                        )
                    )
    except Exception:  # noqa: BLE001
        return
    finally:
        wb.close()
    if problems:
        raise InputError(_capped(problems), source=filename)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _lots_from_rows(rows: list[tuple[int, list[Any]]], filename: str | None) -> list[Lot]:
    rows = [(n, r) for n, r in rows if not all(_blank(v) for v in r)]
    if not rows:
        raise InputError("file is empty", source=filename)
    header_row, header = rows[0]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for idx, name in enumerate(header):
        key = _HEADER_ALIASES.get(_normalise_header(name))
        if key is None:
            continue
        if key in columns:
            problems.append(
                Problem(
                    f"duplicate column for {_DISPLAY[key]!r} (also column {columns[key] + 1})",
                    row=header_row,
                    column=str(name),
                )
            )
        else:
            columns[key] = idx
    missing = [disp for key, disp in _REQUIRED.items() if key not in columns]
    if missing:
        found = ", ".join(repr(str(h)) for h in header if not _blank(h)) or "none"
        problems.append(
            Problem(
                f"missing required column(s) {', '.join(missing)} (found: {found}); "
                "expected headers Lot ID, Type, Vials",
                row=header_row,
            )
        )
    if problems:
        raise InputError(problems, source=filename)
    data_rows = rows[1:]
    if not data_rows:
        raise InputError("file has a header but no lots", source=filename)
    if len(data_rows) > MAX_LOTS:
        raise InputError(f"{len(data_rows)} lots; at most {MAX_LOTS} are accepted", source=filename)

    lots: list[Lot] = []
    first_row_of: dict[str, int] = {}
    for row_no, record in data_rows:

        def cell(key: str, record: list[Any] = record) -> Any:
            idx = columns.get(key)
            return record[idx] if idx is not None and idx < len(record) else None

        row_problems: list[Problem] = []
        lot_id = _text(cell("lot_id"))
        if lot_id is None:
            row_problems.append(Problem("Lot ID is blank", row_no, "Lot ID"))
        elif lot_id in first_row_of:
            row_problems.append(
                Problem(
                    f"duplicate Lot ID {lot_id!r} (first seen in row {first_row_of[lot_id]})",
                    row_no,
                    "Lot ID",
                )
            )
        else:
            first_row_of[lot_id] = row_no
        lot_type = _text(cell("lot_type"))
        if lot_type is None:
            row_problems.append(Problem("Type is blank", row_no, "Type"))
        vials, reason = _positive_int(cell("vials"))
        if reason:
            row_problems.append(Problem(reason, row_no, "Vials"))
        priority = None
        if "priority" in columns and not _blank(cell("priority")):
            priority, reason = _positive_int(cell("priority"), what="priority", allow_zero=True)
            if reason:
                row_problems.append(Problem(reason, row_no, "Priority"))
        due = None
        if "due" in columns and not _blank(cell("due")):
            due, reason = _datetime(cell("due"))
            if reason:
                row_problems.append(Problem(reason, row_no, "Due"))
        if row_problems:
            problems.extend(row_problems)
            continue
        assert lot_id is not None and lot_type is not None and vials is not None
        lots.append(Lot(lot_id, lot_type, vials, priority=priority, due=due, row=row_no))
    if problems:
        raise InputError(_capped(problems), source=filename)
    return lots


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [Problem(f"... and {rest} more problems")]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: object) -> str | None:
    """Cell as text, exactly as written. Numbers from Excel become their plain form."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    text = _CONTROL.sub("", text)
    return text or None


_THOUSANDS = re.compile(r"^[+]?\d{1,3}([,_ \u00a0\u202f]\d{3})+$")
#: "1.000" is one thousand in much of Europe and one in the rest of the world: refused.
_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def _positive_int(
    value: object, *, what: str = "vials", allow_zero: bool = False
) -> tuple[int | None, str | None]:
    if _blank(value):
        return None, f"{what} is blank"
    if isinstance(value, bool):
        return None, f"{what} must be a whole number, got {value!r}"
    number: float | int
    if isinstance(value, int | float):
        number = value
    else:
        text = str(value).strip()
        if _DOT_THOUSANDS.match(text):
            return None, (
                f"{what} {text!r} is ambiguous (thousands separator or decimal point?); "
                "write the number without separators"
            )
        if _THOUSANDS.match(text):
            text = re.sub(r"[,_ \u00a0\u202f]", "", text)
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None, f"{what} must be a whole number, got {text!r}"
    if isinstance(number, float):
        if not math.isfinite(number):
            return None, f"{what} must be a finite whole number, got {value!r}"
        if not number.is_integer():
            return None, f"{what} must be a whole number, got {value!r} (no rounding is done)"
        number = int(number)
    if number < 0 or (number == 0 and not allow_zero):
        return None, f"{what} must be positive, got {number}"
    if number > MAX_VIALS:
        return None, f"{what} {number} is larger than the limit {MAX_VIALS}"
    return number, None


_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d/%m/%Y")


def _datetime(value: object) -> tuple[datetime | None, str | None]:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None), None
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt), None
        except ValueError:
            continue
    return None, f"not a date/time: {text!r} (use e.g. 2026-12-01 or 2026-12-01T14:00)"


# --------------------------------------------------------------------------------------
# config
# --------------------------------------------------------------------------------------

_NUMBER_KEYS = {
    "fill_rate_vph": (False, 10**9),
    "clean_hours": (True, 10**4),
    "window_hours": (False, 10**5),
    "changeover_same_hours": (True, 10**4),
    "changeover_diff_hours": (True, 10**4),
    "time_limit_s": (False, 3600),
}
CONFIG_KEYS = (*_NUMBER_KEYS, "changeover_matrix", "start_time", "strategy")
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
    """Validate a config given as a mapping, or as YAML/JSON text, bytes, path or file."""
    if source is None:
        return FillingConfig()
    if isinstance(source, Mapping):
        return config_from_mapping(source, source_name=filename)
    data, filename = _read_source(source, filename)
    if len(data) > MAX_CONFIG_BYTES:
        raise InputError(f"config file larger than {MAX_CONFIG_BYTES // 1024} KB", source=filename)
    text = _decode_text(data, filename, hint="save it with UTF-8 encoding")
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
            moment, reason = (
                _datetime(value)
                if not isinstance(value, bool | int | float)
                else (
                    None,
                    f"not a date/time: {value!r}",
                )
            )
            if reason:
                problems.append(Problem(reason, column=key))
            else:
                kwargs[key] = moment
        elif key == "changeover_matrix":
            matrix, matrix_problems = _matrix(value)
            problems.extend(matrix_problems)
            kwargs[key] = matrix
    if problems:
        raise InputError(problems, source=source_name)
    config = FillingConfig(**kwargs)
    return config


def _config_number(value: object, *, allow_zero: bool, limit: float) -> tuple[float | int | None, str | None]:
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


def check_lots_fit(lots: Iterable[Lot], config: FillingConfig) -> None:
    """Every lot's fill alone must fit in the window; otherwise an input error names them."""
    problems = []
    for lot in lots:
        hours = lot.vials / config.fill_rate_vph
        if hours > config.window_hours:
            problems.append(
                Problem(
                    f"lot {lot.lot_id!r} needs {hours:.2f} h of filling, longer than the "
                    f"{config.window_hours:g} h window; split it into smaller lots",
                    row=lot.row,
                    column="Vials",
                )
            )
    if problems:
        raise InputError(_capped(problems))
