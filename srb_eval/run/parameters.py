"""Parameter files: reading them as plain data and expanding them into jobs.

Parameter file
--------------
.. code-block:: yaml

    title: Demo suite                # shown on the index page ({en: ..., cy: ...} per language)
    data_dir: data/demo              # passed to every notebook that has a data_dir
    parameters: {audience: published}  # defaults for every report (optional)
    reports:
      - notebook: 00_data_quality    # notebooks/<name>.ipynb
        parameters: {audience: internal}
      - notebook: 10_learner_progress
        fan_out: {srb: each}         # one report per SRB in the dataset; or a list

``languages: [en, cy]`` (top level) renders every report in English and in Welsh: the
Welsh copy of report ``NN_name`` is ``NN_name.cy`` (``NN_name.cy.html``, its tables in
``tables/NN_name.cy/``), made with the notebook's ``language`` parameter set to ``cy``;
a notebook that declares no ``language`` parameter has no translation yet and is refused.
Without ``languages`` each report is rendered once, in its ``language`` parameter
(English by default).

``fan_out`` takes one parameter name and either a list of values or ``each`` (every
``srb_id`` for ``srb``, every ``learner_id`` for ``learner_id``). A report with a
``learner_id`` shows one learner's records, so it is refused unless its audience is
``internal``.

Every parameter is checked before anything runs: its name against the notebook's
``parameters`` cell, its value against the type of the declared default (or the
``name: type = value`` annotation; a ``None`` default accepts anything, a help comment
starting ``str or None:`` also accepts ``null``).
"""


from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import yaml

from ..errors import ParameterError, SrbEvalError
from ..paths import (
    NOTEBOOKS_DIR,
    resolve,
)
from .jobs import FACTS_FOLDER, Job, relative, short_error

# --------------------------------------------------------------------------- planning


def notebook_path(name: str) -> Path:
    """``notebooks/<name>.ipynb`` for a bare name; a path as given otherwise."""
    p = Path(name)
    if p.suffix != ".ipynb":
        p = NOTEBOOKS_DIR / f"{name}.ipynb"
    return resolve(p)


def notebook_parameters(path: Path) -> dict[str, dict]:
    """The parameters a notebook declares in its ``parameters`` cell."""
    import papermill

    return papermill.inspect_notebook(str(path))


class PlainDataLoader(yaml.SafeLoader):
    """A YAML loader for files received from someone else: plain data only.

    Text, numbers, true/false, null, lists and mappings load as usual; dates stay as the
    text written (``2025-10-01``), for the notebook to read as an ISO date. Any other tag
    (``!!binary``, ``!!set``, ``!!python/...``, a custom ``!tag``) is refused, so a
    parameter file can never carry a value that would be injected into a report as
    anything but plain data. So is an alias (``*name``): nested aliases let a file of a
    few hundred bytes stand for billions of values ("billion laughs").
    """

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"the alias *{event.anchor} is not allowed: a parameter file "
                "writes each value out", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """A mapping; a key written twice is refused (YAML would keep the last one
        silently: ``{audience: published, audience: internal}`` rendered internal)."""
        seen: set = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) or key is None:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} is written twice in one mapping; "
                        "give each key once", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {node.tag!r} is not allowed: a parameter file holds plain "
        "text, numbers, true/false, null, lists and mappings only", node.start_mark)


PlainDataLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                yaml.SafeLoader.construct_yaml_str)
for _tag in ("binary", "set", "omap", "pairs"):
    PlainDataLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
PlainDataLoader.add_constructor(None, _refuse_tag)


