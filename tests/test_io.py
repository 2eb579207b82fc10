"""Loader and validation: messy-but-valid inputs load, bad inputs report every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from srb_eval import DataReadError, DataValidationError, load_dataset
from srb_eval.data.io import problems_frame, validate, write_dataset

HERE = Path(__file__).parent
MINIMAL = HERE / "data" / "minimal"
BAD = HERE / "bad_inputs"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def _files_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    out = tmp_path / "dataset"
    shutil.copytree(MINIMAL, out)
    return out


def test_minimal_dataset_loads_with_types():
    ds = load_dataset(MINIMAL)
    assert set(ds.tables) == {"srbs", "learners", "placements", "instruments", "assessments",
                              "inclusion", "targets", "attendance", "exclusions",
                              "qualifications"}
    assert pd.api.types.is_datetime64_any_dtype(ds.placements["start_date"])
    assert isinstance(ds.learners["primary_need"].dtype, pd.CategoricalDtype)
    assert ds.learners["fsm"].tolist() == [True, False, True]
    assert ds.learners["birth_month"].iloc[0] == pd.Timestamp("2015-03-01")
    assert ds.placements["end_date"].isna().sum() == 2
    assert ds.learners["secondary_needs"].iloc[1] == "SLCN;ADHD"
    assert ds.targets["attainment"].isna().sum() == 1
    assert list(ds.placements.index) == [0, 1, 2, 3]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_reports_exact_problems(case: str, tmp_path: Path):
    """Each case in tests/bad_inputs overlays the minimal dataset and must report
    exactly the problems in its expected.txt (all at once, in file/row order)."""
    folder = tmp_path / "dataset"
    shutil.copytree(MINIMAL, folder)
    for f in (BAD / case).iterdir():
        if f.name == "REMOVE":
            for name in f.read_text().split():
                (folder / name).unlink()
        elif f.name != "expected.txt":
            shutil.copy(f, folder / f.name)
    before = _files_snapshot(folder)
    with pytest.raises(DataValidationError) as info:
        load_dataset(folder)
    got = [str(p) for p in info.value.problems]
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert got == expected
    assert _files_snapshot(folder) == before, "an input file was modified"


def test_every_problem_names_file_and_rule(tmp_path: Path):
    problems = []
    for case in CASES:
        folder = tmp_path / case
        shutil.copytree(MINIMAL, folder)
        for f in (BAD / case).iterdir():
            if f.name not in ("expected.txt", "REMOVE"):
                shutil.copy(f, folder / f.name)
        problems += validate(folder)
    table = problems_frame(problems)
    assert len(table) >= 25
    assert (table["file"] != "").all() and (table["rule"] != "").all()
    cell_level = table[table["value"] != ""]
    assert (cell_level["column"] != "").all()


def test_messy_but_unambiguous_exports_load(minimal: Path):
    # UK dates, spaces, odd case, yes/no words, a BOM and Windows-1252 text
    (minimal / "placements.csv").write_text(
        "Learner_ID , SRB_ID,referral_date,panel_date,start_date,end_date,exit_reason,"
        "destination\n"
        " L01 ,SRB01,01/06/2022,01/07/2022,05/09/2022,,,\n"
        "L02,SRB01,01/05/2021,01/06/2021,01/09/2021,20/07/2023,Moved,Other_SRB\n"
        "L02,SRB02,01/05/2023,01/06/2023,04/09/2023,,,\n"
        "L03,SRB02,01/05/2020,10/06/2020,01/09/2020,19/07/2024,College, FURTHER_EDUCATION \n",
        encoding="utf-8-sig",
    )
    (minimal / "srbs.csv").write_bytes(
        "srb_id,name,local_authority,phase,age_from,age_to,capacity,designation\n"
        "SRB01,Ysgol Bro D\u00e2f SRB,Test LA,Primary,4,11,8,asd; sld\n"
        "SRB02,Test Secondary SRB,Test LA,SECONDARY,11,18,20,ASD\n".encode("cp1252")
    )
    ds = load_dataset(minimal)
    assert ds.placements["start_date"].iloc[0] == pd.Timestamp("2022-09-05")
    assert ds.placements["end_date"].iloc[1] == pd.Timestamp("2023-07-20")
    assert ds.placements["learner_id"].iloc[0] == "L01"
    assert ds.placements["destination"].iloc[3] == "further_education"
    assert ds.srbs["name"].iloc[0] == "Ysgol Bro D\u00e2f SRB"
    assert ds.srbs["phase"].tolist() == ["primary", "secondary"]
    assert ds.srbs["designation"].iloc[0] == "ASD;SLD"


def test_ambiguous_or_partial_dates_are_errors(minimal: Path):
    text = (minimal / "exclusions.csv").read_text()
    (minimal / "exclusions.csv").write_text(
        text + "L03,2021-03,1,fixed-term\nL03,03/04/21,1,fixed-term\n"
        "L03,2021-03-01 10:30:00,1,fixed-term\n")
    problems = validate(minimal)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "start_date", "2021-03"),
        (4, "start_date", "03/04/21"),
        (5, "start_date", "2021-03-01 10:30:00"),
    ]
    assert all("is not a date" in p.rule for p in problems[:2])
    assert "is a date with a time of day" in problems[2].rule


@pytest.mark.parametrize("fmt", ["parquet", "parquet-utc", "xlsx"])
def test_a_typed_date_with_a_time_of_day_is_an_error(minimal: Path, fmt: str):
    """A workbook's or Parquet file's timestamp is refused as a CSV's is, not cut to its
    day (a time of day in a zone: the same, in Britain's time)."""
    ex = pd.read_csv(minimal / "exclusions.csv")
    ex = pd.concat([ex, ex.assign(start_date="2021-03-01")], ignore_index=True)
    ex["start_date"] = pd.to_datetime(ex["start_date"])
    ex.loc[1, "start_date"] = pd.Timestamp("2021-03-01 10:30")
    if fmt == "parquet-utc":
        ex["start_date"] = ex["start_date"].dt.tz_localize("UTC")
    (minimal / "exclusions.csv").unlink()
    if fmt == "xlsx":
        ex.to_excel(minimal / "exclusions.xlsx", index=False)
    else:
        ex.to_parquet(minimal / "exclusions.parquet")
    problems = validate(minimal)
    row = 3 if fmt == "xlsx" else 2  # a sheet's header is its row 1
    assert [(p.row, p.column) for p in problems] == [(row, "start_date")], problems
    assert "is a date with a time of day" in problems[0].rule


def test_a_placement_overlapping_one_in_another_srb_names_the_latest_ending():
    """Each placement is checked against the latest-ending earlier placement in another
    SRB (one pass, whatever the number of placements)."""
    from srb_eval.data.checks import overlapping_placements
    from srb_eval.data.files import Source

    p = pd.DataFrame({"learner_id": ["L1"] * 5, "srb_id": ["A", "B", "A", "B", "C"],
                      "start_date": pd.to_datetime(["2024-01-01", "2024-02-01",
                                                    "2024-03-02", "2025-01-01",
                                                    "2026-01-01"]),
                      "end_date": pd.to_datetime(["2024-12-31", "2024-03-01",
                                                  "2025-06-30", None, "2026-02-01"])},
                     index=[2, 3, 4, 5, 6])
    got = [(q.row, q.rule.split(" (")[0]) for q in overlapping_placements(
        p, Source("placements", Path("placements.csv"), "csv"))]
    assert got == [(3, "starts while the placement in row 2"),
                   (5, "starts while the placement in row 4"),
                   (6, "starts while the placement in row 5")]


def test_a_field_longer_than_the_csv_modules_limit_is_read(minimal: Path):
    """A 200,000-character note ended in "_csv.Error: field larger than field limit"
    where the check for cut-off rows reads the file again (its last column has an empty
    cell); pandas had read it."""
    text = (minimal / "placements.csv").read_text()
    (minimal / "placements.csv").write_text(text.replace("Moved to secondary SRB",
                                                         "-a" * 100_000))
    assert validate(minimal) == []


def test_overlapping_attendance_periods_of_a_learner_are_problems(minimal: Path):
    """An export holding a term and a half-term of it counted the same sessions twice."""
    text = (minimal / "attendance.csv").read_text()
    (minimal / "attendance.csv").write_text(
        text + "L01,2022-10-03,2022-10-28,40,38\nL01,2023-01-04,2023-03-31,120,110\n"
        "L02,2022-12-20,2023-03-31,120,100\n")
    problems = validate(minimal)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (4, "period_start", "2022-10-03"), (6, "period_start", "2022-12-20")]
    assert all("periods must not overlap" in p.rule for p in problems)


