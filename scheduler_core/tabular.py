"""Tabular input: the one reader that turns a user's file into numbered rows of cells.

The one idea: every problem-specific reader (filling lots, shop workbook, benchmark
instances) gets its rows from here, so size limit, encodings, delimiter, row numbers and row
cap follow one rule everywhere; the cells are turned into values by ``scheduler_core.cells``
(header matching, numbers, dates), and a problem-specific reader only maps columns and builds
domain objects.

The rules:

* Size: a file larger than ``MAX_FILE_BYTES`` is refused before it is parsed (a path by its
  size on disk, a stream after reading at most one byte past the limit).
* Kind: ``.xlsx``/``.xlsm`` is Excel, ``.csv``/``.tsv``/``.txt`` is text; any other name
  is Excel if the data starts like a zip archive. Excel 97-2003 (``.xls``) is refused by name.
* Text: UTF-8 with or without BOM, or UTF-16 with BOM. Text with NUL bytes (and no UTF-16
  BOM) or with a zip signature is refused as binary.
* CSV delimiter: ``,`` ``;`` or tab, whichever occurs most (outside quotes) on the header
  line, the first line with any content; a tie goes to ``,``.
* Row numbers are what the user sees: the line where a CSV record *starts* (a quoted newline
  does not shift later rows), the sheet row in Excel. Blank rows are dropped; the first
  remaining row is the header.
* Row cap: reading stops as soon as more than ``max_rows`` non-blank rows follow the header.
* Compressed size: an Excel file (a zip) is checked before parsing: the sizes its parts
  declare must stay under ``MAX_UNZIPPED_BYTES`` in total, and no part unpacking to over
  20 MB may do so at more than ``MAX_ZIP_RATIO`` times its packed size (a "zip bomb" is refused at once).
* Trailing rows: a sheet is read until ``MAX_BLANK_RUN`` blank rows follow each other (a
  formatted but empty cell far below the data neither counts as a row nor costs time).
* Excel sheets are read row by row to the caps above whatever their ``<dimension>`` says (a
  missing one costs no scan, a wrong one hides no row).
* Excel is read with openpyxl read-only with the values Excel saved (``data_only``); a formula
  saved without its value can be named instead of reading as blank (``check_formulas``).

Errors: what is wrong with the file itself raises ``InputError`` (``source`` = file name);
``capped`` shortens a long problem list.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from scheduler_core.cells import is_blank
from scheduler_core.errors import InputError, Problem

#: Files larger than this are refused before parsing (bytes).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: An Excel file is refused before parsing when its parts would unpack to more than this (bytes).
MAX_UNZIPPED_BYTES = 150 * 1024 * 1024
#: ... or when a part unpacking to over 20 MB does so at more than this many times its packed size.
MAX_ZIP_RATIO = 200
#: Reading a sheet stops after this many blank rows in a row (formatting left far below the data).
MAX_BLANK_RUN = 5_000
#: ``capped`` keeps at most this many problems (plus one line counting the rest).
MAX_PROBLEMS = 200
#: Advice appended when a CSV file is not UTF-8.
CSV_HINT = "save it as CSV UTF-8 or upload the Excel file"
#: Advice appended when another text file (YAML, JSON, an instance file) is not UTF-8.
TEXT_HINT = "save it with UTF-8 encoding"

#: What the readers accept: a path, the raw bytes, or an open (binary or text) file.
Source = str | Path | bytes | IO[bytes] | IO[str]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and other OLE files
_DELIMITERS = (",", ";", "\t")
_SIZING_LOCK = threading.Lock()


class Row(NamedTuple):
    """One non-blank row: ``number`` is 1-based as the user sees it (CSV line where the record
    starts, Excel sheet row); ``cells`` are ``str`` from CSV, and ``str``/``int``/``float``/
    ``bool``/``datetime``/``None`` from Excel. Unpacks as ``number, cells``."""

    number: int
    cells: list[Any]


class Sheet(NamedTuple):
    """The non-blank rows of one sheet in order; ``name`` is the worksheet title, ``None`` for
    a CSV file. ``rows[0]`` (if any) is the header."""

    name: str | None
    rows: list[Row]


class Table(NamedTuple):
    """A file read by ``read_table``: the ``filename`` to name in messages (``None`` if
    unknown) and its ``sheets`` in file order (exactly one for CSV)."""

    filename: str | None
    sheets: list[Sheet]


# --------------------------------------------------------------------------------------
# bytes and text
# --------------------------------------------------------------------------------------


def read_source(source: Source, filename: str | None = None) -> tuple[bytes, str | None]:
    """The bytes of ``source`` (path, bytes, or binary/text file object; text is encoded as
    UTF-8) and the name to report (``filename``, else the path's or file object's name).

    Raises ``InputError`` if the data is larger than ``MAX_FILE_BYTES``: a path is refused
    from its size on disk and a stream after reading ``MAX_FILE_BYTES + 1`` bytes at most.
    """
    limit = MAX_FILE_BYTES
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        size = path.stat().st_size
        if size > limit:
            raise InputError(_too_big(size, limit), source=filename)
        data = path.read_bytes()
    else:
        raw = source.read(limit + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        filename = filename or getattr(source, "name", None)
    if len(data) > limit:
        raise InputError(_too_big(len(data), limit), source=filename)
    return data, filename


def _too_big(size: int, limit: int) -> str:
    return f"file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB"


def decode_text(data: bytes, filename: str | None = None, *, hint: str = CSV_HINT) -> str:
    """``data`` as text: UTF-16 if it starts with a UTF-16 BOM, else UTF-8 (a UTF-8 BOM is
    dropped). Raises ``InputError`` naming the first bad byte, its position and line, plus
    ``hint``; or saying the UTF-16 is invalid."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("file claims UTF-16 but is not valid UTF-16", source=filename) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reason = f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); {hint}"
        raise InputError(Problem(reason, row=line), source=filename) from exc