def load_parameter_file(path: str | os.PathLike) -> dict:
    """Read and structurally check a parameter file (plain data only: see
    :class:`PlainDataLoader`)."""
    p = resolve(path)
    if not p.is_file():
        raise ParameterError(f"{path}: no such parameter file")
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not UTF-8 text, so not a parameter file") from exc
    try:
        spec = yaml.load(text, Loader=PlainDataLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from exc
    except (ValueError, RecursionError) as exc:  # a number of 5,000 digits, deep nesting
        raise ParameterError(f"{path}: holds a value Python cannot read "
                             f"({short_error(str(exc) or type(exc).__name__)})") from exc
    try:  # ("\ud800", a lone surrogate, is valid YAML but no text to print or write)
        json.dumps(spec, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParameterError(f"{path}: holds a character that is not text (a lone "
                             f"surrogate, {exc.object[exc.start:exc.end]!r})") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("reports"), list) \
            or not spec["reports"]:
        raise ParameterError(f"{path}: needs a 'reports' list naming at least one notebook")
    allowed = {"title", "data_dir", "parameters", "reports", "description", "languages"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ParameterError(f"{path}: unknown top-level key(s) {unknown}; "
                             f"allowed: {sorted(allowed)}")
    if isinstance(spec.get("title"), dict):  # a title in each language: {en: ..., cy: ...}
        spec["title"] = check_titles(spec["title"], f"{path}: title")
    for key in ("title", "data_dir", "description"):
        if key in spec and not isinstance(spec[key], str | dict):
            raise ParameterError(f"{path}: '{key}' must be text, not "
                                 f"{_type_word(spec[key])} {spec[key]!r}")
    if "languages" in spec:
        spec["languages"] = check_languages(spec["languages"], f"{path}: languages")
    if not isinstance(spec.get("parameters") or {}, dict):
        raise ParameterError(f"{path}: 'parameters' must be a mapping of name: value")
    return spec


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
    "list": (list,), "tuple": (list, tuple), "dict": (dict,),
}


def _type_word(value: object) -> str:
    return {type(None): "null", str: "text", bool: "true/false", int: "a whole number",
            float: "a number", list: "a list", dict: "a mapping"}.get(type(value),
                                                                       type(value).__name__)


def _literal_default(decl: Mapping) -> tuple[bool, object]:
    """``(True, value)`` when the declared default is a Python literal."""
    try:
        return True, ast.literal_eval(str(decl.get("default", "")).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _help_types(prefix: str) -> tuple[set[str], bool] | None:
    """Types named at the start of a help comment: ``str or list of str``, ``int | None``."""
    names, allows_none = set(), False
    for alt in re.split(r"\s+or\s+|\s*\|\s*", prefix.strip()):
        alt = alt.strip().lower()
        if alt == "none":
            allows_none = True
        elif m := re.fullmatch(r"(list|tuple)(\s+of\s+[\w ]+|\[.*\])?", alt):
            names.add(m.group(1))
        elif alt in _TYPES or alt == "mapping":
            names.add("dict" if alt == "mapping" else alt)
        else:
            return None
    return (names, allows_none) if names else None


def expected_type(decl: Mapping) -> tuple[tuple[type, ...], bool, str] | None:
    """The types a notebook parameter accepts: ``(types, allows_none, description)``.

    Taken from the annotation papermill reports (``inferred_type_name``) when there is
    one; else from the type of the literal default, widened by the types a help comment
    names at its start (``areas = "all"  # str or list of str: ...``). ``None`` means
    anything goes (a ``None`` default, or a default that is an expression).
    """
    help_text = str(decl.get("help") or "")
    prefix = help_text.split(":", 1)[0] if ":" in help_text[:40] else ""
    from_help = _help_types(prefix) if prefix else None
    allows_none = bool(from_help and from_help[1])
    tname = str(decl.get("inferred_type_name") or "None").strip()
    if tname not in ("", "None"):
        if re.search(r"Optional|None|Any", tname):
            allows_none = True
        inner = re.sub(r"Optional\[(.*)\]", r"\1", tname)
        bases = [re.split(r"\[", part)[0].strip().lower()
                 for part in inner.split("|") if part.strip().lower() != "none"]
        if len(bases) != 1 or bases[0] not in _TYPES:
            return None
        return _TYPES[bases[0]], allows_none, tname
    ok, default = _literal_default(decl)
    if ok and default is None and from_help and from_help[0]:
        names_sorted = [n for n in _TYPES if n in from_help[0]]
        types = tuple({t for n in names_sorted for t in _TYPES[n]})
        return types, True, " or ".join(names_sorted) + " or None"
    if not ok or default is None:
        return None
    names = set(from_help[0]) if from_help else set()
    for py, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"),
                     (list, "list"), (tuple, "tuple"), (dict, "dict")):
        if isinstance(default, py):
            names.add(name)
            break
    else:
        return None
    order = ["bool", "int", "float", "str", "list", "tuple", "dict"]
    names_sorted = [n for n in order if n in names]
    types = tuple({t for n in names_sorted for t in _TYPES[n]})
    return types, allows_none, " or ".join(names_sorted)


def check_value(name: str, value: object, decl: Mapping) -> str | None:
    """A problem message when ``value`` does not suit the declared parameter, else None."""
    exp = expected_type(decl)
    if exp is None:
        return None
    types, allows_none, tname = exp
    if value is None:
        return None if allows_none else (
            f"parameter '{name}' must be {tname} (default {decl.get('default')}), not null")
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if ok:
        return None
    return (f"parameter '{name}' must be {tname} (default {decl.get('default')}), not "
            f"{_type_word(value)} {value!r}")


def _fan_values(param: str, values: object, data_dir: object,
                cache: dict | None = None) -> list:
    if isinstance(values, list):
        if not values:
            raise ParameterError(f"fan_out {param}: the list of values is empty")
        return values
    if values != "each":
        raise ParameterError(f"fan_out {param}: give a list of values or 'each', "
                             f"not {values!r}")
    if param not in ("srb", "learner_id"):
        raise ParameterError(f"fan_out {param}: 'each' is defined for srb and learner_id "
                             "only; give a list of values")
    if not isinstance(data_dir, str):
        raise ParameterError(f"fan_out {param}: 'each' needs a data_dir to list the values")
    from ..data.io import load_dataset

    cache = {} if cache is None else cache
    try:
        if data_dir not in cache:
            cache[data_dir] = load_dataset(resolve(data_dir))
        ds = cache[data_dir]
    except SrbEvalError as exc:
        raise ParameterError(
            f"fan_out {param}: 'each' could not read {data_dir}: {short_error(str(exc))} "
            f"(run `srb-eval validate {data_dir}`)") from exc
    if param == "srb":
        return sorted(ds.srbs["srb_id"].astype(str))
    return sorted(ds.learners["learner_id"].astype(str))


def check_languages(value: object, name: str = "languages") -> list[str]:
    """A parameter file's ``languages``: a non-empty list of language codes without
    repeats (:func:`srb_eval.report.i18n.check_language`), English first if present.

    Examples
    --------
    >>> check_languages(["cy", "en"])
    ['en', 'cy']
    """
    from ..report.i18n import LANGUAGES, check_language

    if not isinstance(value, list) or not value:
        raise ParameterError(f"{name}: must be a list of language codes such as [en, cy], "
                             f"not {value!r}")
    codes = [check_language(v, name) for v in value]
    if len(set(codes)) != len(codes):
        raise ParameterError(f"{name}: a language is listed twice in {value!r}")
    return [c for c in LANGUAGES if c in codes]


def check_titles(value: dict, name: str = "title") -> dict[str, str]:
    """A title given in several languages (``{en: Our SRBs, cy: Ein CAA}``): language
    codes (:func:`srb_eval.report.i18n.check_language`) to non-empty text.

    Examples
    --------
    >>> check_titles({"CY": "Ein CAA", "en": "Our SRBs"})
    {'cy': 'Ein CAA', 'en': 'Our SRBs'}
    """
    from ..report.i18n import check_language

    out = {}
    for code, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ParameterError(f"{name}: the title in {code!r} must be text, not {text!r}")
        out[check_language(code, f"{name} ({code!r})")] = text
    if not out:
        raise ParameterError(f"{name}: give the title as text or as {{en: ..., cy: ...}}")
    return out


def language_name(name: str, language: str) -> str:
    """The name of a report's copy in ``language``: ``NN_name`` in the first language
    of :data:`~srb_eval.report.i18n.LANGUAGES` (English), ``NN_name.cy`` in Welsh."""
    from ..report.i18n import LANGUAGES

    return name if language == LANGUAGES[0] else f"{name}.{language}"


def _safe_name(text: object) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(text)).strip("-.") or "x"


