"""The filling palette: a type's colour follows its name, two types of a schedule differ."""

from scheduler_core.reports.palette import CHANGEOVER_COLOUR, CLEAN_COLOUR, PALETTE, rgb, type_colours


def test_a_type_keeps_its_colour_across_schedules_without_a_clash():
    alone = type_colours(["VAX-B"])["VAX-B"]
    assert type_colours(["MAB-A", "VAX-B", "INS-C"])["VAX-B"] == alone
    assert type_colours(["INS-C", "VAX-B"]) == type_colours(["VAX-B", "INS-C", "VAX-B"])


def test_types_of_one_schedule_never_share_a_colour_while_colours_are_left():
    types = [f"T{i}" for i in range(len(PALETTE))]
    assert len(set(type_colours(types).values())) == len(PALETTE)
    assert len(type_colours([*types, "ONE-MORE"])) == len(PALETTE) + 1  # then colours repeat


def test_fixed_colours_and_rgb():
    assert CLEAN_COLOUR not in PALETTE and CHANGEOVER_COLOUR not in PALETTE
    assert rgb("#1f77b4") == (31, 119, 180)