_XLS_REFUSED = (
    "old Excel 97-2003 (.xls) files are not read; save it as Excel Workbook (.xlsx) or CSV UTF-8"
)


def _refuse_binary(data: bytes, filename: str | None) -> None:
    if data.startswith(_OLE):
        raise InputError(_XLS_REFUSED, source=filename)
    if data.startswith(_ZIP) or (b"\x00" in data[:4096] and not data.startswith(_UTF16_BOMS)):
        raise InputError("file is binary, not a CSV text file", source=filename)


def read_text(source: Source, filename: str | None = None, *, hint: str = TEXT_HINT) -> tuple[str, str | None]:
    """The text of a text file and the name to report (see ``read_source`` and
    ``decode_text``). Raises ``InputError`` if it is too large, binary or not decodable."""
    data, filename = read_source(source, filename)
    _refuse_binary(data, filename)
    return decode_text(data, filename, hint=hint), filename


def is_excel(data: bytes, filename: str | None) -> bool:
    """True if the file is read as an Excel workbook: by the name's suffix (``.xlsx``,
    ``.xlsm``; ``.csv``, ``.tsv``, ``.txt`` are text), else by the zip signature."""
    suffix = Path(filename).suffix.lower() if filename else ""
    if suffix in (".xlsx", ".xlsm"):
        return True
    if suffix in (".csv", ".txt", ".tsv"):
        return False
    return data.startswith(_ZIP)


# --------------------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------------------


def read_table(
    source: Source,
    filename: str | None = None,
    *,
    sheet: str | None = None,
    all_sheets: bool = False,
    max_rows: int | None = None,
    what: str = "rows",
    check_formulas: bool = False,
) -> Table:
    """Read a CSV file or an Excel workbook into numbered non-blank rows.

    Excel: every worksheet if ``all_sheets``, else the one titled ``sheet`` (case-insensitive)
    or the first. ``max_rows`` caps the non-blank rows below the header (per sheet); ``what``
    names them in the message. ``check_formulas`` refuses formulas saved without a value.
    Raises ``InputError`` for an empty, too large, binary, undecodable or unreadable file,
    a CSV syntax error, too many rows, or (with ``check_formulas``) uncached formulas.
    """
    data, filename = read_source(source, filename)
    if not data.strip():
        raise InputError("file is empty", source=filename)
    if Path(filename or "").suffix.lower() == ".xls" or data.startswith(_OLE):
        raise InputError(_XLS_REFUSED, source=filename)
    if is_excel(data, filename):
        sheets = read_excel(
            data, filename, sheet=sheet, all_sheets=all_sheets, max_rows=max_rows, what=what,
            check_formulas=check_formulas,
        )
        return Table(filename, sheets)
    _refuse_binary(data, filename)
    rows = read_csv(decode_text(data, filename), filename, max_rows=max_rows, what=what)
    return Table(filename, [Sheet(None, rows)])