class _EntryJobs(NamedTuple):
    """What one entry of a parameter file gives :func:`plan`."""

    jobs: list[Job]
    problems: list[str]
    used_defaults: set[str]  # the file's parameters the entry's notebook declares
    notebook_read: bool


def _entry_jobs(i: int, entry: object, *, defaults: Mapping, data_dir: object,
                own_notebooks: bool, datasets: dict, languages: object) -> _EntryJobs:
    """The jobs of entry ``i`` of a parameter file's ``reports`` and its problems
    (:func:`plan`)."""
    path, declared, problems = _entry_notebook(i, entry, own_notebooks)
    if path is None:
        return _EntryJobs([], problems, set(), False)
    where = f"reports[{i}] ({path.stem})"
    own = entry.get("parameters") or {}
    fan = entry.get("fan_out") or {}
    if not isinstance(own, dict) or not isinstance(fan, dict):
        problems.append(f"{where}: 'parameters' and 'fan_out' must be mappings")
        return _EntryJobs([], problems, set(), True)
    params = {k: v for k, v in defaults.items() if k in declared}
    used = set(params)
    if data_dir is not None and "data_dir" in declared:
        params["data_dir"] = data_dir
    for name in [*own, *fan]:
        if name not in declared:
            problems.append(
                f"{where}: unknown parameter '{name}'; the notebook declares: "
                f"{', '.join(declared) or 'none'}")
    params.update(own)
    problems += _value_problems(where, params, declared)
    _add_defaults(params, declared)  # (the census day's rule needs the audience)
    problems += _census_problems(where, params, declared)
    new, more = _fanned_jobs(where, path, entry, params, fan, declared, datasets)
    problems += more
    if new is None:
        return _EntryJobs([], problems, used, True)
    more = _learner_level_problems(where, new, declared)
    if not more and languages:
        more = _language_problems(where, languages, declared, own)
    problems += more
    if more:
        return _EntryJobs([], problems, used, True)
    jobs = [Job(job.notebook, language_name(job.name, language),
                {**job.parameters, "language": language}) if language is not None else job
            for job in new for language in (languages or [None])]
    return _EntryJobs(jobs, problems, used, True)


