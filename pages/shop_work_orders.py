"""Work orders: filterable, paginated table with the late flag of the current plan and the
orders without a routing flagged (not planned); create / edit / delete (with a confirmation
saying what goes with it), status changes; the routing of an order as an editable table
(validated as a whole); urgency rank up/down and mark finished as pending changes (planned
and accepted on the board); import."""


import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.shop import catalog, planning, routings
from webapp.ui import change_set, master_forms, shop_import, shop_widgets

engine = ui.get_engine()
user = ui.require_user()
can_edit = can_create(user)
PAGE_SIZE = 25

st.title("Work orders")
change_set.show_flash()
change_set.pending_panel(engine, user, "wo_pending")

with st.expander("Import a workbook · clear the shop", expanded=False):
    shop_import.import_panel(engine, user, "wo_import")
    shop_import.clear_panel(engine, user, "wo_import")

summary = planning.summary(engine, user=user)
if summary.work_orders == 0:
    shop_widgets.demo_panel(engine, user, "wo_demo")

stored = planning.current_plan(engine, user=user)
zone = catalog.plant_time_zone(engine, user=user)[0]
outcome = {o.rn: o for o in stored.result.orders} if stored else {}
no_routing = set(routings.orders_without_routing(engine, user=user))
if no_routing:
    shown = ", ".join(sorted(no_routing)[:10]) + (" …" if len(no_routing) > 10 else "")
    st.warning(f"{len(no_routing)} open work orders have no routing and are not planned: {ui.esc(shown)}. "
               "Add their operations below.", icon=":material/warning:")

c = st.columns([2, 2, 2, 1])
status = c[0].multiselect("Status", list(catalog.ORDER_STATUSES), key="wo_status")
priority = c[1].multiselect("Priority", [1, 2, 3], key="wo_priority")
rn_text = c[2].text_input("Work order contains", key="wo_rn")
late_only = c[3].toggle("Late only", key="wo_late", disabled=not outcome)
sort = st.selectbox("Sort by", ["assembly_date", "delivery_date", "priority_level", "urgency_rank", "rn", "status"],
                    key="wo_sort")
late_rns = [r for r, o in outcome.items() if o.late] if late_only else None
first = catalog.list_work_orders(engine, user=user, limit=1, status=status or None,
                                 priority=priority or None, rn_contains=rn_text, rns=late_rns)
