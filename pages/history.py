"""History: the user's schedules, paginated (20 a page), filtered, sorted; the runs of a
comparison grouped under it (hidden by default); bulk delete after a dialog saying what goes."""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.filling import history, runs
from webapp.filling.runs import STRATEGIES
from webapp.ui import change_set, master_forms

engine = ui.get_engine()
user = ui.require_user()
zone = runs.plant_zone(engine, user=user)

PAGE_SIZE = 20
SORTS = {
    "created": "created_at",
    "name": "name",
    "status": "status",
    "strategy": "strategy",
    "finished": "finished_at",
    "makespan": "makespan_h",
}

st.title("History")
change_set.show_flash()

with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    status = c1.multiselect("Status", ["pending", "running", "completed", "failed"], key="hist_status")
    strategy = c2.multiselect("Strategy", list(STRATEGIES), key="hist_strategy")
    name = c3.text_input("Name contains", key="hist_name")
    c4, c5, c6 = st.columns(3)
    dates = c4.date_input(f"Created between ({zone})", value=(), key="hist_dates")
    sort_label = c5.selectbox("Sort by", list(SORTS), key="hist_sort")
    descending = c6.toggle("Newest / largest first", value=True, key="hist_desc")
    hide_runs = st.toggle(
        "Hide comparison runs",
        value=True,
        key="hist_hide_cmp",
        help="The schedules a comparison ran are listed under their comparison (Compare page).",
    )

created_from = created_to = None
if isinstance(dates, tuple | list) and len(dates) >= 1:
    created_from = ui.utc_bound(datetime.combine(dates[0], time.min), zone)  # plant days, stored in UTC
    if len(dates) == 2:
        created_to = ui.utc_bound(datetime.combine(dates[1], time.min) + timedelta(days=1), zone)

filters = {
    "status": status or None,
    "strategy": strategy or None,
    "name_contains": name or None,
    "created_from": created_from,
    "created_to": created_to,
    "sort": SORTS[sort_label],
    "descending": descending,
    "hide_comparison_runs": hide_runs,
}
in_comparison = history.comparisons_of_schedules(engine, user=user)
grouped = {c.id: c for c in in_comparison.values()}
if grouped:
    with st.expander(f"Comparisons ({len(grouped)})", expanded=hide_runs):
        ui.table(
            pd.DataFrame(
                [
                    {
                        "comparison": f"#{c.id} · {c.name}",
                        "created": ui.plant_stamp(c.created_at, zone),
                        "runs": ", ".join(c.strategies),
                        "schedules": ", ".join(f"#{r['schedule_id']}" for r in c.runs.values()),
                    }
                    for c in sorted(grouped.values(), key=lambda c: c.id, reverse=True)
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={"created": ui.time_column("created", zone)},
        )
        st.page_link(ui.PAGE_COMPARE, label="Open on the Compare page", icon=":material/compare_arrows:")

total_page, _ = history.list_schedules(engine, user=user, with_results=False, limit=1, **filters)
pages = max(1, -(-total_page.total // PAGE_SIZE))
if st.session_state.get("hist_page", 1) > pages:  # the filters shrank the list
    st.session_state["hist_page"] = pages
page_col, count_col = st.columns([1, 4])
page_no = page_col.number_input("Page", min_value=1, max_value=pages, value=1, step=1, key="hist_page")
count_col.caption(f"of {pages}")
page, results = history.list_schedules(
    engine, user=user, limit=PAGE_SIZE, offset=(int(page_no) - 1) * PAGE_SIZE, **filters
)
st.caption(f"{page.total} schedules match")

if not page.items:
    st.info("No schedules match. Create one on the New schedule page.")
    st.page_link(ui.PAGE_NEW, label="New schedule", icon=":material/add_circle:")
    st.stop()

frame = pd.DataFrame(
    [
        {
            "select": False,
            "id": s.id,
            "name": s.name,
            "strategy": s.strategy,
            "comparison": f"#{in_comparison[s.id].id} · {in_comparison[s.id].name}" if s.id in in_comparison else "",
            "status": history.shown_status(s.status, results.get(s.id)),
            "created": ui.plant_stamp(s.created_at, zone),
            "makespan (h)": results[s.id].makespan_h if s.id in results else None,
            "gap (%)": results[s.id].gap_pct if s.id in results else None,
            "blocks": results[s.id].blocks if s.id in results else None,
            "lots": results[s.id].lots if s.id in results else None,
            "late lots": results[s.id].due("late_lots") if s.id in results else None,
            "weighted tardiness (h)": results[s.id].due("weighted_tardiness_h") if s.id in results else None,
        }
        for s in page.items
    ]
)
if hide_runs:  # every comparison run is hidden: the column would stay empty
    frame = frame.drop(columns=["comparison"])
can_edit = can_create(user)
edited = ui.editor(
    frame,
    hide_index=True,
    width="stretch",
    disabled=[c for c in frame.columns if c != "select"] if can_edit else True,
    column_config={
        "select": st.column_config.CheckboxColumn("select", help="Select rows to delete"),
        "created": ui.time_column("created", zone),
        "makespan (h)": st.column_config.NumberColumn(format="%.1f"),
        "gap (%)": st.column_config.NumberColumn(format="%.2f"),
    },
    key=f"hist_editor_{page_no}_{page.total}",
)
selected = [int(i) for i in edited.loc[edited["select"], "id"]] if can_edit else []

by_id = {s.id: s for s in page.items}
c1, c2 = st.columns([3, 1])
choice = c1.selectbox(
    "Open a schedule",
    list(by_id),
    format_func=lambda i: f"#{i} · {by_id[i].name}",
    key="hist_open_sel",
)
c2.write("")
if c2.button("Open", key="hist_open"):
    ui.open_schedule(choice)

if can_edit and not selected:
    st.caption("Tick rows in the select column to delete them.")
elif can_edit:
    master_forms.confirm_delete(
        "hist_delete",
        f"Delete the {len(selected)} selected…",
        lambda: history.deletion_impact(engine, user=user, schedule_ids=selected),
        lambda: history.delete_schedules(engine, user=user, schedule_ids=selected),
        f"Deleted the {len(selected)} selected schedule(s).",
    )