def test_an_instrument_whose_lowest_score_is_above_its_highest_is_a_problem(minimal: Path):
    text = (minimal / "instruments.csv").read_text()
    (minimal / "instruments.csv").write_text(text.replace("Steps,steps,,,,6,0,120",
                                                          "Steps,steps,,,,6,120,0"))
    problems = [p for p in validate(minimal) if p.file == "instruments.csv"]
    assert [(p.row, p.rule) for p in problems] == [
        (2, "min_score must not be above max_score")]


def test_a_subject_repeated_in_other_capitals_is_a_duplicate_key(minimal: Path):
    """The inclusion measures read "ENGLISH" and "English" as one subject: a row
    repeating a learner's period and subject in other capitals or spacing was counted
    twice (the key check compared the text as written)."""
    lines = (minimal / "inclusion.csv").read_text().splitlines()
    head, first = lines[0].split(","), lines[1].split(",")
    at = head.index("subject")
    again = [*first[:at], "  " + first[at].upper() + " ", *first[at + 1:]]
    (minimal / "inclusion.csv").write_text("\n".join([*lines, ",".join(again)]) + "\n")
    problems = validate(minimal)
    assert [(p.row, p.column) for p in problems] == [(len(lines) + 1, "learner_id")]
    assert "duplicate key (learner_id, period_start, subject): same as row 2" in \
        problems[0].rule


