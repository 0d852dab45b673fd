"""Small Streamlit widgets shared by the pages: escaping, number/time formats, the filling
KPI cards, the input-error table, the lots table, late rows marked, the strategy select box, and
:func:`guarded`, the one error guard of every page.

Filling times are plant wall-clock time: shown one way, to the second (:func:`fmt_time`,
:func:`time_column`, the exports' ``rows.TIME_FORMAT``), with the zone named; the stored
stamps (created, finished, updated: UTC) are turned into plant time first
(:func:`plant_stamp`), and a plant day into UTC bounds for filters (:func:`utc_bound`).

User text is only ever shown through ``st.text``/dataframes/metrics or after :func:`esc`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from scheduler_core.filling import STRATEGIES, Lot, ScheduleResult
from scheduler_core.reports.rows import time_text
from scheduler_core.zones import to_plant, zone
from webapp.errors import (
    DuplicateName,
    InputError,
    NotFound,
    PermissionDenied,
    Problem,
    RunCancelled,
    RunFailed,
    describe_error,
)
from webapp.ui.tables import table

_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$"


def esc(text: Any) -> str:
    """Escape user text for ``st.markdown``/captions (``None`` -> empty)."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in str("" if text is None else text))


def fmt_hours(value: float | None, *, whole_from: float | None = None) -> str:
    """``12.5 h`` (one decimal, thousands separated) or ``–``; at or above ``whole_from``
    without the decimal (``12,718 h``, so a KPI card keeps the whole number in view)."""
    if value is None:
        return "–"
    return f"{value:,.0f} h" if whole_from is not None and abs(value) >= whole_from else f"{value:,.1f} h"


def fmt_seconds(value: float) -> str:
    """``2.35 s``; under 0.1 s in milliseconds (``4 ms``), so a quick run never reads 0.00 s."""
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


#: ``rows.TIME_FORMAT`` in the notation of ``st.column_config.DatetimeColumn``.
WEB_TIME_FORMAT = "YYYY-MM-DD HH:mm:ss"


def fmt_time(moment: datetime | None) -> str:
    """``2026-01-05 07:23:41`` (to the second, as every export writes it) or ``–``."""
    return "–" if moment is None else time_text(moment)


def time_column(name: str, time_zone: str) -> Any:
    """The column config of a plant-time column: headed ``name (Europe/Zagreb)``, to the
    second like :func:`fmt_time`."""
    return st.column_config.DatetimeColumn(f"{name} ({time_zone})", format=WEB_TIME_FORMAT)


def plant_stamp(moment: datetime | None, time_zone: str) -> datetime | None:
    """A stored UTC stamp (naive, as the database keeps ``created_at``) as naive plant
    wall-clock time in ``time_zone``; ``None`` stays ``None``."""
    return None if moment is None else to_plant(moment.replace(tzinfo=UTC), time_zone)


def utc_bound(moment: datetime, time_zone: str) -> datetime:
    """A naive plant wall-clock ``moment`` (e.g. a day's midnight in a filter) as the naive
    UTC stamp the database compares with."""
    return moment.replace(tzinfo=zone(time_zone)).astimezone(UTC).replace(tzinfo=None)


#: What the lower bound of a filling run is (the KPI card's help).
BOUND_HELP = ("No plan of these lots can be shorter. Every run proves a bin-packing bound; `best` (and "
              "`milp-opt` on lots without release or due dates) also solves the LP of the block-pattern model "
              "when its plan does not meet it, which is usually tighter on several lot types.")


def kpi_cards(result: ScheduleResult) -> None:
    """The KPI cards of one filling result (makespan, bound + gap, optimality, ...; the
    due-date KPIs when some lot has a due date)."""
    k = result.kpis
    row1 = st.columns(4)
    row1[0].metric("Makespan", fmt_hours(k.makespan_h), border=True)
    row1[1].metric("Lower bound", fmt_hours(k.lower_bound_h), delta=f"gap {k.gap_pct:.2f} %", delta_color="off",
                   border=True, help=BOUND_HELP)
    row1[2].metric("Proven optimal", "yes" if result.proven_optimal else "no", border=True)
    row1[3].metric("Utilisation", f"{k.utilisation * 100:.1f} %", border=True)
    row2 = st.columns(4)
    row2[0].metric("Blocks", k.blocks, border=True)
    row2[1].metric("Changeovers", k.changeovers, border=True)
    row2[2].metric("Lots", k.lots, border=True)
    row2[3].metric("Runtime", fmt_seconds(result.runtime_s), border=True)
    if k.max_lateness_h is None:  # no lot has a due date
        return
    row3 = st.columns(4)
    row3[0].metric("Late lots", k.late_lots, border=True, help="Lots whose fill ends after their due date")
    row3[1].metric("Tardiness", fmt_hours(k.tardiness_h), border=True, help="Sum of the hours late lots are late")
    row3[2].metric("Weighted tardiness", fmt_hours(k.weighted_tardiness_h), border=True,
                   help="Tardiness weighted by 4 − priority (priority 1 counts 3 times)")
    row3[3].metric("Max lateness", fmt_hours(k.max_lateness_h), border=True,
                   help="The largest lateness; negative: every lot ends before its due date")


