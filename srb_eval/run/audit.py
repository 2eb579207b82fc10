"""``srb-eval audit RENDERED_DIR``: audit every published table of a rendered folder at once.

Each published table that a report writes comes with a disclosure record,
``tables/<report>/<table>.disclosure.json`` (and the same under ``published/`` when the
folder has one): what every cell shows and which cells add up to which. The records are
read as JSON only (nothing in the folder is executed, nothing is written into it) and
audited together by :func:`srb_eval.report.audit.feasible_ranges`, so a count hidden in
one report and shown in another, or recoverable across tables, is found, and so is a
zero that states the share of a group too small for one (the group-share check).

Exit codes: 0 every hidden count passes; 1 some hidden count is narrowed beyond the policy
(or the published numbers contradict each other); 2 the folder cannot be used (missing,
no records, a malformed record file).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataReadError
from ..paths import link_in, resolve
from ..report.audit import AuditError, check_record, feasible_ranges
from ..report.public_facts import FACTS_TABLE, public_facts_record
from .jobs import FACTS_FOLDER, atomic_write_text

__all__ = ["MAX_RENDER_AUDIT", "NOT_AUDITED", "AuditResult", "audit_folder", "audit_summary",
           "find_records", "read_record", "write_public_facts"]

#: Record files larger than this are refused rather than read.
MAX_RECORD_BYTES = 50_000_000
PATTERN = "tables/*/*.disclosure.json"


def find_records(rendered_dir: str | Path) -> list[Path]:
    """The record files of a rendered folder, sorted (``published/`` ones included).

    Raises
    ------
    srb_eval.errors.DataReadError
        When the folder does not exist or holds no record, a record is reached through
        a symbolic link (the file or a sub-folder: render writes none; never followed),
        or an entry named like a record is not a file.
    """
    root = Path(rendered_dir)
    if not root.is_dir():
        raise DataReadError(f"{root}: not a folder (give a folder written by `srb-eval render`)")
    files = sorted(root.glob(PATTERN))
    if (root / "published").is_dir():
        files += sorted((root / "published").glob(PATTERN))
    for f in files:
        if (link := link_in(root, f.relative_to(root).as_posix())) is not None:
            raise DataReadError(f"{root}: {link}; render writes no links, so the records "
                                "under it are not followed or read")
    odd = [f.relative_to(root).as_posix() for f in files if not f.is_file()]
    if odd:  # (a record skipped would leave its table unaudited, and the verdict wrong)
        raise DataReadError(f"{root}: {', '.join(odd[:5])}: named as a disclosure record but "
                            "not a file (a folder, a pipe or a device), which render never "
                            "writes; not audited")
    if not files:
        raise DataReadError(
            f"{root}: no disclosure records ({PATTERN}, or the same under published/); "
            "only reports rendered for the published audience write them")
    return files


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in a record")


def read_record(path: str | Path) -> dict:
    """One record file, parsed as JSON and validated; DataReadError naming the file."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_RECORD_BYTES:
            raise ValueError(f"larger than {MAX_RECORD_BYTES:,} bytes")
        return check_record(json.loads(p.read_text(encoding="utf-8"),
                                       parse_constant=_no_constant))
    except (OSError, UnicodeDecodeError, ValueError) as err:  # AuditError, JSONDecodeError
        raise DataReadError(f"{p}: not a valid disclosure record: {err}") from None


@dataclass(frozen=True)
class AuditResult:
    """What ``srb-eval audit`` found.

    ``ranges`` is the table of :func:`~srb_eval.report.audit.feasible_ranges` (one row per
    hidden cell occurrence); ``files`` the records read; ``error`` the contradiction found,
    if any (then ``ranges`` is empty).
    """

    folder: Path
    files: tuple[Path, ...]
    ranges: pd.DataFrame
    error: str = ""

    @property
    def exit_code(self) -> int:
        """0 when every hidden count passes, else 1."""
        return 1 if self.error or not self.ranges["passes"].all() else 0

    def report(self, *, limit: int = 40) -> str:
        """A short plain-text summary: per report, hidden cells checked and narrowed;
        then each narrowed cell and why (at most ``limit`` of them)."""
        head = f"audit of {self.folder}: {len(self.files)} disclosure records"
        if self.error:
            return f"{head}\nFAILED: {self.error}"
        r = self.ranges
        lines = [head]
        if r.empty:
            return head + "\nno hidden counts: nothing to check"
        per = r.groupby("report", sort=True).agg(checked=("passes", "size"),
                                                 narrowed=("passes", lambda p: int((~p).sum())))
        width = max(6, *map(len, per.index))
        lines.append(f"{'report':<{width}}  hidden  narrowed")
        lines += [f"{name:<{width}}  {row.checked:>6}  {row.narrowed:>8}"
                  for name, row in per.iterrows()]
        bad = r[~r["passes"]]
        lines.append(f"{len(r)} hidden counts checked, {len(bad)} narrowed beyond the policy")
        for row in bad.head(limit).itertuples(index=False):
            high = "inf" if math.isinf(row.high) else int(row.high)
            lines.append(f"  {row.report}/{row.table} row {row.row} column {row.column!r} "
                         f"[{row.key}] range {row.low}..{high}: {row.reason}")
        if len(bad) > limit:
            lines.append(f"  ... and {len(bad) - limit} more")
        lines.append("PASSED" if bad.empty else "FAILED")
        return "\n".join(lines)


