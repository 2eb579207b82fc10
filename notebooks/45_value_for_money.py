# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
data_dir = "data/demo"  # str: dataset folder or Excel workbook, with srb_costs and external_placements (deflators for real terms)
financial_year = "2025-26"  # str: financial year costed, April to March, written YYYY-YY (a year of srb_costs)
census_date = "2025-10-01"  # str: day on which places are set against needs (YYYY-MM-DD); 1 October of a year in a published report
forecast_years = 3  # int: years ahead of the census the places are set against the capacity report's forecast (1-5)
area = "literacy"  # str: area of learning whose progress is costed
prices = ""  # str: a financial year (YYYY-YY) to restate every year's costs in its prices with the deflators table; "" for cash
scenario_learners = "all"  # str: learners the scenario moves into SRB places: "all" who could, or a whole number
from_settings = "out_of_county_special,independent_special"  # str: setting types the scenario moves learners from, comma-separated
unfilled_place_cost = None  # float or None: yearly cost of filling an unfilled place (None: the year's place funding per place)
new_place_cost = None  # float or None: yearly cost of a new SRB place (None: the year's running costs per place)
transport_per_learner = None  # float or None: yearly transport to an SRB (None: the year's SRB transport per filled place)
audience = "published"  # str: "internal" (learner-level detail allowed) or "published" (small numbers suppressed)
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]
from srb_eval import load_dataset  # noqa: E402
from srb_eval.measures import sufficiency as SU  # noqa: E402
from srb_eval.measures import travel as T  # noqa: E402
from srb_eval.measures import value_for_money as V  # noqa: E402
from srb_eval.measures.forecast import forecast_places  # noqa: E402
from srb_eval.measures.roll import learners_placed  # noqa: E402
from srb_eval.report import capacity_notes  # noqa: E402
from srb_eval.report import disclosure  # noqa: E402
from srb_eval.report import notebook as report  # noqa: E402
from srb_eval.report import regression_wording as RW  # noqa: E402
from srb_eval.report import value_for_money as W  # noqa: E402
from srb_eval.report import value_for_money_records as records  # noqa: E402
from srb_eval.report.forecast import hidden_phases  # noqa: E402
from srb_eval.report.i18n import area_word, format_date, use_language  # noqa: E402
from srb_eval.report.i18n import gettext as _  # noqa: E402

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
published = audience == "published"
path = report.data_path(data_dir)
ds = load_dataset(path)
census = capacity_notes.census_day(census_date, audience=audience)
missing = V.missing_tables(ds)
has_costs, has_outside = ds.has("srb_costs"), ds.has("external_placements")
census_text = format_date(census, "day")
report.say(report.header_markdown(
    _("Value for money: what SRB places cost against the alternatives"),
    question=_("What do the SRB places cost, what do the placements outside them cost, "
               "what do the unfilled places cost, and are there places for the needs?"),
    dataset_label=report.dataset_label(path), audience=audience,
    extra={_("Financial year"): financial_year, _("Census date"): census_text}))
report.withhold_if_too_small(learners_placed(ds.placements), audience=audience)
if missing:
    report.say("## " + _("Tables this report needs") + "\n" + W.missing_tables_note(missing))

# %%
report.say(_(
    "Estyn has found authorities \"unaware of which groups are progressing well and "
    "whether or not resource bases provide value for money\", and called unfilled places "
    "in resource bases \"poor value for money\" (Estyn 2008, *Joining in*). This report "
    "sets what each resource base (SRB) cost in a financial year against its places and "
    "the days they were filled, against the placements outside the authority's SRBs "
    "(out-of-county and independent special schools, alternative provision, other "
    "authorities' SRBs), and against the needs waiting for a place. Money is in pounds of "
    "the financial year (April to March) and price base named with each table."))

