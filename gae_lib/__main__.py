"""python -m gae_lib train NAME [--epochs N] [--seed S] [--device auto|cpu|cuda] [--resume] [--ship]
   python -m gae_lib zoo"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import ZOO_CONFIGS, zoo_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gae_lib")
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="train a model of the zoo")
    tr.add_argument("name", choices=list(ZOO_CONFIGS), metavar="NAME",
                    help=f"one of: {', '.join(ZOO_CONFIGS)}")
    tr.add_argument("--epochs", type=int, help="epochs (default: the zoo's)")
    tr.add_argument("--seed", type=int, help="seed (default: the zoo's)")
    tr.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    tr.add_argument("--resume", action="store_true", help="continue from OUT's last epoch")
    tr.add_argument("--out", type=Path, help="run folder (default: runs/NAME)")
    tr.add_argument("--limit", type=int, help="train on the first N images only")
    tr.add_argument("--ship", action="store_true", help="also write into data/checkpoints")
    tr.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="override a TrainConfig field, e.g. --set d_steps_per_g_step=4")
    zp = sub.add_parser("zoo", help="list the shipped checkpoints")
    zp.add_argument("--samples", type=Path, metavar="DIR",
                    help="also write a PNG grid of 64 prior samples of every shipped generator")
    args = parser.parse_args(argv)

    if args.command == "zoo":
        from . import zoo
        for name in zoo.available():
            info = json.loads((zoo.CHECKPOINTS / f"{name}.json").read_text())
            print(f"{name:16s} {info['epochs']:3d} epochs  {json.dumps(info['metrics'])[:100]}")
            if args.samples and "generator" in info["networks"]:
                from .plots import save_samples
                print(f"{'':16s} samples: {save_samples(zoo.load(name), args.samples / f'{name}.png')}")
        return 0

    from .train import train
    cfg = zoo_config(args.name)
    changes = {k: v for k, v in (("epochs", args.epochs), ("seed", args.seed)) if v is not None}
    for item in args.set:
        field, _, value = item.partition("=")
        if field not in cfg.to_dict() or not value:
            parser.error(f"--set {item}: expected FIELD=VALUE with FIELD one of {', '.join(cfg.to_dict())}")
        changes[field] = type(cfg.to_dict()[field])(value)
    cfg = cfg.with_(**changes)
    out = args.out or Path("runs") / args.name
    info = train(cfg, out, device=args.device, resume=args.resume, limit=args.limit, ship=args.ship)
    print(f"{args.name}: {info['epochs']} epochs in {info['train_seconds']} s on {info['device']}; "
          f"metrics {json.dumps(info['metrics'])}")
    print(f"checkpoint: {out / (args.name + '.safetensors')}" + ("  (shipped to data/checkpoints)" if args.ship else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
