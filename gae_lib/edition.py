"""The chapters as notebooks for course labs, generated from the one source per chapter
(``book/*.md``) in three editions:

- ``lab``: what `make lab` opens.  Prose numbers are the values of the book's full-mode run
  (``book/reference/<chapter>.json``; a note at the top says so, and running the cells computes
  your own), citations read "(Favuzzi et al., 2019)" with the works listed at the end, the
  library source a section shows is inlined, bookkeeping cells (glue, tables, self-checks)
  have their source collapsed, and each solution stays in a dropdown that jupyterlab-myst
  renders closed.
- ``handout``: the lab edition without the solutions, for a class.
- ``solutions``: the matching instructor's edition: each exercise's answer cell holds its
  solution's code and the solution's explanation is shown open, so the self-checks say
  "Correct" when it runs top to bottom.

    python -m gae_lib.edition lab              # lab/*.ipynb (keeps notebooks you have edited)
    python -m gae_lib.edition handout          # _build/handout/{student,solutions}/*.ipynb

Directives and roles the editions do not handle raise an error naming them (no raw markup
reaches a student).
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import sys
from pathlib import Path

from .data.sources import REPO_ROOT, file_digest
from .files import FileFormatError, atomic_write_text, file_lock, read_json, shown

EDITIONS = ("lab", "handout", "solutions")
LAB_DIR = REPO_ROOT / "lab"
HANDOUT_DIR = REPO_ROOT / "_build" / "handout"
BIBLIOGRAPHY = REPO_ROOT / "book" / "references.bib"
STAMP = ".edition.json"   # sha256 of each lab notebook as written: an edited one is kept

GLUE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")
UNSUPPORTED_GLUE = re.compile(r"\{glue:(?!text\})[a-z]+\}`")
CITE = re.compile(r"\{cite(?::(p|t))?\}`([^`]+)`")
LITERALINCLUDE = re.compile(r"^```\{literalinclude\} (\S+)\n((?::[a-z]+:.*\n)*)```$", re.M)
# A solution dropdown: the fence, its title, its body, the closing fence (colon fences of 3+).
DROPDOWN = re.compile(r"^(:{3,})\{dropdown\} *(.*)\n(.*?)^\1\s*$", re.M | re.S)
CHECK_OUTPUT = "# NBVAL_CHECK_OUTPUT"   # a deterministic cell (tests compare its outputs)
HIDDEN_TAGS = {"remove-input", "hide-input", "remove-cell", "hide-cell"}
# Whatever is left of MyST's markup after the edition: it would show as raw text.
RAW_MARKUP = re.compile(r"\{(glue|cite|numref|ref|doc|eq|download)[:a-z]*\}`|^`{3,}\{(?!code-cell)"
                        r"|^:{3,}\{(?!dropdown|note|tip|warning|important|admonition)", re.M)


class EditionError(ValueError):
    """The chapter uses markup the editions cannot render, or its reference is stale."""


# -- values and citations -----------------------------------------------------------------

def reference_values(chapter: str) -> tuple[dict, dict]:
    """The glued values of the book's full-mode run of ``chapter`` and the record's details."""
    from .reproduce import reference_path

    path = reference_path(chapter)
    if not path.exists():
        raise EditionError(f"{path} is missing: the lab edition shows "
                           f"its numbers; run `python -m gae_lib.reproduce {chapter} --write`")
    fix = f"restore it with `git checkout -- {shown(path, REPO_ROOT)}`"
    try:
        record = read_json(path, fix)
    except FileFormatError as err:
        raise EditionError(str(err)) from None
    if not isinstance(record, dict) or not isinstance(record.get("values"), dict):
        raise EditionError(f"{path}: expected a reference record with 'values'; {fix}")
    return record["values"], record


def glue_text(values: dict, chapter: str, spec: str) -> str:
    """``name`` or ``name:format`` as the website's {glue:text} role shows it."""
    from myst_nb.core.variables import format_plain_text

    name, _, fmt = spec.partition(":")
    if name not in values:
        raise EditionError(
            f"{chapter}: glued value {name!r} is not in book/reference/{Path(chapter).name}.json;"
            f" re-run `python -m gae_lib.reproduce {chapter} --write`")
    return format_plain_text(repr(values[name]), fmt)


# BibTeX accents as Unicode combining marks: {\'e} -> é.
ACCENTS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303"}


def unlatex(text: str) -> str:
    import unicodedata

    text = re.sub(r"\\(['\"`^~])\{?(\w)\}?",
                  lambda m: unicodedata.normalize("NFC", m[2] + ACCENTS[m[1]]), text)
    return re.sub(r"[{}]", "", text).strip()


