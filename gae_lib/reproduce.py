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

REFERENCES = REPO / "book" / "reference"


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="e.g. book/comparison-of-encodings")
    parser.add_argument("--write", action="store_true", help="store this run as the reference")
    parser.add_argument("--from-notebook", type=Path, help="an executed full-mode notebook to use")
    parser.add_argument("--keep-notebook", type=Path, help="also save the executed notebook here")
    parser.add_argument(
        "--zoo", action="store_true", help="only recompute the zoo's recorded metrics"
    )
    parser.add_argument("--no-zoo", action="store_true", help="only the chapters")
    args = parser.parse_args(argv)
    if args.zoo:
        print("== zoo: recorded metrics recomputed from the shipped weights ==")
        return 1 if show_zoo(zoo_differences()) else 0
    chapters = args.chapters or [c for c in toc_chapters() if reference_path(c).exists()]
    for chapter in chapters:
        if chapter not in toc_chapters():
            raise SystemExit(
                f"{chapter}: expected a chapter of _toc.yml: {', '.join(toc_chapters())}"
            )
        if args.from_notebook:
            notebook = json.loads(args.from_notebook.read_text())
            seconds = notebook.get("metadata", {}).get("papermill", {}).get("duration")
        else:
            notebook, seconds = execute_full(chapter, args.keep_notebook)
        now = glued_values(notebook)
        path = reference_path(chapter)
        print(f"\n== {chapter} (full mode) ==")
        if path.exists():
            show(differences(json.loads(path.read_text())["values"], now))
        elif not args.write:
            raise SystemExit(f"{path}: no reference yet; run with --write first")
        if args.write:
            import gae_lib

            REFERENCES.mkdir(exist_ok=True)
            path.write_text(
                json.dumps(
                    {
                        "chapter": chapter,
                        "gae_lib": gae_lib.__version__,
                        "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        "seconds": seconds,
                        "values": now,
                    },
                    indent=1,
                    sort_keys=True,
                )
                + "\n"
            )
            print(f"reference written: {path.relative_to(REPO)} ({len(now)} values)")
    if not (args.no_zoo or args.chapters or args.from_notebook or args.write):
        print("\n== zoo: recorded metrics recomputed from the shipped weights ==")
        return 1 if show_zoo(zoo_differences()) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
