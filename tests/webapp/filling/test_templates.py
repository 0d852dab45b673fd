"""Config templates: validation, sharing, duplicates, defaults."""

from __future__ import annotations

import pytest

from scheduler_core.errors import InputError
from webapp import errors
from webapp.filling import templates as fill_templates


def test_templates_service(engine, alice, bob):
    tid = fill_templates.create_template(
        engine,
        user=alice,
        name="  Standard  ",
        config="clean_hours: 12\nwindow_hours: 100\n",
        description="our line",
        is_shared=True,
    )
    t = fill_templates.get_template(engine, user=alice, template_id=tid)
    assert t.name == "Standard" and t.config["clean_hours"] == 12
    assert fill_templates.template_config(t).window_hours == 100
    with pytest.raises(InputError) as bad:
        fill_templates.create_template(
            engine, user=alice, name="Bad", config={"clean_hours": -1, "nope": 2}
        )
    assert len(bad.value.problems) == 2
    with pytest.raises(InputError):
        fill_templates.create_template(engine, user=alice, name="   ", config={})
    with pytest.raises(errors.DuplicateName):
        fill_templates.create_template(engine, user=alice, name="Standard", config={})
    with pytest.raises(InputError):
        fill_templates.update_template(engine, user=alice, template_id=tid, config=b"window_hours: x")
    fill_templates.update_template(engine, user=alice, template_id=tid, config={"window_hours": 90})
    assert fill_templates.get_template(engine, user=alice, template_id=tid).config["window_hours"] == 90

    # bob can read and duplicate the shared template, not change it
    copy_id = fill_templates.duplicate_template(engine, user=bob, template_id=tid)
    copy = fill_templates.get_template(engine, user=bob, template_id=copy_id)
    assert copy.owner_id == bob.id and copy.name == "Standard (copy)" and not copy.is_shared
    copy2 = fill_templates.duplicate_template(engine, user=bob, template_id=tid)
    assert fill_templates.get_template(engine, user=bob, template_id=copy2).name == "Standard (copy) 2"
    with pytest.raises(errors.NotFound):
        fill_templates.update_template(engine, user=bob, template_id=tid, name="mine")

    fill_templates.set_default_template(engine, user=bob, template_id=copy_id)
    fill_templates.set_default_template(engine, user=bob, template_id=copy2)
    assert fill_templates.get_default_template(engine, user=bob).id == copy2
    fill_templates.share_template(engine, user=alice, template_id=tid, shared=False)
    assert fill_templates.get_template(engine, user=bob, template_id=tid) is None
    assert fill_templates.delete_template(engine, user=bob, template_id=copy_id)
    assert fill_templates.list_templates(engine, user=bob).total == 1


def test_config_text_keeps_key_order():
    text = fill_templates.config_text({"window_hours": 90, "clean_hours": 12})
    assert text.splitlines() == ["window_hours: 90", "clean_hours: 12"]
    assert fill_templates.validate_template_config(text) == {**fill_templates.default_config(), "window_hours": 90,
                                                             "clean_hours": 12}


def test_objective_is_kept_shown_and_validated(engine, alice):
    tid = fill_templates.create_template(engine, user=alice, name="Due first", config="objective: due\n")
    t = fill_templates.get_template(engine, user=alice, template_id=tid)
    assert t.config["objective"] == "due" and fill_templates.template_config(t).objective == "due"
    assert "objective: due" in fill_templates.config_text(t.config)
    assert fill_templates.default_config()["objective"] == "makespan"
    with pytest.raises(InputError) as bad:
        fill_templates.update_template(engine, user=alice, template_id=tid, config={"objective": "earliest"})
    assert [(p.column, "makespan, due" in p.reason) for p in bad.value.problems] == [("objective", True)]
    assert fill_templates.get_template(engine, user=alice, template_id=tid).config["objective"] == "due"
