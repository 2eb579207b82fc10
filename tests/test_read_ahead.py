"""Datasets read ahead (srb_eval.data.io.read_ahead): a later load of the same content
gets the same tables without reading again; anything that changes what a load would
give reads again."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

from srb_eval import DataValidationError, load_dataset
from srb_eval.data import io

from .conftest import DEMO, MINIMAL


@pytest.fixture(scope="module", autouse=True)
def _what_the_session_read_ahead_is_put_back():
    """After these tests, this test process holds again what it read ahead before them
    (tests/conftest.py, ``data_read_ahead``)."""
    before = [path for path in (DEMO, MINIMAL) if io.read_ahead_of(path)]
    yield
    for path in before:
        io.read_ahead(path)


@pytest.fixture(autouse=True)
def _nothing_read_ahead():
    """Each test starts, and leaves this test process, with nothing read ahead."""
    io.forget_read_ahead()
    yield
    io.forget_read_ahead()


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINIMAL, tmp_path / "minimal"))


def _same(a: io.Dataset, b: io.Dataset) -> None:
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert (a.source, dict(a.files)) == (b.source, dict(b.files))


def test_a_dataset_read_ahead_is_what_a_load_gives(minimal: Path, monkeypatch):
    assert io.read_ahead(minimal) and io.read_ahead_of(minimal)
    calls = []
    monkeypatch.setattr(io, "read", lambda src: calls.append(src) or pd.DataFrame())
    kept = load_dataset(minimal)
    assert calls == []  # no file read again
    monkeypatch.undo()
    io.forget_read_ahead()
    _same(kept, load_dataset(minimal))


def test_each_load_gets_tables_of_its_own(minimal: Path):
    io.read_ahead(minimal)
    first = load_dataset(minimal)
    first.learners["extra"] = 1
    first.learners.loc[0, "learner_id"] = "changed"
    second = load_dataset(minimal)
    assert first.learners is not second.learners
    assert "extra" not in second.learners
    assert second.learners.loc[0, "learner_id"] != "changed"


def test_a_changed_or_new_file_is_read_again(minimal: Path):
    io.read_ahead(minimal)
    learners = minimal / "learners.csv"
    text = learners.read_text()
    learners.write_text(text.replace("Test LA", "Other LA", 1))
    assert not io.read_ahead_of(minimal)
    assert "Other LA" in set(load_dataset(minimal).learners["home_authority"])
    learners.write_text(text)
    assert io.read_ahead_of(minimal)
    (minimal / "notes.txt").write_text("a file the loader lists as not a table")
    assert not io.read_ahead_of(minimal)


def test_other_limits_or_tables_are_not_the_dataset_read_ahead(minimal: Path, monkeypatch):
    io.read_ahead(minimal)
    assert io.fingerprint(minimal, tables=iter(["targets"])) != io.fingerprint(minimal)
    assert io.fingerprint(minimal) == io.fingerprint(str(minimal) + "/.")
    for name in io.LOADING_ENV:
        monkeypatch.setenv(name, "1")
        assert not io.read_ahead_of(minimal)
        monkeypatch.delenv(name)
    assert io.read_ahead_of(minimal)


def test_a_load_of_some_tables_gets_those_tables(minimal: Path):
    io.read_ahead(minimal)
    some = load_dataset(minimal, tables=())
    assert set(some.tables) == {n for n, s in io.S.TABLES.items() if s.required}
    assert set(load_dataset(minimal).tables) > set(some.tables)


def test_a_change_through_the_arrays_does_not_reach_the_next_load(minimal: Path):
    io.read_ahead(minimal)
    first = load_dataset(minimal)
    column = first.learners["home_authority"]
    column.array[0] = column.iloc[1] if column.iloc[1] != column.iloc[0] else None
    first.placements["start_date"].array[0] = pd.Timestamp("2000-01-01")
    again = load_dataset(minimal)
    io.forget_read_ahead()
    _same(again, load_dataset(minimal))


def test_entries_the_loader_does_not_read_are_not_opened(minimal: Path):
    """A large or endless file beside the tables, or a device, is named, not read."""
    with open(minimal / "backup.bin", "wb") as fh:  # sparse: 8 GiB of nothing
        fh.truncate(8 << 30)
    (minimal / "endless").symlink_to("/proc/self/pagemap")
    (minimal / "zeros.csv").symlink_to("/dev/zero")
    done = threading.Event()

    def run() -> None:
        io.fingerprint(minimal)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(10), "fingerprint read a file the loader does not read"


def test_a_dataset_with_problems_is_not_kept_and_still_raises(minimal: Path):
    (minimal / "learners.csv").write_text("learner_id\n")
    assert not io.read_ahead(minimal)
    assert not io.read_ahead_of(minimal)
    with pytest.raises(DataValidationError):
        load_dataset(minimal)


def test_a_pipe_in_the_folder_does_not_block(minimal: Path):
    os.mkfifo(minimal / "waiting.csv")
    done = threading.Event()
    result: list = []

    def run() -> None:
        result.append(io.fingerprint(minimal))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(10), "fingerprint blocked on a named pipe"
    (minimal / "waiting.csv").unlink()
    assert result[0] != io.fingerprint(minimal)


def test_several_datasets_are_kept_apart(minimal: Path):
    assert io.read_ahead(minimal) and io.read_ahead(DEMO)
    assert len(load_dataset(DEMO).learners) != len(load_dataset(minimal).learners)
    _same(load_dataset(minimal), load_dataset(minimal))


def test_every_setting_the_loader_reads_is_in_the_fingerprint():
    """A variable the data layer reads that the fingerprint left out would let a report
    get a dataset read under another limit."""
    import re

    data_layer = Path(io.__file__).parent
    read = {name for f in data_layer.glob("*.py")
            for name in re.findall(r"os\.environ\.get\(\s*\"([A-Z_]+)\"", f.read_text())}
    assert read and read <= set(io.LOADING_ENV)
