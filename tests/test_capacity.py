"""The capacity measures and their report wording: every method against values worked by
hand (srb_eval.measures occupancy, waiting, need_mix, stays, forecast; srb_eval.report
capacity and forecast).

The small datasets below are written to CSV and read back with ``load_dataset`` so the
functions see the same types as in a report. Each expected value has its arithmetic in
a comment. Dates: a census on 1 October 2025 unless said otherwise.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from srb_eval import ParameterError, load_dataset
from srb_eval.data import published as P
from srb_eval.data.io import write_dataset
from srb_eval.measures import forecast as F
from srb_eval.measures import need_mix as N
from srb_eval.measures import occupancy as O
from srb_eval.measures import roll
from srb_eval.measures import stays as ST
from srb_eval.measures import waiting as W
from srb_eval.report import capacity as R
from srb_eval.report import capacity_wording as RW
from srb_eval.report import disclosure, text_checks
from srb_eval.report import forecast as RF

D0 = "2025-10-01"
BAD = ("nan", "NaN", "None", "<NA>", "NaT")


def _dataset(tmp_path: Path, srbs: list[tuple], learners: list[tuple],
             placements: list[tuple], name: str = "ds"):
    """Write the three required tables and load them back."""
    s = pd.DataFrame(srbs, columns=["srb_id", "name", "local_authority", "phase", "age_from",
                                    "age_to", "capacity", "designation"])
    ln = pd.DataFrame(learners, columns=["learner_id", "birth_month", "primary_need"])
    ln = ln.assign(sex="M", secondary_needs="", statutory_plan="IDP", fsm="no",
                   home_authority="Test LA")
    p = pd.DataFrame(placements, columns=["learner_id", "srb_id", "referral_date",
                                          "panel_date", "start_date", "end_date"])
    p = p.assign(exit_reason="", destination="")
    folder = tmp_path / name
    write_dataset({"srbs": s, "learners": ln, "placements": p}, folder)
    return load_dataset(folder)


def _no_bad_text(df: pd.DataFrame) -> None:
    for value in df.astype("str").to_numpy().ravel():
        assert value not in BAD and "nan" not in value.lower(), value


# --------------------------------------------------------------------------- occupancy


@pytest.fixture()
def occ_ds(tmp_path: Path):
    srbs = [
        ("P1", "Primary one", "LA", "primary", 4, 11, 8, "ASD"),
        ("P2", "Primary two", "LA", "primary", 4, 11, 2, "ASD;SLD"),
        ("S1", "Secondary one", "LA", "secondary", 11, 18, 5, "SEMH"),
        ("F1", "Secondary full", "LA", "secondary", 11, 18, 1, ""),
    ]
    learners = [(f"A{i}", "2016-01", "ASD") for i in range(1, 9)] + [("A9", "2010-01", "SEMH")]
    placements = [
        # learner, srb, referral, panel, start, end
        ("A1", "P1", "2024-06-03", "2024-07-01", "2024-09-02", ""),   # on roll
        ("A1", "P1", "", "", "2025-01-06", ""),                       # overlapping spell: once
        ("A2", "P1", "2025-05-01", "2025-06-01", "2025-10-01", ""),   # starts on census day
        ("A3", "P1", "", "2023-07-03", "2023-09-01", "2025-10-01"),   # ends on census day
        ("A4", "P1", "2023-05-02", "", "2023-09-01", "2025-09-30"),   # ended the day before
        ("A5", "P1", "2025-08-01", "2025-09-15", "2025-11-03", ""),   # agreed, not started
        ("A6", "P2", "", "", "2024-09-02", ""),
        ("A7", "P2", "", "", "2024-09-02", ""),
        ("A8", "P2", "", "", "2024-09-02", ""),
        ("A9", "F1", "2024-07-01", "2024-08-01", "2024-09-02", ""),
    ]
    return _dataset(tmp_path, srbs, learners, placements)


def test_occupancy_counts_by_hand(occ_ds):
    occ = O.occupancy(occ_ds, D0).set_index("srb_id")
    # P1: A1 (two spells, counted once), A2 (start = census), A3 (end = census) -> 3;
    # A4 ended 30 Sep; A5 starts 3 Nov (awaiting start: panel 15 Sep <= census < start)
    assert occ.loc["P1", "on_roll"] == 3 and occ.loc["P1", "awaiting_start"] == 1
    assert occ.loc["P1", "occupancy"] == pytest.approx(3 / 8)  # 0.375
    assert occ.loc["P1", "unfilled_places"] == 5                # 8 - 3
    assert occ.loc["P1", "status"] == "under-used"              # 0.375 < 0.75
    # P2: 3 on roll for 2 places -> 150%, 0 unfilled (floor), 1 over
    assert (occ.loc["P2", "on_roll"], occ.loc["P2", "unfilled_places"],
            occ.loc["P2", "places_over"]) == (3, 0, 1)
    assert occ.loc["P2", "occupancy"] == pytest.approx(1.5)
    assert bool(occ.loc["P2", "over_capacity"]) and occ.loc["P2", "status"] == "over capacity"
    # S1: nobody on roll: 0 (not missing), 0%, 5 unfilled
    assert (occ.loc["S1", "on_roll"], occ.loc["S1", "occupancy"],
            occ.loc["S1", "unfilled_places"]) == (0, 0.0, 5)
    # F1: 1 of 1 -> full
    assert occ.loc["F1", "status"] == "full" and occ.loc["F1", "occupancy"] == 1.0


def test_occupancy_summary_totals_by_hand(occ_ds):
    s = O.occupancy_summary(O.occupancy(occ_ds, D0)).set_index("group")
    # primary: places 8 + 2 = 10, on roll 3 + 3 = 6, unfilled 5 + 0 = 5, over 0 + 1 = 1
    assert s.loc["primary", ["capacity", "on_roll", "unfilled_places", "places_over"]
                 ].tolist() == [10, 6, 5, 1]
    # secondary: places 5 + 1 = 6, on roll 0 + 1 = 1, unfilled 5 + 0 = 5
    assert s.loc["secondary", ["capacity", "on_roll", "unfilled_places"]].tolist() == [6, 1, 5]
    # all: places 16, on roll 7, unfilled 10, over 1, net spare 16 - 7 = 9 = 10 - 1
    row = s.loc["all SRBs"]
    assert [row.capacity, row.on_roll, row.unfilled_places, row.places_over,
            row.net_spare] == [16, 7, 10, 1, 9]
    assert row.occupancy == pytest.approx(7 / 16)
    assert (row.n_full, row.n_underused) == (2, 2)  # P2 over + F1 full; P1 + S1 under-used
    # by designation: P1 and P2 both count under ASD (8 + 2 places), P2 under SLD too
    d = O.occupancy_summary(O.occupancy(occ_ds, D0), by="designation").set_index("group")
    assert d.loc["ASD", "capacity"] == 10 and d.loc["SLD", "capacity"] == 2
    assert d.loc["none recorded", "capacity"] == 1  # F1 has no designation


def test_occupancy_published_display_suppresses_and_protects(occ_ds):
    occ = O.occupancy(occ_ds, D0)
    pub = R.display_occupancy(occ, audience="published").set_index("srb")
    # 3, 3 and 1 on roll are small; the total (7) is below min_denominator, so no part
    # of it is shown, S1's 0 included (#14); each primary count can still be 1 to 4
    # ("<5"). A hidden 0 must keep 0 to 4 possible: with the secondary total "<5" (1 to
    # 4) and F1's count at least 1, S1's 0 could be at most 3, so the total is hidden and
    # the secondary counts show "[c]". An SRB's 0 in the other phase is no part (it is 0
    # by design: hiding it would hide every SRB).
    assert pub.loc[["Primary one", "Primary two", "Secondary full"], "on_roll"].tolist() \
        == ["<5", "<5", "[c]"]
    assert pub.loc["Secondary one", "on_roll"] == "[c]"
    assert pub.loc["all SRBs", "on_roll"] == "[c]"
    # what a hidden count would give away is hidden too
    assert pub.loc["Primary one", ["occupancy", "unfilled_places", "status"]].tolist() \
        == ["[c]"] * 3
    # totals of unfilled places would bound the hidden counts: hidden
    assert pub.loc["all SRBs", "unfilled_places"] == "[c]"
    _no_bad_text(pub.reset_index())
    internal = R.display_occupancy(occ, audience="internal").set_index("srb")
    assert internal.loc["Primary one", ["on_roll", "occupancy", "unfilled_places"]].tolist() \
        == ["3", "37.5%", "5"]
    assert internal.loc["all SRBs", ["on_roll", "unfilled_places"]].tolist() == ["7", "10"]
    # phase summary: the secondary total (1) is small and both phases are parts of 7
    # learners (#14): both hidden, as "[c]" since small counts would narrow each other
    ph = R.display_occupancy_summary(occ, audience="published").set_index("group")
    assert ph.loc["secondary", "on_roll"] == "[c]" and ph.loc["primary", "on_roll"] == "[c]"
    _no_bad_text(ph.reset_index())


def test_occupancy_sentences_word_the_numbers(occ_ds):
    occ = O.occupancy(occ_ds, D0)
    text = " ".join(RW.occupancy_sentences(occ, audience="internal"))
    assert "Over capacity: Primary two (3 on roll for 2 places, 1 over)" in text
    assert "Full: Secondary full (1 on roll for 1 place)" in text
    assert "Across all 4 SRBs, 7 learners were on roll for 16 places (43.8%)" in text
    published = " ".join(RW.occupancy_sentences(occ, audience="published"))
    assert "Primary two (" not in published and "are not shown" in published
    assert text_checks.find_unsuppressed_small_counts(published) == []
    assert RW.occupancy_heading(occ, audience="internal") == (
        "1 October 2025: of 4 SRBs, 1 over capacity, 1 full and 2 under-used; "
        "10 places unfilled")


def test_occupancy_bad_arguments(occ_ds):
    with pytest.raises(ParameterError, match="census_date"):
        O.occupancy(occ_ds, "not a date")
    with pytest.raises(ParameterError, match="underused_below"):
        O.occupancy(occ_ds, D0, underused_below=1.5)
    with pytest.raises(ParameterError, match="ds"):
        O.occupancy(object(), D0)
    with pytest.raises(ParameterError, match="by"):
        O.occupancy_summary(O.occupancy(occ_ds, D0), by="need")


# --------------------------------------------------------------------------- published


def test_fig3_occupancy_equals_the_source_table():
    fig3 = P.load_published_fig3()
    occ = O.occupancy_from_census(fig3.srbs, fig3.census).set_index("srb_id")
    # Fig. 3, numbers autumn 2020 / capacity
    expected = {"OVERMONNOW": (20, 20, 1.0, 0), "PEMBROKE": (19, 20, 0.95, 1),
                "DERI_VIEW": (3, 8, 0.375, 5), "CALDICOT": (49, 55, 49 / 55, 6),
                "MONMOUTH": (25, 55, 25 / 55, 30)}
    for srb, (on, cap, share, unfilled) in expected.items():
        row = occ.loc[srb]
        assert (row.on_roll, row.capacity, row.unfilled_places) == (on, cap, unfilled), srb
        assert row.occupancy == pytest.approx(share), srb
    # total unfilled places = 0 + 1 + 5 + 6 + 30 = 42
    assert occ["unfilled_places"].sum() == 42
    total = O.occupancy_summary(occ.reset_index()).set_index("group").loc["all SRBs"]
    assert (total.capacity, total.on_roll, total.unfilled_places) == (158, 116, 42)
    shown = R.display_occupancy(occ.reset_index(), audience="published",
                                already_published=True).set_index("srb")
    assert shown.loc["Deri View Primary School", ["on_roll", "occupancy"]].tolist() == \
        ["3", "37.5%"]
    assert shown.loc["Monmouth Comprehensive School", "occupancy"] == "45.5%"  # 25/55


def test_fig3_maps_onto_the_srbs_table():
    fig3 = P.load_published_fig3()
    s = fig3.srbs.set_index("srb_id")
    assert list(s.index) == ["OVERMONNOW", "PEMBROKE", "DERI_VIEW", "CALDICOT", "MONMOUTH"]
    assert s["phase"].astype(str).tolist() == ["primary"] * 3 + ["secondary"] * 2
    assert (s.loc["DERI_VIEW", "age_from"], s.loc["DERI_VIEW", "age_to"]) == (7, 11)
    assert s.loc["CALDICOT", "designation"] == "SLD;ASD"
    assert s.loc["DERI_VIEW", "designation"] == "OTHER"
    assert set(s["local_authority"]) == {"Monmouthshire"}
    assert (fig3.census["census_date"] == pd.Timestamp("2020-10-01")).all()
    assert "Fig. 3" in fig3.source and "Monmouthshire County Council" in fig3.source
    with pytest.raises(ParameterError, match="path"):
        P.load_published_fig3("/no/such/folder")


def test_fig2_shares_and_change():
    f = P.load_published_fig2()
    assert len(f) == 8 and f["need_codes"].notna().all()
    # January column sums to 97.8 as printed; November to 100
    assert f["pct_jan_2020"].sum() == pytest.approx(97.8)
    assert f["pct_nov_2020"].sum() == pytest.approx(100.0)
    assert f.set_index("need_codes").loc["SENSORY", "change_points"] == pytest.approx(-0.7)


def test_occupancy_from_census_checks_its_input():
    fig3 = P.load_published_fig3()
    bad = pd.concat([fig3.census, pd.DataFrame({"srb_id": ["X"], "census_date": [
        pd.Timestamp("2020-10-01")], "on_roll": [1]})])
    with pytest.raises(ParameterError, match="census"):
        O.occupancy_from_census(fig3.srbs, bad)
    two = pd.concat([fig3.census, fig3.census.assign(census_date=pd.Timestamp("2021-10-01"))])
    with pytest.raises(ParameterError, match="census_date"):
        O.occupancy_from_census(fig3.srbs, two)
    occ = O.occupancy_from_census(fig3.srbs, two, census_date="2021-10-01")
    assert occ["on_roll"].sum() == 116
    # an SRB without a census row: no data, never a crash
    part = O.occupancy_from_census(fig3.srbs, fig3.census.iloc[:4])
    assert part.iloc[4]["status"] == "no data"
    shown = R.display_occupancy(part, audience="internal")
    assert shown.iloc[4]["on_roll"] == "no data"
    _no_bad_text(shown)


# --------------------------------------------------------------------------- waits


def test_waiting_times_by_hand(occ_ds):
    s = W.waiting_time_summary(occ_ds).set_index(["interval", "group"])
    # primary panel -> start: A1 1 Jul -> 2 Sep 2024 = 63 d; A2 1 Jun -> 1 Oct 2025 =
    # 122 d; A3 3 Jul -> 1 Sep 2023 = 60 d; A5 15 Sep -> 3 Nov 2025 = 49 d.
    # Sorted 49, 60, 63, 122: median (60 + 63) / 2 = 61.5, longest 122; excluded: A1's
    # second spell, A4 (no panel date), A6-A8 (no dates) = 5
    r = s.loc[("panel to start", "primary")]
    assert (r.n, r.n_excluded, r.median_days, r.longest_days) == (4, 5, 61.5, 122.0)
    assert r.median_weeks == pytest.approx(61.5 / 7)  # 8.79 weeks
    # primary referral -> panel: A1 3 Jun -> 1 Jul = 28; A2 1 May -> 1 Jun = 31;
    # A5 1 Aug -> 15 Sep = 45: median 31, longest 45, excluded 6
    r = s.loc[("referral to panel", "primary")]
    assert (r.n, r.n_excluded, r.median_days, r.longest_days) == (3, 6, 31.0, 45.0)
    # referral -> start: 91 (A1), 153 (A2), 122 (A4), 94 (A5): median (94 + 122) / 2 = 108
    r = s.loc[("referral to start", "primary")]
    assert (r.n, r.median_days, r.longest_days) == (4, 108.0, 153.0)
    # secondary: one placement (A9) -> too few to judge, no median
    r = s.loc[("panel to start", "secondary")]
    assert r.n == 1 and math.isnan(r.median_days) and r.note == W.TOO_FEW
    # all placements: panel -> start 49, 60, 63, 122 and A9's 32 -> median 60
    r = s.loc[("panel to start", "all")]
    assert (r.n, r.median_days, r.longest_days) == (5, 60.0, 122.0)


def test_waiting_times_window_and_empty(occ_ds):
    s = W.waiting_time_summary(occ_ds, since="2025-01-01").set_index(["interval", "group"])
    # started since 1 Jan 2025: A1's second spell (no dates), A2 (122 d), A5 (49 d):
    # n = 2 < 3 -> too few to judge
    r = s.loc[("panel to start", "primary")]
    assert (r.n, r.n_excluded, r.note) == (2, 1, W.TOO_FEW)
    none = W.waiting_time_summary(occ_ds, since="2030-01-01", by=None)
    assert none["n"].tolist() == [0, 0, 0]
    assert set(none["note"]) == {"no placements started"}
    shown = R.display_waiting_times(none, audience="published")
    _no_bad_text(shown)
    assert RW.waiting_time_heading(none, audience="internal").endswith("too few placements "
                                                                      "with dates to judge")
    with pytest.raises(ParameterError, match="min_n"):
        W.waiting_time_summary(occ_ds, min_n=0)


# --------------------------------------------------------------------------- need mix


def _mix_ds(tmp_path: Path, stay: dict, left: dict, joined: dict, name: str = "mix"):
    """Learners on roll at both dates (stay), only at 2024-10-01 (left), only at D0."""
    srbs = [("P1", "P", "LA", "primary", 4, 11, 200, "ASD")]
    learners, placements = [], []
    for group, needs, start, end in (("s", stay, "2023-09-01", ""),
                                     ("l", left, "2023-09-01", "2025-07-18"),
                                     ("j", joined, "2025-09-01", "")):
        for need, n in needs.items():
            for i in range(n):
                lid = f"{group}{need}{i}"
                learners.append((lid, "2016-01", need))
                placements.append((lid, "P1", "", "", start, end))
    return _dataset(tmp_path, srbs, learners, placements, name)


def test_need_mix_change_and_chi_square_by_hand(tmp_path: Path):
    ds = _mix_ds(tmp_path, {"ASD": 5}, {"ASD": 10, "SEMH": 10}, {"ASD": 10, "SEMH": 30})
    ch = N.need_mix_change(ds, "2024-10-01", D0).set_index("primary_need")
    # 2024: 5 + 10 ASD, 10 SEMH of 25 -> 60%, 40%; 2025: 5 + 10 ASD, 30 SEMH of 45
    assert (ch.loc["ASD", "n_from"], ch.loc["ASD", "n_to"]) == (15, 15)
    assert ch.loc["ASD", "share_from"] == pytest.approx(0.6)
    assert ch.loc["ASD", "change_points"] == pytest.approx(100 * (15 / 45 - 0.6))  # -26.67
    assert (ch.loc["SEMH", "leavers"], ch.loc["SEMH", "joiners"]) == (10, 30)
    t = N.need_mix_test(ds, "2024-10-01", D0).iloc[0]
    # leavers (10, 10) vs joiners (10, 30); N = 60; expected ASD 20*20/60 = 6.667 and
    # 13.333, SEMH 13.333 and 26.667: all >= 5 -> Pearson chi-square.
    # chi2 = 3.333^2/6.667 + 3.333^2/13.333 * 2 + 3.333^2/26.667
    #      = 1.6667 + 0.8333 + 0.8333 + 0.4167 = 3.75, dof 1
    assert t.method == "chi-square"
    assert t.chi2 == pytest.approx(3.75) and t.dof == 1
    assert t.p_val == pytest.approx(0.052808, abs=1e-5)  # 2 (1 - Phi(sqrt 3.75))
    assert t.cramers_v == pytest.approx(0.25)  # sqrt(3.75 / 60)
    assert (t.n_leavers, t.n_joiners) == (20, 40)


def test_need_mix_fisher_exact_by_hand(tmp_path: Path):
    ds = _mix_ds(tmp_path, {}, {"ASD": 5}, {"SEMH": 5})
    t = N.need_mix_test(ds, "2024-10-01", D0).iloc[0]
    # [[5, 0], [0, 5]]: expected 2.5 everywhere -> Fisher; the two extreme tables each
    # have probability 1 / C(10, 5) = 1/252, so p = 2/252 = 0.0079365; chi2 = 4 x
    # 2.5^2 / 2.5 = 10, V = sqrt(10 / 10) = 1
    assert t.method == "Fisher exact"
    assert t.p_val == pytest.approx(2 / 252)
    assert t.cramers_v == pytest.approx(1.0)


def test_need_mix_freeman_halton_monte_carlo(tmp_path: Path):
    ds = _mix_ds(tmp_path, {}, {"ASD": 5, "SEMH": 1}, {"SEMH": 1, "SLD": 5})
    t1 = N.need_mix_test(ds, "2024-10-01", D0, seed=1).iloc[0]
    t2 = N.need_mix_test(ds, "2024-10-01", D0, seed=1).iloc[0]
    # 3 x 2 table, leavers (5, 1, 0), joiners (0, 1, 5), margins 5, 2, 5 and 6, 6.
    # Tables with leavers (a, b, c), a + b + c = 6, have probability
    # C(5,a) C(2,b) C(5,c) / C(12,6) = product / 924. Observed product 1*2*1 = 2; the
    # only tables as unlikely are (5,1,0) and (0,1,5): exact p = 4/924 = 0.00433.
    assert t1.method == "Freeman-Halton (Monte Carlo)"
    assert t1.p_val == pytest.approx(4 / 924, abs=0.003)
    assert t1.p_val == t2.p_val  # seeded: the same p-value every run


def test_need_mix_too_few_and_degenerate(tmp_path: Path):
    ds = _mix_ds(tmp_path, {"ASD": 3}, {"ASD": 4}, {"ASD": 6})
    t = N.need_mix_test(ds, "2024-10-01", D0).iloc[0]
    assert t.method == "none" and t.note.startswith(N.TOO_FEW_TEST)  # 4 leavers < 5
    assert math.isnan(t.p_val)
    ds = _mix_ds(tmp_path, {}, {"ASD": 5}, {"ASD": 6}, name="one_need")
    t = N.need_mix_test(ds, "2024-10-01", D0).iloc[0]
    assert t.method == "none" and "only one need" in t.note
    # nobody on roll at either date: shares missing, displays say "no data"
    empty = N.need_mix_change(ds, "2000-10-01", "2001-10-01")
    assert empty.empty or empty["share_from"].isna().all()
    shown = R.display_need_mix(N.need_mix_change(ds, "2024-10-01", D0), audience="published")
    _no_bad_text(shown)


def test_need_mix_ties_pick_the_first_code(tmp_path: Path):
    ds = _mix_ds(tmp_path, {"SEMH": 6, "ASD": 6}, {}, {})
    ch = N.need_mix_change(ds, "2024-10-01", D0)
    t = N.need_mix_test(ds, "2024-10-01", D0)
    # ASD and SEMH tie at 6 each (50%): the heading names ASD (alphabetical tie-break)
    assert RW.need_mix_heading(ch, t, audience="internal").startswith(
        "Need mix: ASD is the largest group (50%)")


# --------------------------------------------------------------------------- stays


def test_length_of_stay_kaplan_meier_by_hand(tmp_path: Path):
    srbs = [("P1", "P", "LA", "primary", 4, 11, 8, "ASD")]
    learners = [(f"B{i}", "2016-01", "ASD") for i in range(1, 7)]
    placements = [
        ("B1", "P1", "", "", "2022-09-01", "2023-08-31"),  # 364 days, left
        ("B2", "P1", "", "", "2022-09-01", "2024-08-31"),  # 730 days, left
        ("B3", "P1", "", "", "2022-09-01", ""),            # 1126 days so far
        ("B4", "P1", "", "", "2024-09-02", "2025-07-18"),  # 319 days, left
        ("B5", "P1", "", "", "2025-06-02", ""),            # 121 days so far
        ("B6", "P1", "", "", "2021-09-01", ""),            # 1491 days so far
    ]
    ds = _dataset(tmp_path, srbs, learners, placements)
    los = ST.length_of_stay(ds, D0, by=None, data_from="2020-09-01", min_n=1).iloc[0]
    # completed: 319, 364, 730 days -> median 364 d = 0.99658 years
    assert los.n_left == 3
    assert los.median_completed_years == pytest.approx(364 / 365.25)
    # so far (on roll on 1 Oct 2025): 121, 1126, 1491 -> median 1126 d
    assert los.n_on_roll == 3
    assert los.median_so_far_years == pytest.approx(1126 / 365.25)
    # Kaplan-Meier: 121 (censored), 319 (6 at risk... 5 after the censoring: S = 4/5),
    # 364 (4 at risk: S = 0.8 x 3/4 = 0.6), 730 (3 at risk: S = 0.6 x 2/3 = 0.4 <= 0.5)
    # -> median 730 days = 1.99863 years
    assert los.n_started == 6 and los.n_still_placed == 3
    assert los.km_median_years == pytest.approx(730 / 365.25)
    # with min_n = 5 the completed-stay median (3 stays) is withheld
    few = ST.length_of_stay(ds, D0, by=None, data_from="2020-09-01").iloc[0]
    assert math.isnan(few.median_completed_years) and W.TOO_FEW in few.note
    shown = R.display_length_of_stay(ST.length_of_stay(ds, D0, data_from="2020-09-01"),
                                     audience="internal")
    assert shown.iloc[0]["median_completed_years"] == W.TOO_FEW
    _no_bad_text(shown)


def test_turnover_by_hand(tmp_path: Path):
    srbs = [("P1", "P", "LA", "primary", 4, 11, 8, "ASD")]
    learners = [("T1", "2016-01", "ASD"), ("T2", "2016-01", "ASD")]
    placements = [("T1", "P1", "", "", "2022-09-01", "2023-08-31"),
                  ("T2", "P1", "", "", "2022-09-01", "")]
    ds = _dataset(tmp_path, srbs, learners, placements)
    t = ST.turnover(ds, until="2024-08-31", by=None, data_from="2022-09-01")
    # 2022/23: 365 days; T1 365 + T2 365 learner-days -> mean on roll 2.0; 1 leaver -> 0.5
    # 2023/24: 366 days (leap year); T2 366 -> mean 1.0; no leaver -> 0
    assert t["school_year"].tolist() == ["2022/23", "2023/24"]
    assert t["leavers"].tolist() == [1, 0]
    assert t["mean_on_roll"].tolist() == pytest.approx([2.0, 1.0])
    assert t["turnover"].tolist() == pytest.approx([0.5, 0.0])
    # until 30 August 2024: 2023/24 is not complete
    assert ST.turnover(ds, until="2024-08-30", by=None, data_from="2022-09-01")[
        "school_year"].tolist() == ["2022/23"]
    # no complete year: empty table with the columns
    assert ST.turnover(ds, until="2023-01-01", data_from="2022-09-01").empty


# --------------------------------------------------------------------------- forecast


def test_exit_rate_by_hand(tmp_path: Path):
    srbs = [("P1", "P", "LA", "primary", 4, 11, 8, "ASD")]
    learners = [("E1", "2015-03", "ASD"), ("E2", "2018-01", "ASD"), ("E3", "2014-05", "ASD")]
    placements = [
        # E1 reaches 11 in March 2026: final year 2025/26 (from 1 Sep 2025); leaving in
        # July 2023 is early. At risk 1 Oct 2022 - 20 Jul 2023 = 292 + 1 = 293 days.
        ("E1", "P1", "", "", "2022-09-01", "2023-07-20"),
        # E2 still placed: at risk 1 Oct 2022 - 1 Oct 2025 = 1096 + 1 = 1097 days
        ("E2", "P1", "", "", "2022-09-01", ""),
        # E3 reaches 11 in May 2025: final year 2024/25 (from 1 Sep 2024); leaving in
        # July 2025 is ageing out, not an event; at risk only before 1 Sep 2024:
        # 1 Oct 2022 - 31 Aug 2024 = 700 + 1 = 701 days
        ("E3", "P1", "", "", "2022-09-01", "2025-07-18"),
    ]
    ds = _dataset(tmp_path, srbs, learners, placements)
    r = ST.exit_rates(ds, D0, data_from="2022-09-01").iloc[0]
    # window 1 Oct 2022 (3 years back) to 1 Oct 2025
    assert r.window_from == pd.Timestamp("2022-10-01")
    assert r.early_leavers == 1
    assert r.learner_years == pytest.approx((293 + 701 + 1097) / 365.25)  # 5.72485
    assert r.rate_per_year == pytest.approx(365.25 / 2091)                # 0.174677
    assert r.annual_exit_probability == pytest.approx(1 - math.exp(-365.25 / 2091))  # 0.16028


@pytest.fixture()
def forecast_ds(tmp_path: Path):
    srbs = [("P", "Primary", "LA", "primary", 4, 11, 4, "ASD"),
            ("S", "Secondary", "LA", "secondary", 11, 18, 2, "ASD")]
    learners = [
        ("C1", "2014-10", "ASD"),  # turns 11 in Oct 2025: final year 2025/26, r = 0
        ("C2", "2016-03", "ASD"),  # turns 11 in Mar 2027: final year 2026/27, r = 1
        ("C3", "2019-09", "ASD"),  # turns 11 in Sep 2030: final year 2030/31, r = 5
        ("H1", "2017-01", "ASD"),  # admitted and gone between two censuses
        ("H2", "2013-06", "ASD"),  # turns 11 in Jun 2024: final year 2023/24
        ("D1", "2009-01", "ASD"),  # turns 18 in Jan 2027: final year 2026/27, r = 1
    ]
    placements = [
        ("C1", "P", "", "", "2021-09-01", ""),
        ("C2", "P", "", "", "2021-09-01", ""),
        ("C3", "P", "", "", "2024-09-02", ""),           # new at the 2024 census
        ("H1", "P", "", "", "2024-11-04", "2025-07-18"),  # never on roll at a census
        ("H2", "P", "", "", "2023-01-09", "2024-07-19"),  # new at the 2023 census
        ("D1", "S", "", "", "2022-09-05", ""),
    ]
    return _dataset(tmp_path, srbs, learners, placements, "forecast")


def test_admissions_history_by_hand(forecast_ds):
    h = F.admissions_history(forecast_ds, D0, data_from="2022-09-01")
    p = h[h["phase"] == "primary"].set_index("school_year")
    # new on roll in primary: 2025 census none (C3 was on roll in 2024); 2024: C3;
    # 2023: H2; H1 is never on roll on a census day
    assert p["new_on_roll"].to_dict() == {"2025/26": 0, "2024/25": 1, "2023/24": 1}
    assert p["on_roll"].to_dict() == {"2025/26": 3, "2024/25": 3, "2023/24": 3}
    assert h.loc[h["phase"] == "secondary", "new_on_roll"].sum() == 0
    # default data_from: the September before the first leaver (H2, July 2024) =
    # 1 Sep 2023, so only the 2025 and 2024 censuses have a previous census in the data
    assert roll.observation_start(forecast_ds) == pd.Timestamp("2023-09-01")
    assert F.admissions_history(forecast_ds, D0)["school_year"].nunique() == 2


def test_forecast_roll_forward_by_hand(forecast_ds):
    plan = pd.DataFrame({"srb_id": ["NEW"], "from_date": ["2027-09-01"], "capacity": [2],
                         "phase": ["primary"]})
    fc = F.forecast_places(forecast_ds, D0, 3, exit_rate=0.0, data_from="2022-09-01",
                           planned_changes=plan)
    p = fc[fc["phase"] == "primary"].set_index("year")
    # today's learners not yet aged out: r = 0, 1, 5 -> N_k = 3, 2, 1, 1 (C1 ages out
    # after 2025/26, C2 after 2026/27: both mid-horizon)
    assert p["current_remaining"].tolist() == [3, 2, 1, 1]
    # admissions: lambda = (0 + 1 + 1) / 3 = 2/3 a year; school years left at their
    # first census c = 6 (C3) and 0 (H2): S(0) = 1, S(1) = S(2) = 1/2.
    # mu_1 = 2/3; mu_2 = 2/3 (1 + 1/2) = 1; mu_3 = 2/3 (1 + 1/2 + 1/2) = 4/3
    assert p["admissions_per_year"].iloc[0] == pytest.approx(2 / 3)
    assert p["expected_admitted"].tolist() == pytest.approx([0, 2 / 3, 1, 4 / 3])
    # expected on roll = N_k + mu_k = 3, 2.667, 2, 2.333
    assert p["expected_on_roll"].tolist() == pytest.approx([3, 8 / 3, 2, 7 / 3])
    # 80% interval: N_k + Poisson(mu_k) quantiles 0.1 and 0.9.
    # Poisson(2/3): F(0) = .513, F(1) = .856, F(2) = .970 -> 0 and 2 -> 2 to 4.
    # Poisson(1): F(0) = .368, F(1) = .736, F(2) = .920 -> 0 and 2 -> 1 to 3.
    # Poisson(4/3): F(0) = .264, F(2) = .849, F(3) = .954 -> 0 and 3 -> 1 to 4.
    assert p["on_roll_low"].tolist() == [3, 2, 1, 1]
    assert p["on_roll_high"].tolist() == [3, 4, 3, 4]
    # places: 4 until the new SRB opens on 1 Sep 2027 with 2 more (censuses 2027, 2028)
    assert p["capacity"].tolist() == [4, 4, 6, 6]
    assert p["balance"].tolist() == pytest.approx([1, 4 / 3, 4, 11 / 3])
    # year 1: 2 to 4 needed for 4 places: uncertain; years 2, 3: even 3 or 4 < 6: spare
    assert p["outlook"].tolist() == ["spare", "uncertain", "spare", "spare"]
    s = fc[fc["phase"] == "secondary"].set_index("year")
    # D1 (r = 1) is on roll this year and next, then ages out; no admissions history
    assert s["expected_on_roll"].tolist() == pytest.approx([1, 1, 0, 0])
    assert s["on_roll_high"].tolist() == [1, 1, 0, 0]
    assert p["school_year"].tolist() == ["2025/26", "2026/27", "2027/28", "2028/29"]


def test_forecast_with_an_exit_rate_by_hand(forecast_ds):
    fc = F.forecast_places(forecast_ds, D0, 3, exit_rate=0.5, data_from="2022-09-01")
    p = fc[fc["phase"] == "primary"].set_index("year")
    # today's learners: N_k (1 - p)^k = 2 x .5, 1 x .25, 1 x .125
    assert p["expected_current"].tolist() == pytest.approx([3, 1.0, 0.25, 0.125])
    # S(t) = P(c >= t) 0.5^t = 1, .25, .125: mu = 2/3, 2/3 x 1.25, 2/3 x 1.375
    assert p["expected_admitted"].tolist() == pytest.approx([0, 2 / 3, 5 / 6, 11 / 12])
    # year 1: Binomial(2, .5) + Poisson(2/3): P(0) = .25 x .513 = .128 >= .1 -> 0;
    # P(<= 2) = .799, P(<= 3) = .948 -> 3
    assert (p.loc[1, "on_roll_low"], p.loc[1, "on_roll_high"]) == (0, 3)


def test_forecast_uses_the_observed_exit_rate(forecast_ds):
    fc = F.forecast_places(forecast_ds, D0, 2, data_from="2022-09-01")
    er = ST.exit_rates(forecast_ds, D0, history_years=3, data_from="2022-09-01")
    got = fc.groupby("phase")["exit_probability"].first()
    want = er.set_index("phase")["annual_exit_probability"].fillna(0.0)
    assert got.to_dict() == pytest.approx(want.to_dict())


def test_forecast_bad_arguments(forecast_ds):
    for kwargs, name in (({"horizon_years": 0}, "horizon_years"),
                         ({"horizon_years": 6}, "horizon_years"),
                         ({"interval": 1.0}, "interval"),
                         ({"exit_rate": "guess"}, "exit_rate"),
                         ({"exit_rate": 1.0}, "exit_rate"),
                         ({"admissions_years": 0}, "admissions_years")):
        with pytest.raises(ParameterError, match=name):
            F.forecast_places(forecast_ds, D0, **kwargs)
    no_phase = pd.DataFrame({"srb_id": ["NEW"], "from_date": ["2027-09-01"],
                             "capacity": [8]})
    with pytest.raises(ParameterError, match="planned_changes"):
        F.forecast_places(forecast_ds, D0, planned_changes=no_phase)
    negative = no_phase.assign(srb_id="P", capacity=-1)
    with pytest.raises(ParameterError, match="planned_changes"):
        O.capacity_at(forecast_ds.srbs, D0, planned_changes=negative)


def test_capacity_at_with_changes_by_hand(forecast_ds):
    plan = pd.DataFrame({"srb_id": ["P", "P", "NEW"],
                         "from_date": ["2026-09-01", "2027-09-01", "2026-09-01"],
                         "capacity": [6, 0, 8], "phase": [None, None, "secondary"]})
    c = O.capacity_at(forecast_ds.srbs, ["2025-10-01", "2026-10-01", "2027-10-01"],
                      planned_changes=plan)
    got = c.pivot(index="srb_id", columns="census_date", values="capacity")
    # P: 4 now, 6 from Sep 2026, closed (0) from Sep 2027; NEW opens Sep 2026 with 8
    assert got.loc["P"].tolist() == [4, 6, 0]
    assert got.loc["NEW"].tolist() == [0, 8, 8]
    assert got.loc["S"].tolist() == [2, 2, 2]
    assert c.loc[c["srb_id"] == "NEW", "phase"].iloc[0] == "secondary"


def test_forecast_display_and_words(forecast_ds):
    fc = F.forecast_places(forecast_ds, D0, 3, exit_rate=0.0, data_from="2022-09-01")
    internal = RF.display_forecast(fc, audience="internal")
    _no_bad_text(internal)
    assert internal.iloc[1]["interval_80pct"] == "2 to 4"
    assert internal.iloc[0]["balance"] == "1 spare"
    # published: primary has 3 on roll now, secondary 1: both phases withheld
    published = RF.display_forecast(fc, audience="published")
    assert set(published["places_needed"]) == {"[c]"}
    words = " ".join(RF.forecast_sentences(fc, audience="published"))
    assert "not shown" in words and text_checks.find_unsuppressed_small_counts(words) == []
    sentence = RF.forecast_sentences(fc, audience="internal")[0]
    assert sentence.startswith("Primary: 3 learners on roll for 4 places now; in 2028/29 "
                               "about 2 places are expected to be needed (80% interval 1 "
                               "to 4) against 4: about 2 places spare")
    _no_bad_text(RF.display_forecast_inputs(fc, audience="published"))


def test_forecast_gives_no_interval_from_too_little_history(forecast_ds):
    """Issue 16: an 80% interval ("5 to 5") was shown from one year of admissions
    history. Below MIN_HISTORY_YEARS the forecast shows no interval and says why."""
    assert F.MIN_HISTORY_YEARS == 3
    fc = F.forecast_places(forecast_ds, D0, 3, exit_rate=0.0, data_from="2024-09-01")
    assert set(fc["admission_years_used"]) == {1}
    ahead = (fc["year"] > 0).to_numpy()
    assert set(fc.loc[ahead, "outlook"]) == {"too little history"}
    assert fc["note"].str.contains("no interval: 1 year of admissions history").all()
    shown = RF.display_forecast(fc, audience="internal")
    _no_bad_text(shown)
    assert set(shown.loc[ahead, "interval_80pct"]) == {"not given: 1 year of history"}
    words = " ".join(RF.forecast_sentences(fc, audience="internal"))
    assert "80% interval" not in words
    assert "no interval from 1 year of admissions history (3 needed)" in words
    assert "too little admissions history to judge" in RF.forecast_heading(
        fc, audience="internal")
    # three years of history: the interval is shown as before
    full = F.forecast_places(forecast_ds, D0, 3, exit_rate=0.0, data_from="2022-09-01")
    assert "too little history" not in set(full["outlook"])
    assert "80% interval" in " ".join(RF.forecast_sentences(full, audience="internal"))


# --------------------------------------------------------------------------- degenerate


def test_no_placements_gives_words_not_crashes(tmp_path: Path):
    srbs = [("P1", "P", "LA", "primary", 4, 11, 8, "ASD"),
            ("Z", "Closed", "LA", "secondary", 11, 18, 0, "")]
    ds = _dataset(tmp_path, srbs, [("N1", "2016-01", "ASD")],
                  [("N1", "P1", "", "", "2030-09-02", "")])  # starts after every census
    occ = O.occupancy(ds, D0)
    assert occ["on_roll"].tolist() == [0, 0]
    assert occ["status"].tolist() == ["under-used", "no places"]
    for audience in ("internal", "published"):
        _no_bad_text(R.display_occupancy(occ, audience=audience))
        _no_bad_text(R.display_occupancy_summary(occ, audience=audience))
        _no_bad_text(R.display_waiting_times(W.waiting_time_summary(ds), audience=audience))
        los = ST.length_of_stay(ds, D0)
        _no_bad_text(R.display_length_of_stay(los, audience=audience))
        fc = F.forecast_places(ds, D0, 2)
        _no_bad_text(RF.display_forecast(fc, audience=audience))
        _no_bad_text(RF.display_forecast_inputs(fc, audience=audience))
        ch = N.need_mix_change(ds, "2024-10-01", D0)
        t = N.need_mix_test(ds, "2024-10-01", D0)
        assert RW.need_mix_sentences(ch, t, audience=audience)
        assert RF.forecast_heading(fc, audience=audience).startswith("Forecast to 2027/28")
    assert F.forecast_places(ds, D0, 2)["expected_on_roll"].sum() == 0
    assert RW.occupancy_heading(occ, audience="internal").startswith(
        "1 October 2025: of 2 SRBs, 1 under-used")


# --------------------------------------------------------------------------- figures


def test_figures_have_titles_labels_and_hide_suppressed_bars(occ_ds, forecast_ds,
                                                             tmp_path: Path):
    from matplotlib.figure import Figure

    from srb_eval.report.plots import capacity as plots

    occ = O.occupancy(occ_ds, D0)
    fig = plots.occupancy_bars(occ, audience="published")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "Learners on roll against places" in ax.get_title() and ax.get_xlabel()
    # 4 capacity bars; no on-roll bar: P1, P2 and F1 are hidden and so is S1's 0 (a
    # part of 7 learners on roll, #14)
    assert len(ax.containers[0]) == 4 and len(ax.containers[1]) == 0
    assert len(plots.occupancy_bars(occ, audience="internal").axes[0].containers[1]) == 4
    fc = F.forecast_places(forecast_ds, D0, 3, exit_rate=0.0, data_from="2022-09-01")
    fan = plots.forecast_fan(fc, audience="internal")
    assert fan.axes[0].get_ylabel() and "(3 on roll now)" in fan.axes[0].get_title()
    ds = _mix_ds(tmp_path, {"ASD": 5}, {"ASD": 10, "SEMH": 10}, {"ASD": 10, "SEMH": 30},
                 name="mixfig")
    ch, t = N.need_mix_change(ds, "2024-10-01", D0), N.need_mix_test(ds, "2024-10-01", D0)
    bars = plots.need_mix_bars(ch, t, audience="published")
    labels = [x.get_text() for x in bars.axes[0].get_legend().get_texts()]
    assert labels == ["1 Oct 2024 (n = 25)", "1 Oct 2025 (n = 45)"]
    assert plots.fig2_bars(P.load_published_fig2())._suptitle.get_text().startswith(
        "Statemented pupils")


def test_dates_are_iso_only(occ_ds):
    # "01/10/2025" is 1 October in Wales and 10 January in the United States: refused
    for call in (lambda: O.occupancy(occ_ds, "01/10/2025"),
                 lambda: W.waiting_time_summary(occ_ds, since="01/10/2024"),
                 lambda: ST.length_of_stay(occ_ds, D0, data_from="01/09/2020"),
                 lambda: F.forecast_places(occ_ds, "01/10/2025")):
        with pytest.raises(ParameterError, match="YYYY-MM-DD"):
            call()


def test_length_of_stay_by_primary_need(occ_ds):
    # on roll on 1 Oct 2025: A1, A2 (starts that day), A3 (ends that day), A6-A8 (ASD);
    # A9 (SEMH); every group's rows add up to the "all" row
    los = ST.length_of_stay(occ_ds, D0, by="primary_need", data_from="2020-09-01", min_n=1)
    t = los.set_index("group")
    assert list(t.index) == ["ASD", "SEMH", "all"]
    assert t.loc["SEMH", "n_on_roll"] == 1 and t.loc["ASD", "n_on_roll"] == 7
    for c in ("n_left", "n_on_roll", "n_started", "n_still_placed"):
        assert t.loc["ASD", c] + t.loc["SEMH", c] == t.loc["all", c]
    assert t.loc["SEMH", "median_so_far_years"] == pytest.approx(
        (pd.Timestamp(D0) - pd.Timestamp("2024-09-02")).days / 365.25)


def test_report_notes_use_the_package_settings():
    from srb_eval.report import capacity_notes as notes

    assert "fewer than 75% of places filled" in notes.caveats_markdown()
    assert "fewer than 60% of places filled" in notes.caveats_markdown(underused_below=0.6)
    assert "the last three years" in notes.caveats_markdown()
    assert "with 90% probability" in notes.forecast_assumptions_note(0.9)
    assert "a median is given for 3 or more" in notes.waits_note(pd.Timestamp(D0))
    strict = disclosure.Thresholds(min_count=10)
    assert notes.suppression_note(strict).startswith("Counts from 1 to 9 are shown as '<10'")
    with pytest.raises(ParameterError, match="horizon_years"):
        notes.capacity_inputs("data/demo", D0, "dataset", 6, audience="published")
    with pytest.raises(ParameterError, match="source"):
        notes.capacity_inputs("data/demo", D0, "census", 3, audience="published")
    # outside attack: 9999-12-31 and 0001-01-01 ended in tracebacks; 2200-10-01 counted
    # every open placement as on roll 175 years on
    for day, rule in (("9999-12-31", "a date from 1900-01-01 to 2261-12-31"),
                      ("0001-01-01", "a date from 1900-01-01 to 2261-12-31"),
                      ("2200-10-01", "a day inside the data")):
        with pytest.raises(ParameterError, match=f"census_date: must be {rule}"):
            notes.capacity_inputs("data/demo", day, "dataset", 3, audience="internal")
    # third outside attack: published censuses of 1 and 2 September 2024 gave back a "<5"
    # need count (4) and a joiner's need, and 20 and 21 July 2025 each SRB's leavers that
    # day; a published report counts on 1 October only
    for day in ("2024-09-02", "2025-07-20", "2025-10-02"):
        with pytest.raises(ParameterError, match="1 October of a year in a published"):
            notes.capacity_inputs("data/demo", day, "dataset", 3, audience="published")
    assert notes.capacity_inputs("data/demo", "2024-10-01", "dataset", 3,
                                 audience="published").census == pd.Timestamp("2024-10-01")
    assert notes.capacity_inputs("data/demo", "2024-09-02", "dataset", 3,
                                 audience="internal").census == pd.Timestamp("2024-09-02")
    # (review) the value-for-money report counts on roll by need on its census day too:
    # 7 and 8 January 2024 gave an ASD joiner away; it reads the day through census_day
    with pytest.raises(ParameterError, match="1 October of a year in a published"):
        notes.census_day("2024-01-08", audience="published")
    from .conftest import DEMO
    from .notebook_code import parameters_of, run_code

    for notebook in ("45_value_for_money", "40_capacity"):
        with pytest.raises(ParameterError, match="1 October of a year in a published"):
            run_code(notebook, parameters_of(notebook, data_dir=str(DEMO),
                                             census_date="2024-01-08", audience="published"),
                     texts=False)
    # (review) a census weeks after the last placement date is an export's current term
    ds = load_dataset("data/demo")
    last = pd.concat([ds.placements["start_date"], ds.placements["end_date"]]).max()
    for later in (pd.Timedelta(days=40), pd.DateOffset(years=1)):
        day = f"{last + later:%Y-%m-%d}"
        assert notes.capacity_inputs("data/demo", day, "dataset", 3,
                                     audience="internal").census == \
            pd.Timestamp(day)
    with pytest.raises(ParameterError, match="no more than a year after"):
        notes.capacity_inputs("data/demo", f"{last + pd.DateOffset(years=1, days=1):%Y-%m-%d}",
                              "dataset", 3, audience="internal")


def test_length_of_stay_hides_a_phase_that_would_follow_from_the_all_row():
    # issue 14: secondary leavers "<5" = 50 - 19 - 28 = 3 when the other phases are shown
    los = pd.DataFrame({"group": ["primary", "secondary", "all-through", "all"],
                        "n_left": [19, 3, 28, 50], "median_completed_years": [2.7, 1.0, 3.8, 2.8],
                        "n_on_roll": [26, 5, 62, 93], "median_so_far_years": [2.8, 1.0, 4.4, 3.4],
                        "n_started": [20, 4, 25, 49], "km_median_years": [2.7, 1.0, None, None],
                        "note": ["", "", "not reached", "not reached"]})
    pub = R.display_length_of_stay(los, audience="published").set_index("group")
    for col in ("n_left", "n_started"):
        assert pub.loc["secondary", col] == "<5"
        assert (pub.loc[["primary", "all-through"], col] == "[c]").sum() >= 1, pub[col]
        assert pub.loc["all", col] in ("50", "49")
    assert pub.loc["secondary", "n_on_roll"] == "5"
    internal = R.display_length_of_stay(los, audience="internal").set_index("group")
    assert internal.loc["secondary", "n_left"] == "3"


# --------------------------------------------------------------------------- one SRB a day


def test_same_day_transfer_counts_the_learner_once(tmp_path: Path):
    """Issue 16: a placement that ends the day the learner's next placement starts counts
    on roll up to the day before; on the transfer day the learner is in the new SRB only
    (roll.last_day, the one rule every count of learners on roll uses)."""
    from srb_eval.measures import wellbeing
    from srb_eval.measures.attribution import attach_srb

    srbs = [("P1", "Primary", "LA", "primary", 4, 11, 8, "ASD"),
            ("S1", "Secondary", "LA", "secondary", 11, 18, 5, "ASD")]
    learners = [(f"M{i}", "2014-01", "ASD") for i in range(1, 5)]
    placements = [
        ("M1", "P1", "", "", "2023-09-01", "2025-10-01"),  # moves on census day D0
        ("M1", "S1", "", "", "2025-10-01", ""),
        ("M2", "P1", "", "", "2024-09-02", ""),
        ("M3", "S1", "", "", "2024-09-02", ""),
        ("M4", "P1", "", "", "2023-09-01", "2025-09-01"),  # moves on 1 September 2025
        ("M4", "S1", "", "", "2025-09-01", ""),
    ]
    ds = _dataset(tmp_path, srbs, learners, placements)
    last = roll.last_day(ds.placements)
    assert last.tolist() == [pd.Timestamp("2025-09-30"), pd.NaT, pd.NaT, pd.NaT,
                             pd.Timestamp("2025-08-31"), pd.NaT]
    # 1 October 2025: four learners on roll, M1 in S1 only (P1: M2; S1: M1, M3, M4)
    c = O.census_counts(ds, [D0, "2025-09-30", "2025-09-01"])
    assert c["on_roll"].tolist() == [1, 3, 2, 2, 2, 2]
    assert O.occupancy(ds, D0)["on_roll"].tolist() == [1, 3]
    los = ST.length_of_stay(ds, D0, by="srb_id", data_from="2023-09-01", min_n=1)
    assert los.set_index("group")["n_on_roll"].to_dict() == {"P1": 1, "S1": 3, "all": 4}
    # placed in 2025/26: M4 moved on its first day, so is not placed in P1 that year
    placed = wellbeing.on_roll_in_year(ds, "2025/26")
    assert placed.groupby("srb_id")["learner_id"].nunique().to_dict() == {"P1": 2, "S1": 3}
    # a record from 16 September to 15 October 2025: 15 days in each placement (the
    # transfer day is S1's), so on the tie the later placement, S1
    rec = pd.DataFrame({"learner_id": ["M1"], "period_start": pd.to_datetime(["2025-09-16"]),
                        "period_end": pd.to_datetime(["2025-10-15"])})
    assert attach_srb(rec, ds.placements, start="period_start",
                      end="period_end")["srb_id"].tolist() == ["S1"]


@pytest.mark.parametrize("learners, years, seed, census", [
    (60, 2, 7, "2024-10-01"),   # need mix: SEMH's "[c]" beside a "<5" was 2 to 5
    (60, 2, 7, "2025-10-01"),   # length of stay: all-through's "[c]" started was 4 to 7
    (150, 4, 3, "2024-10-01"),  # turnover within length of stay: primary 2 to 15
])
def test_the_capacity_tables_pass_the_renders_audit_on_other_datasets(
        tmp_path, learners, years, seed, census):
    """A parameter sweep over synthetic datasets found published capacity reports (on
    1 October, as published) that their own audit refused: the need-mix, length-of-stay
    and turnover tables kept only the small counts wide, so a "[c]" of 5 or more could
    be narrowed to a range holding some of 1 to 4, which the audit cannot tell from a
    small count. They are protected to the audit's rule now."""
    from srb_eval.data.demo import write_demo
    from srb_eval.report import capacity_notes as CN
    from srb_eval.report import capacity_records as CR
    from srb_eval.report.audit import feasible_ranges

    write_demo(tmp_path / "d", n_learners=learners, years=years, seed=seed)
    ds = load_dataset(tmp_path / "d")
    day = pd.Timestamp(census)
    since, _ = CN.need_mix_dates(day)
    change = N.need_mix_change(ds, since, day)
    mix = R.display_need_mix(change, audience="published")
    los, tov = ST.length_of_stay(ds, day), ST.turnover(ds, until=day)
    los_shown, tov_shown = R.display_stays(los, tov, audience="published")
    phases = O.occupancy(ds, census_date=day)["phase"]
    records = [CR.need_mix_record(change, mix, date_from=since, date_to=day),
               *CR.stays_records(los_shown, tov_shown, census=day,
                                 data_start=roll.data_start(ds), phases=phases)]
    ranges = feasible_ranges([r for r in records if r is not None])  # None: no turnover
    assert len(ranges) and ranges["passes"].all(), ranges.loc[~ranges["passes"]].to_string()
