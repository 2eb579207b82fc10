"""Sentences of the learner progress report (10) that a translator can word and order
freely, for every grouping and count the report can meet (issue #19): the coverage
sentence is one message per form of its counts, and every grouping of
:data:`srb_eval.report.progress.GROUP_TITLES` has its own headings, range sentences and
figure titles."""

from __future__ import annotations

import itertools
import re
import warnings

from babel.messages.pofile import read_po, write_po

from srb_eval.report import i18n
from srb_eval.report import progress as W

LOCALE = i18n.LOCALE_DIR


def _row(measured: int, too_soon: int, none_yet: int) -> dict:
    total = measured + too_soon + none_yet
    return {"learners_placed": 20, "learners_assessed": 18, "learners_measured": 14,
            "results": total, "results_measured": measured, "results_too_soon": too_soon,
            "results_no_follow_up": none_yet}


def test_coverage_sentence_is_one_message_a_translator_can_reorder(tmp_path, monkeypatch):
    """A catalogue whose every results sentence puts the counts in reverse order: the
    Welsh report follows it for each form of the counts (1 or more of each), so the
    sentence is a whole message, not parts glued in English order."""
    with open(i18n.catalogue_path("cy"), "rb") as f:
        catalogue = read_po(f, locale="cy_GB", domain=i18n.DOMAIN)
    changed = 0
    for message in catalogue:
        if isinstance(message.id, tuple) and message.id[0].startswith("Of their {total}"):
            message.string = ("{no_follow_up} / {too_soon} / {measured} / {total}",) * 5
            changed += 1
    assert changed == 8
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.po", "wb") as f:
        write_po(f, catalogue)
    monkeypatch.setenv(i18n.LOCALE_ENV, str(tmp_path))
    for counts in itertools.product((1, 2), (1, 3), (1, 6)):
        with i18n.in_language("cy"):
            text = W.describe_coverage(_row(*counts), audience="internal")
        measured, too_soon, none_yet = counts
        assert text.endswith(f" {none_yet} / {too_soon} / {measured} / {sum(counts)}"), text


def test_coverage_sentence_in_welsh_for_every_form_of_its_counts():
    """Each form of the counts (is/are, has/have, and the Welsh plural forms of the
    number of results) has a Welsh sentence with every number in it; English reads as it
    always has."""
    assert W.describe_coverage(_row(1, 2, 1), audience="internal").endswith(
        "Of their 4 results (learner, instrument and area), 1 is measured over at least a "
        "term, 2 are too soon to judge (less than a term between baseline and latest "
        "assessment) and 1 has no follow-up yet.")
    for counts in itertools.product((0, 1, 2), (0, 1, 3), (1, 6)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", i18n.UntranslatedWarning)
            with i18n.in_language("cy"):
                text = W.describe_coverage(_row(*counts), audience="internal")
        welsh = text.split("O’u ", 1)[1]
        assert [int(x) for x in re.findall(r"\d+", welsh)] == [
            sum(counts), *counts]
        assert " are " not in text and " is " not in text
