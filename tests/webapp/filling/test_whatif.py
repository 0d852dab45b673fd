"""What-if on a stored schedule: edited lots read like an upload, re-planned without storing
anything, kept only on request as a new schedule; the original never changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pandas as pd
import pytest

from scheduler_core.errors import InputError
from tests.webapp.filling.conftest import CONFIG, LOTS, START, count_rows
from webapp import errors
from webapp.db.models import Schedule, ScheduleResultRow
from webapp.filling import history, whatif
from webapp.filling import runs as fill_runs


@pytest.fixture
def stored(engine, alice) -> int:
    return fill_runs.run_filling_schedule(engine, user=alice, name="Week 2", lots=LOTS,
                                          config=replace(CONFIG, strategy="smart-pack"), file_name="lots.csv")


def test_rows_round_trip_through_the_editor_form():
    rows = whatif.lots_rows(LOTS)
    assert list(rows[0]) == ["Lot ID", "Type", "Vials", "Priority", "Due", "Release"]
    frame = pd.DataFrame(rows)
    frame["Due"] = pd.to_datetime(frame["Due"])  # the editor's NaT / Timestamp / numpy cells
    frame["Release"] = pd.to_datetime(frame["Release"])
    assert whatif.lots_from_rows(frame.to_dict("records")) == [replace(lot, row=i) for i, lot in enumerate(LOTS, 1)]


def test_bad_rows_name_every_row_and_column_and_nothing_is_planned():
    rows = whatif.lots_rows(LOTS)
    rows[0]["Vials"] = 12.5
    rows[1]["Priority"] = 7
    rows[2]["Due"] = "next week"
    rows[3]["Lot ID"] = "001"
    rows.append({"Lot ID": None, "Type": None, "Vials": None})
    with pytest.raises(InputError) as caught:
        whatif.lots_from_rows(rows)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert {(1, "Vials"), (2, "Priority"), (3, "Due"), (4, "Lot ID"), (5, "Lot ID"), (5, "Type"),
            (5, "Vials")} <= where
    with pytest.raises(InputError, match="no lots"):
        whatif.lots_from_rows([])


def test_propose_stores_nothing_and_keep_stores_only_the_variant(engine, alice, stored):
    before = history.get_schedule(engine, user=alice, schedule_id=stored)
    schedules, results = count_rows(engine, Schedule), count_rows(engine, ScheduleResultRow)
    lots = list(LOTS)
    lots[0] = replace(lots[0], priority=1, due=START + timedelta(hours=30))
    del lots[1]
    fractions = []
    proposal = whatif.propose(engine, user=alice, schedule_id=stored, lots=lots,
                              config={**before.schedule.config, "strategy": "best", "objective": "due",
                                      "time_limit_s": 1},
                              progress=lambda f, m: fractions.append(f))
    assert fractions and fractions[-1] == pytest.approx(1.0)
    assert (count_rows(engine, Schedule), count_rows(engine, ScheduleResultRow)) == (schedules, results)
    assert proposal.after.start == proposal.before.start == START  # one clock for both plans
    assert proposal.after.config.objective == "due" and proposal.after.strategy == "best"
    changes = {c.lot_id: c for c in proposal.changes}
    assert changes["002"].status == "removed"
    assert changes["001"].after.lateness_h is not None and changes["001"].before.lateness_h is None
    assert [d.key for d in proposal.deltas][0] == "makespan_h"
    table = whatif.lot_table(proposal)
    assert table[0]["lot"] == "002" and table[0]["change"] == "removed" and table[0]["block after"] is None

    new_id = whatif.keep(engine, user=alice, proposal=proposal, name="")
    assert count_rows(engine, Schedule) == schedules + 1
    kept = history.get_schedule(engine, user=alice, schedule_id=new_id)
    assert kept.schedule.name == "Week 2 · what-if" and kept.schedule.status == "completed"
    assert kept.result.activities == proposal.after.activities and kept.result.kpis == proposal.after.kpis
    assert kept.result.lots == tuple(proposal.lots) and kept.schedule.file_name == "lots.csv"
    again = history.get_schedule(engine, user=alice, schedule_id=stored)  # the original as it was
    assert again.schedule == before.schedule and again.result == before.result


def test_without_a_start_the_original_start_is_kept(engine, alice, stored):
    proposal = whatif.propose(engine, user=alice, schedule_id=stored, lots=LOTS[:2],
                              config={"strategy": "lpt-pack"})
    assert proposal.after.start == START and {c.status for c in proposal.changes} >= {"removed"}


def test_refusals_before_planning(engine, alice, bob, stored):
    with pytest.raises(errors.NotFound):
        whatif.original(engine, user=bob, schedule_id=stored)
    too_long = [replace(LOTS[0], vials=19920 * 500, row=1)]
    with pytest.raises(InputError) as caught:
        whatif.propose(engine, user=alice, schedule_id=stored, lots=too_long, config={"strategy": "lpt-pack"})
    assert (caught.value.problems[0].row, caught.value.problems[0].column) == (1, "Vials")
    with pytest.raises(InputError):
        whatif.propose(engine, user=alice, schedule_id=stored, lots=LOTS, config={"objective": "cheapest"})
    with pytest.raises(errors.NotFound):  # another user's schedule: no what-if of it
        whatif.propose(engine, user=bob, schedule_id=stored, lots=LOTS, config={})


def test_a_release_after_the_due_date_is_a_warning(engine, alice, stored):
    lots = [replace(LOTS[0], due=datetime(2030, 1, 8), release=datetime(2030, 1, 9)), *LOTS[1:]]
    proposal = whatif.propose(engine, user=alice, schedule_id=stored, lots=lots, config={"strategy": "lpt-pack"})
    assert any("after it is due" in w for w in proposal.warnings)