def _rewritten(book: Path, how: str) -> None:
    """Rewrite every sheet's XML as other writers do: its stored size as A1 (some
    exporters), or its formulas with a namespace prefix and its attributes in single
    quotes (Microsoft's OpenXML SDK)."""
    import re
    import zipfile

    parts = {}
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.startswith("xl/worksheets/") and how == "A1":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            elif name.startswith("xl/worksheets/") and how == "prefixed":
                data = data.replace(b"<f>", b"<x:f>").replace(b"</f>", b"</x:f>")
                data = data.replace(b't="e"', b"t='e'").replace(
                    b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/'
                                    b'spreadsheetml/2006/main" ', 1)
            elif name.startswith("xl/worksheets/") and how == "character reference":
                # (the error cell alone: no formula left to give the workbook away)
                data = re.sub(rb"<f>[^<]*</f>", b"", data.replace(b't="e"', b't="&#101;"'))
            elif how == "renamed":  # a sheet's part not named .xml: its links say where
                data = re.sub(rb"(worksheets/sheet\d+)\.xml", rb"\1.bin", data)
                name = re.sub(r"(worksheets/sheet\d+)\.xml$", r"\1.bin", name)
            parts[name] = data
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.parametrize("dimension", ["as saved", "A1", "prefixed", "character reference",
                                       "renamed"])
