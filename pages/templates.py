"""Config templates: list (own + shared), create, edit, validate, duplicate, delete, set
default, share (others' shared templates are read-only)."""

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.filling import runs, templates

engine = ui.get_engine()
user = ui.require_user()
zone = runs.plant_zone(engine, user=user)
can_edit = can_create(user)

st.title("Config templates")
st.caption(
    "A template is a named line configuration. Your default template is preselected on "
    "New schedule. Shared templates are visible (read-only) to every user."
)


page = templates.list_templates(engine, user=user, limit=200)
if page.items:
    ui.table(
        pd.DataFrame(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "mine": t.owner_id == user.id,
                    "default": bool(t.is_default and t.owner_id == user.id),
                    "shared": t.is_shared,
                    "objective": t.config.get("objective", "makespan"),
                    "description": t.description,
                    "updated": ui.plant_stamp(t.updated_at, zone),
                }
                for t in page.items
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={"updated": ui.time_column("updated", zone)},
    )
else:
    st.info("No templates yet. Create your first one below.")

tab_create, tab_manage, tab_validate = st.tabs(["Create", "Open / edit", "Validate"])

with tab_create:
    if not can_edit:
        st.info("Viewers cannot create templates.")
    else:
        new_name = st.text_input("Name", key="tpl_new_name", max_chars=255)
        new_desc = st.text_area("Description", key="tpl_new_desc", height=68)
        new_cfg = ui.config_editor(user, key="tpl_new_cfg")
        c1, c2 = st.columns(2)
        new_shared = c1.checkbox("Share with all users", key="tpl_new_shared")
        new_default = c2.checkbox("Make it my default", key="tpl_new_default")
        if st.button("Create template", type="primary", key="tpl_create", disabled=new_cfg is None):
            with ui.guarded("The template was not saved"):
                tid = templates.create_template(
                    engine, user=user, name=new_name, config=new_cfg, description=new_desc,
                    is_shared=new_shared, is_default=new_default,
                )
                st.success(f"Template #{tid} saved.")
                st.rerun()

with tab_manage:
    if not page.items:
        st.info("Nothing to open yet.")
    else:
        by_id = {t.id: t for t in page.items}
        tid = st.selectbox(
            "Template",
            list(by_id),
            format_func=lambda i: by_id[i].name + ("" if by_id[i].owner_id == user.id else " (shared, read-only)"),
            key="tpl_pick",
        )
        tpl = by_id[tid]
        mine = tpl.owner_id == user.id and can_edit
        if not mine:
            st.text(tpl.description or "")
            st.code(templates.config_text(tpl.config), language="yaml")
        else:
            name = st.text_input("Name", value=tpl.name, key=f"tpl_edit_name_{tid}")
            desc = st.text_area("Description", value=tpl.description, key=f"tpl_edit_desc_{tid}")
            text = st.text_area(
                "Configuration (YAML or JSON)", value=templates.config_text(tpl.config), height=220, key=f"tpl_edit_cfg_{tid}"
            )
            if st.button("Save changes", type="primary", key="tpl_save"):
                with ui.guarded("The template was not saved"):
                    templates.update_template(
                        engine, user=user, template_id=tid, name=name, description=desc, config=text
                    )
                    st.success("Saved.")
                    st.rerun()
            c1, c2, c3 = st.columns(3)
            shared = c1.toggle("Shared with all users", value=tpl.is_shared, key=f"tpl_share_{tid}")
            if shared != tpl.is_shared:
                templates.share_template(engine, user=user, template_id=tid, shared=shared)
                st.rerun()
            if tpl.is_default:
                if c2.button("Clear default", key="tpl_clear_default"):
                    templates.set_default_template(engine, user=user, template_id=None)
                    st.rerun()
            elif c2.button("Set as default", key="tpl_default"):
                templates.set_default_template(engine, user=user, template_id=tid)
                st.rerun()
            with c3.popover("Delete"):
                st.write("Delete this template?")
                if st.button("Yes, delete", key="tpl_delete"):
                    templates.delete_template(engine, user=user, template_id=tid)
                    st.rerun()
        if can_edit and st.button("Duplicate", key="tpl_duplicate"):
            with ui.guarded("The template was not copied"):
                new_id = templates.duplicate_template(engine, user=user, template_id=tid)
                st.success(f"Copied as template #{new_id}.")
                st.rerun()

with tab_validate:
    st.write("Paste a configuration (YAML or JSON) to check it without saving.")
    text = st.text_area(
        "Configuration", value=templates.config_text({"fill_rate_vph": 19920, "clean_hours": 24}), height=200, key="tpl_validate_text"
    )
    if st.button("Validate", key="tpl_validate"):
        with ui.guarded("The configuration has problems"):
            config = templates.validate_template_config(text)
            st.success("The configuration is valid.")
            st.code(templates.config_text(config), language="yaml")