def csv_delimiter(text: str) -> str:
    """The delimiter of CSV ``text``: ``,`` ``;`` or tab, whichever occurs most outside
    quotes on the header line (the first line with a character other than blanks, quotes and
    delimiters); ``,`` on a tie or when there is no such line. Never raises."""
    for line in _lines(text):
        if re.search(r'[^\s,;"]', line):
            break
    else:
        return ","
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(_DELIMITERS, key=counts.__getitem__)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (``io.StringIO`` would copy the
    whole text at four bytes a character before the row cap can stop the reading)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def read_csv(text: str, filename: str | None = None, *, max_rows: int | None = None, what: str = "rows") -> list[Row]:
    """The non-blank records of CSV ``text`` (delimiter from ``csv_delimiter``), each numbered
    by the line where it starts. Raises ``InputError`` on a CSV syntax error (e.g. a field
    over the csv module's size limit; row = start of that record) or, as soon as more than
    ``max_rows`` non-blank records follow the header, "more than N {what}"."""
    reader = csv.reader(_lines(text), delimiter=csv_delimiter(text))
    rows: list[Row] = []
    end = 0  # last line of the previous record
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            rows.append(Row(start, record))
            if max_rows is not None and len(rows) > max_rows + 1:  # header + max_rows
                raise InputError(_too_many(max_rows, what), source=filename)
    except csv.Error as exc:
        raise InputError(Problem(f"unreadable CSV: {exc}", row=end + 1), source=filename) from exc
    return rows


def _too_many(max_rows: int, what: str) -> str:
    return f"more than {max_rows} {what}; at most {max_rows} are accepted"


def _unreadable(exc: Exception) -> str:
    return f"not a readable Excel workbook (.xlsx/.xlsm): {exc}"


