"""Every file of the bad-input corpus (tests/data/bad) gives its expected outcome.

A refused file raises ``InputError`` (never another exception) whose first problem carries
the expected reason, row and column (``expected.yaml``); an accepted file gives the expected
lots. The 1,000,000-row and 60 MB files are generated into ``tmp_path`` here and must be
refused by the row/size limits. Time is only guarded generously (pytest-timeout), never
asserted.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from scheduler_core import tabular
from scheduler_core.errors import InputError
from scheduler_core.filling import io_config, io_lots
from scheduler_core.filling.io_config import parse_config
from scheduler_core.filling.io_lots import parse_lots
from scheduler_core.filling.model import FillingConfig
from scheduler_core.shop.io import read_workbook

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
PARSERS = {"lots": parse_lots, "config": parse_config, "shop": read_workbook}
CORPUS = sorted(p.name for p in BAD.iterdir() if p.name not in ("expected.yaml", "make_corpus.py"))

pytestmark = pytest.mark.timeout(30)


def test_corpus_is_complete():
    assert len(CORPUS) >= 40
    assert sorted(EXPECTED) == CORPUS, "every corpus file needs an entry in expected.yaml"


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_file(name):
    spec = EXPECTED[name]
    parse = PARSERS[spec["parser"]]
    path = BAD / name
    if "accept" in spec:
        result = parse(path)
        if spec["parser"] == "lots":
            assert len(result) == spec["accept"]
            if "ids" in spec:
                ids = [lot.lot_id for lot in result]
                assert all(i in ids for i in spec["ids"]), ids
            for lot in result:  # control characters never survive into ids/types
                assert not any(ord(c) < 0x20 and c not in "\n" for c in lot.lot_id + lot.lot_type)
        elif spec["parser"] == "config":
            assert isinstance(result, FillingConfig)
        return
    try:
        parse(path)
    except InputError as exc:
        error = exc
    else:
        pytest.fail(f"{name} was accepted; expected an error containing {spec['error']!r}")
    first = error.problems[0]
    assert spec["error"] in first.reason, str(error)
    assert first.row == spec.get("row"), str(error)
    assert first.column == spec.get("column"), str(error)
    assert error.source == name  # the message names the file
    if "problems" in spec:
        assert len(error.problems) == spec["problems"]


@pytest.mark.parametrize("name", [n for n in CORPUS if EXPECTED[n]["parser"] == "lots"])
def test_lot_files_same_outcome_from_bytes_and_file_objects(name):
    """The app passes uploads as bytes (plus the file name): same outcome as from a path."""
    data = (BAD / name).read_bytes()

    def outcome(source):
        try:
            return [lot.lot_id for lot in parse_lots(source, filename=name)]
        except InputError as exc:
            return [str(p) for p in exc.problems]

    expected = outcome(BAD / name)
    assert outcome(data) == expected
    assert outcome(io.BytesIO(data)) == expected


# ------------------------------------------------------------------ generated giants


def _expect_refused(source, reason: str, filename: str = "big.csv") -> InputError:
    with pytest.raises(InputError) as info:
        parse_lots(source, filename=filename)
    assert reason in str(info.value)
    return info.value


def test_million_rows_refused_by_row_limit(tmp_path):
    path = tmp_path / "million.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Lot ID,Type,Vials\n")
        fh.writelines(f"L{i},T{i % 7},{1000 + i % 500}\n" for i in range(1_000_000))
    assert path.stat().st_size < tabular.MAX_FILE_BYTES  # the row limit, not the size, refuses it
    _expect_refused(path, f"at most {io_lots.MAX_LOTS} are accepted")
    _expect_refused(path.read_bytes(), f"at most {io_lots.MAX_LOTS} are accepted")


def test_sixty_megabytes_refused_by_size_limit(tmp_path):
    path = tmp_path / "sixty.csv"
    line = b"L000000001,TYPE-A,1000," + b"x" * 40 + b"\n"
    with path.open("wb") as fh:
        fh.write(b"Lot ID,Type,Vials,Note\n")
        block = line * 10_000
        while fh.tell() < 60 * 1024 * 1024:
            fh.write(block)
    _expect_refused(path, "MB; the limit is")  # from the size on disk, nothing read
    with path.open("rb") as fh:  # an upload stream: reading stops just past the limit
        _expect_refused(fh, "MB; the limit is")
    _expect_refused(path, "MB; the limit is", filename="sixty.xlsx")


def test_row_limit_counts_lots_not_blank_lines():
    rows = "Lot ID,Type,Vials\n" + "\n" * 50_000 + "L1,A,5\n"
    assert len(parse_lots(rows.encode(), filename="blank.csv")) == 1


def test_exactly_max_lots_accepted(monkeypatch):
    monkeypatch.setattr(io_lots, "MAX_LOTS", 50)
    body = "Lot ID,Type,Vials\n" + "".join(f"L{i},A,5\n" for i in range(50))
    assert len(parse_lots(body.encode(), filename="ok.csv")) == 50
    with pytest.raises(InputError, match="at most 50"):
        parse_lots((body + "L50,A,5\n").encode(), filename="big.csv")


def test_config_size_limit():
    data = b"# " + b"x" * (io_config.MAX_CONFIG_BYTES + 10) + b"\n"
    with pytest.raises(InputError, match="config file larger than"):
        parse_config(data, filename="big.yaml")


def test_shop_size_limit(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="the limit is"):
        read_workbook(b"rn,work_center,norma\n" + b"R1,A,5\n" * 50, filename="big.csv")
