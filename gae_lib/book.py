"""What chapters need besides models and metrics: glued tables, the document's claims, and
the book's chapters with their QUICK parameters (for papermill, tests and `make bench`).

    >>> from gae_lib import book
    >>> book.table("mse", {"AE": {"digits": 0.026, "letters": 0.04}})  # glues mse_AE_digits, ...
    >>> claims = book.Claims(favuzzi2019.CLAIMS)
    >>> claims.compare("digits", 0.026, "<", 0.012, computed_in="Compressive power: `mean`")
    >>> claims.table()                                               # paper vs this book

Every glued value is also readable from an executed notebook (``glued_values``), so tests
assert numbers and claim outcomes, never prose.
"""

from __future__ import annotations

import ast
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .data.sources import REPO_ROOT
from .verdict import FAILS, HOLDS, INCONCLUSIVE, MIN_RUNS, Z, Rule, Verdict, side


def key(*parts) -> str:
    """A glue name from labels such as 'hybrid E_GD': parts joined by '_', spaces to '-'."""
    return "_".join(str(p).replace(" ", "-") for p in parts)


# name -> the text/plain of every value glued in this kernel, as myst-nb stores it: what the
# lab editions' prose shows once the cell that glues it has run (``live``).
GLUED: dict[str, str] = {}


def glue(name: str, value) -> None:
    """myst_nb.glue without display (imported here so the library works without myst-nb)."""
    from myst_nb import glue as myst_glue

    myst_glue(name, value, display=False)
    GLUED[name] = plain_text(value)


def plain_text(value) -> str:
    """The text/plain form IPython gives ``value`` (what myst-nb glues), repr outside it."""
    try:
        from IPython import get_ipython
    except ImportError:
        return repr(value)
    shell = get_ipython()
    return shell.display_formatter.format(value)[0]["text/plain"] if shell else repr(value)


class ProseText:
    """A piece of a sentence, shown as it is (no quotes) by IPython and jupyterlab-myst."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self.text)


def live(name: str, spec: str = "", before: str = "") -> ProseText:
    """The value glued as ``name`` in this kernel, formatted by ``spec`` as the website's
    {glue:text} role shows it; ``before`` (the book's run's, marked so) until it is glued.
    The editions' prose calls it through jupyterlab-myst's {eval} role (gae_lib.edition)."""
    if name not in GLUED:
        return ProseText(before)
    from myst_nb.core.variables import format_plain_text

    return ProseText(format_plain_text(GLUED[name], spec))


def glue_all(values: dict, prefix: str | None = None) -> None:
    """Glue every leaf of a (nested) dict under its path: ``glue_all({"doe": {"AE": 0.0}})``
    glues ``doe_AE``; with ``prefix="mse"``, ``{"AE": {"digits": x}}`` glues ``mse_AE_digits``."""
    for label, value in values.items():
        name = label if prefix is None else key(prefix, label)
        if isinstance(value, dict):
            glue_all(value, key(name))
        else:
            glue(key(name), value)


def formatted(value, spec: str) -> str:
    return value if isinstance(value, str) else format(value, spec)


def table(
    name: str,
    rows: dict[str, dict],
    fmt: str | dict = ".4f",
    index: str = "",
    glued: bool = True,
    title: str = "",
):
    """A Markdown table of ``rows[row][column]``; each numeric cell is glued as
    ``name_row_column``, or ``name_row`` in a one-column table (stable names for the prose
    and the tests).  ``fmt``: a format spec, or one per column; strings are shown as they
    are (and not glued).  ``title`` is set in bold above the table."""
    from IPython.display import Markdown

    columns = list(dict.fromkeys(c for cells in rows.values() for c in cells))
    spec = fmt if isinstance(fmt, dict) else {c: fmt for c in columns}
    lines = ["| " + " | ".join([index or name, *columns]) + " |", "|---" * (len(columns) + 1) + "|"]
    for row, cells in rows.items():
        lines.append(
            "| "
            + " | ".join(
                [
                    str(row),
                    *(
                        formatted(cells[c], spec.get(c, ".4f")) if c in cells else "—"
                        for c in columns
                    ),
                ]
            )
            + " |"
        )
        if glued:
            for column, value in cells.items():
                if not isinstance(value, str):
                    glue(key(name, row) if len(columns) == 1 else key(name, row, column), value)
    return Markdown((f"**{title}**\n\n" if title else "") + "\n".join(lines))


@dataclass(frozen=True)
class Claim:
    """One finding of the document: what it is about, the document's value, ours, whether
    the means go the document's way (``agrees``; None: a number beside a number, nothing to
    compare) and the verdict of the book's rule (``gae_lib.verdict``) on the per-run values."""

    id: str
    quantity: str
    paper: str
    ours: str
    agrees: bool | None
    computed_in: str
    value: float | None = None    # our number behind ``ours`` (a mean over runs), for the tests
    versus: float | None = None   # the number it is compared with, if any
    verdict: str | None = None    # holds | does not hold | inconclusive (None: not compared)
    reason: str = ""
    first: list | None = None     # per-run values of each side, as the rule read them
    second: list | None = None
    rule: dict | None = None
    own_finding: bool = False     # added by the book after a claim failed: never counted


