"""Config templates: create, validate (every problem), default, share, duplicate, delete."""

from __future__ import annotations

import json

from tests.pages.conftest import assert_ok, make_user, open_page
from webapp import ui
from webapp.filling import templates as fill_templates


def test_create_template_and_make_default(engine, user):
    at = open_page(user, ui.PAGE_TEMPLATES)
    assert_ok(at)
    assert any("No templates yet" in i.value for i in at.info)
    at.text_input(key="tpl_new_name").input("Night shift")
    at.text_area(key="tpl_new_desc").input("slow <line>")
    at.radio(key="tpl_new_cfg_source").set_value("Form").run()
    at.number_input(key="tpl_new_cfg_form_clean_hours").set_value(12.0)
    at.checkbox(key="tpl_new_default").check()
    at.button(key="tpl_create").click().run()
    assert_ok(at)
    page = fill_templates.list_templates(engine, user=user)
    assert [t.name for t in page.items] == ["Night shift"]
    template = page.items[0]
    assert template.config["clean_hours"] == 12 and template.is_default
    assert template.description == "slow <line>"
    assert at.dataframe[0].value["name"].tolist() == ["Night shift"]
    assert at.dataframe[0].value["updated"].iloc[0] == ui.plant_stamp(template.updated_at, "UTC")
    assert json.loads(at.dataframe[0].proto.columns)["updated"]["label"] == "updated (UTC)"

    # New schedule preselects the default template
    lots = ui.sample_lots()
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": lots, "file_name": "d"}})
    assert_ok(at)
    assert at.radio(key="new_cfg_source").value == "Template"
    assert at.selectbox(key="new_cfg_template").value == template.id
    assert at.number_input(key=f"new_cfg_t{template.id}_clean_hours").value == 12.0


def test_duplicate_name_is_refused(engine, user):
    fill_templates.create_template(engine, user=user, name="A", config={})
    at = open_page(user, ui.PAGE_TEMPLATES)
    at.text_input(key="tpl_new_name").input("A")
    at.button(key="tpl_create").click().run()
    assert_ok(at)
    assert any("already have a template" in e.value for e in at.error)


def test_validate_shows_every_problem(user):
    at = open_page(user, ui.PAGE_TEMPLATES)
    at.text_area(key="tpl_validate_text").input("fill_rate_vph: -1\nclean_hours: x\nfoo: 2\n")
    at.button(key="tpl_validate").click().run()
    assert_ok(at)
    assert any("3 problems" in e.value for e in at.error)
    at.text_area(key="tpl_validate_text").input("fill_rate_vph: 10000\n")
    at.button(key="tpl_validate").click().run()
    assert any("valid" in s.value for s in at.success)


def test_edit_share_default_duplicate_delete(engine, user):
    tid = fill_templates.create_template(engine, user=user, name="Base", config={"clean_hours": 20})
    at = open_page(user, ui.PAGE_TEMPLATES)
    at.text_area(key=f"tpl_edit_cfg_{tid}").input("clean_hours: -5\nwindow_hours: 0\n")
    at.button(key="tpl_save").click().run()
    assert_ok(at)
    assert any("2 problems" in e.value for e in at.error)
    at.text_area(key=f"tpl_edit_cfg_{tid}").input("clean_hours: 30\n")
    at.button(key="tpl_save").click().run()
    assert_ok(at)
    assert fill_templates.get_template(engine, user=user, template_id=tid).config["clean_hours"] == 30
    at.toggle(key=f"tpl_share_{tid}").set_value(True).run()
    assert_ok(at)
    assert fill_templates.get_template(engine, user=user, template_id=tid).is_shared
    at.button(key="tpl_default").click().run()
    assert fill_templates.get_default_template(engine, user=user).id == tid
    at.button(key="tpl_duplicate").click().run()
    assert_ok(at)
    names = sorted(t.name for t in fill_templates.list_templates(engine, user=user).items)
    assert names == ["Base", "Base (copy)"]

    # another user sees the shared template read-only and can duplicate it
    other = make_user(engine, "bert")
    at = open_page(other, ui.PAGE_TEMPLATES)
    assert_ok(at)
    assert at.dataframe[0].value["name"].tolist() == ["Base"]
    assert not [b for b in at.button if b.key == "tpl_save"]
    assert at.code
    at.button(key="tpl_duplicate").click().run()
    assert [t.name for t in fill_templates.list_templates(engine, user=other, only_own=True).items] == [
        "Base (copy)"
    ]

    at = open_page(user, ui.PAGE_TEMPLATES)
    at.button(key="tpl_delete").click().run()
    assert_ok(at)
    assert fill_templates.get_template(engine, user=user, template_id=tid) is None


def test_template_matrix_typed_in_the_grid_over_named_types(engine, user):
    at = open_page(user, ui.PAGE_TEMPLATES)
    at.text_input(key="tpl_new_name").input("Matrix")
    at.radio(key="tpl_new_cfg_source").set_value("Form").run()
    assert any("No lot types yet" in c.value for c in at.caption)  # no lots on this page
    at.text_input(key="tpl_new_cfg_form_matrix_extra").input("Beta, Alpha").run()
    assert_ok(at)
    grid = at.data_editor(key="tpl_new_cfg_form_matrix_grid").value
    assert list(grid.index) == ["Alpha", "Beta"] and list(grid.columns) == ["Alpha", "Beta"]
    at.session_state["tpl_new_cfg_form_matrix_grid"] = {
        "edited_rows": {1: {"Alpha": 6.0}}, "added_rows": [], "deleted_rows": [],
    }
    at.run()
    at.button(key="tpl_create").click().run()
    assert_ok(at)
    template = fill_templates.list_templates(engine, user=user).items[0]
    assert template.config["changeover_matrix"] == {"Beta": {"Alpha": 6.0}}


def test_objective_chosen_in_the_form_is_stored_and_listed(engine, user):
    at = open_page(user, ui.PAGE_TEMPLATES)
    at.text_input(key="tpl_new_name").input("Due first")
    at.radio(key="tpl_new_cfg_source").set_value("Form").run()
    at.selectbox(key="tpl_new_cfg_form_objective").set_value("due").run()
    at.button(key="tpl_create").click().run()
    assert_ok(at)
    template = fill_templates.list_templates(engine, user=user).items[0]
    assert template.config["objective"] == "due"
    assert at.dataframe[0].value["objective"].tolist() == ["due"]
    # New schedule with that template preselects its objective
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": ui.sample_lots(), "file_name": "d"}})
    at.radio(key="new_cfg_source").set_value("Template").run()
    assert at.selectbox(key=f"new_cfg_t{template.id}_objective").value == "due"
