"""Access checks at page level (AppTest, a fresh SQLite database per test).

* Every script in ``pages/`` run on its own (``AppTest.from_file``, as a direct URL would)
  without a logged-in session shows the login or nothing — no schedule, comparison,
  template, scenario or shop data — and raises nothing.
* User B typing user A's ids into the pages (query parameter / session state of the
  detail page, comparison, template and scenario selection) gets an error or their own
  data, never A's.
* A viewer sees no create/change/delete button on any page.

"Nothing private" is checked on the serialised page (every element's protobuf, tables
included), with a positive control: the same check finds the secrets on A's own pages.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from scheduler_core.filling import FillingConfig
from tests.pages import conftest as pc
from webapp import auth, ui
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs
from webapp.filling import templates as fill_templates
from webapp.shop import imports as shop_imports
from webapp.shop import scenarios as shop_scenarios

app_env, engine, user = pc.app_env, pc.engine, pc.user  # fixtures of tests/pages

PAGES = sorted(p.name for p in (pc.ROOT / "pages").glob("*.py"))
SECRET = "SECRET-A"
PROFILE_FORMS = {
    "FormSubmitter:pss_profile_form-Save profile",
    "FormSubmitter:pss_password_form-Change password",
}


def _blob(at: AppTest) -> bytes:
    """Everything the page sent to the browser (all element protos, serialised)."""
    out: list[bytes] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            out.append(proto.SerializeToString())
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return b"".join(out)


def _seed(engine, owner) -> dict[str, int]:
    """A's private data: a schedule, a comparison, a template, a shop scenario."""
    lots = ui.sample_lots()[:6]
    lots = [type(lot)(f"{SECRET}-{lot.lot_id}", lot.lot_type, lot.vials) for lot in lots]
    cfg = FillingConfig(start_time=datetime(2026, 12, 1, 6))
    sid = fill_runs.run_filling_schedule(engine, user=owner, name=f"{SECRET} schedule", lots=lots, config=replace(cfg, strategy="smart-pack"), file_name=f"{SECRET}.csv")
    cid = fill_runs.run_comparison(
        engine, user=owner, name=f"{SECRET} comparison", lots=lots, config=cfg,
        strategies=["smart-pack", "as-given"],
    )
    tid = fill_templates.create_template(
        engine, user=owner, name=f"{SECRET} template", config={"fill_rate_vph": 1234},
        description=f"{SECRET} description",
    )
    shop_imports.load_demo(engine, user=owner, orders=10, work_centers=3)
    scn = shop_scenarios.create_scenario(engine, user=owner, name=f"{SECRET} scenario")
    return {"schedule": sid, "comparison": cid, "template": tid, "scenario": scn}


def _as(who, page: str, query: dict[str, str] | None = None, **state) -> AppTest:
    """Run one page script directly (no navigation), logged in as ``who`` (or nobody)."""
    at = AppTest.from_file(str(pc.ROOT / "pages" / page), default_timeout=60)
    if who is not None:
        at.session_state["pss_user_id"] = who.id
        at.session_state["username"] = who.username
    for key, value in state.items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


# ---------------------------------------------------------------- no session


@pytest.mark.parametrize("page", PAGES)
def test_page_without_session_shows_login_or_nothing(engine, user, page):
    ids = _seed(engine, user)
    at = _as(None, page, query={"id": str(ids["schedule"])}, **{
        ui.DETAIL_KEY: ids["schedule"], ui.COMPARISON_KEY: ids["comparison"],
        "tpl_pick": ids["template"], "wi_sel": ids["scenario"],
    })
    pc.assert_ok(at)
    blob = _blob(at)
    assert SECRET.encode() not in blob
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    assert not at.get("download_button") and not at.get("file_uploader")
    buttons = {b.label for b in at.button}
    if page == "login.py":
        assert at.title[0].value == "Production Scheduling Studio"
        assert [t.label for t in at.text_input][:2] == ["Username", "Password"]
        assert buttons <= {"Log in", "Create account"}
    else:
        assert not buttons and not at.text_input and not at.selectbox
        assert [i.value for i in at.info] in ([], ["Please log in."])


def test_secret_check_finds_the_owners_own_data(engine, user):
    """Positive control: the owner's pages do contain the markers the checks look for."""
    ids = _seed(engine, user)
    for page, state in [
        ("schedule_detail.py", {ui.DETAIL_KEY: ids["schedule"]}),
        ("history.py", {}),
        ("dashboard.py", {}),
        ("compare.py", {}),
        ("templates.py", {}),
        ("shop_whatif.py", {}),
        ("filling_whatif.py", {ui.DETAIL_KEY: ids["schedule"]}),
    ]:
        at = pc.open_page(user, f"pages/{page}", **state)
        pc.assert_ok(at)
        assert SECRET.encode() in _blob(at), page


# ------------------------------------------------------------- another user's ids


