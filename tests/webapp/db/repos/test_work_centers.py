"""Work center repository on SQLite and Postgres: work centers, categories, calendar
exceptions, downtime."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos.base import DuplicateName, NotFound


def test_calendar_downtime_and_clear(engine, alice, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        wc = work_center_repo.create_work_center(s, organisation_id=a, code="GLO-1")
        work_center_repo.set_calendar_exception(s, organisation_id=a, work_center_id=wc.id, day=date(2026, 1, 1),
                                                shift="S1", working=False)
        work_center_repo.set_calendar_exception(s, organisation_id=a, work_center_id=wc.id, day=date(2026, 1, 1),
                                                shift="S1", working=True)
        work_center_repo.add_downtime(s, organisation_id=a, work_center_id=wc.id, start_at=datetime(2026, 1, 2, 8),
                                      end_at=datetime(2026, 1, 2, 12), reason="breakdown")
        with pytest.raises(ValueError):
            work_center_repo.add_downtime(s, organisation_id=a, work_center_id=wc.id, start_at=datetime(2026, 1, 2, 8),
                                          end_at=datetime(2026, 1, 2, 8))
    with session_scope(engine) as s:
        exc = work_center_repo.list_calendar_exceptions(s, organisation_id=a)
        assert [(x.shift, x.working) for x in exc] == [("S1", True)]
        assert len(work_center_repo.list_downtimes(s, organisation_id=a)) == 1
        organisation_repo.clear_shop(s, organisation_id=a)
    with session_scope(engine) as s:
        assert work_center_repo.list_work_centers(s, organisation_id=a) == []
        assert work_center_repo.list_downtimes(s, organisation_id=a) == []



def test_work_center_crud_and_lookup(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        wc = work_center_repo.create_work_center(s, organisation_id=a, code="FRE-1", name="Mill",
                                                 capacity_hours_per_day=16.0)
        assert wc.plant_id == organisation_repo.main_plant(s, organisation_id=a).id
        work_center_repo.create_work_center(s, organisation_id=a, code="ABC-1")
        with pytest.raises(ValueError):
            work_center_repo.create_work_center(s, organisation_id=a, code="X", organisation_id_x=1)
        with pytest.raises(ValueError):
            work_center_repo.create_work_center(s, organisation_id=a, code="X", created_at=None)
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        work_center_repo.create_work_center(s, organisation_id=a, code="FRE-1")
    with session_scope(engine) as s:
        assert [w.code for w in work_center_repo.list_work_centers(s, organisation_id=a)] == ["ABC-1", "FRE-1"]
        assert work_center_repo.get_work_center(s, organisation_id=a, code="FRE-1").id == wc.id
        assert work_center_repo.get_work_center(s, organisation_id=b, code="FRE-1") is None
        assert work_center_repo.require_work_center(s, organisation_id=a, work_center_id=wc.id).id == wc.id
        with pytest.raises(NotFound):
            work_center_repo.require_work_center(s, organisation_id=b, work_center_id=wc.id)
        updated = work_center_repo.update_work_center(s, organisation_id=a, work_center_id=wc.id, name="Big mill",
                                                      status="maintenance")
        assert (updated.name, updated.status, updated.capacity_hours_per_day) == ("Big mill", "maintenance", 16.0)
        with pytest.raises(ValueError):
            work_center_repo.update_work_center(s, organisation_id=a, work_center_id=wc.id, plant_id=None)
        with pytest.raises(NotFound):
            work_center_repo.update_work_center(s, organisation_id=b, work_center_id=wc.id, name="x")
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        work_center_repo.update_work_center(s, organisation_id=a, work_center_id=wc.id, code="ABC-1")
    with session_scope(engine) as s:
        assert work_center_repo.get_work_center(s, organisation_id=a, work_center_id=wc.id).name == "Big mill"


def test_categories(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        assert work_center_repo.category_id(s, organisation_id=a, code="  ") is None
        lathe = work_center_repo.category_id(s, organisation_id=a, code=" LATHE ")
        assert work_center_repo.category_id(s, organisation_id=a, code="LATHE") == lathe
        mill = work_center_repo.category_id(s, organisation_id=a, code="MILL")
        other = work_center_repo.category_id(s, organisation_id=b, code="LATHE")
    assert len({lathe, mill, other}) == 3
    with session_scope(engine) as s:
        assert work_center_repo.category_names(s, organisation_id=a) == {lathe: "LATHE", mill: "MILL"}
        assert work_center_repo.category_names(s, organisation_id=b) == {other: "LATHE"}


def test_delete_calendar_exception_and_downtime(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        w1 = work_center_repo.create_work_center(s, organisation_id=a, code="W1")
        w2 = work_center_repo.create_work_center(s, organisation_id=a, code="W2")
        x1 = work_center_repo.set_calendar_exception(s, organisation_id=a, work_center_id=w1.id,
                                                     day=date(2026, 1, 2), shift="S2", working=False, note="n" * 300)
        assert len(x1.note) == 200
        work_center_repo.set_calendar_exception(s, organisation_id=a, work_center_id=w2.id, day=date(2026, 1, 1),
                                                shift="S1", working=True)
        with pytest.raises(NotFound):
            work_center_repo.set_calendar_exception(s, organisation_id=b, work_center_id=w1.id,
                                                    day=date(2026, 1, 1), shift="S1", working=True)
        d1 = work_center_repo.add_downtime(s, organisation_id=a, work_center_id=w1.id,
                                           start_at=datetime(2026, 1, 3), end_at=datetime(2026, 1, 4))
        work_center_repo.add_downtime(s, organisation_id=a, work_center_id=w2.id,
                                      start_at=datetime(2026, 1, 1), end_at=datetime(2026, 1, 2))
    with session_scope(engine) as s:
        assert [x.work_center_id for x in work_center_repo.list_calendar_exceptions(s, organisation_id=a)] == [
            w2.id, w1.id]
        assert [x.id for x in work_center_repo.list_calendar_exceptions(
            s, organisation_id=a, work_center_id=w1.id)] == [x1.id]
        assert [d.work_center_id for d in work_center_repo.list_downtimes(s, organisation_id=a)] == [w2.id, w1.id]
        assert [d.id for d in work_center_repo.list_downtimes(s, organisation_id=a, work_center_id=w1.id)] == [d1.id]
        assert not work_center_repo.delete_calendar_exception(s, organisation_id=b, exception_id=x1.id)
        assert not work_center_repo.delete_downtime(s, organisation_id=b, downtime_id=d1.id)
        assert work_center_repo.delete_calendar_exception(s, organisation_id=a, exception_id=x1.id)
        assert work_center_repo.delete_downtime(s, organisation_id=a, downtime_id=d1.id)
        assert not work_center_repo.delete_calendar_exception(s, organisation_id=a, exception_id=x1.id)
        assert not work_center_repo.delete_downtime(s, organisation_id=a, downtime_id=d1.id)
    with session_scope(engine) as s:
        assert work_center_repo.list_calendar_exceptions(s, organisation_id=a, work_center_id=w1.id) == []
        assert work_center_repo.list_downtimes(s, organisation_id=a, work_center_id=w1.id) == []
        assert len(work_center_repo.list_downtimes(s, organisation_id=a)) == 1


def test_codes_are_unique_ignoring_case_and_spaces(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        lathe = work_center_repo.create_work_center(s, organisation_id=a, code="LATHE")
        work_center_repo.create_work_center(s, organisation_id=b, code="lathe")  # another organisation's
    with pytest.raises(DuplicateName, match="work center 'LATHE' already exists"), session_scope(engine) as s:
        work_center_repo.create_work_center(s, organisation_id=a, code=" lathe ")
    with session_scope(engine) as s:
        mill = work_center_repo.create_work_center(s, organisation_id=a, code="MILL")
        work_center_repo.update_work_center(s, organisation_id=a, work_center_id=lathe.id, code="Lathe")
    with pytest.raises(DuplicateName, match="work center 'Lathe' already exists"), session_scope(engine) as s:
        work_center_repo.update_work_center(s, organisation_id=a, work_center_id=mill.id, code="LATHE")
