"""The schema is the contract: the data dictionary must match it, vocabularies are sane."""

from __future__ import annotations

from pathlib import Path

from srb_eval.data import schema as S
from srb_eval.data.dictionary import data_dictionary

ROOT = Path(__file__).resolve().parents[1]


def test_data_dictionary_is_up_to_date():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary(), "run `make docs` to regenerate it"


def test_every_design_table_and_column_is_modelled():
    design = {
        "srbs": "srb_id name local_authority phase age_from age_to capacity designation",
        "learners": "learner_id birth_month sex primary_need secondary_needs statutory_plan "
                    "fsm home_authority",
        "placements": "learner_id srb_id referral_date panel_date start_date end_date "
                      "exit_reason destination",
        "instruments": "instrument scale mean sd reliability expected_gain_per_year",
        "assessments": "learner_id instrument area date score is_baseline",
        "inclusion": "learner_id period_start period_end subject core minutes_mainstream "
                     "minutes_timetabled",
        "targets": "learner_id target_id area set_date review_date attainment weight",
        "attendance": "learner_id period_start period_end sessions_possible sessions_attended",
        "exclusions": "learner_id start_date days kind",
        "qualifications": "learner_id award_date qualification subject level grade",
        "comparison_learners": "learner_id birth_month sex primary_need phase school_id fsm",
        "comparison_assessments": "learner_id instrument area date score is_baseline",
        "srb_costs": "srb_id financial_year staffing other_running place_funding transport "
                     "price_base",
        "external_placements": "placement_id setting_type start_date end_date annual_fee "
                               "annual_transport primary_need phase home_area "
                               "language_of_provision",
        "deflators": "financial_year price_index",
    }
    assert list(S.TABLES) == list(design)
    for table, cols in design.items():
        assert set(cols.split()) <= set(S.TABLES[table].columns()), table
    assert {n for n, s in S.TABLES.items() if s.required} == {"srbs", "learners", "placements"}


def test_every_field_says_how_to_read_it():
    kinds = {"id", "text", "date", "month", "bool", "int", "number", "vocab", "vocab_list"}
    for spec in S.TABLES.values():
        for name, col in spec.columns().items():
            assert col.metadata.get("kind") in kinds, (spec.name, name)
            assert col.description, (spec.name, name)


def test_aliases_point_at_real_codes():
    for vocab, aliases in S.ALIASES.items():
        assert set(aliases.values()) <= set(S.VOCABULARIES[vocab]), vocab
        assert all(k == k.lower() for k in aliases)