def test_workbook_error_cells_and_unsaved_formulas_are_problems(minimal: Path,
                                                                dimension: str):
    """An error cell (#N/A) or a formula whose result was never saved read as an empty
    cell: a placement's end date lost reopened a placement that had ended. "NA" typed
    in a cell is text, as in a CSV file, not a missing value."""
    import openpyxl

    placements = pd.read_csv(minimal / "placements.csv", dtype=str, keep_default_na=False)
    (minimal / "placements.csv").unlink()
    placements.to_excel(minimal / "placements.xlsx", index=False)
    book = openpyxl.load_workbook(minimal / "placements.xlsx")
    sheet = book.active
    end = [c.value for c in sheet[1]].index("end_date") + 1
    sheet.cell(5, end).value = "#N/A"
    sheet.cell(5, end).data_type = "e"
    sheet.cell(4, end).value = "=E2+30"
    destination = [c.value for c in sheet[1]].index("destination") + 1
    sheet.cell(2, destination).value = "NA"
    book.save(minimal / "placements.xlsx")
    if dimension != "as saved":  # (openpyxl's read-only mode trusts the size)
        _rewritten(minimal / "placements.xlsx", dimension)
    before = (minimal / "placements.xlsx").read_bytes()
    problems = validate(minimal)
    expected = [(2, "destination", "NA"), (4, "end_date", "=E2+30"),
                (5, "end_date", "#N/A")]
    if dimension == "character reference":
        expected.remove((4, "end_date", "=E2+30"))
    assert sorted((p.row, p.column, p.value) for p in problems) == expected
    rules = {p.row: p.rule for p in problems}
    assert "not a known destination" in rules[2] and "spreadsheet error" in rules[5]
    assert dimension == "character reference" or "never saved" in rules[4]
    assert (minimal / "placements.xlsx").read_bytes() == before


def test_a_parquet_timestamp_with_a_zone_is_read_as_the_date_in_britain(minimal: Path):
    """Midnight in Britain kept in UTC (how BI tools and Spark write dates) is 23:00 the
    day before in summer: read as the British date, not cut to the UTC one."""
    ex = pd.read_csv(minimal / "exclusions.csv")
    ex = pd.concat([ex, ex], ignore_index=True)
    ex["start_date"] = pd.to_datetime(["2021-02-10", "2021-09-01"]).tz_localize(
        "Europe/London").tz_convert("UTC")
    (minimal / "exclusions.csv").unlink()
    ex.to_parquet(minimal / "exclusions.parquet")
    assert validate(minimal) == []
    got = load_dataset(minimal).exclusions["start_date"].dt.strftime("%Y-%m-%d").tolist()
    assert got == ["2021-02-10", "2021-09-01"]
    # dates kept as 00:00 UTC (pandas' utc=True, Spark): those dates, summer or winter
    ex["start_date"] = pd.to_datetime(["2021-02-10", "2021-09-01"]).tz_localize("UTC")
    ex.to_parquet(minimal / "exclusions.parquet")
    assert validate(minimal) == []
    got = load_dataset(minimal).exclusions["start_date"].dt.strftime("%Y-%m-%d").tolist()
    assert got == ["2021-02-10", "2021-09-01"]


def test_a_parquet_column_of_lists_or_structures_is_named_not_a_traceback(minimal: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    inc = pd.read_csv(minimal / "inclusion.csv", dtype=str)
    cols = {c: pa.array(inc[c]) for c in inc.columns}
    cols["subject"] = pa.array([[x] for x in inc["subject"]], pa.list_(pa.string()))
    cols["core"] = pa.array([{"v": x} for x in inc["core"]])
    (minimal / "inclusion.csv").unlink()
    pq.write_table(pa.table(cols), minimal / "inclusion.parquet")
    problems = validate(minimal)
    assert [(p.file, p.row) for p in problems] == [("inclusion.parquet", None)]
    assert "subject (list<element: string>)" in problems[0].rule
    assert "core (struct<v: string>)" in problems[0].rule


def test_a_parquet_date_the_tool_cannot_hold_is_an_error(minimal: Path):
    ex = pd.read_csv(minimal / "exclusions.csv")
    ex["start_date"] = pd.Series([pd.Timestamp("2021-02-10")]).astype("datetime64[us]")
    ex = pd.concat([ex, ex], ignore_index=True)
    ex["start_date"] = ex["start_date"].astype("datetime64[us]")
    ex.loc[1, "start_date"] = np.datetime64("9999-12-31", "us")
    (minimal / "exclusions.csv").unlink()
    ex.to_parquet(minimal / "exclusions.parquet")
    problems = validate(minimal)
    assert [(p.row, p.column) for p in problems] == [(2, "start_date")], problems
    assert "which this tool cannot hold" in problems[0].rule


def test_exclusions_longer_than_the_law_allows_are_errors(minimal: Path):
    """A fixed-term exclusion lasts at most 45 school days, any exclusion at most the 190
    school days of a year: 60 or 1e11 days is a typing error that would swamp the
    days-lost measures."""
    text = (minimal / "exclusions.csv").read_text()
    (minimal / "exclusions.csv").write_text(
        text + "L03,2021-03-01,45,fixed-term\nL03,2021-04-01,46,fixed-term\n"
        "L03,2021-05-01,150,permanent\nL03,2021-06-01,1e11,permanent\n")
    problems = validate(minimal)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (4, "days", "46"), (6, "days", "1e11")]
    assert "at most 45 school days" in problems[0].rule
    assert "at most 190" in problems[1].rule


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_round_trip_through_write_dataset(tmp_path: Path, fmt: str):
    ds = load_dataset(MINIMAL)
    tables = {n: df for n, df in ds.tables.items()}
    tables["learners"] = tables["learners"].assign(
        birth_month=tables["learners"]["birth_month"].dt.strftime("%Y-%m"))
    write_dataset(tables, tmp_path / fmt, fmt=fmt)
    again = load_dataset(tmp_path / fmt)
    for name, df in ds.tables.items():
        pd.testing.assert_frame_equal(again.tables[name], df, check_dtype=False,
                                      check_categorical=False)