def problems_frame(error: InputError) -> pd.DataFrame:
    """Every problem of ``error`` as rows (row, column, reason)."""
    return pd.DataFrame(
        [{"row": p.row, "column": p.column or "", "reason": p.reason} for p in error.problems],
        columns=["row", "column", "reason"],
    )


def show_input_error(
    error: InputError, title: str = "The input has problems", *, hint: str = "Fix them and upload again."
) -> None:
    """Every problem of an ``InputError`` as a table (row, column, reason) under ``title``."""
    n = len(error.problems)
    st.error(f"{esc(title)}: {n} problem{'s' if n != 1 else ''}. {hint}".rstrip())
    table(problems_frame(error))


@contextmanager
def guarded(title: str, *, stop: bool = False) -> Iterator[None]:
    """Run the block; an error of the services is shown under ``title`` instead of a
    traceback (input problems as a table with row, column and reason — a single problem of
    the whole input as one line —, a failed run with its stored id, a run cancelled before
    it found a plan as a note, permission, not-found
    and name clashes as one line, a lost database with a retry hint). With
    ``stop`` the page stops after showing it; otherwise the page goes on after the block.
    Streamlit's own stop/rerun pass through untouched."""
    try:
        yield
        return
    except InputError as exc:
        (first, *more) = exc.problems or [Problem(str(exc))]
        if more or first.row is not None or first.column:
            show_input_error(exc, title, hint="Fix them and try again.")
        else:  # one problem of the whole input: one line
            st.error(f"{esc(title)}: {esc(exc)}")
    except RunFailed as exc:  # the run was accepted and stored; it failed while planning
        st.error(f"Schedule #{exc.schedule_id} failed (it is stored as failed in History):")
        for line in exc.lines():
            st.text(line)
    except RunCancelled as exc:  # the user's own cancel: nothing to fix
        st.info(f"{esc(exc)[:1].upper()}{esc(exc)[1:]}.")
    except (PermissionDenied, NotFound, DuplicateName) as exc:
        st.error(f"{esc(title)}: {esc(exc)}")
    except SQLAlchemyError as exc:
        st.error("The database could not be reached, so nothing was stored. Try again in a moment.")
        st.text(describe_error(getattr(exc, "orig", None) or exc))
    if stop:
        st.stop()


def lots_frame(lots: list[Lot]) -> pd.DataFrame:
    """Lots as a table (the optional priority/due/release columns only when some lot has them)."""
    optional = ["priority", "due", "release"]
    frame = pd.DataFrame(
        [{"lot_id": lot.lot_id, "lot_type": lot.lot_type, "vials": lot.vials, "priority": lot.priority,
          "due": lot.due, "release": lot.release} for lot in lots],
        columns=["lot_id", "lot_type", "vials", *optional],
    )
    return frame.drop(columns=[c for c in optional if frame[c].isna().all()])


#: Background of a late lot's row in a table (the Gantt outlines it in red).
LATE_ROW_STYLE = "background-color: #fde0e0; color: #9b0000"


def mark_late(frame: pd.DataFrame, column: str = "lateness_h") -> Any:
    """``frame`` with the rows whose ``column`` is above 0 (a late lot) marked in red, for
    :func:`~webapp.ui.tables.table`; the frame itself when it has no such column."""
    if column not in frame.columns:
        return frame
    late = pd.to_numeric(frame[column], errors="coerce").fillna(0) > 0
    return frame.style.apply(lambda row: [LATE_ROW_STYLE if late[row.name] else ""] * len(row), axis=1)


def strategy_select(label: str = "Strategy", *, key: str, default: str = "best") -> str:
    """A select box over the filling strategies with their descriptions; returns the name."""
    names = list(STRATEGIES)
    name = st.selectbox(
        label,
        names,
        index=names.index(default) if default in names else 0,
        key=key,
        help="\n\n".join(f"**{n}**: {d}" for n, d in STRATEGIES.items()),
    )
    st.caption(STRATEGIES[name])
    return name


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless ``n`` is 1 (``counted(1, "type")`` → "1 type",
    ``counted(1200, "vial")`` → "1,200 vials"); ``word`` takes a plain -s."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def follow_default(key: str, default: str) -> None:
    """Make the keyed text input ``key`` (rendered after this call, without ``value=``) show
    ``default`` — e.g. a name made of the file and the chosen strategy — for as long as the
    user has not typed text of their own: the field follows a changed ``default`` while it
    still holds the previous default (or is empty); text the user typed is kept. A keyed
    widget otherwise keeps the first ``value`` it was given."""
    shown_key = f"{key}__default"
    current = st.session_state.get(key)
    if not current or current == st.session_state.get(shown_key):
        st.session_state[key] = default
    st.session_state[shown_key] = default