pages = max(1, -(-first.total // PAGE_SIZE))
page_no = st.number_input("Page", min_value=1, max_value=pages, value=1, key="wo_page")
page = catalog.list_work_orders(engine, user=user, limit=PAGE_SIZE, offset=(int(page_no) - 1) * PAGE_SIZE,
                                status=status or None, priority=priority or None, rn_contains=rn_text,
                                rns=late_rns, sort=sort)
st.caption(f"{page.total} work orders match · page {int(page_no)} of {pages}")
products = catalog.product_labels(engine, user=user)
frame = pd.DataFrame(
    [
        {
            "work order": o.rn,
            "product": products.get(o.product_id, ""),
            "quantity": o.quantity,
            "priority": o.priority_level,
            "urgency rank": o.urgency_rank,
            "assembly": o.assembly_date,
            "delivery": o.delivery_date,
            "status": o.status,
            "routing": "no routing" if o.rn in no_routing else "",
            "late": bool(outcome.get(o.rn) and outcome[o.rn].late),
            "lateness (h)": round(outcome[o.rn].lateness_hours, 1)
            if o.rn in outcome and outcome[o.rn].lateness_hours is not None else None,
        }
        for o in page.items
    ],
    columns=["work order", "product", "quantity", "priority", "urgency rank", "assembly", "delivery", "status",
             "routing", "late", "lateness (h)"],
)
ui.table(shop_widgets.highlight_late(frame, "late"), hide_index=True, width="stretch",
             column_config={"quantity": st.column_config.NumberColumn(format="%d"),
                            "urgency rank": st.column_config.NumberColumn(format="%d"),
                            "assembly": st.column_config.DateColumn(format="YYYY-MM-DD"),
                            "delivery": st.column_config.DateColumn(format="YYYY-MM-DD"),
                            "lateness (h)": st.column_config.NumberColumn(format="%.1f")})

if page.items and can_edit:
    by_id = {o.id: o for o in page.items}
    chosen = st.selectbox("Work order", list(by_id), format_func=lambda i: by_id[i].rn, key="wo_sel")
    wo = by_id[chosen]
    b = st.columns(4)
    if b[0].button("Urgency up", key="wo_up", help="a pending change, planned on the board"):
        change_set.add(engine, user, "move_urgency", replan=False, rn=wo.rn, step=-1)
    if b[1].button("Urgency down", key="wo_down", help="a pending change, planned on the board"):
        change_set.add(engine, user, "move_urgency", replan=False, rn=wo.rn, step=1)
    if b[2].button("Mark finished", key="wo_finish", help="a pending change, planned on the board"):
        change_set.add(engine, user, "finish_order", replan=False, rn=wo.rn, at=planning.planning_now(engine, user=user))
    with b[3]:
        master_forms.confirm_delete("wo_delete", "Delete…",
                                    lambda: routings.work_order_impact(engine, user=user, work_order_id=wo.id),
                                    lambda: catalog.delete_work_order(engine, user=user, work_order_id=wo.id),
                                    f"Work order {wo.rn} deleted.")
    with st.form(f"wo_edit_{wo.id}"):
        st.markdown(f"**Edit {ui.esc(wo.rn)}**")
        f = st.columns(3)
        qty = f[0].number_input("Quantity", min_value=1, value=wo.quantity)
        prio = f[1].selectbox("Priority (1 high … 3 low)", [1, 2, 3], index=wo.priority_level - 1)
        st_new = f[2].selectbox("Status", list(catalog.ORDER_STATUSES), index=catalog.ORDER_STATUSES.index(wo.status))
        g = st.columns(3)
        asm = g[0].date_input("Assembly date", value=wo.assembly_date)
        dlv = g[1].date_input("Delivery date", value=wo.delivery_date)
        third = g[2].date_input("Third date", value=wo.third_date)
        if st.form_submit_button("Save"):
            with ui.guarded("The work order was not saved"):
                catalog.save_work_order(engine, user=user, work_order_id=wo.id, quantity=int(qty),
                                        priority_level=int(prio), status=st_new, assembly_date=asm,
                                        delivery_date=dlv, third_date=third)
                st.rerun()
    st.subheader(f"Routing of {wo.rn}")
    with ui.guarded("The routing cannot be shown"):
        master_forms.routing_editor(engine, user, wo.id, wo.rn, wo.quantity)
    ops = catalog.operations_of(engine, user=user, work_order_id=wo.id)
    if ops:
        st.caption(f"Planned times of {ui.esc(wo.rn)} in the current plan ({ui.esc(zone)})")
        ui.table(pd.DataFrame([{"seq": o.sequence, "operation": o.name, "work center": o.work_center,
                                    f"planned start ({zone})": o.planned_start,
                                    f"planned end ({zone})": o.planned_end}
                                   for o in ops]), hide_index=True, width="stretch",
                     column_config={"seq": st.column_config.NumberColumn(format="%d")})

if can_edit:
    with st.expander("New work order"), st.form("wo_new", clear_on_submit=True):
        f = st.columns(3)
        rn = f[0].text_input("Work order number (RN)")
        kpl = f[1].text_input("Product code (KPL)")
        pname = f[2].text_input("Product name")
        g = st.columns(4)
        qty = g[0].number_input("Quantity", min_value=1, value=1)
        prio = g[1].selectbox("Priority (1 high … 3 low)", [1, 2, 3], index=2)
        today = planning.planning_now(engine, user=user).date()  # the plant's date
        asm = g[2].date_input("Assembly date", value=today)
        dlv = g[3].date_input("Delivery date", value=today)
        if st.form_submit_button("Create work order"):
            with ui.guarded("The work order was not created"):
                catalog.save_work_order(engine, user=user, rn=rn, kpl=kpl, product_name=pname,
                                        quantity=int(qty), priority_level=int(prio), assembly_date=asm,
                                        delivery_date=dlv)
                st.success(f"Work order {ui.esc(rn.strip())} created.")