def test_excel_workbook_with_a_sheet_per_table(tmp_path: Path):
    ds = load_dataset(MINIMAL)
    book = tmp_path / "export.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        for name, df in ds.tables.items():
            out = df.copy()
            if name == "learners":
                out["birth_month"] = out["birth_month"].dt.strftime("%Y-%m")
            for c in out.columns:  # categoricals and nullable types as plain values
                if isinstance(out[c].dtype, pd.CategoricalDtype):
                    out[c] = out[c].astype(object)
            out.to_excel(xl, sheet_name=name.capitalize(), index=False)
    from_book = load_dataset(book)
    pd.testing.assert_frame_equal(from_book.placements, ds.placements, check_dtype=False,
                                  check_categorical=False)
    assert from_book.files["srbs"] == str(book.resolve())
    # a folder holding the workbook works too
    assert load_dataset(tmp_path).learners["learner_id"].tolist() == ["L01", "L02", "L03"]


def test_excel_problems_name_the_sheet(tmp_path: Path):
    book = tmp_path / "export.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        for name in ("srbs", "learners", "placements"):
            df = pd.read_csv(MINIMAL / f"{name}.csv", dtype=str, keep_default_na=False)
            if name == "placements":
                df.loc[0, "start_date"] = "soon"
            df.to_excel(xl, sheet_name=name, index=False)
    problems = validate(book)
    assert [str(p) for p in problems] == [
        "export.xlsx [sheet placements], row 2, column start_date (value 'soon'): is not a "
        "date: use YYYY-MM-DD or DD/MM/YYYY"]


def test_unreadable_paths(tmp_path: Path):
    with pytest.raises(DataReadError, match="no such file"):
        load_dataset(tmp_path / "nope")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DataReadError, match="no srb-eval tables found"):
        load_dataset(tmp_path)
    with pytest.raises(DataReadError, match="give a folder"):
        load_dataset(tmp_path / "notes.txt")


def test_misspelt_table_file_is_named_in_the_hint(minimal: Path):
    (minimal / "learners.csv").rename(minimal / "learner.csv")
    problems = [str(p) for p in validate(minimal)]
    assert any("required table learners is missing" in p and "learner.csv" in p
               for p in problems)


def test_optional_tables_may_be_absent(minimal: Path):
    for name in ("assessments", "inclusion", "targets", "attendance", "exclusions",
                 "qualifications", "instruments"):
        (minimal / f"{name}.csv").unlink()
    ds = load_dataset(minimal)
    assert ds.assessments is None and not ds.has("inclusion")
    assert set(ds.tables) == {"srbs", "learners", "placements"}


