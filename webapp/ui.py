"""Streamlit helpers shared by the filling pages: engine, user, KPI cards, error tables,
the progress bridge for solver runs, and demo-data loading.

User text is only ever shown through ``st.text``/dataframes/metrics or after escaping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from scheduler_core.errors import InputError
from scheduler_core.filling import STRATEGIES, Lot, ScheduleResult, parse_lots
from webapp import auth, services, ui_auth
from webapp.settings import PROJECT_ROOT, get_settings

DATA_DIR = PROJECT_ROOT / "data"
SAMPLE_LOTS = DATA_DIR / "sample_lots.csv"
SAMPLE_CONFIG = DATA_DIR / "sample_config.yaml"

#: session_state keys shared between pages
LOTS_KEY = "pss_new_lots"  # {"lots": [Lot...], "file_name": str} preloaded into New schedule
DETAIL_KEY = "pss_detail_schedule_id"
COMPARISON_KEY = "pss_open_comparison_id"

PAGE_NEW = "pages/new_schedule.py"
PAGE_DETAIL = "pages/schedule_detail.py"
PAGE_HISTORY = "pages/history.py"
PAGE_COMPARE = "pages/compare.py"
PAGE_TEMPLATES = "pages/templates.py"

STEP_MESSAGES = ("loading", "validating", "planning", "writing", "done")


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    """The migrated process-wide engine (``services.init_app`` once per process)."""
    return services.init_app()


def require_user() -> auth.SessionUser:
    """The logged-in user, or stop the page (the login gate shows the forms)."""
    user = ui_auth.current_user(get_engine())
    if user is None:
        ui_auth.through_login_gate()
        st.info("Please log in.")
        st.stop()
    return user


def esc(text: Any) -> str:
    """Escape user text for ``st.markdown``/captions."""
    return ui_auth.escape_md("" if text is None else text)


# ----------------------------------------------------------------------- rendering


def fmt_hours(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} h"


def fmt_time(moment: datetime | None) -> str:
    return "–" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def kpi_cards(result: ScheduleResult) -> None:
    """The KPI cards of one result (makespan, bound + gap, optimality, utilisation, ...)."""
    k = result.kpis
    row1 = st.columns(4)
    row1[0].metric("Makespan", fmt_hours(k.makespan_h), border=True)
    row1[1].metric(
        "Lower bound",
        fmt_hours(k.lower_bound_h),
        delta=f"gap {k.gap_pct:.2f} %",
        delta_color="off",
        border=True,
    )
    row1[2].metric("Proven optimal", "yes" if result.proven_optimal else "no", border=True)
    row1[3].metric("Utilisation", f"{k.utilisation * 100:.1f} %", border=True)
    row2 = st.columns(4)
    row2[0].metric("Blocks", k.blocks, border=True)
    row2[1].metric("Changeovers", k.changeovers, border=True)
    row2[2].metric("Lots", k.lots, border=True)
    row2[3].metric("Runtime", f"{result.runtime_s:.2f} s", border=True)


def problems_frame(error: InputError) -> pd.DataFrame:
    return pd.DataFrame(
        [{"row": p.row, "column": p.column or "", "reason": p.reason} for p in error.problems],
        columns=["row", "column", "reason"],
    )


def show_input_error(error: InputError, title: str = "The input has problems") -> None:
    """Every problem of an ``InputError`` as a table (row, column, reason)."""
    n = len(error.problems)
    st.error(f"{esc(title)}: {n} problem{'s' if n != 1 else ''}. Fix them and upload again.")
    st.dataframe(problems_frame(error), hide_index=True, width="stretch")


def lots_frame(lots: list[Lot]) -> pd.DataFrame:
    """Lots as a table (the optional priority/due columns only when some lot has them)."""
    frame = pd.DataFrame(
        [
            {
                "lot_id": lot.lot_id,
                "lot_type": lot.lot_type,
                "vials": lot.vials,
                "priority": lot.priority,
                "due": lot.due,
            }
            for lot in lots
        ],
        columns=["lot_id", "lot_type", "vials", "priority", "due"],
    )
    return frame.drop(columns=[c for c in ("priority", "due") if frame[c].isna().all()])


def strategy_select(label: str = "Strategy", *, key: str, default: str = "best") -> str:
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


def load_demo_lots() -> None:
    """Preload the sample lots into New schedule (no file needed)."""
    st.session_state[LOTS_KEY] = {
        "lots": parse_lots(SAMPLE_LOTS),
        "file_name": SAMPLE_LOTS.name,
    }


def upload_bytes(uploaded, limit: int | None = None) -> bytes:
    """Content of an ``st.file_uploader`` file, refused above the configured upload limit
    (``PSS_MAX_UPLOAD_MB``) before any parsing."""
    limit = get_settings().max_upload_bytes if limit is None else limit
    data = uploaded.getvalue()
    if len(data) > limit:
        raise InputError(
            f"file is {len(data) / 1e6:.1f} MB; uploads are limited to {limit / 1e6:.1f} MB",
            source=uploaded.name,
        )
    return data


def parse_upload(uploaded) -> tuple[list[Lot] | None, InputError | None]:
    """Parse an ``st.file_uploader`` file; ``(lots, None)`` or ``(None, error)``."""
    try:
        return parse_lots(upload_bytes(uploaded), filename=uploaded.name), None
    except InputError as exc:
        return None, exc


def open_schedule(schedule_id: int) -> None:
    """Go to the detail page of a schedule."""
    st.session_state[DETAIL_KEY] = int(schedule_id)
    st.switch_page(PAGE_DETAIL, query_params={"id": str(int(schedule_id))})


# ------------------------------------------------------------------ progress bridge


@dataclass
class ProgressHolder:
    """Thread-safe (fraction, message) written by solver threads, read by the script."""

    fraction: float = 0.0
    message: str = "loading"
    #: optional per-part status lines (e.g. one per strategy of a comparison)
    parts: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, fraction: float, message: str) -> None:  # a ProgressCallback
        with self._lock:
            self.fraction = min(1.0, max(self.fraction, float(fraction)))
            self.message = str(message)

    def note(self, part: str, status: str) -> None:
        with self._lock:
            self.parts[part] = status

    def read(self) -> tuple[float, str]:
        with self._lock:
            return self.fraction, self.message

    def read_parts(self) -> dict[str, str]:
        with self._lock:
            return dict(self.parts)


def run_with_progress(
    work: Callable[[ProgressHolder], Any], *, label: str = "Working", poll_s: float = 0.2
) -> Any:
    """Run ``work(progress)`` in a worker thread; poll its progress into ``st.progress``
    every ``poll_s`` seconds until it finishes. Returns its value or re-raises its error.

    The worker never touches Streamlit: it only writes into the :class:`ProgressHolder`.
    """
    holder = ProgressHolder()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work(holder)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the script thread
            outcome["error"] = exc

    bar = st.progress(0.0, text=f"{label}: loading")
    parts_box = st.empty()
    thread = threading.Thread(target=target, name="pss-run", daemon=True)
    thread.start()
    shown_parts: dict[str, str] = {}

    def show_parts() -> None:
        nonlocal shown_parts
        parts = holder.read_parts()
        if parts and parts != shown_parts:
            parts_box.dataframe(
                pd.DataFrame([{"part": k, "status": v} for k, v in parts.items()]),
                hide_index=True,
            )
            shown_parts = parts

    while thread.is_alive():
        thread.join(poll_s)
        fraction, message = holder.read()
        bar.progress(min(fraction, 0.99), text=f"{label}: {message}"[:200])
        show_parts()
    show_parts()
    if "error" in outcome:
        bar.empty()
        raise outcome["error"]
    bar.progress(1.0, text=f"{label}: done")
    return outcome.get("value")


def stepped(holder: ProgressHolder, strategy_label: str = "") -> Callable[[float, str], None]:
    """A solver progress callback mapped into the 'planning' step (10 %..90 %)."""
    prefix = f"{strategy_label}: " if strategy_label else ""

    def callback(fraction: float, message: str) -> None:
        f = min(1.0, max(0.0, float(fraction)))
        if f >= 1.0:
            holder(0.92, f"{prefix}writing")
        else:
            holder(0.1 + 0.8 * f, f"{prefix}planning – {message}")

    return callback


def comparison_progress(holder: ProgressHolder, strategies: list[str]) -> Callable[[float, str], None]:
    """The progress callback of a comparison run (messages ``"<strategy>: <step>"``).

    Keeps one status line per strategy in ``holder``: waiting → planning → done. A run
    that raises reports nothing more, so a strategy still "planning" when another one
    starts (strategies run one after the other) has failed; :func:`final_comparison_status`
    settles the last one from the stored comparison.
    """
    wanted = set(strategies)
    current: list[str] = []

    def report(fraction: float, message: str) -> None:
        holder(fraction, message)
        strategy, _, step = message.partition(": ")
        if strategy not in wanted:
            return
        if current and current[0] != strategy and holder.read_parts().get(current[0]) == "planning":
            holder.note(current[0], "failed")
        current[:] = [strategy]
        holder.note(strategy, "done" if step == "done" else "planning")

    return report


def final_comparison_status(holder: ProgressHolder, runs: dict[str, dict[str, Any]]) -> None:
    """Set each strategy's status line from a stored comparison's ``runs``."""
    for strategy, info in runs.items():
        status = info.get("status") or "unknown"
        holder.note(strategy, "done" if status == "completed" else status)


def sample_path(name: str) -> Path:
    return DATA_DIR / name


# ------------------------------------------------------------------- config editor

CONFIG_FIELDS: tuple[tuple[str, str, float, float], ...] = (
    # key, label, min, step
    ("fill_rate_vph", "Fill rate (vials per hour)", 1.0, 100.0),
    ("clean_hours", "Clean (hours, before each block)", 0.0, 1.0),
    ("window_hours", "Block window (hours after the clean)", 1.0, 1.0),
    ("changeover_same_hours", "Changeover, same type (hours)", 0.0, 0.5),
    ("changeover_diff_hours", "Changeover, different type (hours)", 0.0, 0.5),
    ("time_limit_s", "Solver time limit (seconds)", 1.0, 1.0),
)


def _template_choice(user, key: str):
    """Select box over the user's templates (own + shared), default preselected."""
    page = services.list_templates(get_engine(), user=user, limit=200)
    if not page.items:
        st.caption("No templates yet; create one on the Config templates page.")
        return None
    by_id = {t.id: t for t in page.items}
    default = next((t.id for t in page.items if t.is_default and t.owner_id == user.id), None)
    ids = list(by_id)
    chosen = st.selectbox(
        "Template",
        ids,
        index=ids.index(default) if default in ids else 0,
        format_func=lambda i: (
            by_id[i].name
            + (" (default)" if i == default else "")
            + ("" if by_id[i].owner_id == user.id else " (shared)")
        ),
        key=f"{key}_template",
    )
    return by_id[chosen]


