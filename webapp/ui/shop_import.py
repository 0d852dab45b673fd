"""The shop's import and clear panels: upload a workbook, preview it (what would be imported,
every problem as row, sheet!column, reason, and the work orders they skip), then either
import the valid rows and skip the invalid ones, or fix the file and upload it again; add
to the shop or replace it (replacing asks for confirmation with the counts it deletes); the
summary says what was imported and what was skipped. "Clear the shop" asks the same way.

User text appears only in dataframes, ``st.text`` or after escaping (``widgets.esc``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scheduler_core.shop.io import ShopRead
from webapp.access import can_create
from webapp.shop import imports
from webapp.ui import change_set
from webapp.ui.session import PAGE_BOARD
from webapp.ui.tables import table
from webapp.ui.uploads import upload_bytes
from webapp.ui.widgets import esc, guarded

#: How an import meets the stored shop, in the planner's words.
MODE_LABELS = {
    "add": "Add to the shop (new work orders added, existing ones updated by RN)",
    "replace": "Replace the shop (everything in it is deleted first)",
}
#: Counts a confirmation names, in the planner's words.
COUNT_LABELS = (("work_orders", "work orders"), ("operations", "operations"), ("work_centers", "work centers"),
                ("products", "products"), ("pins", "sequence pins"), ("downtime", "downtime intervals"),
                ("plans", "plans"), ("scenarios", "what-if scenarios"), ("change_sets", "accepted change sets"))


#: The confirmation asked for (``{"kind": "replace" | "clear", "key": …, "skip": …}``): kept
#: in the session so the dialog stays open across reruns until confirmed, cancelled or closed.
CONFIRM_KEY = "shop_import_confirm"


def _forget_confirmation() -> None:
    st.session_state.pop(CONFIRM_KEY, None)


def _asked(kind: str, key: str) -> dict | None:
    pending = st.session_state.get(CONFIRM_KEY)
    return pending if pending and pending.get("kind") == kind and pending.get("key") == key else None


def _counts_text(counts: dict[str, int], kinds: tuple[str, ...]) -> str:
    return ", ".join(f"{counts[k]} {label}" for k, label in COUNT_LABELS if k in kinds and counts.get(k))


def skipped_frame(read_or_skipped) -> pd.DataFrame:
    """What a read (or an import summary) skips, one row per problem: what (work order, work
    center, row), which, row, sheet!column, reason, and the rows left out with it."""
    skipped = read_or_skipped.skipped
    rows = [
        {"skipped": s.kind, "which": s.key, "row": p.row, "column": p.column or "", "reason": p.reason,
         "rows left out": ", ".join(f"{sheet}!{row}" for sheet, row in s.rows)}
        for s in skipped for p in s.problems
    ]
    return pd.DataFrame(rows, columns=["skipped", "which", "row", "column", "reason", "rows left out"])


def _uploader_key(key: str) -> str:
    return f"{key}_upload_{st.session_state.get(f'{key}_round', 0)}"


def _fresh_upload(key: str) -> None:
    """Empty the uploader (a new widget key) for the next file."""
    _forget_confirmation()
    st.session_state[f"{key}_round"] = st.session_state.get(f"{key}_round", 0) + 1


def _preview(preview: imports.ImportPreview) -> None:
    read = preview.read
    p = read.problem
    for note in read.notes:
        st.caption(esc(note))
    if preview.new_work_centers:
        st.info(f"New work centers: {esc(', '.join(preview.new_work_centers))}")
    if read.complete:
        st.success(f"{len(p.work_centers)} work centers · {len(p.work_orders)} work orders · "
                   f"{len(p.operations)} operations — ready to import.")
    else:
        orders = read.skipped_orders()
        st.error(f"The workbook has {len(read.problems)} problem(s).")
        table(pd.DataFrame([{"row": q.row, "column": q.column or "", "reason": q.reason} for q in read.problems],
                                  columns=["row", "column", "reason"]), hide_index=True, width="stretch")
        st.warning(f"Importing the valid rows would import {len(p.work_orders)} work orders and {len(p.operations)} "
                   f"operations on {len(p.work_centers)} work centers, and skip {len(orders)} work order(s) "
                   f"and {len(read.skipped) - len(orders)} other item(s):")
        table(skipped_frame(read), hide_index=True, width="stretch")
    table(pd.DataFrame([{"rn": o.rn, "product": o.kpl, "product name": o.product_name, "quantity": o.quantity,
                                "priority": o.priority_level, "assembly": o.assembly_date,
                                "delivery": o.delivery_date, "status": o.status}
                               for o in p.work_orders[:200]],
                              columns=["rn", "product", "product name", "quantity", "priority", "assembly",
                                       "delivery", "status"]),
                 hide_index=True, width="stretch",
                 column_config={"quantity": st.column_config.NumberColumn(format="%d"),
                                "assembly": st.column_config.DateColumn(), "delivery": st.column_config.DateColumn()})


def _run_import(engine, user, key: str, read: ShopRead, mode: str, skip_invalid: bool) -> None:
    with guarded("The import failed; nothing was changed", stop=True):
        summary = imports.import_read(engine, user=user, read=read, mode=mode, skip_invalid=skip_invalid)
    change_set.discard()  # pending changes were checked against the shop before the import
    _forget_confirmation()
    st.session_state[f"{key}_summary"] = summary
    _fresh_upload(key)
    st.rerun()


@st.dialog("Replace the shop?", on_dismiss=_forget_confirmation)
def _confirm_replace(engine, user, key: str, read: ShopRead, skip_invalid: bool) -> None:
    counts = imports.shop_counts(engine, user=user)
    gone = _counts_text(counts, ("work_orders", "operations", "work_centers", "products", "pins", "downtime"))
    st.write(f"Replacing deletes the shop first: {esc(gone) or 'nothing (the shop is empty)'}.")
    if counts.get("plans"):
        st.write(f"The {counts['plans']} stored plan(s) stay as history, but none is current any more: "
                 "re-plan on the Scheduling board after the import.")
    p = read.problem
    st.write(f"Then {len(p.work_orders)} work orders, {len(p.operations)} operations and {len(p.work_centers)} "
             "work centers are imported.")
    c = st.columns(2)
    if c[0].button("Replace the shop", type="primary", key=f"{key}_replace_yes"):
        _run_import(engine, user, key, read, "replace", skip_invalid)
    if c[1].button("Cancel", key=f"{key}_replace_no"):
        _forget_confirmation()
        st.rerun()


def show_summary(summary: imports.ImportSummary) -> None:
    """What an import did: counts imported (added / updated), what replacing deleted, every
    skipped item with its reason, and that a re-plan is needed."""
    parts = [f"{len(summary.added_orders)} work orders added"]
    if summary.updated_orders:
        parts.append(f"{len(summary.updated_orders)} updated (routing replaced)")
    parts.append(f"{summary.operations} operations")
    parts.append(f"{len(summary.added_work_centers)} work centers added"
                 + (f" ({esc(', '.join(summary.added_work_centers))})" if summary.added_work_centers else "")
                 + (f", {len(summary.updated_work_centers)} updated" if summary.updated_work_centers else ""))
    if summary.added_downtime:
        parts.append(f"{summary.added_downtime} downtime intervals")
    st.success("Imported: " + " · ".join(parts) + ".")
    if summary.replaced:
        st.caption(f"Replaced: {esc(_counts_text(summary.replaced, ('work_orders', 'operations', 'work_centers')))} "
                   "were deleted first.")
    if summary.released_pins:
        st.caption(f"{summary.released_pins} sequence pin(s) on replaced operations were released.")
    if summary.skipped:
        orders = [s.key for s in summary.skipped if s.kind == "work order"]
        others = len(summary.skipped) - len(orders)
        st.warning(f"Skipped {len(orders)} work order(s)" + (f" and {others} other item(s)" if others else "") + ":")
        table(skipped_frame(summary), hide_index=True, width="stretch")
    if summary.had_current_plan:
        st.info("The current plan was made before this import, so it is no longer current: re-plan on the board.")
    st.page_link(PAGE_BOARD, label="Re-plan on the Scheduling board", icon=":material/view_timeline:")


def import_panel(engine, user, key: str) -> None:
    """Workbook upload → preview (problems and what they skip) → import all, or the valid
    rows only, by adding to or replacing the shop → the summary."""
    summary = st.session_state.pop(f"{key}_summary", None)
    if summary is not None:
        show_summary(summary)
    uploaded = st.file_uploader("Shop workbook (Excel, or a flat CSV of operations)",
                                type=["xlsx", "xlsm", "csv"], key=_uploader_key(key))
    if uploaded is None:
        st.caption("Sheets work_centers, work_orders, operations (+ calendar, downtime), or the shop's flat "
                   "spreadsheet; Serbian/Croatian headers are accepted. Adding updates only what the file gives: "
                   "absent columns and blank cells keep the stored values.")
        return
    planner = can_create(user)
    mode = st.radio("Import", list(MODE_LABELS), format_func=MODE_LABELS.get, key=f"{key}_mode") if planner \
        else "add"
    preview = None
    with guarded("The workbook cannot be imported"):
        preview = imports.preview_import(engine, user=user, data=upload_bytes(uploaded), filename=uploaded.name,
                                         mode=mode)
    if preview is None:
        return
    _preview(preview)
    if not planner:
        return
    read = preview.read
    skip_invalid = None
    if read.complete:
        if st.button("Import", type="primary", key=f"{key}_import"):
            skip_invalid = False
    else:
        c = st.columns(2)
        if c[0].button("Import the valid rows, skip the invalid ones", type="primary", key=f"{key}_partial"):
            skip_invalid = True
        if c[1].button("Fix and upload again", key=f"{key}_again"):
            _fresh_upload(key)
            st.rerun()
    if skip_invalid is not None and mode == "replace":
        st.session_state[CONFIRM_KEY] = {"kind": "replace", "key": key, "skip": skip_invalid}
    elif skip_invalid is not None:
        _run_import(engine, user, key, read, mode, skip_invalid)
    if (pending := _asked("replace", key)) is not None:
        _confirm_replace(engine, user, key, read, pending["skip"])


@st.dialog("Clear the shop?", on_dismiss=_forget_confirmation)
def _confirm_clear(engine, user, key: str) -> None:
    counts = imports.shop_counts(engine, user=user)
    gone = _counts_text(counts, tuple(k for k, _ in COUNT_LABELS))
    st.write(f"This deletes the whole shop of your organisation: {esc(gone) or 'nothing (the shop is empty)'} "
             "(plans, scenarios and change sets of every member). The plant and its members stay.")
    c = st.columns(2)
    if c[0].button("Clear the shop", type="primary", key=f"{key}_clear_yes"):
        with guarded("The shop was not cleared", stop=True):
            imports.clear_shop(engine, user=user)
        _forget_confirmation()
        change_set.discard()
        change_set.flash(f"The shop was cleared ({gone or 'it was empty'}).")
        st.rerun()
    if c[1].button("Cancel", key=f"{key}_clear_no"):
        _forget_confirmation()
        st.rerun()


def clear_panel(engine, user, key: str) -> None:
    """'Clear the shop…' for a planner: asks for confirmation, naming what goes."""
    if not can_create(user):
        return
    if st.button("Clear the shop…", key=f"{key}_clear",
                 help="delete every work order, work center, plan and scenario, e.g. to load the demo again"):
        st.session_state[CONFIRM_KEY] = {"kind": "clear", "key": key}
    if _asked("clear", key) is not None:
        _confirm_clear(engine, user, key)
