"""python -m gae_lib train DOCUMENT/MODEL [--epochs N] [--seed S] [--device auto|cpu|cuda]
                                       [--resume] [--ship [--force]] [--limit N]
                                       [--set FIELD=VALUE]
   python -m gae_lib zoo [--samples DIR] [--ledger]  the shipped checkpoints, by document
   python -m gae_lib train-zoo [DOCUMENT] [--models GLOB] [--seeds 0,1,2]
                               [--executor local|slurm] [--jobs N] [--precision P]
                                                  retrain and ship, dependencies first
   python -m gae_lib export NAME [NAME ...] [--out DIR] [--no-classifier]
                                                  generators (and the classifier) as ONNX"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import fields
from pathlib import Path

from . import documents
from .precision import PRECISIONS

# What a model is (its zoo name, its family) is not a setting: a run under another name
# would ship over, or beside, another document's model.
NOT_SETTABLE = ("name", "family")


def parse_value(field_type, text: str):
    """A --set value as the type of the field it replaces (numbers, strings, booleans)."""
    if isinstance(field_type, bool):
        if text.lower() not in ("true", "false"):
            raise ValueError(f"expected true or false, got {text!r}")
        return text.lower() == "true"
    try:
        value = type(field_type)(text)
    except ValueError:
        kind = {int: "an integer", float: "a number"}.get(type(field_type), "a value")
        raise ValueError(f"expected {kind}, got {text!r}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {text!r}")
    return value


def apply_sets(cfg, items: list[str], parser):
    settings = {f.name: getattr(cfg.objective, f.name) for f in fields(cfg.objective)}
    top = {k: v for k, v in cfg.to_dict().items()
           if not isinstance(v, (dict, list, type(None))) and k not in NOT_SETTABLE}
    changes = {}
    for item in items:
        name, _, value = item.partition("=")
        known = {**top, **settings}
        if name in NOT_SETTABLE:
            parser.error(f"--set {item}: the model's {name} cannot be changed; train another "
                         f"model of the zoo by its name instead")
        if name not in known or not value:
            parser.error(f"--set {item}: expected FIELD=VALUE with FIELD one of {', '.join(known)}")
        try:
            changes[name] = parse_value(known[name], value)
        except ValueError as err:
            parser.error(f"--set {item}: {err}")
    try:
        return cfg.with_(**changes)
    except (ValueError, TypeError) as err:
        parser.error(f"--set {' '.join(items)}: {err}")


def usable_cores() -> int:
    """The cores this process may use (os.cpu_count() where the OS cannot say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def count(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def list_zoo(samples: Path | None, ledger: bool = False) -> None:
    from . import ledger as costs
    from . import zoo
    rows = costs.model_rows()
    if ledger:
        print(costs.text(rows))
        return
    totals = costs.by_document(rows)
    for document, names in zoo.by_document().items():
        t = totals[document]
        print(f"{document}: {t['models']} models, {t['bytes'] / costs.MB:.1f} MB, "
              f"{t['cpu_hours']:.2f} CPU-hours of training")
        for name in names:
            info = zoo.read_info(name)   # sha256-checked, as zoo.load reads it
            model = name.split("/", 1)[1]
            scalars = {k: round(v, 4) if isinstance(v, float) else v
                       for k, v in info["metrics"].items() if not isinstance(v, list)}
            print(f"  {model:16s} {info['config']['family']:16s} {info['epochs']:3d} epochs  "
                  f"{json.dumps(scalars)}")
            if samples and "generator" in info["networks"]:
                from .plots import save_samples
                path = save_samples(zoo.load(name), samples / f"{name}.png")
                print(f"  {'':16s} samples: {path}")


def train_zoo(args, parser) -> int:
    """Train and ship a document's models (and seeds) as submitit jobs (gae_lib.sweep)."""
    import time

    from . import sweep
    if args.document is not None and args.document not in documents.DOCUMENTS:
        parser.error(f"unknown document {args.document!r}; expected one of "
                     f"{', '.join(documents.DOCUMENTS)}")
    if args.executor == "local" and (args.partition or args.gpus_per_job > 1):
        parser.error("--partition and more than one --gpus-per-job go with --executor slurm")
    if args.executor == "slurm":
        sweep.check_slurm()
    threads = args.cpus_per_job if args.executor == "slurm" else 1
    train_args = ["--device", args.device] + (
        ["--precision", args.precision] if args.precision else []) + (
        ["--epochs", str(args.epochs)] if args.epochs else []) + (
        ["--force"] if args.force else [])
    jobs = sweep.plan(args.document, args.models, sweep.parse_seeds(args.seeds),
                      train_args=tuple(train_args), replace=args.replace)
    if not jobs:
        print("nothing to train: every model asked for is shipped (--replace retrains them)")
        return 0
    print(f"{len(jobs)} jobs ({args.executor}"
          + (f", {args.jobs} at once" if args.executor == "local" else "") + "), "
          "dependencies first: " + ", ".join(j.name for j in jobs), flush=True)
    folder = args.sweep_dir / time.strftime("%Y%m%d-%H%M%S")
    ex = sweep.executor(args.executor, folder, time_min=args.time,
                        partition=args.partition, gpus_per_job=args.gpus_per_job,
                        cpus_per_job=args.cpus_per_job)
    jobs = sweep.run(jobs, ex, args.executor, args.jobs, threads=threads,
                     say=lambda line: print(line, flush=True))
    print(sweep.summary(jobs))
    print(f"job files and logs: {folder}")
    return 0 if all(j.state == "shipped" for j in jobs) else 1


def main(argv: list[str] | None = None) -> int:
    """The commands; a library error (bad argument, damaged file, unwritable folder) is one
    line on stderr naming what and how to fix it, exit code 1."""
    from .files import FileFormatError
    from .zoo import CheckpointError

    try:
        return run(argv)
    except (ValueError, CheckpointError, FileFormatError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gae_lib")
    sub = parser.add_subparsers(dest="command", required=True)
    names = list(documents.configs())
    tr = sub.add_parser("train", help="train a model of the zoo (DOCUMENT/MODEL)")
    tr.add_argument("name", metavar="NAME", help=f"one of: {', '.join(names)}")
    tr.add_argument("--epochs", type=count, help="epochs (default: the zoo's)")
    tr.add_argument("--seed", type=int, help="seed (default: the zoo's)")
    tr.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    tr.add_argument("--resume", action="store_true", help="continue from OUT's last epoch")
    tr.add_argument("--resume-if-interrupted", action="store_true",
                    help="continue from OUT's last epoch if OUT holds a run, else start")
    tr.add_argument("--precision", choices=PRECISIONS,
                    help="float32, bfloat16 (mixed precision) or auto (bfloat16 where the "
                         "CPU or GPU runs it natively); default: the zoo's configuration")
    tr.add_argument("--quiet", action="store_true", help="no progress bars")
    tr.add_argument("--out", type=Path, help="run folder (default: runs/NAME)")
    tr.add_argument("--limit", type=count, help="train on the first N images only")
    tr.add_argument("--ship", action="store_true",
                    help="also write into data/checkpoints, replacing the shipped model "
                         "(refused for a run with --limit, --no-evaluate or fewer epochs than "
                         "the zoo's, unless --force)")
    tr.add_argument("--force", action="store_true",
                    help="with --ship: replace the shipped model even with such a run")
    tr.add_argument("--no-evaluate", action="store_true", help="skip the final metrics")
    tr.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="override a TrainConfig field or a setting of the family, "
                         "e.g. --set d_steps_per_g_step=4")
    zp = sub.add_parser("zoo", help="list the shipped checkpoints, grouped by document")
    zp.add_argument("--samples", type=Path, metavar="DIR",
                    help="also write a PNG grid of 64 prior samples of every shipped generator")
    zp.add_argument("--ledger", action="store_true",
                    help="each model's training CPU-hours and megabytes, summed per document")
    tz = sub.add_parser("train-zoo", help="retrain and ship a document's models "
                                          "(dependencies first)")
    tz.add_argument("document", nargs="?", help=f"one of: {', '.join(documents.DOCUMENTS)}")
    tz.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    tz.add_argument("--models", metavar="GLOB",
                    help="only the document's models whose MODEL matches, e.g. 'dcgan*'")
    tz.add_argument("--seeds", metavar="K,K,...",
                    help="train each model with these training seeds: NAME-seedK (NAME itself "
                         "for its configured seed); default: the configured seed")
    tz.add_argument("--executor", default="local", choices=["local", "slurm"],
                    help="local: parallel processes here, one torch thread each; slurm: "
                         "sbatch jobs (submitit)")
    tz.add_argument("--jobs", type=count, default=usable_cores(),
                    help="local: jobs at once (default: the cores)")
    tz.add_argument("--precision", choices=PRECISIONS,
                    help="every job's precision (default: each model's configuration)")
    tz.add_argument("--epochs", type=count,
                    help="every job's epochs (default: each model's configuration)")
    tz.add_argument("--replace", action="store_true",
                    help="also retrain and replace the models already shipped (default: "
                         "train only those the zoo lacks)")
    tz.add_argument("--force", action="store_true",
                    help="ship even runs shorter than the zoo's configuration (--epochs)")
    tz.add_argument("--partition", help="slurm: the partition")
    tz.add_argument("--gpus-per-job", type=int, default=0, help="slurm: GPUs per job")
    tz.add_argument("--cpus-per-job", type=count, default=1,
                    help="slurm: CPU cores (torch threads) per job")
    tz.add_argument("--time", type=count, default=24 * 60, metavar="MINUTES",
                    help="each job's time limit (slurm and local), minutes")
    tz.add_argument("--sweep-dir", type=Path, default=Path("runs") / "sweeps",
                    help="submitit's job files and logs")
    ex = sub.add_parser("export", help="write zoo generators (and the book's classifier) as "
                                       "ONNX, for onnxruntime and the website")
    ex.add_argument("names", nargs="+", metavar="NAME", help="zoo models (DOCUMENT/MODEL)")
    ex.add_argument("--out", type=Path, help="folder (default: book/_static/live)")
    ex.add_argument("--no-classifier", action="store_true", help="generators only")
    args = parser.parse_args(argv)

    if args.command == "zoo":
        list_zoo(args.samples, args.ledger)
        return 0

    if args.command == "export":
        from . import export
        out = args.out or export.DEFAULT_OUT
        for name in args.names:
            for path in export.export(name, out, classifier=not args.no_classifier):
                print(path)
        return 0

    if args.command == "train-zoo":
        return train_zoo(args, parser)

    from .train import train

    try:
        cfg = documents.config(args.name)
    except ValueError as err:
        parser.error(str(err))
    cfg = cfg.with_(**{k: v for k, v in (("epochs", args.epochs), ("seed", args.seed),
                                         ("precision", args.precision)) if v is not None})
    cfg = apply_sets(cfg, args.set, parser)
    out = args.out or Path("runs") / args.name
    if args.force and not args.ship:
        parser.error("--force only goes with --ship")
    if args.resume and args.resume_if_interrupted:
        parser.error("--resume and --resume-if-interrupted: expected one of them")
    info = train(cfg, out, device=args.device,
                 resume="auto" if args.resume_if_interrupted else args.resume, limit=args.limit,
                 ship=args.ship, evaluate=not args.no_evaluate, force=args.force,
                 progress=not args.quiet)
    print(f"{args.name}: {info['epochs']} epochs in {info['train_seconds']} s on {info['device']}; "
          f"metrics {json.dumps(info['metrics'])}")
    print(f"checkpoint: {out / (args.name + '.safetensors')}"
          + ("  (shipped to data/checkpoints)" if args.ship else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
