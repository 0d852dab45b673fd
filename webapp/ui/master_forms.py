"""Streamlit forms of the shop's master data: the confirmation dialog every deletion goes
through (it says what goes with it), a work order's routing as an editable table (with an
"add operation" form), the work center forms (create; master fields saved at once) and the
downtime editor (a change of the planning loop, like adding and removing downtime).

Nothing here decides a rule: the services validate (``webapp.shop.routings``,
``work_centers``, ``master_data``, ``edits``) and ``guarded`` shows what they refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from webapp.shop import catalog, edits, routings, work_centers
from webapp.ui import change_set
from webapp.ui.tables import editor
from webapp.ui.widgets import esc, guarded
from webapp.views import DeletionImpact

DAYS = list(catalog.DAY_NAMES)
SHIFTS = list(catalog.SHIFT_NAMES)
#: session_state key of the deletion waiting for its confirmation
CONFIRM_KEY = "master_confirm"


def _close_confirmation() -> None:
    st.session_state.pop(CONFIRM_KEY, None)


@st.dialog("Confirm deletion", on_dismiss=_close_confirmation)
def _confirmation(impact: DeletionImpact, delete: Callable[[], Any], done: str,
                  after: Callable[[], Any] | None = None) -> None:
    if not impact.possible:
        st.error(esc(impact.text), icon=":material/block:")
        if st.button("Close", key="master_confirm_close"):
            _close_confirmation()
            st.rerun()
        return
    st.warning(esc(impact.text), icon=":material/warning:")
    st.write("This cannot be undone.")
    c = st.columns(2)
    if c[0].button("Delete", type="primary", key="master_confirm_yes"):
        with guarded("Nothing was deleted"):
            delete()
            _close_confirmation()
            change_set.flash(done)
            (after or st.rerun)()
    if c[1].button("Cancel", key="master_confirm_no"):
        _close_confirmation()
        st.rerun()


def confirm_delete(key: str, label: str, impact: Callable[[], DeletionImpact], delete: Callable[[], Any],
                   done: str, *, after: Callable[[], Any] | None = None) -> None:
    """A ``label`` button that opens a confirmation dialog saying what goes with the deletion
    (``impact()``, a service call); "Delete" there runs ``delete()``, flashes ``done`` and
    reruns the page — or calls ``after()`` instead (e.g. ``st.switch_page`` away from a page
    whose subject is gone). A deletion that is not possible shows only the reason and "Close"."""
    if st.button(label, key=key, icon=":material/delete:"):
        st.session_state[CONFIRM_KEY] = key
    if st.session_state.get(CONFIRM_KEY) != key:
        return
    found = None
    with guarded("Cannot delete"):
        found = impact()
    if found is None:
        _close_confirmation()
        return
    _confirmation(found, delete, done, after)


# ------------------------------------------------------------------ routing


def _routing_config(codes: list[str], inactive: set[str]) -> dict[str, Any]:
    """Column settings of the routing table: every work center code is offered (an inactive
    one marked), so an operation on an inactive work center shows its code."""
    cc = st.column_config
    return {
        "id": None,
        "sequence": cc.NumberColumn("sequence", format="%d", step=1, required=True),
        "name": cc.TextColumn("operation", max_chars=500),
        "work_center": cc.SelectboxColumn("work center", options=codes, required=True,
                                          format_func=lambda c: f"{c} (inactive)" if c in inactive else c,
                                          help="an operation on an inactive work center is not planned; "
                                               "move it to an active one"),
        "norma": cc.NumberColumn("norma (min)", format="%.1f", help="minutes for the whole quantity"),
        "quantity": cc.NumberColumn("quantity", format="%d", step=1),
        "quantity_completed": cc.NumberColumn("quantity done", format="%.1f"),
        "status": cc.SelectboxColumn("status", options=list(routings.STATUSES), required=True),
    }


def _draft_key(work_order_id: int) -> str:
    return f"wo_routing_draft_{work_order_id}"


def routing_editor(engine, user, work_order_id: int, rn: str, quantity: int) -> None:
    """The routing of work order ``rn`` as an editable table: edit cells, add rows (or use
    "Add operation"), delete rows; "Save routing" validates the whole table (every problem
    with its row and column, nothing written) and asks before deleting operations."""
    draft_key = _draft_key(work_order_id)
    stored = routings.routing_rows(engine, user=user, work_order_id=work_order_id)
    draft = st.session_state.get(draft_key, stored)
    centers = catalog.list_work_centers(engine, user=user)
    codes = [w.code for w in centers if w.is_active]
    inactive = {w.code for w in centers if not w.is_active}
    version = st.session_state.get(f"{draft_key}_v", 0)
    frame = pd.DataFrame(draft, columns=["id", *routings.COLUMNS])
    if not draft:
        st.warning(f"{esc(rn)} has no routing: it is not planned until it has operations.", icon=":material/warning:")
    edited = editor(frame, key=f"wo_routing_{work_order_id}_{version}", num_rows="dynamic",
                            column_config=_routing_config([w.code for w in centers], inactive), hide_index=True, width="stretch")
    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in edited.to_dict("records")]
    with st.form(f"wo_add_op_{work_order_id}", clear_on_submit=True):
        st.markdown("**Add operation**")
        c = st.columns([1, 2, 2, 1, 1])
        last = max((int(r["sequence"]) for r in rows if r.get("sequence") is not None), default=0)
        seq = c[0].number_input("Sequence", min_value=1, value=last + 10, step=1)
        name = c[1].text_input("Operation")
        wc = c[2].selectbox("Work center", codes, index=None, placeholder="choose")
        norma = c[3].number_input("Norma (min)", min_value=0.0, value=0.0, step=1.0, format="%.1f")
        qty = c[4].number_input("Quantity", min_value=1, value=max(1, int(quantity)), step=1)
        if st.form_submit_button("Add to the table"):
            st.session_state[draft_key] = [*rows, {"id": None, "sequence": int(seq), "name": name, "work_center": wc,
                                                   "norma": float(norma), "quantity": int(qty),
                                                   "quantity_completed": 0.0, "status": "pending"}]
            st.session_state[f"{draft_key}_v"] = version + 1
            st.rerun()
    c = st.columns(2)
    gone = [r for r in stored if r["id"] not in {x.get("id") for x in rows}]
    if c[0].button("Save routing", type="primary", key=f"wo_routing_save_{work_order_id}"):
        if gone:
            st.session_state[CONFIRM_KEY] = f"routing_{work_order_id}"
        else:
            _save_routing(engine, user, work_order_id, rows)
    if c[1].button("Undo edits", key=f"wo_routing_reset_{work_order_id}"):
        st.session_state.pop(draft_key, None)
        st.session_state[f"{draft_key}_v"] = version + 1
        st.rerun()
    if st.session_state.get(CONFIRM_KEY) == f"routing_{work_order_id}":
        names = ", ".join(f"{rn}/{r['sequence']} {r['name']}".strip() for r in gone)
        _confirmation(DeletionImpact(f"saving deletes {len(gone)} operations of {rn}: {names}"),
                      lambda: _write_routing(engine, user, work_order_id, rows), f"Routing of {rn} saved.")


def _write_routing(engine, user, work_order_id: int, rows: list[dict[str, Any]]) -> routings.RoutingSaved:
    saved = routings.save_routing(engine, user=user, work_order_id=work_order_id, rows=rows)
    st.session_state.pop(_draft_key(work_order_id), None)
    st.session_state[f"{_draft_key(work_order_id)}_v"] = st.session_state.get(f"{_draft_key(work_order_id)}_v", 0) + 1
    return saved


def _save_routing(engine, user, work_order_id: int, rows: list[dict[str, Any]]) -> None:
    st.session_state[_draft_key(work_order_id)] = rows  # kept while it has problems
    with guarded("The routing was not saved"):
        saved = _write_routing(engine, user, work_order_id, rows)
        change_set.flash("Nothing to save: the routing is unchanged." if saved.unchanged
                         else f"Routing saved: {saved.describe()}.")
        st.rerun()


# ------------------------------------------------------------------ work centers


def work_center_create_form(engine, user, key: str) -> None:
    """Create a work center (master data, written at once) with its calendar."""
    with st.form(key, clear_on_submit=False):
        st.markdown("**New work center** (master data, saved at once)")
        c = st.columns(3)
        code = c[0].text_input("Code")
        name = c[1].text_input("Name")
        category = c[2].text_input("Category", help="e.g. turning, milling; work centers of one category "
                                                    "can take each other's operations")
        d = st.columns(4)
        cap = d[0].number_input("Capacity (h/day)", min_value=0.0, max_value=24.0, value=22.5, step=0.5, format="%.1f")
        setup = d[1].number_input("Setup (min)", min_value=0, value=0, step=5)
        cost = d[2].number_input("Cost per hour", min_value=0.0, value=None, step=1.0, format="%.2f")
        active = d[3].toggle("Active (planned)", value=True)
        e = st.columns(2)
        shifts = e[0].multiselect("Shifts", SHIFTS, default=SHIFTS)
        days = e[1].multiselect("Working days", DAYS, default=DAYS[:5])
        if st.form_submit_button("Create work center"):
            with guarded("The work center was not created"):
                work_centers.create_work_center(
                    engine, user=user, code=code, name=name, category=category, capacity_hours_per_day=cap,
                    setup_time_minutes=int(setup), cost_per_hour=cost, is_active=active, shifts=shifts,
                    working_days=[DAYS.index(x) for x in days])
                change_set.flash(f"Work center {code.strip()} created.")
                st.rerun()


def work_center_master_form(engine, user, wc) -> None:
    """Edit the master fields of work center ``wc`` (a ``WorkCenterView``), saved at once,
    and delete it (refused while operations run on it)."""
    with st.form(f"mc_master_{wc.id}"):
        st.markdown(f"**{esc(wc.code)}: master data and status** (saved at once)")
        c = st.columns(3)
        code = c[0].text_input("Code", value=wc.code)
        name = c[1].text_input("Name", value=wc.name)
        category = c[2].text_input("Category", value=wc.category)
        d = st.columns(3)
        cap = d[0].number_input("Capacity (h/day)", min_value=0.0, max_value=24.0,
                                value=float(wc.capacity_hours_per_day), step=0.5, format="%.1f")
        setup = d[1].number_input("Setup (min)", min_value=0, value=int(wc.setup_time_minutes), step=5)
        cost = d[2].number_input("Cost per hour", min_value=0.0, value=wc.cost_per_hour, step=1.0, format="%.2f")
        e = st.columns(2)
        statuses = list(catalog.WORK_CENTER_STATUSES)
        status = e[0].selectbox("Status", statuses, index=statuses.index(wc.status))
        active = e[1].toggle("Active (planned)", value=wc.is_active)
        if st.form_submit_button("Save work center"):
            with guarded("The work center was not saved"):
                warning = work_centers.save_work_center(
                    engine, user=user, work_center_id=wc.id, code=code, name=name, category=category,
                    capacity_hours_per_day=cap, setup_time_minutes=int(setup), cost_per_hour=cost, status=status,
                    is_active=active)
                change_set.flash(f"Work center {code.strip()} saved.", warning)
                st.rerun()
    confirm_delete(f"mc_delete_{wc.id}", f"Delete {wc.code}…",
                   lambda: work_centers.work_center_impact(engine, user=user, work_center_id=wc.id),
                   lambda: work_centers.delete_work_center(engine, user=user, work_center_id=wc.id),
                   f"Work center {wc.code} deleted.")


# ------------------------------------------------------------------ downtime


def _period(prefix: str, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    c = st.columns(4)
    first = c[0].date_input("From (date)", value=start.date(), key=f"{prefix}_fd")
    first_time = c[1].time_input("From (time)", value=start.time(), key=f"{prefix}_ft")
    last = c[2].date_input("Until (date)", value=end.date(), key=f"{prefix}_ld")
    last_time = c[3].time_input("Until (time)", value=end.time(), key=f"{prefix}_lt")
    return datetime.combine(first, first_time), datetime.combine(last, last_time)


def add_downtime(engine, user, work_center: str, start: datetime, end: datetime, reason: str) -> None:
    """Add "``work_center`` down from ``start`` to ``end``" to the pending changes, saying
    whether it merges with recorded downtime (an identical period is refused)."""
    with guarded("The downtime cannot be added"):
        item = edits.change("add_downtime", work_center=work_center, start=start, end=end, reason=reason)
        note = edits.downtime_note(engine, user=user, changes=change_set.pending(), item=item)
        change_set.add(engine, user, item.kind, replan=False, note=note, **item.args)


def downtime_editor(engine, user, downs: list[dict[str, Any]]) -> None:
    """Change or remove recorded downtime (``downs``: ``catalog.downtimes``); both are
    pending changes planned on the board, like adding downtime."""
    label = {d["id"]: f"{d['work_center']} {d['start']:%Y-%m-%d %H:%M} – {d['end']:%Y-%m-%d %H:%M}" for d in downs}
    chosen = st.selectbox("Downtime", list(label), format_func=label.get, key="mc_down_sel")
    row = next(d for d in downs if d["id"] == chosen)
    with st.form(f"mc_down_edit_{chosen}"):
        st.markdown("**Change this downtime** (a pending change)")
        codes = [w.code for w in catalog.list_work_centers(engine, user=user)]
        wc = st.selectbox("Work center", codes, index=codes.index(row["work_center"]))
        start, end = _period(f"mc_down_edit_{chosen}", row["start"], row["end"])
        reason = st.text_input("Reason", value=row["reason"])
        if st.form_submit_button("Add the change to pending changes"):
            with guarded("The downtime cannot be changed"):
                item = edits.downtime_change(engine, user=user, downtime_id=chosen,
                                             new={"work_center": wc, "start": start, "end": end, "reason": reason})
                note = edits.downtime_note(engine, user=user, changes=change_set.pending(), item=item)
                change_set.add(engine, user, item.kind, replan=False, note=note, **item.args)
    if st.button("Remove downtime (pending change)", key="mc_down_del"):
        with guarded("The downtime cannot be removed"):
            item = edits.downtime_change(engine, user=user, downtime_id=chosen)
            change_set.add(engine, user, item.kind, replan=False, **item.args)