# %%
if has_costs:
    costs = V.srb_unit_costs(ds, financial_year)
    costs_shown = W.display_srb_costs(costs, audience=audience)
    words = W.price_words(financial_year, str(costs["price_base"].iloc[-1]))
    report.say("## " + _("What the SRBs cost ({prices})").format(prices=words))
    report.say("\n".join("- " + s for s in W.srb_cost_sentences(costs, costs_shown)))
    report.show(W.shown(report.record("srb_costs", costs_shown)),
                caption=_("Cost per place, per filled place and of unfilled places, "
                          "{prices}").format(prices=words))
    report.say(_(
        "A filled place-day is one learner on roll for one day, counted on every day of "
        "the year. The cost of unfilled places is the year's empty place-days at the "
        "average cost of a place-day."))
    trend = V.cost_trend(ds, prices=prices or None)
    report.say("### " + _("Across years") + "\n" + (
        _("Every year is restated in {prices} prices with the price index supplied, the "
          "SRBs' costs and the placements outside them alike.").format(prices=prices)
        if prices else
        _("Each year in the prices of its table; without a price index (`prices`) the "
          "years are not compared in real terms.")))
    report.show(W.shown(report.record("cost_trend", W.display_cost_trend(trend))),
                caption=_("The cost of all SRBs in each financial year"))
    if has_outside:
        alt_trend = W.display_alternative_trend(V.alternative_cost_trend(
            ds, prices=prices or None), audience=audience)
        report.show(W.shown(report.record(
            "alternative_trend", alt_trend, disclosure=records.alternative_trend_record(
                alt_trend) if published else None)),
            caption=_("The cost of the placements outside the SRBs in each financial year, "
                      "in {prices} prices").format(prices=prices) if prices else
            _("The cost of the placements outside the SRBs in each financial year, cash"))

# %%
if has_outside:
    alt = V.alternative_costs(ds, financial_year)
    alt_shown = W.display_alternatives(alt, audience=audience)
    report.say("## " + _("What the alternatives cost ({year})").format(year=financial_year))
    if has_costs:
        report.say("\n".join("- " + s for s in W.alternative_sentences(alt_shown,
                                                                         costs_shown)))
    report.show(W.shown(report.record("alternatives", alt_shown, disclosure=records.
                                      alternatives_record(alt_shown, financial_year)
                                      if published else None)),
                caption=_("Placements outside the SRBs and their cost, {year}").format(
                    year=financial_year))
    report.say(_("A placement open for part of the year is costed for its days in the year "
                 "(annual fee and transport, pro rata)."))

# %%
if has_costs and has_outside:
    settings = W.parse_settings(from_settings)
    learners = W.parse_learners(scenario_learners)
    sc = V.scenario(ds, financial_year, learners=learners, from_settings=settings,
                    unfilled_place_cost=unfilled_place_cost, new_place_cost=new_place_cost,
                    transport_per_learner=transport_per_learner)
    sc_shown = W.display_scenario(sc, audience=audience)
    report.say("## " + _("A scenario: SRB places instead of placements outside"))
    report.say("\n".join("- " + s for s in W.scenario_sentences(sc_shown)))
    report.show(W.shown(report.record("scenario", sc_shown, disclosure=records.scenario_record(
        sc_shown, financial_year, settings) if published and learners is None else None)),
        caption=_("The cost difference a year, {prices}").format(prices=words))
    report.say(_(W.SCENARIO_CAVEAT))

# %%
if has_costs and ds.has("assessments"):
    pc = V.cost_per_expected_progress(ds, financial_year, area=area)
    pc_shown = W.display_progress_costs(pc, W.srb_names(ds.srbs), audience=audience)
    report.say("## " + _("Cost per learner making at least expected progress in {area}")
               .format(area=area_word(area)))
    report.show(W.shown(report.record("progress_costs", pc_shown, disclosure=records.
                                      progress_costs_record(
                                          pc_shown, pc["srb_id"].iloc[:-1].tolist(),
                                          financial_year, area) if published else None)),
                caption=_("Learners by progress over {year} and cost per learner").format(
                    year=financial_year))
    report.say(_(W.PROGRESS_CAVEAT))
    # expected progress counts improvements: regression to the mean may account for some
    report.say(RW.regression_caveat(RW.regression_estimable(ds.instruments)))

# %%
suff = SU.sufficiency(ds, census, by_phase=False)
suff_shown = W.display_sufficiency(suff, audience=audience, srbs=ds.srbs)
report.say("## " + _("Are there places for the needs? ({date})").format(date=census_text))
report.say(_(
    "Places of the SRBs designated for each need against the learners needing them on "
    "the census day: on roll, agreed and waiting to start, and placed outside the SRBs. "
    "The demand is today's (set against the forecast below). An SRB designated for "
    "several needs counts its places under each, so the places do not add up; the total "
    "row shows the places of all SRBs.") if has_outside else _(
    "Places of the SRBs designated for each need against the learners needing them on "
    "the census day: on roll, agreed and waiting to start, and placed outside the SRBs "
    "(no `external_placements` table: counted as none). The demand is today's (set "
    "against the forecast below). An SRB designated for several needs counts its places "
    "under each, so the places do not add up; the total row shows the places of all "
    "SRBs."))
