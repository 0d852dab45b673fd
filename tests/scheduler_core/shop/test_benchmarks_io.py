import pytest

from scheduler_core.errors import InputError
from scheduler_core.shop.benchmarks_io import ORIGIN, minutes, read_jsp, read_wt


def test_read_wt_maps_jobs_to_orders(data_dir):
    problem = read_wt(data_dir / "wt40_001.csv")
    assert len(problem.work_orders) == 40 and len(problem.operations) == 40
    assert [w.code for w in problem.work_centers] == ["M"]
    assert problem.work_centers[0].calendar.always_working
    first = problem.work_orders[0]
    assert first.rn == "1" and first.tardiness_weight == 1
    assert minutes(first.due()) == 1588
    assert problem.operations[0].remaining_minutes == 26
    assert problem.start == ORIGIN


def test_read_wt_reports_every_bad_row():
    text = b"job,processing_time,weight,due_date\n1,5,1,10\n2,x,1,3\n3,4,0,2\n1,2,2,2\n4,1.5,1,1\n"
    with pytest.raises(InputError) as err:
        read_wt(text)
    got = {(p.row, p.column) for p in err.value.problems}
    assert got == {(3, "processing_time"), (4, "weight"), (5, "job"), (6, "processing_time")}


def test_read_wt_missing_column_and_empty():
    with pytest.raises(InputError, match="due_date"):
        read_wt(b"job,processing_time,weight\n1,2,3\n")
    with pytest.raises(InputError, match="empty"):
        read_wt(b"")


def test_read_jsp_standard_format(data_dir):
    problem = read_jsp(data_dir / "ft06.txt")
    assert len(problem.work_centers) == 6 and len(problem.work_orders) == 6
    ops = [o for o in problem.operations if o.rn == "J0"]
    assert [(o.work_center, o.norma) for o in ops][:3] == [("M2", 1), ("M0", 3), ("M1", 6)]
    assert [o.sequence for o in ops] == [1, 2, 3, 4, 5, 6]


def test_read_jsp_taillard_layout():
    text = b"2 2\n3 4\n5 6\n1 2\n2 1\n"
    problem = read_jsp(text)
    j1 = [(o.work_center, o.norma) for o in problem.operations if o.rn == "J1"]
    assert j1 == [("M1", 5), ("M0", 6)]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (b"", "empty"),
        (b"x y\n", "first line"),
        (b"2 2\n0 1 1 2\n", "expected 2 job lines"),
        (b"1 2\n0 1 5 2\n", "outside"),
        (b"1 2\n0 a 1 2\n", "whole numbers"),
        (b"1 2\n0 1 1\n", "machine time pairs"),
    ],
)
def test_read_jsp_errors(text, match):
    with pytest.raises(InputError, match=match):
        read_jsp(text)