# The relations a chapter may name: '<=' and '>=' read as '<' and '>' (the rule decides ties).
RELATIONS = ("<", ">", "<=", ">=", "≈")


@dataclass(frozen=True)
class Stated:
    """A finding as the document states it, with the chapter's sentence for either direction
    (``{ours}`` in a sentence is replaced by our value), the rule that judges it (declared
    here, before the runs) and whether the book added it after a document's claim failed
    (``own_finding``: shown, never counted)."""

    quantity: str
    paper: str
    if_holds: str = ""
    if_not: str = ""
    rule: Rule | None = None
    own_finding: bool = False


# What the verdict adds to the chapter's sentence for the direction it saw.
VERDICT_SUFFIX = {
    "by rule": " (one training run: inconclusive by the book's rule until three seeds a side "
               "are trained)",
    "within": " (within twice the standard error over the seeds: inconclusive)",
    HOLDS: " (beyond twice the standard error over the seeds)",
    FAILS: " (beyond twice the standard error over the seeds)",
}


def verdict_suffix(verdict: Verdict) -> str:
    if verdict.verdict != INCONCLUSIVE:
        return VERDICT_SUFFIX[verdict.verdict]
    return VERDICT_SUFFIX["by rule" if verdict.reason.startswith("by rule") else "within"]