def bibliography(path: Path = BIBLIOGRAPHY) -> dict[str, dict[str, str]]:
    """key -> {field: text} of a BibTeX file (braces dropped; enough for a reference list)."""
    entries = {}
    for match in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", path.read_text(), re.S):
        fields = {f.lower(): unlatex(v)
                  for f, v in re.findall(r"(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}", match[2])}
        entries[match[1]] = fields
    return entries


def surnames(entry: dict) -> list[str]:
    return [a.split(",")[0].strip() for a in entry.get("author", "").split(" and ") if a.strip()]


def author_year(entry: dict) -> tuple[str, str]:
    names = surnames(entry)
    who = (names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2
           else f"{names[0]} et al.") if names else entry.get("title", "?")
    return who, entry.get("year", "n.d.")


def cite_text(keys: str, kind: str | None, works: dict, chapter: str, cited: list) -> str:
    parts = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in works:
            raise EditionError(f"{chapter}: cites {key!r}, which book/references.bib lacks")
        if key not in cited:
            cited.append(key)
        who, year = author_year(works[key])
        parts.append(f"{who} ({year})" if kind == "t" else f"{who}, {year}")
    return "; ".join(parts) if kind == "t" else f"({'; '.join(parts)})"


def reference_list(keys: list[str], works: dict) -> str:
    lines = ["## References", ""]
    for key in keys:
        entry = works[key]
        where = entry.get("journal") or entry.get("booktitle") or entry.get("note", "")
        url = f" <{entry['url']}>" if "url" in entry else ""
        lines.append(f"- {entry.get('author', '').replace(' and ', '; ')}: *{entry['title']}*"
                     f"{'. ' + where if where else ''} ({entry.get('year', 'n.d.')}).{url}")
    return "\n".join(lines)


def included_source(match: re.Match, source_dir: Path) -> str:
    """A literalinclude (``:pyobject:`` or the whole file) as a Python code block."""
    path = (source_dir / match[1]).resolve()
    options = dict(re.findall(r":([a-z]+):\s*(.*)", match[2]))
    text = path.read_text()
    label = f"`{path.relative_to(REPO_ROOT)}`"
    if "pyobject" in options:
        name = options["pyobject"].strip()
        found = [n for n in ast.walk(ast.parse(text))
                 if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name]
        if not found:
            raise EditionError(f"{path}: no function or class {name!r} to include")
        text = ast.get_source_segment(text, found[0], padded=True)
        label += f", `{name}`"
    return f"From {label}:\n\n```{options.get('language', 'python').strip()}\n{text}\n```"


# -- the editions ---------------------------------------------------------------------------

def source_notebook(chapter: str) -> dict:
    import jupytext

    return json.loads(jupytext.writes(jupytext.read(REPO_ROOT / f"{chapter}.md"), fmt="ipynb"))


def markdown_cell(text: str, **metadata) -> dict:
    return {"cell_type": "markdown", "metadata": metadata, "source": text.strip("\n")}


QUICK_HINT = " Set `QUICK = True` in the parameters cell for a fast run with rougher numbers."


def banner(chapter: str, edition: str, record: dict) -> dict:
    from .book import parameter_names

    written = record.get("written", "")[:10]
    kind = {"lab": "Lab edition", "handout": "Hand-out edition (no solutions)",
            "solutions": "Solutions edition (for instructors)"}[edition]
    return markdown_cell(
        f":::{{note}} {kind}\n"
        f"Generated from `{chapter}.md` by `python -m gae_lib.edition`.  **Numbers in the text "
        f"marked {BEFORE_RUN} are those of the book's full-mode run** "
        f"(`book/reference/{Path(chapter).name}.json`, {written}), until you run the cell that "
        f"computes them (*Run → Run All Cells*): then the text shows your own, unmarked."
        f"{QUICK_HINT if 'QUICK' in parameter_names(chapter) else ''}\n:::",
        tags=["edition-banner"])


# The prose's numbers follow the reader's run: each {glue:text} becomes jupyterlab-myst's
# {eval} of ``book.live``, which shows the value this kernel glued, or the book's full-mode
# value marked BEFORE_RUN until the cell that glues it has run.  The markdown cell's
# ``user_expressions`` metadata holds that marked value, shown before anything runs.
BEFORE_RUN = "\u2020"   # a dagger: the banner says what it means
EVAL = re.compile(r"\{eval\}`([^`]+)`")


