"""Products & plants: the shop's plants, product types and products — listed, created,
changed and deleted (master data, saved at once; a deletion asks first and says what goes
with it)."""

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.shop import master_data
from webapp.ui import change_set, master_forms

engine = ui.get_engine()
user = ui.require_user()
can_edit = can_create(user)
NEW = 0  # the "new …" choice of the select boxes

st.title("Products & plants")
change_set.show_flash()

tab_products, tab_types, tab_plants = st.tabs(["Products", "Product types", "Plants"])

with tab_products:
    products = master_data.list_products(engine, user=user)
    types = master_data.list_product_types(engine, user=user)
    ui.table(pd.DataFrame([{"code (KPL)": p.kpl, "name": p.name, "type": p.type_code, "active": p.is_active}
                               for p in products], columns=["code (KPL)", "name", "type", "active"]),
                 hide_index=True, width="stretch")
    if can_edit:
        products_by_id = {p.id: p for p in products}
        chosen = st.selectbox("Product", [NEW, *products_by_id], key="pp_product",
                              format_func=lambda i: "New product" if i == NEW else products_by_id[i].kpl)
        p = products_by_id.get(chosen)
        type_codes = ["", *(t.type_code for t in types)]
        with st.form(f"pp_product_form_{chosen}"):
            c = st.columns(4)
            kpl = c[0].text_input("Code (KPL)", value=p.kpl if p else "")
            name = c[1].text_input("Name", value=p.name if p else "")
            ptype = c[2].selectbox("Type", type_codes, index=type_codes.index(p.type_code) if p else 0,
                                   format_func=lambda t: t or "(none)")
            active = c[3].toggle("Active", value=p.is_active if p else True)
            if st.form_submit_button("Save product"):
                with ui.guarded("The product was not saved"):
                    master_data.save_product(engine, user=user, product_id=p.id if p else None, kpl=kpl, name=name,
                                             type_code=ptype, is_active=active)
                    change_set.flash(f"Product {kpl.strip()} saved.")
                    st.rerun()
        if p:
            master_forms.confirm_delete(
                "pp_product_delete", f"Delete product {p.kpl}…",
                lambda: master_data.product_impact(engine, user=user, product_id=p.id),
                lambda: master_data.delete_product(engine, user=user, product_id=p.id), f"Product {p.kpl} deleted.")

with tab_types:
    ui.table(pd.DataFrame([{"code": t.type_code, "name": t.type_name, "description": t.description,
                                "sort order": t.sort_order} for t in types],
                              columns=["code", "name", "description", "sort order"]),
                 hide_index=True, width="stretch",
                 column_config={"sort order": st.column_config.NumberColumn(format="%d")})
    if can_edit:
        types_by_id = {t.id: t for t in types}
        chosen = st.selectbox("Product type", [NEW, *types_by_id], key="pp_type",
                              format_func=lambda i: "New product type" if i == NEW else types_by_id[i].type_code)
        t = types_by_id.get(chosen)
        with st.form(f"pp_type_form_{chosen}"):
            c = st.columns(3)
            code = c[0].text_input("Type code", value=t.type_code if t else "")
            name = c[1].text_input("Name", value=t.type_name if t else "")
            order = c[2].number_input("Sort order", value=t.sort_order if t else 0, step=1)
            description = st.text_area("Description", value=t.description if t else "")
            if st.form_submit_button("Save product type"):
                with ui.guarded("The product type was not saved"):
                    master_data.save_product_type(engine, user=user, type_id=t.id if t else None, type_code=code,
                                                  type_name=name, description=description, sort_order=int(order))
                    change_set.flash(f"Product type {code.strip()} saved.")
                    st.rerun()
        if t:
            master_forms.confirm_delete(
                "pp_type_delete", f"Delete product type {t.type_code}…",
                lambda: master_data.product_type_impact(engine, user=user, type_id=t.id),
                lambda: master_data.delete_product_type(engine, user=user, type_id=t.id),
                f"Product type {t.type_code} deleted.")

with tab_plants:
    plants = master_data.list_plants(engine, user=user)
    ui.table(pd.DataFrame([{"code": p.code, "name": p.name, "location": p.location, "active": p.is_active,
                                "main plant": p.main, "time zone": p.time_zone or ""} for p in plants],
                              columns=["code", "name", "location", "active", "main plant", "time zone"]),
                 hide_index=True, width="stretch")
    st.caption("The main plant's time zone is set on the Machines page; plans use it.")
    if can_edit:
        plants_by_id = {p.id: p for p in plants}
        chosen = st.selectbox("Plant", [NEW, *plants_by_id], key="pp_plant",
                              format_func=lambda i: "New plant" if i == NEW else plants_by_id[i].code)
        pl = plants_by_id.get(chosen)
        with st.form(f"pp_plant_form_{chosen}"):
            c = st.columns(4)
            code = c[0].text_input("Plant code", value=pl.code if pl else "")
            name = c[1].text_input("Name", value=pl.name if pl else "")
            location = c[2].text_input("Location", value=pl.location if pl else "")
            active = c[3].toggle("Active", value=pl.is_active if pl else True)
            if st.form_submit_button("Save plant"):
                with ui.guarded("The plant was not saved"):
                    master_data.save_plant(engine, user=user, plant_id=pl.id if pl else None, code=code, name=name,
                                           location=location, is_active=active)
                    change_set.flash(f"Plant {code.strip()} saved.")
                    st.rerun()
        if pl:
            master_forms.confirm_delete(
                "pp_plant_delete", f"Delete plant {pl.code}…",
                lambda: master_data.plant_impact(engine, user=user, plant_id=pl.id),
                lambda: master_data.delete_plant(engine, user=user, plant_id=pl.id), f"Plant {pl.code} deleted.")