class Claims:
    """The document's claims (``{id: Stated(...)}``), checked one by one as the chapter
    computes them; the section verdicts, the final table and the tests read the same records."""

    def __init__(self, stated: dict[str, Stated]):
        self.stated = stated
        self.checked: dict[str, Claim] = {}

    def _stated(self, claim_id: str) -> Stated:
        if claim_id not in self.stated:
            raise KeyError(
                f"{claim_id!r} is not a claim of the document; expected one of "
                f"{', '.join(self.stated)}"
            )
        return self.stated[claim_id]

    def check(
        self,
        claim_id: str,
        *,
        ours: str,
        agrees: bool | None,
        computed_in: str,
        value: float | None = None,
        versus: float | None = None,
        verdict: Verdict | None = None,
        first=None,
        second=None,
    ) -> Claim:
        """Record our side of a claim.  ``agrees``: whether our numbers go the document's
        way (None: nothing to compare).  Without a ``verdict`` from the claim's rule, a
        compared claim rests on one run: inconclusive by rule.  If the document's claim has
        sentences for the two directions, the one that applies (with what the verdict adds)
        is glued as ``<id>_verdict`` for the section's prose."""
        stated = self._stated(claim_id)
        if agrees is not None and verdict is None:
            verdict = Verdict(INCONCLUSIVE, f"by rule: 1 run, {MIN_RUNS} needed", bool(agrees),
                              float("nan"), float("nan"))
        claim = Claim(
            claim_id, stated.quantity, stated.paper, ours,
            None if agrees is None else bool(agrees), computed_in,
            None if value is None else float(value), None if versus is None else float(versus),
            None if verdict is None else verdict.verdict, "" if verdict is None else verdict.reason,
            first, second, None if stated.rule is None else stated.rule.as_dict(),
            stated.own_finding,
        )
        self.checked[claim_id] = claim
        if stated.if_holds or stated.if_not:
            sentence = stated.if_holds if claim.agrees else stated.if_not
            suffix = "" if verdict is None else verdict_suffix(verdict)
            glue(f"{claim_id}_verdict", sentence.replace("{ours}", ours) + suffix)
        return claim

    def compare(
        self,
        claim_id: str,
        ours,
        relation: str,
        versus,
        *,
        computed_in: str,
        fmt: str = ".4f",
        labels: tuple[str, str] | None = None,
    ) -> Claim:
        """A claim that our number(s) stand in ``relation`` to other number(s): e.g.
        ``compare("digits", mse_ae, "<", mse_egd, ...)``.  Each side is one number or a list
        with one value per training run; the claim's declared rule gives the verdict (its
        relation must be the one the chapter names: '<=' reads as '<').  ``labels`` names the
        two sides in the table ("AE 0.0262 (1 run) vs E_GD 0.0446 (1 run)")."""
        stated = self._stated(claim_id)
        if relation not in RELATIONS:
            raise ValueError(f"relation: expected one of {RELATIONS}, got {relation!r}")
        rule = stated.rule
        if rule is None:
            raise ValueError(f"{claim_id}: a compared claim needs its rule declared with it "
                             f"(Stated(..., rule=verdict.Rule(...)))")
        if relation.rstrip("=") != rule.relation:
            raise ValueError(f"{claim_id}: the chapter compares with {relation!r}, the declared "
                             f"rule with {rule.relation!r}")
        first = side(ours, name=f"{claim_id}: ours")
        fixed = rule.fixed_second or rule.relation == "≈"
        second = side(versus, fixed, name=f"{claim_id}: versus")
        verdict = rule.decide(first, second)
        names = labels or rule.sides
        first_text, second_text = (f"{name} {s.text(fmt)}"
                                   for name, s in zip(names, (first, second)))
        return self.check(
            claim_id,
            ours=f"{first_text} vs {second_text}",
            agrees=verdict.agrees,
            computed_in=computed_in,
            value=first.mean,
            versus=second.mean,
            verdict=verdict,
            first=list(first.values),
            second=list(second.values),
        )

    def table(self):
        """The "paper vs this book" table; glues ``n_agree``, ``n_compared``, ``n_holds``,
        ``n_fails``, ``n_inconclusive`` (the document's claims only: the book's own findings
        are shown, never counted) and ``claims`` (every record, for the tests).  Every
        stated claim must have been checked."""
        from IPython.display import Markdown

        missing = [c for c in self.stated if c not in self.checked]
        if missing:
            raise ValueError(f"claims not checked by the chapter: {', '.join(missing)}")
        records = [self.checked[c] for c in self.stated]
        counted = [c for c in records if not c.own_finding and c.agrees is not None]
        glue("n_agree", sum(c.agrees is True for c in counted))
        glue("n_compared", len(counted))
        for name, verdict in (("n_holds", HOLDS), ("n_fails", FAILS),
                              ("n_inconclusive", INCONCLUSIVE)):
            glue(name, sum(c.verdict == verdict for c in counted))
        glue("claims", {c.id: asdict(c) for c in records})
        mark = {True: "yes", False: "**no**", None: "—"}

        def verdict_cell(c: Claim) -> str:
            if c.verdict is None:
                return "—"
            shown = f"**{c.verdict}**" if c.verdict != INCONCLUSIVE else c.verdict
            return f"{shown} ({c.reason})"

        def quantity(c: Claim) -> str:
            return (f"{c.quantity} *(the book's own finding, not counted)*" if c.own_finding
                    else c.quantity)

        return Markdown(
            f"Verdicts by the book's rule: at least {MIN_RUNS} training runs a side, the mean "
            f"difference against {Z:g} standard errors over the runs.\n\n"
            "| quantity | paper | this book | direction agrees | verdict | computed in |\n"
            "|---|---|---|---|---|---|\n"
            + "\n".join(
                f"| {quantity(c)} | {c.paper} | {c.ours} | {mark[c.agrees]} | "
                f"{verdict_cell(c)} | {c.computed_in} |"
                for c in records
            )
        )


# --- The book's chapters (papermill tests, lab editions, `make bench`, `make reproduce`) ---

BOOK = REPO_ROOT / "book"