def live_glue(values: dict, chapter: str, spec: str, shown: dict) -> str:
    """``{eval}`` of the glued value ``spec`` (``shown``: expression -> text before a run)."""
    text = glue_text(values, chapter, spec)
    if "`" in text:   # cannot stand inside a role: the book's value, as it is
        return text
    name, _, fmt = spec.partition(":")
    expression = (f"__import__('gae_lib.book').book.live({name!r}, {fmt!r}, "
                  f"{text + BEFORE_RUN!r})")
    shown[expression] = text + BEFORE_RUN
    return f"{{eval}}`{expression}`"


def with_results(cell: dict, shown: dict) -> dict:
    """A markdown cell with the results its {eval} roles show before they are run."""
    found = EVAL.findall(cell["source"])
    if found:
        cell["metadata"]["user_expressions"] = [
            {"expression": e, "result": {"status": "ok", "data": {"text/plain": shown[e]},
                                         "metadata": {}}} for e in found]
    return cell


def live_arguments(expression: str) -> tuple[str, str, str]:
    """(name, format spec, text before a run) of a ``live_glue`` expression."""
    return tuple(ast.literal_eval(a) for a in ast.parse(expression, mode="eval").body.args)


def before_running(text: str) -> str:
    """Markdown with each {eval} role as the reader sees it before running (tests)."""
    return EVAL.sub(lambda m: live_arguments(m[1])[2], text)


def prose_as_run(cells: list) -> None:
    """Each {eval} number of the markdown ``cells`` of an executed edition as plain text, as
    jupyterlab-myst shows it after Run All: the value glued above it in the run, else the
    book's, marked (for pages rendered without jupyterlab-myst, e.g. nbgrader's feedback)."""
    from myst_nb.core.variables import format_plain_text

    from .book import glued_texts

    glued = {}
    for cell in cells:
        if cell["cell_type"] == "code":
            glued.update(glued_texts(cell))
        elif cell["cell_type"] == "markdown":
            def shown(match):
                name, spec, before = live_arguments(match[1])
                return format_plain_text(glued[name], spec) if name in glued else before
            source = cell["source"]
            cell["source"] = EVAL.sub(shown, "".join(source) if isinstance(source, list)
                                      else source)


def convert_markdown(text: str, chapter: str, values: dict, works: dict, cited: list,
                     shown: dict) -> str:
    if UNSUPPORTED_GLUE.search(text):
        raise EditionError(f"{chapter}: only {{glue:text}} roles can be shown in the lab "
                           f"edition: {UNSUPPORTED_GLUE.search(text)[0]}")
    text = GLUE.sub(lambda m: live_glue(values, chapter, m[1], shown), text)
    text = CITE.sub(lambda m: cite_text(m[2], m[1], works, chapter, cited), text)
    text = LITERALINCLUDE.sub(lambda m: included_source(m, (REPO_ROOT / chapter).parent), text)
    return text


def split_solutions(text: str) -> list[tuple[str, str]]:
    """Markdown cut into ("prose", text) and ("solution", dropdown) pieces, in order."""
    pieces, start = [], 0
    for match in DROPDOWN.finditer(text):
        if not match[2].strip().lower().startswith("solution"):
            continue
        pieces += [("prose", text[start:match.start()]), ("solution", match[0])]
        start = match.end()
    pieces.append(("prose", text[start:]))
    return [(kind, piece) for kind, piece in pieces if piece.strip()]


def solution_code(dropdown: str) -> str:
    blocks = re.findall(r"^```python\n(.*?)^```", dropdown, re.M | re.S)
    if not blocks:
        raise EditionError(f"a solution without a ```python block: {dropdown[:60]!r}")
    return "\n".join(b.rstrip("\n") for b in blocks)


def opened(dropdown: str) -> str:
    """The dropdown shown open, its code left out (it is in the answer cell above)."""
    fence, rest = dropdown.split("{dropdown}", 1)
    title, body = rest.split("\n", 1)
    body = re.sub(r"^```python\n.*?^```\n?", "", body, flags=re.M | re.S)
    return (f"{fence}{{dropdown}}{title} (its code is in the answer cell above)\n:open:\n"
            f"{body}")


