"""The output folder of a render: what may be replaced, what a killed run left behind,
and the swap that puts a finished render in place.

A render writes into a staging folder beside its output folder (marked as its own by
:data:`STAGING_MARK`) and swaps it in whole at the end (:func:`swap_in`), so an
interrupted or crashed run leaves neither a half-written folder nor a damaged previous
render. A folder is replaced only when it is empty or holds nothing but an earlier
render's files (:func:`files_not_rendered`); what a killed run left beside it is
removed or put back only when a render wrote it (:func:`clean_stale`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import ParameterError
from ..paths import NOTEBOOKS_DIR, PACKAGE_DIR, PROJECT_ROOT
from ..report.i18n import LANGUAGES
from .html import index_name
from .jobs import FACTS_FOLDER, PUBLISHED_DIR

__all__ = ["STAGING_MARK", "check_out_dir", "clean_stale", "files_not_rendered", "swap_in"]


def check_out_dir(out_dir: Path, protected: list[Path], inputs: list[Path]) -> None:
    """Refuse to replace a folder that is not an earlier render, or to mix with inputs."""
    out_dir = out_dir.resolve()
    for p in [PROJECT_ROOT, NOTEBOOKS_DIR, PACKAGE_DIR, *protected, *inputs]:
        p = p.resolve()
        if out_dir == p or out_dir in p.parents:
            raise ParameterError(f"--out {out_dir}: would replace {p}, which holds inputs; "
                                 "choose another output folder")
    for p in [NOTEBOOKS_DIR, PACKAGE_DIR, *inputs]:
        if p.resolve() in out_dir.parents:
            raise ParameterError(f"--out {out_dir}: is inside {p.resolve()}, which holds "
                                 "inputs; choose another output folder")
    if out_dir.exists():
        if not out_dir.is_dir():
            raise ParameterError(f"--out {out_dir}: exists and is not a folder")
        if any(out_dir.iterdir()):
            foreign = files_not_rendered(out_dir)
            if foreign:
                shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
                raise ParameterError(
                    f"--out {out_dir}: exists and holds files that srb-eval render did not "
                    f"write ({shown}); refusing to replace it. Choose an empty or new "
                    "folder, or move those files away")


def files_not_rendered(folder: Path) -> list[str]:
    """What in ``folder`` an earlier ``srb-eval render`` did not write (sorted paths).

    An earlier render is recognised by its ``manifest.json``: every file in the folder
    must be one the manifest names (each report's notebook, HTML, log and result tables,
    ``index.html``, ``manifest.json``, a reproduction's ``reproduction.json``, and the
    ``published/`` folder with its own ``index.html``, the reports' Word copies and the
    record of public facts, ``tables/public_facts/``). Anything else, or a folder with
    no readable manifest, is someone else's and is never deleted.
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        reports = [r for r in manifest["reports"] if isinstance(r, dict)]
        names = {str(r["name"]) for r in reports}
    except (OSError, ValueError, KeyError, TypeError):
        return sorted(str(p.relative_to(folder)) for p in folder.iterdir())
    published = {str(r["name"]) for r in reports if r.get("folder") == PUBLISHED_DIR}
    indexes = {index_name(code) for code in LANGUAGES}
    expected = {"manifest.json", "reproduction.json", "tables", "logs", *indexes}
    if published:
        expected.add(PUBLISHED_DIR)
    for r in reports:
        expected.update(str(v) for v in (r.get("files") or {}).values()
                        if "/" not in str(v))
    folders = {"tables", "logs", PUBLISHED_DIR}
    foreign = [p.name for p in folder.iterdir()
               if p.name not in expected or not _is_kind(p, folder=p.name in folders)]
    logs = folder / "logs"
    if _is_kind(logs, folder=True):
        foreign += [f"logs/{p.name}" for p in logs.iterdir()
                    if not (p.suffix == ".log" and p.stem in names and _is_kind(p))]
    foreign += _foreign_tables(folder, "tables", names - published)
    pub = folder / PUBLISHED_DIR
    if published and _is_kind(pub, folder=True):
        html_files = ({f"{n}.html" for n in published} | {f"{n}.docx" for n in published}
                      | indexes | {"tables"})
        foreign += [f"{PUBLISHED_DIR}/{p.name}" for p in pub.iterdir()
                    if p.name not in html_files
                    or not _is_kind(p, folder=p.name == "tables")]
        foreign += _foreign_tables(folder, f"{PUBLISHED_DIR}/tables",
                                   published | {FACTS_FOLDER})
    return sorted(foreign)


def _is_kind(p: Path, *, folder: bool = False) -> bool:
    """Whether ``p`` is what a render writes there: a plain folder (``folder``) or a
    regular file, not a link. A folder named like a report's log, or a link named like
    its tables, is someone else's."""
    return not p.is_symlink() and (p.is_dir() if folder else p.is_file())


def _foreign_tables(folder: Path, rel: str, names: set[str]) -> list[str]:
    """Entries of ``folder/rel`` that are not result tables or disclosure records of
    the reports ``names``."""
    tables = folder / rel
    if not _is_kind(tables, folder=True):
        return []  # (a "tables" that is not a plain folder is foreign by itself)
    foreign = []
    for d in tables.iterdir():
        if not (_is_kind(d, folder=True) and d.name in names):
            foreign.append(f"{rel}/{d.name}")
            continue
        foreign += [f"{rel}/{d.name}/{f.name}" for f in d.iterdir()
                    if not (_is_kind(f) and (f.suffix == ".csv"
                                             or f.name.endswith(".disclosure.json")))]
    return foreign


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours
        return True
    return True


#: The file that marks a staging folder as a render's own while it runs (removed before
#: the folder becomes the output).
STAGING_MARK = ".srb-eval-staging"


def clean_stale(out_dir: Path) -> None:
    """Remove what a killed earlier run left beside ``out_dir`` (its pid is gone).

    A previous render moved aside for the swap (every file named by its manifest:
    :func:`files_not_rendered`) is put back when ``out_dir`` itself is missing, else
    deleted; a staging folder is deleted when it still holds :data:`STAGING_MARK`. A
    folder of the same name that holds anything else is someone else's: it is left
    alone, never moved into place nor deleted.
    """
    for d in sorted(out_dir.parent.glob(f".{out_dir.name}.*-*-*")):
        m = re.fullmatch(rf"\.{re.escape(out_dir.name)}\.(staging|old)-(\d+)-\w+", d.name)
        if not m or not _is_kind(d, folder=True) or _pid_alive(int(m.group(2))):
            continue
        if m.group(1) == "staging":
            if _is_kind(d / STAGING_MARK):
                shutil.rmtree(d, ignore_errors=True)
        elif not files_not_rendered(d):  # a render's own output, moved aside
            if out_dir.exists():
                shutil.rmtree(d, ignore_errors=True)
            else:
                d.rename(out_dir)


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging``; the old folder is restored if that fails."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-",
                                dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
