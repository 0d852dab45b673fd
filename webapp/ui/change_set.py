"""The planner's pending change set in the browser session, and its proposal.

Edits made on the board, the machines page and the work-orders page are not written: each
is checked against the stored shop (:func:`webapp.shop.edits.check`, so a change that cannot
apply is refused at once with the reason) and kept in ``st.session_state`` until the planner
accepts the proposal (edits + new plan in one transaction) or discards it (nothing written).
The proposal re-plans with the current plan's strategy and options unless the planner chose
options for the run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from scheduler_core.shop import ShopOptions
from webapp.shop import edits, planning
from webapp.ui.progress import run_with_progress, stepped
from webapp.ui.session import CANDIDATE_KEY, PAGE_BOARD
from webapp.ui.tables import table
from webapp.ui.widgets import esc, guarded

#: session_state key of the pending change set (a list of ``Change``)
PENDING_KEY = "shop_changes"
#: session_state key of the planning start / frozen horizon the board chose
WHEN_KEY = "shop_when"
FLASH_KEY = "shop_flash"


def pending() -> list[edits.Change]:
    """The pending change set (oldest first)."""
    return list(st.session_state.get(PENDING_KEY, []))


def discard() -> None:
    """Drop the pending change set and its proposal (nothing was written)."""
    st.session_state.pop(PENDING_KEY, None)
    st.session_state.pop(CANDIDATE_KEY, None)


def flash(message: str, warning: str | None = None) -> None:
    """Show ``message`` once on the next run of a page (and ``warning`` under it, when given:
    what was done anyway)."""
    st.session_state[FLASH_KEY] = (message, warning)


def show_flash() -> None:
    """The message of :func:`flash` and its warning, if any."""
    message, warning = st.session_state.pop(FLASH_KEY, (None, None))
    if message:
        st.success(esc(message))
    if warning:
        st.warning(esc(warning), icon=":material/warning:")


def when() -> dict[str, Any]:
    """The planning start (``None`` = now) and frozen horizon (hours) last chosen."""
    return dict(st.session_state.get(WHEN_KEY, {"start": None, "frozen_hours": 0.0}))


def propose(engine, user, changes: list[edits.Change], options: ShopOptions | None = None) -> bool:
    """Re-plan the stored shop with ``changes`` (``options``: ``None`` = the current plan's)
    with progress; keeps the proposal for the board. False when it failed (shown)."""
    chosen = when()
    label = options.strategy if options else "current plan's strategy"
    with guarded("The changes cannot be planned"):
        proposal = run_with_progress(
            lambda h: edits.propose(engine, user=user, changes=changes, options=options, start=chosen["start"],
                                    frozen_hours=chosen["frozen_hours"], progress=stepped(h, label),
                                    on_wait=h.queued),
            label="Planning",
        )
        st.session_state[PENDING_KEY] = list(changes)
        st.session_state[CANDIDATE_KEY] = proposal
        return True
    return False


def add(engine, user, kind: str, *, replan: bool = True, note: str = "", **args: Any) -> None:
    """Add a change of ``kind`` to the pending set if it applies (else show why, nothing
    kept); with ``replan`` propose at once, then rerun the page. ``note`` (e.g. "merged
    into …") is shown with the change."""
    earlier, still = pending(), True
    if earlier:
        still = False
        with guarded("Your pending changes no longer apply to the shop (it changed since); discard them first"):
            edits.check(engine, user=user, changes=earlier)
            still = True
    if not still:
        return
    with guarded("The change cannot be made"):
        item = edits.change(kind, **args)
        changes = [*earlier, item]
        edits.check(engine, user=user, changes=changes)
        if replan:
            if not propose(engine, user, changes):
                return
        else:
            st.session_state[PENDING_KEY] = changes
            st.session_state.pop(CANDIDATE_KEY, None)
        flash(f"{item.describe()}{f' ({note})' if note else ''} — pending, not written until you accept the plan.")
        st.rerun()


def pending_panel(engine, user, key: str, *, on_board: bool = False) -> None:
    """The pending changes with "Plan these changes" and "Discard" (planning switches to the
    board, where the proposal is accepted)."""
    changes = pending()
    if not changes:
        return
    with st.container(border=True):
        st.markdown(f"**Pending changes ({len(changes)})** — not written until a plan with them is accepted")
        table(pd.DataFrame({"change": [c.describe() for c in changes]}), hide_index=True, width="stretch")
        c = st.columns(2)
        if c[0].button("Plan these changes", type="primary", key=f"{key}_plan") and propose(engine, user, changes):
            if on_board:
                st.rerun()
            st.switch_page(PAGE_BOARD)
        if c[1].button("Discard changes", key=f"{key}_discard"):
            discard()
            st.rerun()


def accept(engine, user, proposal: edits.Proposal) -> None:
    """Accept ``proposal`` (edits + plan in one transaction), then rerun."""
    with guarded("The plan was not accepted", stop=True):
        plan_id = edits.accept(engine, user=user, proposal=proposal)
    discard()
    flash(f"Plan #{plan_id} accepted" + (f" with {len(proposal.changes)} change(s)." if proposal.changes else "."))
    st.rerun()


def undo_panel(engine, user, key: str) -> None:
    """The last accepted change set and its Undo button (when it can still be undone)."""
    last = edits.last_change_set(engine, user=user)
    if last is None:
        return
    c = st.columns([5, 1])
    c[0].caption(f"Last accepted: {esc(last.summary)} (plan #{last.plan_id}, {last.created_at:%Y-%m-%d %H:%M} UTC)")
    if last.undoable and c[1].button("Undo", key=f"{key}_undo", help="put back what it changed and the plan before"):
        with guarded("The change was not undone", stop=True):
            previous = edits.undo_last(engine, user=user)
        discard()
        flash(f"Undone: {last.summary}. " + (f"Plan #{previous} is current again." if previous else "No plan is current."))
        st.rerun()


def start_controls(engine, user, key: str) -> None:
    """Planning start (now, or a chosen date and time on the plant clock) and frozen horizon."""
    current = when()
    c = st.columns([2, 2, 2, 2])
    mode = c[0].radio("Planning start", ["now", "at"], horizontal=True, key=f"{key}_start_mode",
                      index=0 if current["start"] is None else 1,
                      help="now = the next whole minute on the plant clock; nothing is planned before the start")
    start: datetime | None = None
    if mode == "at":
        base = current["start"] or planning.planning_now(engine, user=user)
        day = c[1].date_input("Date", value=base.date(), key=f"{key}_start_day")
        moment = c[2].time_input("Time", value=base.time(), key=f"{key}_start_time", step=60)
        start = datetime.combine(day, moment)
    frozen = c[3].number_input("Frozen horizon (h)", min_value=0.0, max_value=168.0,
                               value=float(current["frozen_hours"]), step=1.0, format="%.1f", key=f"{key}_frozen",
                               help="operations of the current plan that start within it keep their start; the "
                                    "current plan is taken as followed up to the planning start (what it finished by "
                                    "then counts as done for this plan; nothing of that is written)")
    st.session_state[WHEN_KEY] = {"start": start, "frozen_hours": float(frozen)}


def proposal_panel(engine, user, current) -> None:
    """The proposal against the current plan: KPI deltas, orders that became late or on
    time, operations moved, warnings, the changes; Accept / Discard."""
    proposal: edits.Proposal | None = st.session_state.get(CANDIDATE_KEY)
    if proposal is None:
        return
    candidate = proposal.result
    with st.container(border=True):
        st.subheader("Proposed plan (not accepted yet)")
        diff = planning.diff_plans(current, candidate)
        c = st.columns(4)
        c[0].metric("Weighted tardiness", f"{diff.objective_after:,.1f} h",
                    delta=None if diff.objective_change is None else f"{diff.objective_change:+,.1f} h",
                    delta_color="inverse", border=True)
        c[1].metric("Late orders", diff.late_after,
                    delta=None if diff.late_before is None else diff.late_after - diff.late_before,
                    delta_color="inverse", border=True)
        c[2].metric("Operations moved", len(diff.moved), border=True)
        c[3].metric("Strategy", candidate.strategy, border=True)
        st.caption(f"Planned from {candidate.start:%Y-%m-%d %H:%M} ({esc(candidate.time_zone)}) with "
                   f"{esc(proposal.options.strategy)}, due basis {esc(proposal.options.due_basis)}, "
                   f"{proposal.options.time_limit_s:g} s"
                   + (f", frozen horizon {proposal.frozen_hours:g} h" if proposal.frozen_hours else "")
                   + f" · runtime {candidate.runtime_s:.1f} s · {esc(candidate.status)} · orders that became late: "
                   f"{len(diff.became_late)}, on time: {len(diff.became_on_time)}")
        if proposal.changes:
            table(pd.DataFrame({"change": proposal.descriptions()}), hide_index=True, width="stretch",
                         key="proposal_changes")
        if diff.became_late or diff.became_on_time:
            table(pd.DataFrame(
                [{"work order": r, "change": "became late"} for r in diff.became_late]
                + [{"work order": r, "change": "became on time"} for r in diff.became_on_time]),
                hide_index=True, width="stretch")
        if diff.moved:
            with st.expander(f"Operations moved ({len(diff.moved)})"):
                table(pd.DataFrame(diff.moved), hide_index=True, width="stretch")
        for w in candidate.warnings[:10]:
            st.text(w)
        b = st.columns(2)
        if b[0].button("Accept plan", type="primary", key="board_accept"):
            accept(engine, user, proposal)
        if b[1].button("Discard", key="board_discard", help="drop the plan and the pending changes; nothing is written"):
            discard()
            flash("Discarded: nothing was written.")
            st.rerun()