if published:
    report.say(_("The demand, and places less demand, are shown only where all three counts "
                 "are: beside a hidden count they would give it back."))
report.show(W.shown(report.record("sufficiency", suff_shown, disclosure=records.
                                  sufficiency_record(suff_shown, census)
                                  if published else None)),
            caption=_("Places against demand by primary need, {date}").format(
                date=census_text))
if audience == "internal":
    report.say("### " + _("By phase (internal only)") + "\n" + _(
        "An all-through SRB is its own phase: its places serve learners placed outside in "
        "either phase."))
    report.show(W.shown(W.display_sufficiency(SU.sufficiency(ds, census), audience=audience,
                                              srbs=ds.srbs)),
                caption=_("Places against demand by phase and primary need"))

# %%
if "language_of_provision" in ds.srbs.columns:
    lang = W.display_language_sufficiency(SU.sufficiency(
        ds, census, by_phase=False, by_need=False, by_language=True), audience=audience)
    report.say("### " + _("By language of provision") + "\n" + _(
        "A Welsh-medium place serves a learner who is to be taught in Welsh, an "
        "English-medium place one taught in English: each SRB's places, learners on roll "
        "and agreed learners count under the SRB's language, a placement outside under "
        "the language of its setting."))
    report.show(W.shown(report.record("sufficiency_by_language", lang, disclosure=records.
                                      language_record(lang, census) if published else None)),
                caption=_("Places against demand by language of provision, {date}").format(
                    date=census_text))
    if audience == "internal":
        report.show(W.shown(W.display_sufficiency(SU.sufficiency(ds, census, by_language=True),
                                                  audience=audience, srbs=ds.srbs)),
                    caption=_("Places against demand by phase, language and primary need "
                              "(internal only)"))

# %%
ahead = W.display_forecast_sufficiency(
    SU.forecast_sufficiency(ds, census, forecast_years), audience=audience,
    hidden_phases=hidden_phases(forecast_places(ds, census, forecast_years), audience=audience))
report.say("### " + _("Against the forecast") + "\n" + _(
    "The capacity report forecasts the places needed by phase in each of the next years "
    "(learners on roll ageing on and leaving, and admissions at the rate of recent "
    "years). Here those places are set against the places of each phase, and against "
    "that demand with today's learners placed outside the SRBs added: the places needed "
    "if every one of them were placed in an SRB. The forecast is by phase, not by need or "
    "language."))
report.show(W.shown(report.record("forecast_sufficiency", ahead, disclosure=records.
                                  forecast_record(ahead, census) if published else None)),
            caption=_("Places against the forecast demand by phase, from {date}").format(
                date=census_text))

# %%
if "home_area" in ds.learners.columns and "school_area" in ds.srbs.columns:
    srb_areas = ds.srbs["school_area"].dropna().astype(str)
    travel = W.display_travel(T.travel_by_area(ds, census), audience=audience,
                              srb_areas=srb_areas)
    report.say("## " + _("How far learners travel ({date})").format(date=census_text) + "\n"
               + _("Learners on roll by the area they live in: placed in an SRB of that area "
                   "or of another area, and placements outside the SRBs by the learner's "
                   "home area. Areas are clusters or catchments, not distances: a learner "
                   "placed in the next cluster counts as another area just as one placed "
                   "across the county."))
    report.show(W.shown(report.record("travel", travel, disclosure=records.travel_record(
        travel, census, srb_areas=srb_areas) if published else None)),
        caption=_("Learners by home area and where they are placed, {date}").format(
            date=census_text))

# %%
report.say(_(W.LIMITS))

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "financial_year": financial_year, "census_date": census_date,
    "forecast_years": forecast_years,
    "area": area, "prices": prices, "scenario_learners": scenario_learners,
    "from_settings": from_settings, "unfilled_place_cost": unfilled_place_cost,
    "new_place_cost": new_place_cost, "transport_per_learner": transport_per_learner,
    "audience": audience}))