def audit_folder(rendered_dir: str | Path, *more: str | Path,
                 total_label: str = "All", verdicts_only: bool = False,
                 shares: bool = True) -> AuditResult:
    """Read every disclosure record of one or more rendered folders and audit them together.

    Parameters
    ----------
    rendered_dir, *more : str or Path
        Folders written by ``srb-eval render``. Several folders are audited as one body
        of published output (e.g. a suite and its per-SRB fan-out sent to the same
        committee): a count hidden in one and shown in another is found.
    total_label : str, default "All"
    verdicts_only : bool, default False
        As in :func:`~srb_eval.report.audit.feasible_ranges`: the same verdicts with
        about half the work, exact ranges only for the cells that fail.
    shares : bool, default True
        Also run the group-share check (``feasible_ranges(shares=True)``): no zero may
        state the share of a group too small for one.

    Returns
    -------
    AuditResult

    Raises
    ------
    srb_eval.errors.DataReadError
        For a folder that cannot be used or a malformed record (naming the file).
    """
    files = [f for d in (rendered_dir, *more) for f in find_records(d)]
    records = [read_record(f) for f in files]
    folder = Path(rendered_dir) if not more else Path(", ".join(
        str(d) for d in (rendered_dir, *more)))
    try:
        ranges = feasible_ranges(records, total_label=total_label,
                                 verdicts_only=verdicts_only, shares=shares)
    except AuditError as err:
        return AuditResult(folder, tuple(files), pd.DataFrame(), str(err))
    return AuditResult(folder, tuple(files), ranges)


def write_public_facts(folder: str | Path, data_dirs: list[str]) -> Path | None:
    """Write the record of what is public about the SRBs of ``data_dirs`` into ``folder``.

    ``folder`` is a render's published folder, whose records are already written: the
    record (:func:`srb_eval.report.public_facts.public_facts_record`) fixes at 0 every
    count of those records that pairs an SRB with another phase, language of provision
    or area, so the audit (the render's and ``srb-eval audit``) knows what any reader
    knows. Written to ``tables/public_facts/srbs.disclosure.json``; returns its path, or
    None when the folder has no record or the facts fix nothing. An SRB id that two
    datasets describe differently is left out (its facts are not known for sure).
    """
    from ..data.io import load_dataset

    try:
        records = [read_record(f) for f in find_records(folder)]
    except DataReadError:
        return None
    tables = [load_dataset(resolve(d), tables=()).srbs for d in data_dirs]
    if not tables:
        return None
    srbs = pd.concat(tables, ignore_index=True).astype("string")
    srbs = srbs.drop_duplicates()
    srbs = srbs.loc[~srbs["srb_id"].duplicated(keep=False)]
    record = public_facts_record(records, srbs)
    if not record["cells"]:
        return None
    path = Path(folder) / "tables" / FACTS_FOLDER / f"{FACTS_TABLE}.disclosure.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return path


#: At most this many hidden counts are audited while rendering. Beyond it render refuses
#: to write published output (nothing is written) unless it is told not to audit
#: (``srb-eval render --no-audit``), when the indexes and the manifest say the output was
#: not audited and ``srb-eval audit`` is run on demand. Rendering audits for verdicts only
#: (``verdicts_only``). The time goes with the size of the linked components, not only
#: with the number of hidden counts: the published suite on the all-Wales benchmark data
#: (281 SRBs, 8,019 hidden counts) is audited in about 41 s on one core, the demo suite
#: (637 hidden counts) in about 2 s. The limit leaves room for twice the Wales benchmark.
MAX_RENDER_AUDIT = 20_000

#: What a render run with ``--no-audit`` records as the reason its audit was not run.
NOT_AUDITED = "the render was run with --no-audit"


def audit_summary(folder: str | Path, *, limit: int = 20,
                  max_hidden: int = MAX_RENDER_AUDIT, audit: bool = True) -> dict | None:
    """The audit of a render's own published records, for its manifest and index.

    ``None`` when the folder has no record. With ``audit=False`` (``render --no-audit``),
    a dict whose ``skipped`` says the output was not audited (``passed`` is None,
    ``audited`` False). With more than ``max_hidden`` hidden counts, a dict whose
    ``refused`` names the count and the limit (``passed`` is False): render then writes
    nothing. Otherwise a dict: ``records`` (files read), ``hidden`` (hidden counts
    checked), ``narrowed`` (how many can be narrowed beyond the policy), ``passed``,
    ``error`` (contradictory numbers, if any) and ``cells`` (the first ``limit`` narrowed
    cells: report, table, row, column, key, low, high, reason).
    """
    try:
        files = find_records(folder)
    except DataReadError:
        return None
    records = [read_record(f) for f in files]
    n_hidden = sum(c["text"] in (r["policy"]["small_count_text"], r["policy"]["suppressed_text"])
                   for r in records for c in r["cells"])
    if not audit:
        return {"records": len(files), "hidden": n_hidden, "narrowed": None, "passed": None,
                "audited": False, "error": "", "cells": [], "skipped": NOT_AUDITED}
    if n_hidden > max_hidden:
        return {"records": len(files), "hidden": n_hidden, "narrowed": None, "passed": False,
                "audited": False, "error": "", "cells": [],
                "refused": f"{n_hidden:,} hidden counts, more than the {max_hidden:,} a render "
                           "audits itself"}
    try:
        result = audit_folder(folder, verdicts_only=True)
    except DataReadError:
        return None
    r = result.ranges
    bad = r[~r["passes"]] if not r.empty else r
    cells = [{"report": x.report, "table": x.table, "row": int(x.row), "column": x.column,
              "key": x.key, "low": int(x.low),
              "high": None if math.isinf(x.high) else int(x.high), "reason": x.reason}
             for x in bad.head(limit).itertuples(index=False)]
    return {"records": len(result.files), "hidden": int(len(r)), "narrowed": int(len(bad)),
            "passed": result.exit_code == 0, "audited": True, "error": result.error,
            "cells": cells}
