"""python -m gae_lib train DOCUMENT/MODEL [--epochs N] [--seed S] [--device auto|cpu|cuda]
                                       [--resume] [--ship] [--limit N] [--set FIELD=VALUE]
   python -m gae_lib zoo [--samples DIR]          the shipped checkpoints, by document
   python -m gae_lib train-zoo [DOCUMENT]         retrain and ship, dependencies first
   python -m gae_lib export NAME [NAME ...] [--out DIR] [--no-classifier]
                                                  generators (and the classifier) as ONNX"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields
from pathlib import Path

from . import documents


def parse_value(field_type, text: str):
    """A --set value as the type of the field it replaces (numbers, strings, booleans)."""
    if isinstance(field_type, bool):
        if text.lower() not in ("true", "false"):
            raise ValueError(f"expected true or false, got {text!r}")
        return text.lower() == "true"
    return type(field_type)(text)


def apply_sets(cfg, items: list[str], parser):
    settings = {f.name: getattr(cfg.objective, f.name) for f in fields(cfg.objective)}
    top = {k: v for k, v in cfg.to_dict().items() if not isinstance(v, (dict, list, type(None)))}
    changes = {}
    for item in items:
        name, _, value = item.partition("=")
        known = {**top, **settings}
        if name not in known or not value:
            parser.error(f"--set {item}: expected FIELD=VALUE with FIELD one of {', '.join(known)}")
        try:
            changes[name] = parse_value(known[name], value)
        except ValueError as err:
            parser.error(f"--set {item}: {err}")
    return cfg.with_(**changes)


def list_zoo(samples: Path | None) -> None:
    from . import zoo
    for document, names in zoo.by_document().items():
        print(f"{document}:")
        for name in names:
            info = json.loads((zoo.CHECKPOINTS / f"{name}.json").read_text())
            model = name.split("/", 1)[1]
            scalars = {k: round(v, 4) if isinstance(v, float) else v
                       for k, v in info["metrics"].items() if not isinstance(v, list)}
            print(f"  {model:16s} {info['config']['family']:16s} {info['epochs']:3d} epochs  "
                  f"{json.dumps(scalars)}")
            if samples and "generator" in info["networks"]:
                from .plots import save_samples
                path = save_samples(zoo.load(name), samples / f"{name}.png")
                print(f"  {'':16s} samples: {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gae_lib")
    sub = parser.add_subparsers(dest="command", required=True)
    names = list(documents.configs())
    tr = sub.add_parser("train", help="train a model of the zoo (DOCUMENT/MODEL)")
    tr.add_argument("name", metavar="NAME", help=f"one of: {', '.join(names)}")
    tr.add_argument("--epochs", type=int, help="epochs (default: the zoo's)")
    tr.add_argument("--seed", type=int, help="seed (default: the zoo's)")
    tr.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    tr.add_argument("--resume", action="store_true", help="continue from OUT's last epoch")
    tr.add_argument("--out", type=Path, help="run folder (default: runs/NAME)")
    tr.add_argument("--limit", type=int, help="train on the first N images only")
    tr.add_argument("--ship", action="store_true", help="also write into data/checkpoints")
    tr.add_argument("--no-evaluate", action="store_true", help="skip the final metrics")
    tr.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="override a TrainConfig field or a setting of the family, "
                         "e.g. --set d_steps_per_g_step=4")
    zp = sub.add_parser("zoo", help="list the shipped checkpoints, grouped by document")
    zp.add_argument("--samples", type=Path, metavar="DIR",
                    help="also write a PNG grid of 64 prior samples of every shipped generator")
    tz = sub.add_parser("train-zoo", help="retrain and ship a document's models "
                                          "(dependencies first)")
    tz.add_argument("document", nargs="?", help=f"one of: {', '.join(documents.DOCUMENTS)}")
    tz.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ex = sub.add_parser("export", help="write zoo generators (and the book's classifier) as "
                                       "ONNX, for onnxruntime and the website")
    ex.add_argument("names", nargs="+", metavar="NAME", help="zoo models (DOCUMENT/MODEL)")
    ex.add_argument("--out", type=Path, help="folder (default: book/_static/live)")
    ex.add_argument("--no-classifier", action="store_true", help="generators only")
    args = parser.parse_args(argv)

    if args.command == "zoo":
        list_zoo(args.samples)
        return 0

    if args.command == "export":
        from . import export
        out = args.out or export.DEFAULT_OUT
        try:
            for name in args.names:
                for path in export.export(name, out, classifier=not args.no_classifier):
                    print(path)
        except ValueError as err:
            parser.error(str(err))
        return 0

    from .train import train
    if args.command == "train-zoo":
        from . import zoo
        mine = set(documents.configs(args.document))
        order = [n for n in documents.training_order(args.document)
                 if n in mine or n not in zoo.available()]   # missing dependencies only
        print("training order:", " -> ".join(order))
        for name in order:
            info = train(documents.config(name), Path("runs") / name, device=args.device, ship=True)
            print(f"{name}: {info['epochs']} epochs in {info['train_seconds']} s; shipped")
        return 0

    try:
        cfg = documents.config(args.name)
    except ValueError as err:
        parser.error(str(err))
    cfg = cfg.with_(**{k: v for k, v in (("epochs", args.epochs), ("seed", args.seed))
                       if v is not None})
    cfg = apply_sets(cfg, args.set, parser)
    out = args.out or Path("runs") / args.name
    info = train(cfg, out, device=args.device, resume=args.resume, limit=args.limit,
                 ship=args.ship, evaluate=not args.no_evaluate)
    print(f"{args.name}: {info['epochs']} epochs in {info['train_seconds']} s on {info['device']}; "
          f"metrics {json.dumps(info['metrics'])}")
    print(f"checkpoint: {out / (args.name + '.safetensors')}"
          + ("  (shipped to data/checkpoints)" if args.ship else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
