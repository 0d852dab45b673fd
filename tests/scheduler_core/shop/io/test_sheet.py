"""``Sheet``: header aliases, every problem of a row recorded once with what it spoils."""

from scheduler_core.shop.io import columns as c
from scheduler_core.shop.io.sheet import ORDER, Bad, Sheet
from scheduler_core.tabular import Row


def _rows(*rows):
    return [Row(k + 1, list(r)) for k, r in enumerate(rows)]


def test_problems_are_owned_by_the_row_item_and_recorded_once():
    problems, owners = [], {}
    sh = Sheet("operations", _rows(["Radni nalog", "Norma", "RC"], ["A", "x", ""], ["B", 5, "TOK"]),
               c.OP_ALIASES, problems, ("rn", "norma", "work_center"), owners)
    assert sh.ok and sh.column("norma") == "operations!Norma"
    (r, row) = sh.rows[0]
    sh.next_row()
    sh.own(ORDER, sh.get(r, row, "rn", c.text))
    sh.get(r, row, "norma", c.non_negative, 0)
    sh.get(r, row, "norma", c.non_negative, 0)  # the same problem twice is listed once
    sh.get(r, row, "work_center", c.text, required=True)
    try:
        sh.done()
        raise AssertionError("a bad row must raise")
    except Bad:
        pass
    assert [(p.row, p.column) for p in problems] == [(2, "operations!Norma"), (2, "operations!RC")]
    assert set(owners.values()) == {(ORDER, "A")}
    r, row = sh.rows[1]
    sh.next_row()
    sh.bad(r, "rn", "without owner")
    assert problems[-1] not in owners


def test_missing_required_column_is_a_file_problem():
    problems = []
    sh = Sheet("work_orders", _rows(["quantity"]), c.ORDER_ALIASES, problems, ("rn",))
    assert not sh.ok and problems[0].row is None and problems[0].column == "rn"
