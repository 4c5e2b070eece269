"""Re-run a chapter in full mode and print how its glued numbers differ from the committed
reference (book/reference/<chapter>.json).

    python -m gae_lib.reproduce                         # every chapter with a reference
    python -m gae_lib.reproduce book/comparison-of-encodings --write   # (re)write its reference
    python -m gae_lib.reproduce CHAPTER --from-notebook executed.ipynb  # compare without running
    python -m gae_lib.reproduce --zoo                   # every zoo model's JSON metrics, recomputed

`make reproduce` runs both: the chapters, then the zoo (each model's recorded metrics computed
again from its shipped weights, with 10,000-26,000 samples: minutes, so not in `make test`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from .book import glued_values, papermill_command, to_notebook, toc_chapters
from .data.sources import REPO_ROOT as REPO
from .files import atomic_write_text, read_json, shown

REFERENCES = REPO / "book" / "reference"
# --write refuses (without --force) a run that lacks more than this share of the reference's
# values: a chapter renames a glued value now and then, a wrong or failed run loses most.
MAX_DROPPED_SHARE = 0.10
# A notebook is a run of a chapter when at least this share of the chapter's code cells is in
# it word for word (an edit since the run changes a few).
MIN_SHARED_CODE = 0.5


def reference_path(chapter: str) -> Path:
    return REFERENCES / f"{Path(chapter).name}.json"


def execute_full(chapter: str, keep: Path | None = None) -> tuple[dict, float]:
    source = REPO / f"{chapter}.md"
    with tempfile.TemporaryDirectory() as tmp:
        notebook, executed = Path(tmp) / "in.ipynb", Path(tmp) / "out.ipynb"
        to_notebook(source, notebook)
        start = time.perf_counter()
        proc = subprocess.run(
            [*papermill_command(notebook, executed, source.parent), "--progress-bar"]
        )
        if proc.returncode != 0:
            raise SystemExit(f"{chapter}: papermill failed (exit {proc.returncode}); see above")
        if keep:
            keep.write_text(executed.read_text())
        return json.loads(executed.read_text()), time.perf_counter() - start


def code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source", "")
            for c in notebook.get("cells", []) if c.get("cell_type") == "code"]


def not_that_chapter(notebook, chapter: str) -> str | None:
    """Why ``notebook`` (a parsed .ipynb) is not an executed run of ``chapter``, or None."""
    from .edition import source_notebook

    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return "not a Jupyter notebook (no list of cells)"
    source = set(code_cells(source_notebook(chapter)))
    shared = len(source & set(code_cells(notebook))) / max(len(source), 1)
    if shared < MIN_SHARED_CODE:
        return (f"only {shared:.0%} of {chapter}'s code cells are in it: a run of another "
                f"chapter, or of none")
    return None


def not_full_mode(notebook: dict) -> str | None:
    """Why ``notebook`` is not a full-mode papermill run (the chapter's own defaults, no
    parameters injected, no failed cell), or None."""
    run = notebook.get("metadata", {}).get("papermill")
    if not isinstance(run, dict):
        return "not a papermill run (no papermill metadata), so its parameters are unknown"
    if run.get("exception"):
        return "its papermill run stopped at a failing cell"
    if run.get("parameters"):
        return (f"it ran with parameters {json.dumps(run['parameters'])}, not in full mode "
                f"(the chapter's defaults)")
    return None


def flat(values: dict, prefix: str = "") -> dict:
    """Nested glued values (e.g. the claims) as dotted names: claims.doe_ae.value.  A null
    (a claim with nothing to compare against) is left out: there is nothing to compare."""
    out = {}
    for name, value in values.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{name}."))
        elif value is not None:
            out[prefix + name] = value
    return out


def differences(reference: dict, now: dict) -> list[tuple]:
    reference, now = flat(reference), flat(now)
    rows = []
    for name in sorted(set(reference) | set(now)):
        ref, new = reference.get(name), now.get(name)
        numeric = isinstance(ref, (int, float)) and isinstance(new, (int, float))
        delta = new - ref if numeric else None
        rel = abs(delta) / abs(ref) if numeric and ref else None
        rows.append((name, ref, new, delta, rel))
    return rows


def show(rows: list[tuple]) -> None:
    print(
        f"{'glued value':42s} {'reference':>12s} {'this run':>12s} {'difference':>12s} {'rel.':>7s}"
    )
    for name, ref, new, delta, rel in rows:
        fmt = lambda v: (
            "missing" if v is None else (f"{v:.5g}" if isinstance(v, (int, float)) else str(v)[:12])
        )
        mark = "" if delta is None or rel is None or rel < 0.05 else "  <- differs by >5%"
        print(
            f"{name:42s} {fmt(ref):>12s} {fmt(new):>12s} "
            f"{fmt(delta) if delta is not None else '':>12s} "
            f"{'' if rel is None else f'{rel:7.1%}'}{mark}"
        )
    changed = sum(1 for *_, rel in rows if rel is not None and rel >= 0.05)
    missing = sum(1 for _, ref, new, *_ in rows if ref is None or new is None)
    print(
        f"\n{len(rows)} values: {changed} differ by more than 5%, "
        f"{missing} present on one side only"
    )


def zoo_differences() -> list[tuple]:
    """(model, metric, recorded, recomputed, within tolerance) for every shipped model; within
    tolerance is None for a metric measured at training time with a network that was not
    shipped (e.g. the decoder of a model whose chapter uses only its encoder)."""
    import torch

    from . import quality, zoo
    from .families import family_of

    rows = []
    for name in zoo.available():
        model = zoo.load(name)
        with torch.no_grad():
            now = family_of(model.config).evaluate(model.config, dict(model.items()), zoo.load)
        recorded = model.info["metrics"]
        # Networks the metrics are measured with (not discriminators) trained but not shipped.
        unshipped = ({"generator", "encoder"} & set(family_of(model.config).trained)
                     - set(dict(model.items())))
        # Every recorded metric (one added to the library since a model shipped is not one).
        for key in sorted(recorded):
            if key not in now and unshipped:
                ok = None
            else:
                ok = key in now and quality.metric_close(recorded[key], now[key], key)
            rows.append((name, key, recorded.get(key), now.get(key), ok))
        print(f"  {name}: recomputed", flush=True)
    return rows


def show_zoo(rows: list[tuple]) -> int:
    fmt = lambda v: (
        "missing" if v is None else (f"{v:.5g}" if isinstance(v, float) else str(v)[:30])
    )
    print(f"{'model':28s} {'metric':26s} {'recorded':>12s} {'recomputed':>12s}")
    notes = {True: "", False: "  <- differs", None: "  (needs a network not shipped)"}
    for name, key, recorded, now, ok in rows:
        print(f"{name:28s} {key:26s} {fmt(recorded):>12s} {fmt(now):>12s}" + notes[ok])
    bad = sum(r[4] is False for r in rows)
    unshipped = sum(r[4] is None for r in rows)
    print(f"\n{len(rows)} recorded metrics: {bad} outside the tolerance of quality.metric_close"
          + (f", {unshipped} not recomputable from the shipped networks" if unshipped else ""))
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gae_lib.reproduce",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="e.g. book/comparison-of-encodings")
    parser.add_argument("--write", action="store_true", help="store this run as the reference")
    parser.add_argument("--from-notebook", type=Path,
                        help="an executed notebook of the one chapter named, instead of a run")
    parser.add_argument("--keep-notebook", type=Path, help="also save the executed notebook here")
    parser.add_argument("--force", action="store_true",
                        help="--write even a run that is not full mode or drops more than "
                             f"{MAX_DROPPED_SHARE:.0%} of the reference's values")
    parser.add_argument(
        "--zoo", action="store_true", help="only recompute the zoo's recorded metrics"
    )
    parser.add_argument("--no-zoo", action="store_true", help="only the chapters")
    args = parser.parse_args(argv)
    if args.zoo:
        print("== zoo: recorded metrics recomputed from the shipped weights ==")
        return 1 if show_zoo(zoo_differences()) else 0
    if args.from_notebook and len(args.chapters) != 1:
        parser.error(f"--from-notebook: expected exactly one chapter, the notebook's, got "
                     f"{len(args.chapters)}: e.g. `python -m gae_lib.reproduce "
                     f"book/comparison-of-encodings --from-notebook {args.from_notebook}`")
    chapters = args.chapters or [c for c in toc_chapters() if reference_path(c).exists()]
    for chapter in chapters:   # every check before the first minutes-long run
        if chapter not in toc_chapters():
            raise SystemExit(
                f"{chapter}: expected a chapter of _toc.yml: {', '.join(toc_chapters())}"
            )
        if not args.write and not reference_path(chapter).exists():
            raise SystemExit(f"{reference_path(chapter)}: no reference yet; run with --write "
                             f"first")
    try:
        for chapter in chapters:
            reproduce_chapter(chapter, args)
    except (ValueError, OSError) as err:
        raise SystemExit(f"error: {err}") from None
    if not (args.no_zoo or args.chapters or args.from_notebook or args.write):
        print("\n== zoo: recorded metrics recomputed from the shipped weights ==")
        return 1 if show_zoo(zoo_differences()) else 0
    return 0


def reproduce_chapter(chapter: str, args) -> None:
    """Compare one chapter's run (or ``--from-notebook``) with its reference; ``--write``
    stores it, refused for a run that is not a full-mode run of the chapter or that loses
    more than MAX_DROPPED_SHARE of the reference's values (unless ``--force``)."""
    path = reference_path(chapter)
    fix = f"restore it with `git checkout -- {shown(path, REPO)}`"
    record = read_json(path, fix) if path.exists() else {"values": None}
    if not isinstance(record, dict) or not isinstance(record.get("values", {}), (dict, type(None))):
        raise ValueError(f"{path}: expected a reference record with 'values'; {fix}")
    reference = record.get("values")
    if args.from_notebook:
        notebook = read_json(args.from_notebook, "expected an executed .ipynb of " + chapter)
        problem = not_that_chapter(notebook, chapter)
        if problem:
            raise ValueError(f"{args.from_notebook}: {problem}")
        seconds = notebook.get("metadata", {}).get("papermill", {}).get("duration")
        mode = not_full_mode(notebook)
    else:
        notebook, seconds = execute_full(chapter, args.keep_notebook)
        mode = None
    now = glued_values(notebook)
    print(f"\n== {chapter} ({'full mode' if mode is None else 'not full mode: ' + mode}) ==")
    if reference is not None:
        show(differences(reference, now))
    if not args.write:
        return
    refusals = [] if mode is None else [mode]
    if reference:
        dropped = set(flat(reference)) - set(flat(now))
        if len(dropped) > MAX_DROPPED_SHARE * len(flat(reference)):
            refusals.append(f"it lacks {len(dropped)} of the reference's {len(flat(reference))} "
                            f"values (e.g. {', '.join(sorted(dropped)[:3])})")
    elif not now:
        refusals.append("it glued no values")
    if refusals and not args.force:
        raise ValueError(f"not writing {shown(path, REPO)} from this run: "
                         f"{'; '.join(refusals)}. A reference is a full-mode run of the chapter "
                         f"(`python -m gae_lib.reproduce {chapter} --write`); --force writes "
                         f"it anyway")
    import gae_lib

    REFERENCES.mkdir(exist_ok=True)
    record = {"chapter": chapter, "gae_lib": gae_lib.__version__,
              "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "seconds": seconds, "values": now}
    atomic_write_text(path, json.dumps(record, indent=1, sort_keys=True) + "\n")
    print(f"reference written: {shown(path, REPO)} ({len(now)} values)")


if __name__ == "__main__":
    sys.exit(main())