def _entry_notebook(i: int, entry: object, own_notebooks: bool
                    ) -> tuple[Path | None, dict, list[str]]:
    """The notebook entry ``i`` names and the parameters it declares, with the entry's
    problems; None for the path when no notebook of the project (or, with
    ``own_notebooks``, of one's own) can be read from it."""
    if not isinstance(entry, dict) or "notebook" not in entry:
        return None, {}, [f"reports[{i}]: needs 'notebook'"]
    problems = []
    extra = sorted(set(entry) - {"notebook", "parameters", "fan_out", "name"})
    if extra:
        problems.append(f"reports[{i}] ({entry['notebook']}): unknown key(s) {extra}; "
                        "allowed: notebook, name, parameters, fan_out")
    path = notebook_path(str(entry["notebook"]))
    if not own_notebooks and path.parent != resolve(NOTEBOOKS_DIR):
        problems.append(f"reports[{i}]: notebook {entry['notebook']} is not one of "
                        f"the project's notebooks ({relative(NOTEBOOKS_DIR)}/<name>): "
                        "a notebook runs as code, so a parameter file may name one of "
                        "your own only when the command is given --own-notebooks")
        return None, {}, problems
    if not path.is_file():
        problems.append(f"reports[{i}]: notebook {entry['notebook']} not found "
                        f"({relative(path)})")
        return None, {}, problems
    try:
        declared = notebook_parameters(path)
    except Exception as exc:  # noqa: BLE001 - unreadable notebook: report, go on
        problems.append(f"reports[{i}]: notebook {relative(path)} cannot be read: "
                        f"{short_error(str(exc))}")
        return None, {}, problems
    return path, declared, problems


def _fanned_jobs(where: str, path: Path, entry: Mapping, params: dict, fan: Mapping,
                 declared: Mapping, datasets: dict) -> tuple[list[Job] | None, list[str]]:
    """An entry's jobs: one, or one for each value of its ``fan_out`` parameter (named
    ``<name>__<parameter>-<value>``); None, with the problems, when its data folder, name
    or fan-out cannot be used."""
    eff_dir = params.get("data_dir")
    if isinstance(eff_dir, str) and not resolve(eff_dir).exists():
        return None, [f"{where}: data_dir {eff_dir} does not exist ({resolve(eff_dir)})"]
    base = _safe_name(entry.get("name") or path.stem)
    if base == FACTS_FOLDER:
        return None, [f"{where}: name {base!r} is the folder of the public facts about the "
                    "SRBs that render writes; choose another name"]
    if len(fan) > 1:
        return None, [f"{where}: fan_out takes one parameter, not {sorted(fan)}"]
    if not fan:
        return [Job(str(path), base, params)], []
    (param, values), = fan.items()
    if param not in declared:
        return None, []  # (named above as an unknown parameter)
    try:
        vals = _fan_values(param, values, eff_dir, datasets)
    except ParameterError as exc:
        return None, [f"{where}: {exc}"]
    bad = [m for v in vals if (m := check_value(param, v, declared[param]))]
    if bad:
        return None, [f"{where}: fan_out {bad[0]}"]
    return [Job(str(path), f"{base}__{param}-{_safe_name(v)}", {**params, param: v})
            for v in vals], []


def _language_problems(where: str, languages: object, declared: Mapping,
                       own: Mapping) -> list[str]:
    """Why an entry cannot have a copy in each of the file's ``languages``, if it
    cannot."""
    if "language" not in declared:
        return [f"{where}: languages {languages} asks for a copy in each language, but the "
                "notebook declares no 'language' parameter (it has no translation yet): "
                "list it in a parameter file without languages"]
    if "language" in own:
        return [f"{where}: give 'language' either to the report or as the file's "
                "languages, not both"]
    return []


