"""Cell converters and the header normaliser: every rule of ``scheduler_core.cells``."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler_core.cells import (
    date_order,
    is_blank,
    norm_header,
    to_bool,
    to_date,
    to_datetime,
    to_int,
    to_number,
    to_text,
)

# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Lot ID", "lotid"),
        ("lot_id", "lotid"),
        ("LOT-ID.", "lotid"),
        (" lot id ", "lotid"),
        ("Vial count", "vialcount"),
        ("Num. vials", "numvials"),
        ("Due date", "duedate"),
        ("Količina", "kolicina"),
        ("Izrađeno", "izradjeno"),
        ("ĐURO", "djuro"),
        ("Datum_sastavljanja", "datumsastavljanja"),
        (None, ""),
        (7, "7"),
    ],
)
def test_norm_header(header, key):
    assert norm_header(header) == key


@given(st.text(alphabet="abcXYZ019 _-.\t", max_size=20))
def test_norm_header_matches_every_header_the_filling_reader_matched(header):
    """The lots reader used to drop whitespace, ``_ - .`` and lower-case; the one normaliser
    gives the same key for every such header, so every old alias still matches."""
    assert norm_header(header) == re.sub(r"[\s_\-.]+", "", header).lower()


# ---------------------------------------------------------------- converters


def test_is_blank():
    assert is_blank(None) and is_blank("") and is_blank(" \t\n")
    assert not is_blank(0) and not is_blank("0") and not is_blank(False)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("  L1 ", "L1"),
        ("", None),
        ("\x01\x07", None),
        ("L\x011\x07", "L1"),
        ("\x01 L1", "L1"),
        ("a\tb\nc", "a\tb\nc"),
        (1001.0, "1001"),
        (1.5, "1.5"),
        (7, "7"),
        ("'=cmd()", "=cmd()"),
        ("'@SUM(A1)", "@SUM(A1)"),
        ("'quoted'", "'quoted'"),
        ("=raw", "=raw"),
    ],
)
def test_to_text(value, text):
    assert to_text(value) == text


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (5, 5.0),
        (2.5, 2.5),
        ("12.5", 12.5),
        ("-3", -3.0),
        ("+3", 3.0),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("12,5", 12.5),
        ("0,500", 0.5),
        ("1234,567", 1234.567),
        ("12 000", 12000.0),
        ("12\u00a0000", 12000.0),
        ("1_000_000", 1_000_000.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("-1.000.000,25", -1_000_000.25),
    ],
)
def test_to_number_accepts(value, number):
    assert to_number(value) == number


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1.000", "'1.000' is ambiguous"),
        ("1,000", "'1,000' is ambiguous"),
        ("1.000.000", "is ambiguous"),
        ("abc", "value must be a number, got 'abc' (not a number)"),
        ("1,000,5", "not a number"),
        ("12 34", "not a number"),
        ("10_0", "not a number"),
        ("0x10", "not a number"),
        ("\u0661", "not a number"),  # an Arabic-Indic digit
        ("nan", "must be a finite number, got 'nan' (not a finite number)"),
        ("-inf", "not a finite number"),
        (float("inf"), "not a finite number"),
        (True, "must be a number, got True"),
        ("", "value is blank"),
        (None, "value is blank"),
        ("1e13", "'1e13' is larger than the limit 1e+12"),
        (datetime(2026, 1, 1), "not a number"),
    ],
)
def test_to_number_refuses(value, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        to_number(value)


def test_to_number_options():
    assert to_number("1,000", comma_thousands=True) == 1000.0
    assert to_number("12,5", comma_thousands=True) == 12.5  # not groups of three: decimal
    with pytest.raises(ValueError, match=re.escape("norma must be zero or positive, got -5")):
        to_number("-5", what="norma", minimum=0)
    with pytest.raises(ValueError, match="must be positive, got 0"):
        to_number(0, minimum=1)
    with pytest.raises(ValueError, match="must be at least 2, got 1.5"):
        to_number(1.5, minimum=2)
    with pytest.raises(ValueError, match="larger than the limit 100"):
        to_number(-101, limit=100)


@pytest.mark.parametrize(
    ("value", "number"),
    [(5, 5), (2000.0, 2000), ("1.5e6", 1_500_000), ("007", 7), ("-4", -4), ("12 000", 12000), ("9" * 12, 10**12 - 1)],
)
def test_to_int_accepts(value, number):
    result = to_int(value)
    assert result == number and isinstance(result, int)


@pytest.mark.parametrize(
    ("value", "kwargs", "reason"),
    [
        ("12000.7", {}, "vials must be a whole number, got '12000.7' (no rounding is done)"),
        ("12,5", {"comma_thousands": True}, "vials must be a whole number, got '12,5' (no rounding is done)"),
        ("x0", {}, "vials must be a whole number, got 'x0' (not a number)"),
        (True, {}, "vials must be a whole number, got True"),
        ("#DIV/0!", {}, "whole number, got '#DIV/0!'"),
        ("NaN", {}, "vials must be a finite whole number, got 'NaN' (not a finite number)"),
        ("9" * 5000, {}, "finite whole number"),  # more digits than Python converts
        ("1e30", {}, "larger than the limit"),
        ("0", {"minimum": 1}, "vials must be positive, got 0"),
        ("-5", {"minimum": 1}, "vials must be positive, got -5"),
        ("-1", {"minimum": 0}, "vials must be zero or positive, got -1"),
        ("1.000", {"comma_thousands": True}, "vials '1.000' is ambiguous"),
        (" ", {}, "vials is blank"),
    ],
)
def test_to_int_refuses(value, kwargs, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        to_int(value, what="vials", **kwargs)


def test_long_values_are_shortened_in_messages():
    with pytest.raises(ValueError) as info:
        to_int("x" * 500)
    assert len(str(info.value)) < 120


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        (datetime(2026, 12, 1, 14), datetime(2026, 12, 1, 14)),
        (datetime(2026, 12, 1, 14, tzinfo=timezone(timedelta(hours=2))), datetime(2026, 12, 1, 14)),
        (date(2026, 12, 1), datetime(2026, 12, 1)),
        ("2026-12-01", datetime(2026, 12, 1)),
        ("2026-12-01T14:00", datetime(2026, 12, 1, 14)),
        ("2026-12-01 14:00", datetime(2026, 12, 1, 14)),
        ("2026-12-01T14:00:00+02:00", datetime(2026, 12, 1, 14)),
        (" 01.12.2026 ", datetime(2026, 12, 1)),
        ("01.12.2026.", datetime(2026, 12, 1)),
        ("01.12.2026 14:30", datetime(2026, 12, 1, 14, 30)),
        ("13/06/2026", datetime(2026, 6, 13)),  # day first: 13 is no month
        ("06/13/2026", datetime(2026, 6, 13)),  # month first: 13 is no month
        ("05/05/2026 14:30", datetime(2026, 5, 5, 14, 30)),  # the same either way
        ("1990-01-01", datetime(1990, 1, 1)),
        ("2200-12-31 23:00", datetime(2200, 12, 31, 23)),
    ],
)
def test_to_datetime_accepts(value, moment):
    assert to_datetime(value) == moment


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("05/06/2026", "due '05/06/2026' is ambiguous (day 5 of month 6, or month 5 day 6?): write it as "
                       "2026-06-05 or 2026-05-06, or set PSS_DATE_ORDER=DMY or MDY"),
        ("31/02/2026", "due is not a date: '31/02/2026'"),
        ("9999-12-31", "due '9999-12-31' is outside the accepted range 1990-01-01 to 2200-12-31"),
        ("0001-01-01", "outside the accepted range"),
        ("1900-01-01 07:00", "outside the accepted range"),
        (datetime(1989, 12, 31), "outside the accepted range"),
        (date(2201, 1, 1), "outside the accepted range"),
        ("31.12.9999", "outside the accepted range"),
        ("next tuesday", "not a date/time: 'next tuesday'"),
        ("2026-02-30", "not a date/time"),
        (20261201, "not a date/time: 20261201"),  # a number is never a date
        (True, "not a date/time: True"),
        ("", "due is blank"),
    ],
)
def test_to_datetime_refuses(value, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        to_datetime(value, what="due")


@pytest.mark.parametrize(("order", "moment"), [("DMY", datetime(2026, 6, 5)), ("mdy", datetime(2026, 5, 6))])
def test_date_order_setting_reads_ambiguous_slash_dates(monkeypatch, order, moment):
    monkeypatch.setenv("PSS_DATE_ORDER", order)
    assert to_datetime("05/06/2026") == moment
    if order == "DMY":
        assert to_datetime("13/06/2026") == datetime(2026, 6, 13)
    else:  # the setting is followed, never second-guessed: month 13 does not exist
        with pytest.raises(ValueError, match="not a date: '13/06/2026'.*read as MDY"):
            to_datetime("13/06/2026")


def test_date_order_setting_refuses_other_values(monkeypatch):
    assert date_order({}) is None
    with pytest.raises(ValueError, match="PSS_DATE_ORDER must be DMY or MDY, got 'YMD'"):
        date_order({"PSS_DATE_ORDER": "ymd"})


def test_to_date():
    assert to_date("20.01.2025") == date(2025, 1, 20)
    assert to_date(datetime(2025, 1, 20)) == date(2025, 1, 20)
    with pytest.raises(ValueError, match="must be a date without a time"):
        to_date(datetime(2025, 1, 20, 7), what="delivery")
    with pytest.raises(ValueError, match="not a date/time"):
        to_date("32.13.2025")


@pytest.mark.parametrize("value", [True, 1, 1.0, "yes", "Y", "TRUE", "da", "x", "Ja", "1", "working"])
def test_to_bool_true(value):
    assert to_bool(value) is True


@pytest.mark.parametrize("value", [False, 0, "no", "N", "false", "ne", "nein", "0", "-"])
def test_to_bool_false(value):
    assert to_bool(value) is False


@pytest.mark.parametrize("value", ["maybe", 2, "jein"])
def test_to_bool_refuses(value):
    with pytest.raises(ValueError, match="working must be yes or no"):
        to_bool(value, what="working")