def injected(parameters: dict) -> dict:
    """The cell papermill would insert after the ``parameters`` cell."""
    lines = ["# Parameters (set for this edition)"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    return {"cell_type": "code", "execution_count": None, "outputs": [], "source": "\n".join(lines),
            "metadata": {"tags": ["injected-parameters"]}}


def edition(chapter: str, kind: str = "lab", parameters: dict | None = None) -> dict:
    """The notebook of ``chapter`` (e.g. "book/intro") in edition ``kind`` (EDITIONS);
    ``parameters`` (e.g. {"QUICK": True}) are set in a cell after the parameters cell."""
    if kind not in EDITIONS:
        raise ValueError(f"edition: expected one of {EDITIONS}, got {kind!r}")
    notebook = source_notebook(chapter)
    values, record = reference_values(chapter)
    works, cited, shown = bibliography(), [], {}
    cells = [banner(chapter, kind, record)]
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            tags = set(cell["metadata"].get("tags", []))
            if source.startswith(CHECK_OUTPUT):
                # JupyterLab shows a collapsed cell's first line: make it the code's own.
                cell["source"] = source.split("\n", 1)[1] + f"\n{CHECK_OUTPUT}"
            if HIDDEN_TAGS & tags:
                cell["metadata"].setdefault("jupyter", {})["source_hidden"] = True
            cells.append(cell)
            if "parameters" in tags and parameters:
                cells.append(injected(parameters))
            continue
        text = convert_markdown(source, chapter, values, works, cited, shown)
        for piece_kind, piece in split_solutions(text):
            if piece_kind == "prose":
                cells.append(with_results(markdown_cell(piece), shown))
            elif kind == "lab":
                cells.append(with_results(markdown_cell(piece, tags=["solution"]), shown))
            elif kind == "solutions":
                answer = next((c for c in reversed(cells) if c["cell_type"] == "code" and not
                               (HIDDEN_TAGS | {"injected-parameters"}) & set(c["metadata"].get(
                                   "tags", []))), None)
                if answer is None:
                    raise EditionError(f"{chapter}: a solution with no answer cell before it")
                answer["source"] = solution_code(piece)
                answer["metadata"].setdefault("tags", []).append("solution")
                cells.append(with_results(markdown_cell(opened(piece), tags=["solution"]),
                                          shown))
    if cited:
        cells.append(markdown_cell(reference_list(cited, works)))
    for cell in cells:
        raw = cell["cell_type"] == "markdown" and RAW_MARKUP.search(cell["source"])
        if raw:
            raise EditionError(f"{chapter}: markup the lab edition cannot render: {raw[0]!r}")
    for number, cell in enumerate(cells):
        cell["id"] = f"{kind}-{number}"
    metadata = {k: v for k, v in notebook["metadata"].items() if k != "jupytext"}
    metadata["gae_edition"] = {"chapter": chapter, "edition": kind,
                               "reference_written": record.get("written")}
    return {**notebook, "metadata": metadata, "cells": cells}


# -- writing them ---------------------------------------------------------------------------

def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def write_lab(chapters: list[str], out: Path = LAB_DIR, force: bool = False,
              parameters: dict[str, dict] | None = None) -> list[Path]:
    """Write the lab edition of each chapter into ``out`` (``parameters``: chapter -> values
    to set).  A notebook changed since it was written (a student's work) is kept unless
    ``force``; the message says how to refresh it."""
    texts = ((f"{Path(c).name}.ipynb", json.dumps(edition(c, "lab", (parameters or {}).get(c)),
                                                 indent=1, ensure_ascii=False) + "\n")
             for c in chapters)
    return write_unless_edited(out, texts, force)


def write_unless_edited(out: Path, texts, force: bool = False) -> list[Path]:
    """Write each (file name under ``out``, text) of ``texts`` (made as it goes), but keep a
    file someone edited since it was written here, unless ``force`` (saying so, and how to
    refresh it, where the new text differs).  Two runs at once take turns (each reads the
    stamps the other wrote); the stamps are written after every file, so a run stopped
    half-way leaves none unstamped."""
    out.mkdir(parents=True, exist_ok=True)
    stamp_path = out / STAMP
    written = []
    with file_lock(out / ".edition.lock"):
        stamps = read_stamps(stamp_path)
        for name, text in texts:
            path = out / name
            # The stamp is the digest of the text as written: the file differing from it (and
            # from the new text) is someone's change; the new text differing from it, a
            # change of the chapter.
            stamp, new = stamps.get(name), digest(text)
            if path.exists() and not force:
                now = file_digest(path, "sha256")
                if now not in (stamp, new):
                    if new != stamp:
                        print(f"kept your edited {path} (the chapter has changed since: rename "
                              "or delete yours, or run with --force, to get the new edition)")
                    continue
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text)
            stamps[name] = new
            atomic_write(stamp_path, json.dumps(stamps, indent=1, sort_keys=True) + "\n")
            written.append(path)
    return written