def _value_problems(where: str, params: Mapping, declared: Mapping) -> list[str]:
    """Problems of an entry's parameter values: their types and the language."""
    problems = []
    for name, value in params.items():
        if name in declared and (msg := check_value(name, value, declared[name])):
            problems.append(f"{where}: {msg}")
    if isinstance(params.get("language"), str) and "language" in declared:
        try:
            check_languages([params["language"]], "language")
        except ParameterError as exc:
            problems.append(f"{where}: {exc}")
    return problems


def _add_defaults(params: dict, declared: Mapping) -> None:
    """Add to ``params`` the ``data_dir`` and ``audience`` the notebook will use by
    default: the manifest and the banner say what every report was made from."""
    for name in ("data_dir", "audience"):
        if name in declared and name not in params:
            ok, default = _literal_default(declared[name])
            if ok and default is not None:
                params[name] = default


def _census_problems(where: str, params: Mapping, declared: Mapping) -> list[str]:
    """The problem of a published report's census day other than the fixed one, said
    before anything runs (:func:`srb_eval.report.capacity_notes.census_day`)."""
    if "census_date" not in declared or params.get("source", "dataset") != "dataset":
        return []
    # (imported here, as the rule needs pandas, which render imports after its kernels'
    # process has started)
    from ..report.capacity_notes import census_day

    census = params.get("census_date", _literal_default(declared["census_date"])[1])
    try:
        census_day(census, audience=str(params.get("audience", "published")))
    except ParameterError as exc:
        return [f"{where}: {exc}"]
    return []


def _learner_level_problems(where: str, jobs: list[Job], declared: Mapping) -> list[str]:
    """The problem of a per-learner report (``learner_id``) not rendered internal, for the
    first such job: learner-level reports are never published."""
    learner_default = (_literal_default(declared["learner_id"])[1]
                       if "learner_id" in declared else None)
    for job in jobs:
        audience = str(job.parameters.get("audience", "")).strip().lower()
        learner = job.parameters.get("learner_id", learner_default)
        if learner is not None and audience != "internal":
            return [f"{where}: a per-learner report (learner_id) shows one learner's "
                    f"records and cannot have audience {audience or 'unset'!r}; "
                    "set audience: internal (learner-level reports are never published)"]
    return []


def plan(spec: Mapping, *, source: str = "parameter file",
         own_notebooks: bool = False) -> list[Job]:
    """Expand a parameter file into jobs, checking every name against the notebooks.

    A notebook runs as code, and a parameter file may come from someone else: each
    entry must name one of the project's notebooks (``notebooks/<name>.ipynb``, by name
    or path). ``own_notebooks`` (``srb-eval render --own-notebooks``, never the file
    itself) lets it name any notebook by path, for notebooks of one's own.

    Each job's parameters hold what the notebook will use for ``data_dir`` and
    ``audience`` (given or the notebook's default), so the manifest says which data
    and audience every report was made from.

    Raises
    ------
    ParameterError
        Listing every unknown notebook, misspelt or mistyped parameter, bad fan-out,
        missing data folder or learner-level report for a published audience at once.
    """
    problems: list[str] = []
    jobs: list[Job] = []
    defaults = dict(spec.get("parameters") or {})
    used_defaults: set[str] = set()
    datasets: dict[str, object] = {}  # data_dir -> Dataset, read once for fan-outs
    n_notebooks = 0
    for i, entry in enumerate(spec["reports"], start=1):
        entry_jobs = _entry_jobs(i, entry, defaults=defaults, data_dir=spec.get("data_dir"),
                                 own_notebooks=own_notebooks, datasets=datasets,
                                 languages=spec.get("languages"))
        jobs += entry_jobs.jobs
        problems += entry_jobs.problems
        used_defaults |= entry_jobs.used_defaults
        n_notebooks += entry_jobs.notebook_read
    unused = sorted(set(defaults) - used_defaults)
    if unused and n_notebooks:
        problems.append(f"parameters: {unused} not declared by any listed notebook "
                        "(misspelt?)")
    names = [j.name for j in jobs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"two reports would share the name(s) {dupes}: add 'name' to one")
    # the index pages render writes beside the reports (a file system that ignores case
    # takes Index.html for index.html)
    from ..report.i18n import LANGUAGES

    reserved = {"index", *(f"index.{code}" for code in LANGUAGES)}
    taken = sorted({n for n in names if n.casefold() in reserved})
    if taken:
        problems.append(f"report name(s) {taken} would replace a file render writes beside "
                        "the reports (its index page): choose another 'name'")
    if problems:
        raise ParameterError(f"{source}: {len(problems)} problem(s):\n  - "
                             + "\n  - ".join(problems))
    return jobs