def toc_pages() -> list[str]:
    """Every page of _toc.yml (without suffix), the root first."""
    import yaml

    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", [toc]):
        pages += [c["file"] for c in part.get("chapters", [])]
    return pages


def is_notebook(page: str) -> bool:
    """A chapter with code (a jupytext MyST notebook), not a plain Markdown page."""
    head = (REPO_ROOT / f"{page}.md").read_text().split("\n---", 1)[0]
    return head.startswith("---") and "kernelspec:" in head


def toc_chapters() -> list[str]:
    """The executable chapters of _toc.yml, the root first."""
    return [page for page in toc_pages() if is_notebook(page)]


# Wall-time budgets on 2 idle CPU cores from the shipped models, checked by `make bench`:
# a chapter in QUICK mode (tests) and in full mode (the website), and its longest cell in
# full mode (the build's per-cell timeout in _config.yml leaves room for a machine ~15x
# slower than that: a laptop shared with other work).
TIME_BUDGETS_S = {"book/comparison-of-encodings": {"quick": 90, "full": 300}}
DEFAULT_BUDGET_S = {"quick": 90, "full": 360}
CELL_BUDGET_S = 120


def time_budget(chapter: str, mode: str) -> float:
    return TIME_BUDGETS_S.get(chapter, DEFAULT_BUDGET_S)[mode]


# papermill rewrites the whole notebook after every cell by default; a chapter's outputs run
# to ~14 MB (images, the kernel-free figures' steps), so that cost 20 of 106 s of the
# favuzzi2019 chapter's QUICK run (measured).  With these options it writes once at the end,
# or at the failing cell.
PAPERMILL_OPTIONS = ("--no-request-save-on-cell-execute", "--autosave-cell-every", "0")


def to_notebook(source, notebook) -> None:
    """Convert a chapter's MyST source to an .ipynb with jupytext (what ``jupytext --to ipynb``
    writes; in this process: a jupytext process costs ~4 s of start-up for each chapter)."""
    import jupytext

    jupytext.write(jupytext.read(str(source)), str(notebook))


def papermill_command(notebook, executed, workdir, parameters: dict | None = None) -> list[str]:
    """The command that executes ``notebook`` into ``executed`` in ``workdir`` with
    ``parameters`` injected: the papermill of this Python's environment (tests, `make bench`,
    `make reproduce`)."""
    import sys

    injected = [a for k, v in (parameters or {}).items() for a in ("-p", k, str(v))]
    return [str(Path(sys.executable).parent / "papermill"), str(notebook), str(executed),
            "--cwd", str(workdir), *injected, *PAPERMILL_OPTIONS]


def parameter_names(chapter: str) -> list[str]:
    """The names a chapter's papermill ``parameters`` cell assigns, in order."""
    text = (REPO_ROOT / f"{chapter}.md").read_text()
    cell = text.split(":tags: [parameters]", 1)[1].split("```", 1)[0]
    return [line.split(" = ", 1)[0] for line in cell.splitlines()
            if " = " in line and not line.startswith("#")]


def quick_parameters(chapter: str) -> dict:
    """Small, fast papermill parameters of a chapter; {} runs it on its defaults."""
    return json.loads((BOOK / "quick-parameters.json").read_text()).get(chapter, {})


def glued_values(notebook: dict | str | Path) -> dict:
    """Every value a chapter glued (myst_nb.glue), read from an executed notebook (a dict or
    a path): numbers, strings and dicts as Python values (literal_eval of the text form;
    nothing unpickled)."""
    if not isinstance(notebook, dict):
        notebook = json.loads(Path(notebook).read_text())
    values = {}
    for cell in notebook["cells"]:
        for name, text in glued_texts(cell).items():
            try:
                values[name] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                values[name] = text
    return values


def glued_texts(cell: dict) -> dict[str, str]:
    """name -> text/plain of each value an executed code cell glued (its scrapbook outputs)."""
    found = {}
    for out in cell.get("outputs", []):
        record = out.get("metadata", {}).get("scrapbook", {})
        text = out.get("data", {}).get(record.get("mime_prefix", "") + "text/plain")
        if record.get("name") and text is not None:
            found[record["name"]] = "".join(text) if isinstance(text, list) else text
    return found
