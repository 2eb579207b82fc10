"""Findings: strengths and areas for development from rules, recommendations, judgement.

A finding compares one measure of :func:`srb_eval.measures.outcomes.outcome_measures`
with a threshold: an Estyn quantifier ("below 'many'"), a percentage or a number. The
rules are parameters of the report (:data:`DEFAULT_FINDING_RULES` by default), checked
by :func:`check_finding_rules` and printed with it (:func:`rule_text`). Findings are facts
about the data, not judgements of the provision: they say where to look.
:func:`recommendations` drafts recommendations from the areas for development, and
:func:`indicative_judgement` gives an optional reading on Estyn's 2017 four-point scale
(Estyn has given no summative grades since September 2022).

References
----------
.. [1] Estyn (2017). *Common Inspection Framework*: judgements Excellent; Good; Adequate
   and needs improvement; Unsatisfactory and needs urgent improvement.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..measures.groups import GROUP_TYPES
from ..measures.outcomes import AREAS, MEASURES
from ..params import whole_number
from ..paths import REFERENCE_DIR
from . import disclosure
from .i18n import LANGUAGES, in_language, join_and
from .outcomes import AREA_LABELS, MEASURE_WORDS, display_measures, measure_sentences, measure_words
from .quantifiers import NO_DATA, TOO_FEW, quantifier_bounds, quantifier_table

__all__ = [
    "AREA_FOR_DEVELOPMENT",
    "DEFAULT_FINDING_RULES",
    "JUDGEMENT_RULES_FILE",
    "RECOMMENDATIONS",
    "STRENGTH",
    "check_finding_rules",
    "findings",
    "indicative_judgement",
    "judgement_rules",
    "recommendations",
    "rule_text",
]

JUDGEMENT_RULES_FILE = REFERENCE_DIR / "estyn_2017_judgement_rules.csv"
STRENGTH = "strength"
AREA_FOR_DEVELOPMENT = "area for development"



#: Comparisons a finding rule may use, and their words.
COMPARISONS: dict[str, str] = {"at_least": "at least", "below": "below", "above": "above",
                               "at_most": "at most"}
KINDS: dict[str, str] = {"strength": STRENGTH, "area_for_development": AREA_FOR_DEVELOPMENT,
                         AREA_FOR_DEVELOPMENT: AREA_FOR_DEVELOPMENT}

#: The package's finding rules (``finding_rules=None``). Each is a dict: ``measure`` (an id
#: of :data:`MEASURES`, or a pattern such as ``"progress_*"``), ``comparison``
#: ("at_least", "below", "above", "at_most"), ``threshold`` (an Estyn quantifier such as
#: "many" -- its lower bound --, a percentage "65%", or a number: a share 0-1, or a rate
#: per 100 for ``exclusion_rate``), ``kind`` ("strength" or "area_for_development"),
#: optional ``scope`` ("authority", "srb_id" or "primary_need"; default "authority"),
#: ``description`` (words for the measure) and ``recommendation`` (text of the
#: recommendation drafted from an area for development).
DEFAULT_FINDING_RULES: tuple[dict[str, str], ...] = (
    {"measure": "progress_*", "comparison": "at_least", "threshold": "most",
     "kind": "strength",
     "description": "the share of learners making at least expected progress in an area"},
    {"measure": "progress_*", "comparison": "below", "threshold": "many",
     "kind": "area_for_development",
     "description": "the share of learners making at least expected progress in an area"},
    {"measure": "progress_*", "comparison": "below", "threshold": "around half",
     "kind": "area_for_development", "scope": "srb_id",
     "description": "the share of an SRB's learners making at least expected progress in "
     "an area"},
    {"measure": "progress_*", "comparison": "below", "threshold": "around half",
     "kind": "area_for_development", "scope": "primary_need",
     "description": "the share of a group of learners (by primary need) making at least "
     "expected progress in an area"},
    {"measure": "leavers_with_award", "comparison": "at_least", "threshold": "most",
     "kind": "strength"},
    {"measure": "leavers_with_award", "comparison": "below", "threshold": "many",
     "kind": "area_for_development"},
    {"measure": "attendance_rate", "comparison": "at_least", "threshold": "95%",
     "kind": "strength"},
    {"measure": "attendance_rate", "comparison": "below", "threshold": "90%",
     "kind": "area_for_development"},
    {"measure": "persistent_absence", "comparison": "below", "threshold": "few",
     "kind": "strength"},
    {"measure": "persistent_absence", "comparison": "at_least", "threshold": "a minority",
     "kind": "area_for_development"},
    {"measure": "learners_excluded", "comparison": "at_least", "threshold": "few",
     "kind": "area_for_development"},
    {"measure": "inclusion_at_least_half", "comparison": "at_least", "threshold": "many",
     "kind": "strength"},
    {"measure": "inclusion_at_least_half", "comparison": "below", "threshold": "around half",
     "kind": "area_for_development"},
    {"measure": "inclusion_rising", "comparison": "at_least", "threshold": "a majority",
     "kind": "strength"},
    {"measure": "inclusion_falling", "comparison": "at_least", "threshold": "a minority",
     "kind": "area_for_development"},
    {"measure": "stayed_after_exit_criterion", "comparison": "at_least",
     "threshold": "very few", "kind": "area_for_development"},
    {"measure": "unfilled_places", "comparison": "at_least", "threshold": "10%",
     "kind": "area_for_development"},
)

#: Recommendation drafted from an area for development, by measure (``{area}`` is the
#: area's words). Estyn's recommendations start with a verb: "Improve ...".
RECOMMENDATIONS: dict[str, str] = {
    **{f"progress_{a}": (
        "Improve the progress learners make in {area}: with SRB leads, review teaching and "
        "interventions in these areas, and track termly against their baseline every "
        "learner who is not making expected progress") for a in AREAS},
    "leavers_with_award": (
        "Widen the range of accredited qualifications at 14-16 and post-16 (Entry Level, "
        "Essential Skills Wales, GCSE, ASDAN, OCN) so that every leaver gains at least one "
        "award"),
    "attendance_rate": (
        "Improve attendance and reduce persistent absence, working with families and the "
        "education welfare service as the Welsh Government's guidance 'Belonging, engaging "
        "and participating' sets out"),
    "persistent_absence": (
        "Improve attendance and reduce persistent absence, working with families and the "
        "education welfare service as the Welsh Government's guidance 'Belonging, engaging "
        "and participating' sets out"),
    "learners_excluded": (
        "Reduce fixed-term exclusions by strengthening support and staff training for "
        "learners whose behaviour challenges (Estyn 2008: staff 'do not always cope well "
        "with pupils who have challenging behaviour')"),
    "exclusion_rate": (
        "Reduce fixed-term exclusions by strengthening support and staff training for "
        "learners whose behaviour challenges (Estyn 2008: staff 'do not always cope well "
        "with pupils who have challenging behaviour')"),
    "inclusion_at_least_half": (
        "Increase the time learners spend in mainstream classes, planned with mainstream "
        "staff and reviewed termly for each learner"),
    "inclusion_rising": (
        "Increase the time learners spend in mainstream classes, planned with mainstream "
        "staff and reviewed termly for each learner"),
    "inclusion_falling": (
        "Increase the time learners spend in mainstream classes, planned with mainstream "
        "staff and reviewed termly for each learner"),
    "returned_to_mainstream": (
        "Plan and support the return to mainstream education of learners who are ready"),
    "stayed_after_exit_criterion": (
        "Review the placements of learners who have met the exit criterion and plan their "
        "return to mainstream classes (Estyn 2008: 'pupils can stay too long in the "
        "resource base')"),
    "unfilled_places": (
        "Review the number, designation and location of SRB places against current and "
        "forecast need so that places are filled (Estyn 2008: unfilled places represent "
        "'poor value for money')"),
}


def _rule_threshold(value: object, where: str) -> tuple[str, float, bool]:
    """(kind "quantifier"/"share"/"number", bound, inclusive)."""
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
        if m:
            share = float(m.group(1)) / 100
            check_argument(share <= 1, where, "a percentage from 0% to 100%", value,
                           error=ParameterError)
            return "share", share, True
        terms = quantifier_table()["term"].tolist()
        check_argument(text.lower() in terms, where, "an Estyn quantifier (" + ", ".join(terms)
                       + "), a percentage such as '65%' or a number", value, error=ParameterError)
        lo, inc = quantifier_bounds(text)
        return "quantifier", lo, inc
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)) and np.isfinite(float(value)) and float(value) >= 0
    check_argument(ok, where, "an Estyn quantifier, a percentage such as '65%' or a number of 0 "
                   "or more", value, error=ParameterError)
    return "number", float(value), True  # type: ignore[arg-type]


def check_finding_rules(rules: Sequence[Mapping[str, object]] | None) -> list[dict]:
    """Validate finding rules (``None``: :data:`DEFAULT_FINDING_RULES`); return them normalised.

    Raises
    ------
    ParameterError
        Naming ``finding_rules[i]`` and the key at fault: an unknown key, a measure
        pattern that matches no measure, an unknown comparison, kind or scope, or a
        threshold that does not fit the measure (a quantifier or a percentage for a rate
        per 100; a share above 1).

    Examples
    --------
    >>> r = check_finding_rules([{"measure": "progress_*", "comparison": "below",
    ...                           "threshold": "many", "kind": "area_for_development"}])[0]
    >>> r["bound"], r["measures"][:2]
    (0.7, ['progress_literacy', 'progress_numeracy'])
    """
    rules = DEFAULT_FINDING_RULES if rules is None else rules
    check_argument(isinstance(rules, (list, tuple)), "finding_rules",
                   "None or a list of dicts (measure, comparison, threshold, kind)", rules,
                   error=ParameterError)
    allowed = {"measure", "comparison", "threshold", "kind", "scope", "description",
               "recommendation", "id"}
    out = []
    for i, r in enumerate(rules):  # a handful of rules
        where = f"finding_rules[{i}]"
        check_argument(isinstance(r, Mapping), where, "a dict", r, error=ParameterError)
        extra = sorted(set(r) - allowed)
        check_argument(not extra, where, "a dict with keys from " + ", ".join(sorted(allowed)),
                       extra, error=ParameterError)
        missing = [k for k in ("measure", "comparison", "threshold", "kind") if k not in r]
        check_argument(not missing, where, "a dict with measure, comparison, threshold and kind",
                       missing, error=ParameterError)
        pattern = r["measure"]
        check_argument(isinstance(pattern, str), f"{where}['measure']", "a measure id or pattern",
                       pattern, error=ParameterError)
        matched = [m for m in MEASURES if fnmatch.fnmatchcase(m, pattern)]  # type: ignore
        check_argument(bool(matched), f"{where}['measure']", "a measure (or pattern) among "
                       + ", ".join(MEASURES), pattern, error=ParameterError)
        check_argument(r["comparison"] in COMPARISONS, f"{where}['comparison']",
                       "one of " + ", ".join(map(repr, COMPARISONS)), r["comparison"],
                       error=ParameterError)
        check_argument(r["kind"] in KINDS, f"{where}['kind']",
                       "'strength' or 'area_for_development'", r["kind"], error=ParameterError)
        scope = r.get("scope", "authority")
        check_argument(scope in GROUP_TYPES, f"{where}['scope']",
                       "one of " + ", ".join(map(repr, GROUP_TYPES)), scope, error=ParameterError)
        tkind, bound, inclusive = _rule_threshold(r["threshold"], f"{where}['threshold']")
        rates = [m for m in matched if MEASURES[m]["unit"] == "per_100"]
        shares = [m for m in matched if MEASURES[m]["unit"] != "per_100"]
        check_argument(not (rates and tkind != "number"), f"{where}['threshold']",
                       "a number (per 100 learners) for " + ", ".join(rates), r["threshold"],
                       error=ParameterError)
        check_argument(not (shares and tkind == "number" and bound > 1), f"{where}['threshold']",
                       "a share from 0 to 1 (or a percentage, or a quantifier) for "
                       + ", ".join(shares), r["threshold"], error=ParameterError)
        check_argument(not (tkind == "quantifier" and r["comparison"] not in ("at_least", "below")),
                       f"{where}['comparison']", "'at_least' or 'below' with a quantifier",
                       r["comparison"], error=ParameterError)
        for key in ("description", "recommendation"):
            check_argument(r.get(key) is None or isinstance(r.get(key), str), f"{where}['{key}']",
                           "a str", r.get(key), error=ParameterError)
        out.append({"id": str(r.get("id") or f"F{i + 1}"), "measure": pattern,
                    "measures": matched, "comparison": r["comparison"],
                    "threshold": r["threshold"], "threshold_kind": tkind, "bound": bound,
                    "inclusive": inclusive, "kind": KINDS[r["kind"]], "scope": scope,
                    "description": r.get("description"),
                    "recommendation": r.get("recommendation")})
    return out


def rule_text(rule: Mapping[str, object]) -> str:
    """A finding rule in words (for the report's appendix and each finding).

    Examples
    --------
    >>> rule_text(check_finding_rules([{"measure": "progress_literacy", "comparison":
    ...     "below", "threshold": "many", "kind": "area_for_development"}])[0])
    "area for development when at least expected progress: literacy is below 'many' \
(under 70%), for the authority"
    """
    r = check_finding_rules([{k: v for k, v in rule.items() if k in (
        "measure", "comparison", "threshold", "kind", "scope", "description",
        "recommendation", "id")}])[0] if "measures" not in rule else rule
    what = r["description"] or "; ".join(MEASURE_WORDS[m]["label"] for m in r["measures"])
    scope = {"authority": "for the authority", "srb_id": "for any SRB",
             "primary_need": "for any group of learners by primary need"}[r["scope"]]
    t = r["threshold"]
    if r["threshold_kind"] == "quantifier":
        pct = f"{100 * r['bound']:g}%"
        extra = (f"under {pct}" if r["comparison"] == "below" else f"{pct} or more") \
            if r["inclusive"] else (f"{pct} or less" if r["comparison"] == "below"
                                    else f"over {pct}")
        t = f"'{t}' ({extra})"
    elif r["threshold_kind"] == "number" and any(
            MEASURES[m]["unit"] != "per_100" for m in r["measures"]):
        t = f"{100 * r['bound']:g}%"
    return f"{r['kind']} when {what} is {COMPARISONS[r['comparison']]} {t}, {scope}"


def _fires(values: np.ndarray, rule: Mapping[str, Any]) -> np.ndarray:
    b, inc, cmp_ = rule["bound"], rule["inclusive"], rule["comparison"]
    with np.errstate(invalid="ignore"):
        at_least = values >= b if inc else values > b
        if cmp_ == "at_least":
            return at_least
        if cmp_ == "below":
            return ~at_least & ~np.isnan(values)
        if cmp_ == "above":
            return values > b
        return values <= b


def findings(measures: pd.DataFrame, rules: Sequence[Mapping[str, object]] | None = None, *,
             audience: str, min_n: int = 5, census_date: Any = None,
             thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS,
             displayed: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Strengths and areas for development: each rule applied to every judged measure.

    Parameters
    ----------
    measures : DataFrame
        From :func:`srb_eval.measures.outcomes.outcome_measures`.
    rules : list of dict, optional
        Finding rules (see :data:`DEFAULT_FINDING_RULES`; checked by
        :func:`check_finding_rules`). None: the package defaults.
    audience : {"internal", "published"}
    min_n : int, default 5
    census_date : date, optional
        Named in sentences about places.
    thresholds : disclosure.Thresholds
    displayed : dict, optional
        :func:`display_measures` of ``measures`` already computed with the same
        ``audience``, ``min_n`` and ``thresholds``, by ``group_type`` (``"srb_id"``,
        ``"primary_need"``); the sentences are made from them. A breakdown not given is
        computed here.

    Returns
    -------
    DataFrame
        One row per rule x measure x group that fires, strengths first, then in section
        and measure order: ``kind`` ("strength" or "area for development"), ``section``,
        ``measure``, ``label``, ``area`` (words for a progress area, else ""),
        ``group_type``, ``group``, ``group_label``, ``value`` (share 0-1 or rate),
        ``sentence`` (:func:`measure_sentences`, disclosure-controlled for the audience),
        ``rule_id``, ``rule`` (:func:`rule_text`), ``source`` (table and figure),
        ``recommendation`` (the rule's, else :data:`RECOMMENDATIONS`, with the area filled
        in) and ``recommendation_template`` (before the area is filled in).

    Notes
    -----
    A rule compares a measure's value (a share of learners, sessions or places, or a rate
    per 100) with its threshold; a quantifier threshold stands for the lower bound of its
    band (:func:`quantifier_bounds`): "below 'many'" is below 70%, "at least 'a majority'"
    is over 60%. Only judged rows (at least ``min_n`` learners, and for a published
    audience at least ``thresholds.min_denominator``, or any places) are
    compared, so small groups never make a finding. The findings are facts about the
    data, not judgements of the provision: they say where to look.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> f = findings(res.measures, audience="internal", min_n=1)
    >>> f[["kind", "measure", "group"]].iloc[0].tolist()
    ['area for development', 'progress_literacy', 'all SRBs']
    >>> f["sentence"].iloc[0]
    'Half of the learners (1 of 2, 50%) made at least expected progress in literacy.'
    """
    checked = check_finding_rules(rules)
    pub = disclosure.check_audience(audience)
    k = whole_number(min_n, "min_n", minimum=1)
    # published: no finding about a group too small for a share (it could only be worded
    # "too few to judge", which is not a finding)
    judge_n = max(k, thresholds.min_denominator) if pub == "published" else k
    measures = measure_words(measures, min_n=judge_n)
    # the measures judge groups of min_n; a share is worded only from judge_n learners,
    # so a group the words call "too few to judge" is not a finding either
    measures = measures.assign(judged=measures["judged"].astype(bool)
                               & (measures["quantifier"] != TOO_FEW))
    cols = ["kind", "section", "measure", "label", "area", "group_type", "group",
            "group_label", "value", "sentence", "rule_id", "rule", "source", "recommendation",
            "recommendation_template"]
    hits = []
    for rule in checked:  # a handful of rules
        sel = measures.loc[measures["measure"].isin(rule["measures"])
                           & (measures["group_type"] == rule["scope"])
                           & measures["judged"].astype(bool)]
        if len(sel) == 0:
            continue
        fire = _fires(sel["value"].to_numpy(dtype=float), rule)
        got = sel.loc[fire]
        if len(got):
            hits.append(got.assign(kind=rule["kind"], rule_id=rule["id"],
                                   rule=rule_text(rule), _rec=rule["recommendation"]))
    if not hits:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    f = pd.concat(hits, ignore_index=True)
    # sentences: from the table each row appears in, so the words match what is shown
    texts = []
    tables: dict[str, pd.DataFrame] = dict(displayed or {})
    for gtype in f["group_type"].unique():  # up to three breakdowns
        shown = "srb_id" if gtype == "authority" else gtype
        if shown not in tables:
            tables[shown] = display_measures(measures, group_type=shown, audience=pub,
                                             min_n=k, thresholds=thresholds)
        d = tables[shown]
        d = d.loc[d["group_type"] == gtype]
        # sentences (one per row, each on its own) of the rows a finding is about
        found = f.loc[f["group_type"] == gtype]
        wanted = pd.MultiIndex.from_frame(found[["measure", "group"]].astype(object))
        d = d.loc[pd.MultiIndex.from_frame(d[["measure", "group"]].astype(object)).isin(
            wanted)]
        texts.append(d.assign(sentence=measure_sentences(d, census_date=census_date,
                                                        thresholds=thresholds))[
            ["measure", "group_type", "group", "sentence"]])
    f = f.merge(pd.concat(texts, ignore_index=True), on=["measure", "group_type", "group"],
                how="left")
    f["sentence"] = f["sentence"].fillna(NO_DATA)
    f["area"] = f["measure"].str.removeprefix("progress_").map(AREA_LABELS).fillna("")
    default = pd.Series([RECOMMENDATIONS.get(m, "") for m in f["measure"]], index=f.index)
    f["recommendation_template"] = f["_rec"].where(f["_rec"].notna(), default).astype("str")
    f["recommendation"] = [t.format(area=a or "every area") for t, a in zip(
        f["recommendation_template"], f["area"], strict=True)]
    order = {STRENGTH: 0, AREA_FOR_DEVELOPMENT: 1}
    mo = {m: i for i, m in enumerate(MEASURES)}
    go = {g: i for i, g in enumerate(GROUP_TYPES)}
    f = f.assign(_k=f["kind"].map(order), _m=f["measure"].map(mo),
                 _g=f["group_type"].map(go), _r=np.arange(len(f))).sort_values(
        ["_k", "_g", "_m", "_r"], kind="stable")
    f = f.drop_duplicates(["kind", "measure", "group_type", "group"], keep="first")
    return f[cols].reset_index(drop=True)


def recommendations(found: pd.DataFrame) -> pd.DataFrame:
    """Recommendations drafted from the areas for development (R1, R2, ...).

    Parameters
    ----------
    found : DataFrame
        From :func:`findings`.

    Returns
    -------
    DataFrame
        ``number`` ("R1", ...), ``recommendation`` (one per recommendation template, the
        areas of every finding that drafted it filled in: "Improve the progress learners
        make in literacy and numeracy: ..."; SRBs and needs named where an area for
        development is theirs: "..., especially numeracy in <SRB>"), ``measures``
        (labels) and ``source`` (tables and figures). Empty when there is no area for
        development.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> r = recommendations(findings(res.measures, audience="internal", min_n=1))
    >>> r["recommendation"].iloc[0][:48]
    'Improve the progress learners make in literacy: '
    """
    cols = ["number", "recommendation", "measures", "source"]
    afd = found.loc[found["kind"] == AREA_FOR_DEVELOPMENT]
    afd = afd.loc[afd["recommendation_template"].astype("str").str.strip() != ""]
    if len(afd) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    rows = []
    for template, g in afd.groupby("recommendation_template", sort=False):  # a handful
        areas = [a for a in dict.fromkeys(g["area"]) if a]
        text = str(template).format(area=_and(areas) if areas else "every area")
        where = g.loc[g["group_type"] != "authority"]
        bits = []
        for r in where.to_dict("records"):  # the groups named, a handful
            who = (f"in {r['group_label']}" if r["group_type"] == "srb_id" else
                   f"for learners with {r['group_label']} as their primary need")
            bits.append(f"{r['area']} {who}" if r["area"] else who)
        extra = (", especially " + _and(list(dict.fromkeys(bits)))) if bits else ""
        rows.append({"recommendation": f"{text}{extra}.",
                     "measures": "; ".join(dict.fromkeys(g["label"])),
                     "source": "; ".join(dict.fromkeys(g["source"]))})
    out = pd.DataFrame(rows)
    out.insert(0, "number", [f"R{i + 1}" for i in range(len(out))])
    return out[cols]


def _and(items: Sequence[str]) -> str:
    """Items joined with "and" in English, the language of the recorded table
    (:func:`~srb_eval.report.finding_words.recommendation_rows` words it for a reader)."""
    with in_language(LANGUAGES[0]):
        return join_and(items)


# --------------------------------------------------------------------------- judgement

_JUDGEMENT_COLUMNS = ("rank", "judgement", "estyn_descriptor", "min_strengths",
                      "max_areas_for_development", "areas_share_below", "rule_text", "source")


def judgement_rules(path: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The rules of the optional indicative judgement (``estyn_2017_judgement_rules.csv``).

    Returns
    -------
    DataFrame
        One row per judgement of Estyn's 2017 four-point scale, best first: ``rank``,
        ``judgement``, ``estyn_descriptor`` (Estyn's words), ``min_strengths``,
        ``max_areas_for_development`` (NaN: no limit), ``areas_share_below`` (areas for
        development as a share of all findings must be below this; NaN: no limit),
        ``rule_text`` and ``source``.

    Examples
    --------
    >>> judgement_rules()["judgement"].tolist()[:2]
    ['Excellent', 'Good']
    """
    if isinstance(path, pd.DataFrame):
        t = path.copy()
    else:
        p = JUDGEMENT_RULES_FILE if path is None else Path(path)
        check_argument(p.is_file(), "path", "an existing CSV file", str(p), error=ParameterError)
        t = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in _JUDGEMENT_COLUMNS if c not in t.columns]
    check_argument(not missing, "judgement rules", "a table with columns "
                   + ", ".join(_JUDGEMENT_COLUMNS), missing, error=ParameterError)
    out = t[list(_JUDGEMENT_COLUMNS)].copy()
    for c in ("rank", "min_strengths", "max_areas_for_development", "areas_share_below"):
        v = pd.to_numeric(out[c].replace("", np.nan), errors="coerce")
        check_argument(bool((v.notna() | (out[c].astype("str").str.strip().isin(["", "nan"]))).all()
                            and (v.dropna() >= 0).all()), f"judgement rules ({c})",
                       "numbers of 0 or more, or empty", out[c].tolist(), error=ParameterError)
        out[c] = v.astype(float)
    check_argument(bool(out["rank"].notna().all()), "judgement rules (rank)", "a rank in every row",
                   out["rank"].tolist(), error=ParameterError)
    return out.sort_values("rank", kind="stable").reset_index(drop=True)


def indicative_judgement(found: pd.DataFrame, *, rules: pd.DataFrame | None = None
                         ) -> pd.DataFrame:
    """An indicative judgement on Estyn's 2017 four-point scale, from authority findings.

    Parameters
    ----------
    found : DataFrame
        From :func:`findings`; only authority-wide findings count (a finding for one SRB
        or need is not a finding about the authority's provision).
    rules : DataFrame, optional
        From :func:`judgement_rules` (default: the shipped table).

    Returns
    -------
    DataFrame
        One row: ``judgement`` (or "not judged" when there are no findings),
        ``estyn_descriptor``, ``n_strengths``, ``n_areas_for_development``,
        ``share_areas_for_development``, ``rule`` (the rule that produced it, in words).

    Notes
    -----
    With :math:`s` strengths and :math:`a` areas for development, the first rule in rank
    order whose conditions hold gives the judgement: :math:`s \\ge` ``min_strengths``,
    :math:`a \\le` ``max_areas_for_development`` and :math:`a/(s+a) <`
    ``areas_share_below`` (empty conditions always hold). The shipped rules: Excellent
    with no area for development and at least three strengths; Good with areas for
    development under 30% of findings; Adequate and needs improvement while strengths
    outnumber them; otherwise Unsatisfactory and needs urgent improvement. The rules are
    srb-eval's, not Estyn's: Estyn's descriptors are given beside them, and Estyn has
    not given summative grades since September 2022. Off by default in the report.

    References
    ----------
    .. [1] Estyn (2017). *Common Inspection Framework*: "Excellent: very strong,
       sustained performance and practice; Good: strong features, although minor aspects
       may require improvement; Adequate and needs improvement: strengths outweigh
       weaknesses, but important aspects require improvement; Unsatisfactory and needs
       urgent improvement: important weaknesses outweigh strengths".

    Examples
    --------
    >>> found = pd.DataFrame({"group_type": ["authority"] * 4,
    ...                       "kind": [STRENGTH] * 3 + [AREA_FOR_DEVELOPMENT]})
    >>> indicative_judgement(found)[["judgement", "share_areas_for_development"]].values.tolist()
    [['Good', 0.25]]
    """
    r = judgement_rules() if rules is None else judgement_rules(rules)
    auth = found.loc[found["group_type"] == "authority"] if len(found) else found
    s = int((auth["kind"] == STRENGTH).sum()) if len(auth) else 0
    a = int((auth["kind"] == AREA_FOR_DEVELOPMENT).sum()) if len(auth) else 0
    share = a / (s + a) if s + a else np.nan
    base = {"n_strengths": s, "n_areas_for_development": a,
            "share_areas_for_development": share}
    if s + a == 0:
        return pd.DataFrame([{"judgement": "not judged", "estyn_descriptor": "",
                              **base, "rule": "no findings to judge from"}])
    ok = ((s >= r["min_strengths"].fillna(0))
          & (r["max_areas_for_development"].isna() | (a <= r["max_areas_for_development"]))
          & (r["areas_share_below"].isna() | (share < r["areas_share_below"])))
    if not ok.any():
        return pd.DataFrame([{"judgement": "not judged", "estyn_descriptor": "", **base,
                              "rule": "no rule matched"}])
    row = r.loc[ok].iloc[0]
    return pd.DataFrame([{"judgement": row["judgement"],
                          "estyn_descriptor": row["estyn_descriptor"], **base,
                          "rule": f"{row['judgement']}: {row['rule_text']}"}])