def test_input_hashes_cover_every_file():
    ds = load_dataset(MINIMAL)
    hashes = ds.input_hashes()
    assert len(hashes) == 10
    assert all(len(h) == 64 for h in hashes.values())


def test_optional_tables_with_no_rows_load(tmp_path: Path) -> None:
    # a table with its header only (no exclusions or attendance this year) is valid and
    # empty, including its date key columns
    folder = tmp_path / "demo"
    shutil.copytree(Path(__file__).parents[1] / "data" / "demo", folder)
    for name in ("exclusions", "attendance", "targets"):
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n",
                        encoding="utf-8")
    ds = load_dataset(folder)
    assert len(ds.exclusions) == len(ds.attendance) == len(ds.targets) == 0
    assert not ds.has("exclusions") and ds.has("assessments")


def test_a_hidden_sheet_is_not_read_as_data(tmp_path: Path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("srbs", "learners", "placements"):
        df = pd.read_csv(MINIMAL / f"{name}.csv", dtype=str, keep_default_na=False)
        ws = wb.create_sheet(name)
        ws.append(list(df.columns))
        for row in df.itertuples(index=False):
            ws.append(list(row))
    wb["placements"].sheet_state = "hidden"
    book = tmp_path / "export.xlsx"
    wb.save(book)
    with pytest.raises(DataValidationError) as info:
        load_dataset(book)
    got = [str(p) for p in info.value.problems]
    assert ("export.xlsx [sheet placements]: the sheet is hidden, so whoever checked the "
            "workbook may not have seen it: unhide it or delete it") in got
    assert any("required table placements is missing" in p for p in got)


def test_identifying_values_are_found_in_any_text_column():
    from srb_eval.data import schema as S
    from srb_eval.data.checks import identifier_values
    from srb_eval.data.files import Source

    df = pd.DataFrame({"learner_id": ["L01", "A123456789012", "Alys Jones", "P0f3a"],
                       "home_authority": ["Test LA", "NP25 3XX", "x@y.org", "Test LA"]},
                      index=[2, 3, 4, 5])
    src = Source("learners", Path("learners.csv"), "csv", None)
    got = [(p.row, p.column, p.rule.split(":")[0]) for p in
           identifier_values(df, S.TABLES["learners"], src)]
    assert got == [(3, "learner_id", "looks like a unique pupil number (UPN)"),
                   (4, "learner_id", "looks like a person's name"),
                   (4, "home_authority", "looks like an e-mail address"),
                   (3, "home_authority", "looks like a postcode")]
    assert all(p.value is None for p in identifier_values(df, S.TABLES["learners"], src))


def test_a_workbook_that_inflates_beyond_the_limit_is_refused_at_once(tmp_path: Path,
                                                                      monkeypatch):
    import time
    import zipfile

    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (3 * 2**20) + b">")
    monkeypatch.setenv("SRB_EVAL_MAX_WORKBOOK_MB", "2")
    t0 = time.perf_counter()
    with pytest.raises(DataReadError, match=r"inflate to 3 MB, over the limit of 2 MB"):
        load_dataset(book)
    assert time.perf_counter() - t0 < 5


def test_an_export_with_thousands_of_subjects_is_refused(minimal: Path, monkeypatch):
    inc = pd.read_csv(minimal / "inclusion.csv", dtype=str)
    many = pd.concat([inc.iloc[[1]]] * 12, ignore_index=True)
    many["subject"] = [f"lesson {i}" for i in range(12)]
    pd.concat([inc, many]).to_csv(minimal / "inclusion.csv", index=False)
    monkeypatch.setenv("SRB_EVAL_MAX_SUBJECTS", "10")
    with pytest.raises(DataValidationError) as info:
        load_dataset(minimal)
    assert [str(p) for p in info.value.problems] == [
        "inclusion.csv, column subject: names 15 different subjects, more than the 10 "
        "allowed (a timetable has a few dozen: check what the column holds, or raise the "
        "limit with SRB_EVAL_MAX_SUBJECTS)"]
    monkeypatch.setenv("SRB_EVAL_MAX_SUBJECTS", "20")
    load_dataset(minimal)
