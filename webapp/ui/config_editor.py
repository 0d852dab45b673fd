"""The line-configuration editor of New schedule, Compare, re-runs and templates: a source
(form, template, or an uploaded YAML/JSON file), the objective and the form of every number
key."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import streamlit as st

from webapp.errors import InputError
from webapp.filling import templates
from webapp.ui.matrix_editor import matrix_editor
from webapp.ui.session import get_engine
from webapp.ui.uploads import upload_bytes
from webapp.ui.widgets import esc, show_input_error
from webapp.views import TemplateView

CONFIG_FIELDS: tuple[tuple[str, str, float, float], ...] = (
    # key, label, min, step
    ("fill_rate_vph", "Fill rate (vials per hour)", 1.0, 100.0),
    ("clean_hours", "Clean (hours, before each block)", 0.0, 1.0),
    ("window_hours", "Block window (hours after the clean)", 1.0, 1.0),
    ("changeover_same_hours", "Changeover, same type (hours)", 0.0, 0.5),
    ("changeover_diff_hours", "Changeover, different type (hours)", 0.0, 0.5),
    ("time_limit_s", "Solver time limit (seconds)", 1.0, 1.0),
)


#: What each objective (config key ``objective``, DESIGN.md §1) optimises, in one line.
OBJECTIVES: dict[str, str] = {
    "makespan": "Makespan: finish all lots as early as possible; among equally short plans, the least "
                "weighted tardiness.",
    "due": "Due dates: the least weighted tardiness (hours late × (4 − priority)); among those, the "
           "shortest makespan.",
}


def objective_select(base: dict[str, Any], *, key: str) -> str:
    """A select box over the objectives (preselected: ``base``'s) with one line saying what
    the chosen one optimises; returns its name."""
    names = list(OBJECTIVES)
    current = base.get("objective") if base.get("objective") in OBJECTIVES else "makespan"
    name = st.selectbox(
        "Objective", names, index=names.index(current), key=key,
        format_func=lambda n: {"makespan": "makespan (finish first)", "due": "due dates (least late)"}[n],
        help="\n\n".join(f"**{n}**: {t}" for n, t in OBJECTIVES.items()),
    )
    st.caption(OBJECTIVES[name])
    return name


def _template_choice(user, key: str) -> TemplateView | None:
    """Select box over the user's templates (own + shared), the default preselected."""
    page = templates.list_templates(get_engine(), user=user, limit=200)
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
            by_id[i].name + (" (default)" if i == default else "") + ("" if by_id[i].owner_id == user.id else " (shared)")
        ),
        key=f"{key}_template",
    )
    return by_id[chosen]


def config_editor(
    user,
    *,
    key: str,
    allow_upload: bool = True,
    initial: dict[str, Any] | None = None,
    lot_types: Iterable[str] = (),
) -> dict[str, Any] | None:
    """Config source (form / template / YAML-JSON upload) and the form, with the changeover
    matrix as a grid over ``lot_types`` (the page's lots) and the types the source's matrix
    names. Returns the config mapping (validated when it runs), or ``None`` when an uploaded
    config or a matrix cell is bad, or no config is uploaded yet."""
    sources = ["Form", "Template"] + (["Upload YAML/JSON"] if allow_upload else [])
    has_default = initial is None and templates.get_default_template(get_engine(), user=user) is not None
    source = st.radio("Configuration", sources, index=1 if has_default else 0, horizontal=True, key=f"{key}_source")
    base = templates.default_config()
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
            base.update(templates.validate_template_config(upload_bytes(uploaded), filename=uploaded.name))
        except InputError as exc:
            show_input_error(exc, "The config file has problems")
            return None
        suffix = f"u{uploaded.file_id}"
    values: dict[str, Any] = {"objective": objective_select(base, key=f"{key}_{suffix}_objective")}
    with st.expander("Line parameters", expanded=source == "Form"):
        cols = st.columns(3)
        for i, (name, label, low, step) in enumerate(CONFIG_FIELDS):
            values[name] = cols[i % 3].number_input(
                label, min_value=low, value=float(base.get(name, 0.0)), step=step, key=f"{key}_{suffix}_{name}"
            )
        fixed = st.checkbox(
            "Fixed start time (otherwise: the next full hour)", value=bool(base.get("start_time")),
            key=f"{key}_{suffix}_fixed",
        )
        if fixed:
            start = (
                datetime.fromisoformat(base["start_time"])
                if base.get("start_time")
                else datetime.now().replace(minute=0, second=0, microsecond=0)
            )
            c1, c2 = st.columns(2)
            day = c1.date_input("Start date", value=start.date(), key=f"{key}_{suffix}_date")
            at = c2.time_input("Start time", value=start.time(), key=f"{key}_{suffix}_time")
            values["start_time"] = datetime.combine(day, at).isoformat()
        matrix = matrix_editor(
            base.get("changeover_matrix"), lot_types=lot_types, key=f"{key}_{suffix}_matrix",
            same_hours=values["changeover_same_hours"], diff_hours=values["changeover_diff_hours"],
        )
    if matrix is None:
        return None
    if matrix:
        values["changeover_matrix"] = matrix
    return values
