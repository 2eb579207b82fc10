"""The findings, recommendations, finding rules and the indicative judgement of the
outcomes report (:mod:`srb_eval.report.findings`) in the report's language (issue #19).

:mod:`srb_eval.report.findings` decides and records in English (the recommendations
table is recorded); the functions here word the same findings for the page, as whole
sentences from the catalogue. Text that a user supplied in a finding rule (a description
or a recommendation) is shown as given; English words of the package's own tables that no
message matches raise an :class:`~srb_eval.report.i18n.UntranslatedWarning`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..measures.outcomes import MEASURES
from .findings import (
    AREA_FOR_DEVELOPMENT,
    DEFAULT_FINDING_RULES,
    RECOMMENDATIONS,
    STRENGTH,
    check_finding_rules,
)
from .headers import plain_header
from .i18n import (
    LANGUAGES,
    N_,
    current_language,
    join_and,
    ngettext,
    translated_table,
    unknown_text,
)
from .i18n import gettext as _
from .outcome_words import area_label, measure_label, source_words
from .quantifiers import term_words

__all__ = [
    "JUDGEMENT_WORDS",
    "finding_item",
    "judgement_markdown",
    "recommendation_item",
    "recommendation_rows",
    "rule_words",
    "shown_rules",
]

#: The words of the shipped judgement rules (estyn_2017_judgement_rules.csv) and of
#: :func:`~srb_eval.report.findings.indicative_judgement`.
JUDGEMENT_WORDS = (
    N_("Excellent"), N_("Good"), N_("Adequate and needs improvement"),
    N_("Unsatisfactory and needs urgent improvement"), N_("not judged"),
    N_("Very strong, sustained performance and practice."),
    N_("Strong features, although minor aspects may require improvement."),
    N_("Strengths outweigh weaknesses, but important aspects require improvement."),
    N_("Important weaknesses outweigh strengths."),
    N_("no area for development and at least 3 strengths"),
    N_("at least 1 strength, and areas for development are fewer than 30% of all findings"),
    N_("at least 1 strength, and more strengths than areas for development (areas for "
       "development fewer than 50% of all findings)"),
    N_("otherwise: at least as many areas for development as strengths"),
    N_("no findings to judge from"), N_("no rule matched"),
)
#: The column headers of the judgement rules table.
JUDGEMENT_HEADERS = (N_("judgement"), N_("estyn descriptor"), N_("rule text"))
#: The descriptions of the package's finding rules.
DESCRIPTIONS = tuple(dict.fromkeys(r["description"] for r in DEFAULT_FINDING_RULES
                                   if r.get("description")))
_DESCRIPTION_WORDS = (
    N_("the share of learners making at least expected progress in an area"),
    N_("the share of an SRB's learners making at least expected progress in an area"),
    N_("the share of a group of learners (by primary need) making at least expected "
       "progress in an area"),
)
#: The package's recommendations (``{area}`` the areas' words).
_RECOMMENDATION_WORDS = (
    N_("Improve the progress learners make in {area}: with SRB leads, review teaching and "
       "interventions in these areas, and track termly against their baseline every "
       "learner who is not making expected progress"),
    N_("Widen the range of accredited qualifications at 14-16 and post-16 (Entry Level, "
       "Essential Skills Wales, GCSE, ASDAN, OCN) so that every leaver gains at least one "
       "award"),
    N_("Improve attendance and reduce persistent absence, working with families and the "
       "education welfare service as the Welsh Government's guidance 'Belonging, engaging "
       "and participating' sets out"),
    N_("Reduce fixed-term exclusions by strengthening support and staff training for "
       "learners whose behaviour challenges (Estyn 2008: staff 'do not always cope well "
       "with pupils who have challenging behaviour')"),
    N_("Increase the time learners spend in mainstream classes, planned with mainstream "
       "staff and reviewed termly for each learner"),
    N_("Plan and support the return to mainstream education of learners who are ready"),
    N_("Review the placements of learners who have met the exit criterion and plan their "
       "return to mainstream classes (Estyn 2008: 'pupils can stay too long in the "
       "resource base')"),
    N_("Review the number, designation and location of SRB places against current and "
       "forecast need so that places are filled (Estyn 2008: unfilled places represent "
       "'poor value for money')"),
)


def _known(text: str, words: tuple[str, ...]) -> str:
    """``text`` translated when it is one of ``words``; else as given (a user's words)."""
    return _(text) if text in words else text


def finding_item(sentence: str, source: str) -> str:
    """A finding as a list item: "<sentence> (Table 2.1, Figure 2.1.)"."""
    return _("{finding} ({source}.)").format(finding=sentence, source=source_words(source))


def _comparison(rule: Mapping[str, Any], what: str, threshold: str) -> str:
    strength = rule["kind"] == STRENGTH
    words = {
        (True, "at_least"): _("strength when {what} is at least {threshold}"),
        (True, "below"): _("strength when {what} is below {threshold}"),
        (True, "above"): _("strength when {what} is above {threshold}"),
        (True, "at_most"): _("strength when {what} is at most {threshold}"),
        (False, "at_least"): _("area for development when {what} is at least {threshold}"),
        (False, "below"): _("area for development when {what} is below {threshold}"),
        (False, "above"): _("area for development when {what} is above {threshold}"),
        (False, "at_most"): _("area for development when {what} is at most {threshold}"),
    }
    return words[(strength, rule["comparison"])].format(what=what, threshold=threshold)


def rule_words(rule: Mapping[str, object]) -> str:
    """A finding rule in words in the report's language (in English,
    :func:`~srb_eval.report.findings.rule_text`)."""
    r = check_finding_rules([{k: v for k, v in rule.items() if k in (
        "measure", "comparison", "threshold", "kind", "scope", "description",
        "recommendation", "id")}])[0] if "measures" not in rule else rule
    what = (_known(str(r["description"]), DESCRIPTIONS) if r["description"] else
            "; ".join(measure_label(m) for m in r["measures"]))  # type: ignore[union-attr]
    pct = f"{100 * float(r['bound']):g}%"  # type: ignore[arg-type]
    t = str(r["threshold"])
    if r["threshold_kind"] == "quantifier":
        below = r["comparison"] == "below"
        extra = ((_("under {share}") if below else _("{share} or more")) if r["inclusive"]
                 else (_("{share} or less") if below else _("over {share}"))).format(
            share=pct)
        t = _("'{word}' ({share})").format(word=term_words().get(t, t), share=extra)
    elif r["threshold_kind"] == "number" and any(
            MEASURES[m]["unit"] != "per_100" for m in r["measures"]):  # type: ignore[union-attr]
        t = pct
    scope = {"authority": _("{rule}, for the authority"),
             "srb_id": _("{rule}, for any SRB"),
             "primary_need": _("{rule}, for any group of learners by primary need")}
    return scope[str(r["scope"])].format(rule=_comparison(r, what, t))


def judgement_markdown(row: Mapping[str, Any]) -> str:
    """The indicative judgement's heading and paragraph, from a row of
    :func:`~srb_eval.report.findings.indicative_judgement`."""
    judgement = _known(str(row["judgement"]), JUDGEMENT_WORDS)
    rule = str(row["rule"])
    head, sep, tail = rule.partition(": ")
    rule = (f"{_known(head, JUDGEMENT_WORDS)}: {_known(tail, JUDGEMENT_WORDS)}" if sep
            else _known(rule, JUDGEMENT_WORDS))
    s, a = int(row["n_strengths"]), int(row["n_areas_for_development"])
    counted = _("It counts the {strengths} and {areas} found for the authority as a whole "
                "(findings about one SRB or one group of learners do not count); the rule "
                "applied: *{rule}*.").format(
        strengths=ngettext("{n} strength", "{n} strengths", s).format(n=s),
        areas=ngettext("{n} area for development", "{n} areas for development", a).format(
            n=a), rule=rule)
    return ("### " + _("Indicative judgement: {judgement}").format(judgement=judgement)
            + "\n\n" + _(
                "Estyn has not given summative judgements (grades) since September 2022; "
                "this is an indicative reading on its 2017 four-point scale, produced by "
                "the rules below from the authority-wide findings, not an Estyn "
                "judgement.") + " " + counted + " " + _("Estyn's descriptor: "
                                                        "\"{descriptor}\"").format(
                descriptor=_known(str(row["estyn_descriptor"]), JUDGEMENT_WORDS)))


def shown_rules(table: pd.DataFrame) -> pd.DataFrame:
    """The judgement rules table (judgement, descriptor, rule) as a reader sees it."""
    if current_language() == LANGUAGES[0]:
        return table
    for c in table.columns:
        if plain_header(c) not in JUDGEMENT_HEADERS:
            unknown_text(plain_header(c))
        for text in table[c].dropna().astype("str").unique():
            if text not in JUDGEMENT_WORDS:
                unknown_text(text)
    return translated_table(table, JUDGEMENT_WORDS)


def recommendation_rows(found: pd.DataFrame) -> list[dict[str, str]]:
    """The recommendations of :func:`~srb_eval.report.findings.recommendations` (same
    order and numbers) worded in the report's language: ``number``, ``recommendation``,
    ``source``."""
    afd = found.loc[found["kind"] == AREA_FOR_DEVELOPMENT] if len(found) else found
    if len(afd) == 0:
        return []
    afd = afd.loc[afd["recommendation_template"].astype("str").str.strip() != ""]
    package = tuple(dict.fromkeys(RECOMMENDATIONS.values()))
    rows = []
    for template, g in afd.groupby("recommendation_template", sort=False):  # a handful
        areas = [area_label(m.removeprefix("progress_")) for m in dict.fromkeys(
            g.loc[g["area"].astype(bool), "measure"])]
        text = _known(str(template), package).format(
            area=join_and(areas) if areas else _("every area"))
        bits = []
        for r in g.loc[g["group_type"] != "authority"].to_dict("records"):  # a handful
            area = (area_label(r["measure"].removeprefix("progress_")) if r["area"]
                    else "")
            label = r["group_label"]
            if r["group_type"] == "srb_id":
                bits.append(_("{area} in {srb}").format(area=area, srb=label) if area else
                            _("in {srb}").format(srb=label))
            else:
                bits.append(_("{area} for learners with {need} as their primary need").format(
                    area=area, need=label) if area else
                    _("for learners with {need} as their primary need").format(need=label))
        sentence = (_("{recommendation}, especially {groups}.").format(
            recommendation=text, groups=join_and(dict.fromkeys(bits))) if bits else
            _("{recommendation}.").format(recommendation=text))
        rows.append({"number": f"R{len(rows) + 1}", "recommendation": sentence,
                     "source": "; ".join(dict.fromkeys(g["source"]))})
    return rows


def recommendation_item(row: Mapping[str, str]) -> str:
    """A recommendation as a list item: "**R1** <recommendation> (Table 2.1, Figure 2.1.)"."""
    return _("**{number}** {recommendation} ({source}.)").format(
        number=row["number"], recommendation=row["recommendation"],
        source=source_words(row["source"]))

