"""The data dictionary (``docs/data-dictionary.md``), generated from the schema's pandera
models, vocabularies and rules (:mod:`srb_eval.data.schema`) by ``make docs``
(``python -m srb_eval.data.dictionary``); a test fails when the committed file is stale.
"""

from __future__ import annotations

import sys

import pandera.pandas as pa

from .schema import ALIASES, IDENTIFIER_COLUMNS, TABLES, VOCABULARIES, TableSpec

__all__ = ["data_dictionary"]


_KIND_WORDS = {
    "id": "text (identifier)",
    "text": "text",
    "date": "date (YYYY-MM-DD or DD/MM/YYYY)",
    "month": "month (YYYY-MM)",
    "bool": "yes/no (true/false, y/n, 1/0)",
    "int": "whole number",
    "number": "number",
    "vocab": "code",
    "vocab_list": "codes separated by `;`",
}


def _rules(col: pa.Column) -> str:
    out = []
    if col.unique:
        out.append("unique")
    for check in col.checks:
        stats = check.statistics or {}
        name = check.name
        if name == "isin":
            if col.metadata.get("kind") == "vocab":
                continue
            out.append("one of " + ", ".join(f"{v:g}" for v in stats["allowed_values"]))
        elif name == "greater_than_or_equal_to":
            out.append(f">= {stats['min_value']}")
        elif name == "less_than_or_equal_to":
            out.append(f"<= {stats['max_value']}")
        elif name == "greater_than":
            out.append(f"> {stats['min_value']}")
        elif name == "str_matches":
            out.append("written YYYY-YY")
        elif name.endswith("_not_postcode"):
            out.append("not a postcode or postcode sector")
        else:
            out.append(name)
    vocab = col.metadata.get("vocab")
    if vocab:
        out.append("from the " + vocab.replace("_", " ") + " vocabulary")
    return "; ".join(out)


def data_dictionary() -> str:
    """Markdown data dictionary of every table, generated from the pandera models."""
    lines = list(_DICTIONARY_INTRO)
    for spec in TABLES.values():
        lines += _table_section(spec)
    lines += ["## Vocabularies", ""]
    for name, codes in VOCABULARIES.items():
        aliases = ALIASES.get(name, {})
        alias_text = (
            " (also read: " + ", ".join(f"{k} -> {v}" for k, v in aliases.items()) + ")"
            if aliases else ""
        )
        lines.append(f"- **{name.replace('_', ' ')}**: " + ", ".join(f"`{c}`" for c in codes)
                     + alias_text)
    lines += _cross_table_rules()
    return "\n".join(lines)


#: The opening of the data dictionary (:func:`data_dictionary`).
_DICTIONARY_INTRO = (
    "# Data dictionary",
    "",
    "Generated from `srb_eval/data/schema.py` by `make docs` (`python -m srb_eval.data.dictionary`);",
    "a test fails when this file is stale. Do not edit by hand.",
    "",
    "A dataset is a folder of CSV or Parquet files named after the tables below",
    "(`srbs.csv`, `learners.parquet`, ...) or one Excel workbook with a sheet per table.",
    "Only `srbs`, `learners` and `placements` are required. The two `comparison_`",
    "tables describe learners with additional learning needs who were not placed in",
    "an SRB; only the matched comparison (report 60) reads them. `srb_costs`,",
    "`external_placements` and `deflators` hold money and the placements outside the",
    "SRBs; only the value-for-money report (45) reads them. Headers are matched",
    "case-insensitively; extra columns are kept. Vocabulary codes are matched",
    "case-insensitively with surrounding spaces ignored.",
    "",
)


def _table_section(spec: TableSpec) -> list[str]:
    """One table's part of the data dictionary: its key, its columns and its row rules."""
    status = "required" if spec.required else "optional"
    lines = [
        f"## `{spec.name}` ({status})",
        "",
        " ".join((spec.model.__doc__ or "").split()) + f" Key: {', '.join(spec.key)}.",
        "",
        "| column | type | required | empty allowed | rules | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for name, col in spec.columns().items():
        kind = col.metadata.get("kind", "")
        lines.append(
            f"| `{name}` | {_KIND_WORDS.get(kind, kind)} | "
            f"{'yes' if col.required else 'no'} | {'yes' if col.nullable else 'no'} | "
            f"{_rules(col)} | {col.description or ''} |"
        )
    checks = [c.error for c in spec.model.to_schema().checks]
    if checks:
        lines += ["", "Row rules: " + "; ".join(checks) + "."]
    return [*lines, ""]


def _cross_table_rules() -> list[str]:
    """The rules between tables and across a table's rows, as the dictionary lists them."""
    return [
        "",
        "## Cross-table rules",
        "",
        "- every `learner_id` in a learner-level table is in `learners`;",
        "- every `srb_id` in `placements` is in `srbs`; every `instrument` in `assessments` "
        "is in `instruments`;",
        "- every `learner_id` in `comparison_assessments` is in `comparison_learners`, "
        "and its `instrument` in `instruments`; no comparison learner's id is in "
        "`learners`;",
        "- every `srb_id` in `srb_costs` is in `srbs`;",
        "- no duplicate keys (see each table);",
        "- a learner's placement in one SRB does not start while their placement in "
        "another is still open (a move may start on the day the other ends);",
        "- a learner's `attendance` periods do not overlap (each session counts once), "
        "nor do a learner's `inclusion` periods of one subject (each minute counts once);",
        "- a date has no time of day; a Parquet column of midnights in its own time zone "
        "is read as those dates, any other zoned column as the time in Britain;",
        "- free text in a key (an inclusion `subject`) is compared with case and spaces "
        "folded: `ENGLISH` repeats `English`;",
        "- a name or code (every `id` and `text` column) is written on one line, without "
        "a line break or another control character;",
        "- a date lies from 1677-09-22 to 2262-04-11 (leave an open end empty);",
        "- a score lies within its instrument's `min_score`..`max_score` where given;",
        "- a learner is aged 3 to 25 at every assessment;",
        "- columns that identify a person directly (" + ", ".join(
            sorted(c for c in IDENTIFIER_COLUMNS if "_" not in c)[:8]) + ", ...) are refused: "
        "pseudonymise with `srb-eval pseudonymise` first.",
        "",
    ]


if __name__ == "__main__":  # pragma: no cover - `make docs`
    sys.stdout.write(data_dictionary())