def config_editor(
    user, *, key: str, allow_upload: bool = True, initial: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Config source (form / template / YAML-JSON upload) and the form. Returns the config
    mapping (not yet validated), or ``None`` when an uploaded config is bad or missing."""
    from scheduler_core.filling import FillingConfig, parse_config

    sources = ["Form", "Template"] + (["Upload YAML/JSON"] if allow_upload else [])
    has_default = initial is None and services.get_default_template(get_engine(), user=user) is not None
    source = st.radio(
        "Configuration",
        sources,
        index=1 if has_default else 0,
        horizontal=True,
        key=f"{key}_source",
    )
    base = FillingConfig().to_dict()
    base.update({k: v for k, v in (initial or {}).items() if k != "strategy"})
    suffix = "form"
    if source == "Template":
        template = _template_choice(user, key)
        if template is not None:
            base.update(template.config)
            suffix = f"t{template.id}"
            if template.description:
                st.caption(esc(template.description))
    elif source == "Upload YAML/JSON":
        uploaded = st.file_uploader("Config file", type=["yaml", "yml", "json"], key=f"{key}_cfg_upload")
        if uploaded is None:
            st.info("Upload a YAML or JSON config, or choose another source.")
            return None
        try:
            base.update(parse_config(upload_bytes(uploaded), filename=uploaded.name).to_dict())
        except InputError as exc:
            show_input_error(exc, "The config file has problems")
            return None
        suffix = f"u{uploaded.file_id}"
    values: dict[str, Any] = {k: v for k, v in base.items() if k == "changeover_matrix"}
    with st.expander("Line parameters", expanded=source == "Form"):
        cols = st.columns(3)
        for i, (name, label, low, step) in enumerate(CONFIG_FIELDS):
            values[name] = cols[i % 3].number_input(
                label,
                min_value=low,
                value=float(base.get(name, 0.0)),
                step=step,
                key=f"{key}_{suffix}_{name}",
            )
        fixed = st.checkbox(
            "Fixed start time (otherwise: the next full hour)",
            value=bool(base.get("start_time")),
            key=f"{key}_{suffix}_fixed",
        )
        if fixed:
            start = (
                datetime.fromisoformat(base["start_time"])
                if base.get("start_time")
                else (datetime.now().replace(minute=0, second=0, microsecond=0))
            )
            c1, c2 = st.columns(2)
            day = c1.date_input("Start date", value=start.date(), key=f"{key}_{suffix}_date")
            at = c2.time_input("Start time", value=start.time(), key=f"{key}_{suffix}_time")
            values["start_time"] = datetime.combine(day, at).isoformat()
        if values.get("changeover_matrix"):
            st.caption("Changeover matrix (from the template/file):")
            st.json(values["changeover_matrix"], expanded=False)
    return values