def read_stamps(path: Path) -> dict[str, str]:
    """notebook file name -> sha256 of the edition last written there."""
    if not path.exists():
        return {}
    fix = (f"delete it (`rm {path}`): notebooks equal to their new edition are then "
           "refreshed, the others kept as edited")
    try:
        stamps = read_json(path, fix)
    except FileFormatError as err:
        raise EditionError(str(err)) from None
    if not isinstance(stamps, dict):
        raise EditionError(f"{path}: expected a JSON object notebook -> sha256; {fix}")
    return stamps


def write_handout(chapters: list[str], out: Path = HANDOUT_DIR,
                  parameters: dict[str, dict] | None = None) -> list[Path]:
    """The student (no solutions) and instructor (solutions) editions under ``out``."""
    written = []
    for folder, kind in (("student", "handout"), ("solutions", "solutions")):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for chapter in chapters:
            path = out / folder / f"{Path(chapter).name}.ipynb"
            notebook = edition(chapter, kind, (parameters or {}).get(chapter))
            atomic_write(path, json.dumps(notebook, indent=1, ensure_ascii=False))
            written.append(path)
    return written


# JupyterLab settings for the editions (written where this environment's JupyterLab reads its
# overrides): Markdown chapters open as notebooks (jupytext); every cell rendered at once
# (the default draws only the cells on screen, so a search of the page misses the rest); no
# news pop-up (the lab machines are often offline).
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension:plugin": {
        "defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}


def write_lab_settings() -> Path:
    path = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(LAB_SETTINGS, indent=1) + "\n")
    return path


def atomic_write(path: Path, text: str) -> None:
    atomic_write_text(path, text)   # a temporary file of its own: runs side by side are safe


def chosen_parameters(chapters: list[str], pairs: list[tuple[str, str]]) -> dict[str, dict]:
    """chapter -> {name: value} for the ``-p NAME VALUE`` pairs each chapter's parameters cell
    has; a name no chapter has is an error."""
    from .book import parameter_names

    values = {}
    for name, text in pairs:
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            raise EditionError(f"-p {name} {text}: expected a Python literal "
                               "(True, 3, 'text')") from None
    chosen = {c: {n: v for n, v in values.items() if n in parameter_names(c)} for c in chapters}
    unused = set(values) - {n for c in chosen.values() for n in c}
    if unused:
        raise EditionError(f"no chapter has a parameter {', '.join(sorted(unused))}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    from .book import toc_chapters

    from . import assignments

    parser = argparse.ArgumentParser(prog="python -m gae_lib.edition",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("edition", choices=("lab", "handout", "nbgrader"),
                        help="nbgrader: a course directory of graded assignments "
                             "(gae_lib.assignments)")
    parser.add_argument("chapters", nargs="*", help="e.g. book/intro (default: every chapter; "
                        "nbgrader: every chapter with exercises)")
    parser.add_argument("--out", type=Path, help=f"folder (default {LAB_DIR.name}/, "
                        f"{HANDOUT_DIR.relative_to(REPO_ROOT)}/ or "
                        f"{assignments.ASSIGNMENTS_DIR.relative_to(REPO_ROOT)}/)")
    parser.add_argument("--force", action="store_true",
                        help="lab, nbgrader: overwrite files you have edited")
    parser.add_argument("--release", action="store_true",
                        help="nbgrader: also run `nbgrader generate_assignment` for each")
    parser.add_argument("--hidden-checks", action="store_true",
                        help="nbgrader: the self-checks as hidden tests (not in the release)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="set a parameter in every chapter that "
                        "has it, e.g. -p QUICK True (a Python literal)")
    args = parser.parse_args(argv)
    chapters = args.chapters or (assignments.graded_chapters() if args.edition == "nbgrader"
                                 else toc_chapters())
    unknown = [c for c in chapters if c not in toc_chapters()]
    if unknown:
        parser.error(f"unknown chapter(s) {', '.join(unknown)}; expected some of "
                     f"{', '.join(toc_chapters())}")
    try:
        parameters = chosen_parameters(chapters, args.parameter)
        if args.edition == "lab":
            paths = write_lab(chapters, args.out or LAB_DIR, args.force, parameters)
            write_lab_settings()
        elif args.edition == "handout":
            paths = write_handout(chapters, args.out or HANDOUT_DIR, parameters)
        else:
            out = args.out or assignments.ASSIGNMENTS_DIR
            paths = assignments.write_course(chapters, out, parameters, args.hidden_checks,
                                             args.force)
            if args.release:
                paths += assignments.release(chapters, out)
    except (ValueError, OSError) as error:   # EditionError, AssignmentError, a damaged file
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