def read_excel(
    data: bytes,
    filename: str | None = None,
    *,
    sheet: str | None = None,
    all_sheets: bool = False,
    max_rows: int | None = None,
    what: str = "rows",
    check_formulas: bool = False,
) -> list[Sheet]:
    """The chosen worksheets of an .xlsx/.xlsm workbook (see ``read_table`` for the
    arguments) with their non-blank rows numbered as sheet rows; cached values, not formulas.
    Raises ``InputError`` if openpyxl cannot read it, it has no worksheet, a sheet has more
    than ``max_rows`` rows below the header, or (``check_formulas``) a formula has no saved
    value."""

    check_unpacked_size(data, filename)
    try:
        wb = _open_workbook(data, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl/zipfile/XML raise many types
        raise InputError(_unreadable(exc), source=filename) from exc
    out: list[Sheet] = []
    suspects: list[tuple[Sheet, int]] = []  # sheets with empty cells (maybe formulas without a value), last row read
    try:
        worksheets = list(wb.worksheets)
        if not worksheets:
            raise InputError("the workbook has no sheets", source=filename)
        if all_sheets:
            chosen = worksheets
        else:
            wanted = [ws for ws in worksheets if sheet and ws.title.casefold() == sheet.casefold()]
            chosen = wanted[:1] or worksheets[:1]
        for ws in chosen:
            ws.reset_dimensions()  # read every row there is, whatever <dimension> claims
            rows: list[Row] = []
            has_empty = False
            blank_run = number = 0
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = list(values)
                has_empty = has_empty or any(v is None for v in cells)
                if all(is_blank(v) for v in cells):
                    blank_run += 1
                    if blank_run >= MAX_BLANK_RUN:
                        break
                    continue
                blank_run = 0
                if rows and len(cells) < len(rows[0].cells):  # without dimensions a row ends at its last cell
                    cells += [None] * (len(rows[0].cells) - len(cells))
                rows.append(Row(number, cells))
                if max_rows is not None and len(rows) > max_rows + 1:
                    raise InputError(f"sheet {ws.title!r} has {_too_many(max_rows, what)}", source=filename)
            out.append(Sheet(ws.title, rows))
            if has_empty:
                suspects.append((out[-1], number))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet fails while iterating
        raise InputError(_unreadable(exc), source=filename) from exc
    finally:
        wb.close()
    if check_formulas and suspects:
        _refuse_uncached_formulas(data, filename, suspects)
    return out


def _open_workbook(data: bytes, *, data_only: bool):
    """openpyxl's read-only workbook, opened without sizing its sheets: openpyxl reads a
    sheet's ``<dimension>`` (scanning the whole sheet when it is missing, seconds for a
    million rows) and then trusts it (a wrong one hides rows). The readers call
    ``reset_dimensions()`` and read every row up to their own caps instead."""
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    sizing = ReadOnlyWorksheet._get_size
    with _SIZING_LOCK:
        ReadOnlyWorksheet._get_size = lambda self: None  # sized by reading, see the docstring
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        finally:
            ReadOnlyWorksheet._get_size = sizing


def check_unpacked_size(data: bytes, filename: str | None = None) -> None:
    """Refuse an Excel file whose zip parts declare more than ``MAX_UNZIPPED_BYTES`` in total,
    or a part of over 20 MB packed more than ``MAX_ZIP_RATIO`` to 1, before anything is unpacked.
    Raises ``InputError``; a file that is no zip at all is left to the Excel reader."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = sum(p.file_size for p in parts)
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(f"the workbook unpacks to {total / 1e6:,.0f} MB, more than the "
                         f"{MAX_UNZIPPED_BYTES / 1e6:,.0f} MB accepted; split it or keep only the data sheets",
                         source=filename)
    for p in parts:
        if p.file_size > 20 * 1024 * 1024 and p.file_size > MAX_ZIP_RATIO * max(p.compress_size, 1):
            raise InputError(f"the workbook part {p.filename!r} unpacks {p.file_size // max(p.compress_size, 1):,} "
                             f"times larger than it is packed (at most {MAX_ZIP_RATIO} accepted): refused as a "
                             "possible zip bomb", source=filename)


def _refuse_uncached_formulas(data: bytes, filename: str | None, sheets: list[tuple[Sheet, int]]) -> None:
    """A formula saved without its computed value (files written by scripts, not by Excel)
    reads as blank: name the cell instead of letting it pass as a blank value."""
    from openpyxl.utils import get_column_letter

    try:
        wb = _open_workbook(data, data_only=False)
    except Exception:  # noqa: BLE001 - it loaded once already; nothing more to say
        return
    problems: list[Problem] = []
    try:
        for sheet, last in sheets:  # only as far as the first pass read: no second full scan
            prefix = f"{sheet.name}!" if len(sheets) > 1 else ""
            cached = {row.number: row.cells for row in sheet.rows}
            ws = wb[sheet.name]
            ws.reset_dimensions()
            for number, values in enumerate(ws.iter_rows(max_row=last, values_only=True), start=1):
                got = cached.get(number, [])
                for col, value in enumerate(values):
                    if isinstance(value, str) and value.startswith("=") and (col >= len(got) or got[col] is None):
                        letter = get_column_letter(col + 1)
                        problems.append(
                            Problem(
                                f"cell {prefix}{letter}{number} holds the formula {value[:60]!r} "
                                "without a saved value; open the file in Excel and save it (or "
                                "paste the values) before uploading",
                                row=number,
                                column=letter,
                            )
                        )
    except Exception:  # noqa: BLE001 - best effort: the values were read already
        return
    finally:
        wb.close()
    if problems:
        raise InputError(capped(problems), source=filename)


def capped(problems: list[Problem], limit: int | None = None) -> list[Problem]:
    """``problems`` cut to ``limit`` (default ``MAX_PROBLEMS``) plus one whole-file problem
    "... and N more problems" if there were more. Never raises."""
    limit = MAX_PROBLEMS if limit is None else limit
    if len(problems) <= limit:
        return problems
    return [*problems[:limit], Problem(f"... and {len(problems) - limit} more problems")]