def test_other_users_ids_reveal_nothing(engine, user):
    ids = _seed(engine, user)
    bert = pc.make_user(engine, "bert")  # another planner

    # detail page: the id as query parameter (a typed URL) and in the session state
    for query, state in [({"id": str(ids["schedule"])}, {}), (None, {ui.DETAIL_KEY: ids["schedule"]})]:
        at = _as(bert, "schedule_detail.py", query=query, **state)
        pc.assert_ok(at)
        assert any("does not exist or is not yours" in e.value for e in at.error)
        assert SECRET.encode() not in _blob(at)
        assert not at.metric and not at.get("download_button")
        assert not [b for b in at.button if b.key in ("detail_delete", "detail_rerun")]

    # the what-if of A's schedule: refused, nothing to edit or run
    at = _as(bert, "filling_whatif.py", query={"id": str(ids["schedule"])})
    pc.assert_ok(at)
    assert any("does not exist or is not yours" in e.value for e in at.error)
    assert SECRET.encode() not in _blob(at) and not at.button

    # the same through the app's navigation
    at = pc.open_page(bert, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: ids["schedule"]})
    pc.assert_ok(at)
    assert any("not yours" in e.value for e in at.error) and SECRET.encode() not in _blob(at)

    # comparison / template / scenario ids placed in the session: B's own (empty) lists
    at = pc.open_page(bert, "pages/compare.py", **{ui.COMPARISON_KEY: ids["comparison"]})
    pc.assert_ok(at)
    assert SECRET.encode() not in _blob(at)
    assert any("No comparisons yet" in i.value for i in at.info)

    at = pc.open_page(bert, "pages/templates.py", tpl_pick=ids["template"])
    pc.assert_ok(at)
    assert SECRET.encode() not in _blob(at)

    shop_imports.load_demo(engine, user=bert, orders=10, work_centers=3)  # his own shop
    at = pc.open_page(bert, "pages/shop_whatif.py", wi_sel=ids["scenario"])
    pc.assert_ok(at)
    assert SECRET.encode() not in _blob(at)
    assert any("No scenarios yet" in i.value for i in at.info), [i.value for i in at.info]

    for page in ("dashboard.py", "history.py"):
        at = pc.open_page(bert, f"pages/{page}")
        pc.assert_ok(at)
        assert SECRET.encode() not in _blob(at), page

    # the services behind those pages refuse the ids too
    assert fill_history.get_schedule(engine, user=bert, schedule_id=ids["schedule"]) is None
    assert fill_history.get_comparison(engine, user=bert, comparison_id=ids["comparison"]) is None
    assert fill_templates.get_template(engine, user=bert, template_id=ids["template"]) is None
    assert fill_history.delete_schedules(engine, user=bert, schedule_ids=[ids["schedule"]]) == 0
    assert fill_history.get_schedule(engine, user=user, schedule_id=ids["schedule"]) is not None


# ------------------------------------------------------------------- viewer role


def test_viewer_sees_no_create_or_delete_buttons(engine, user):
    vera = pc.make_user(engine, "vera")
    # vera's own data, made while she was a planner (so the pages have something to offer)
    lots = ui.sample_lots()[:6]
    cfg = FillingConfig(start_time=datetime(2026, 12, 1, 6))
    sid = fill_runs.run_filling_schedule(engine, user=vera, name="v", lots=lots, config=replace(cfg, strategy="smart-pack"))
    fill_runs.run_comparison(engine, user=vera, name="vc", lots=lots, config=cfg,
                            strategies=["smart-pack", "as-given"])
    fill_templates.create_template(engine, user=vera, name="vt", config={"fill_rate_vph": 1000})
    shop_imports.load_demo(engine, user=vera, orders=10, work_centers=3)
    shop_scenarios.create_scenario(engine, user=vera, name="vs")
    auth.set_role(engine, acting_user=user, user_id=vera.id, role="viewer")

    # reading only: validate a YAML text, open a schedule, the viewer's own profile
    allowed = {"tpl_validate", "dash_open", "hist_open", "cmp_open_left", *PROFILE_FORMS}
    seen = {}
    for page in PAGES:
        if page in ("login.py", "admin_users.py"):
            continue
        at = pc.open_page(vera, f"pages/{page}", **{ui.DETAIL_KEY: sid})
        pc.assert_ok(at)
        keys = {b.key for b in at.button}
        assert keys <= allowed, (page, keys - allowed)
        seen[page] = at
    assert any("Viewers" in w.value for w in seen["new_schedule.py"].warning)
    assert not seen["new_schedule.py"].file_uploader
    # still a reader: her schedules, templates and the shop are shown
    assert seen["schedule_detail.py"].metric
    assert seen["history.py"].dataframe and seen["templates.py"].dataframe
    assert seen["shop_board.py"].title[0].value == "Scheduling board"
    assert seen["shop_work_orders.py"].dataframe  # the shop's work orders, read-only
    assert not seen["templates.py"].text_area or all(
        t.key is None or not t.key.startswith("tpl_edit") for t in seen["templates.py"].text_area
    )
    # admin page: not in a viewer's navigation; run directly it refuses
    at = _as(vera, "admin_users.py")
    pc.assert_ok(at)
    assert any("Only administrators" in e.value for e in at.error) and not at.dataframe
