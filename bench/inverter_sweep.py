"""Algorithm 1's step size, measured: Adam's learning rate x schedule x steps on test digits
that no table of the book uses (the last ones of the MNIST test set; the chapters use the
first 2,000).  `make bench` runs it and prints the table; the library's defaults
(gae_lib.invert.DEFAULT_LR, DEFAULT_SCHEDULE) were chosen from it.

A constant rate needs one run for every step count (the best code visited after k steps is
read from the history); a decaying one is run once per step count (its decay depends on it).
Usage: python bench/inverter_sweep.py [--images 64] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

from gae_lib import data, zoo  # noqa: E402
from gae_lib.invert import DEFAULT_LR, DEFAULT_SCHEDULE, algorithm1  # noqa: E402

LRS = (0.01, 0.02, 0.05, 0.1, 0.2)
STEPS = (30, 100)  # the book's QUICK and full step counts


def held_out_digits(n: int) -> torch.Tensor:
    x, _ = data.tensors("mnist", "test")
    return x[-n:]


def sweep(generator, x, lrs=LRS, steps=STEPS, n_starts: int = 1000) -> list[dict]:
    """Mean final MSE (best code visited) for every lr x schedule x step count."""
    rows = []
    for lr in lrs:
        t = time.perf_counter()
        run = algorithm1(
            generator,
            x,
            steps=max(steps),
            lr=lr,
            schedule="constant",
            n_starts=n_starts,
            progress=False,
        )
        seconds = time.perf_counter() - t
        for k in steps:
            best = run.history[: k + 1].min(0).values
            rows.append(
                {
                    "lr": lr,
                    "schedule": "constant",
                    "steps": k,
                    "mean_mse": best.mean().item(),
                    "seconds": seconds * k / max(steps),
                }
            )
        for k in steps:
            t = time.perf_counter()
            run = algorithm1(
                generator, x, steps=k, lr=lr, schedule="cosine", n_starts=n_starts, progress=False
            )
            rows.append(
                {
                    "lr": lr,
                    "schedule": "cosine",
                    "steps": k,
                    "mean_mse": run.loss.mean().item(),
                    "seconds": time.perf_counter() - t,
                }
            )
        print(f"  lr {lr}: done", flush=True)
    return rows


def best_by_steps(rows: list[dict]) -> dict[int, dict]:
    return {
        k: min((r for r in rows if r["steps"] == k), key=lambda r: r["mean_mse"])
        for k in sorted({r["steps"] for r in rows})
    }


def table(rows: list[dict], n_images: int) -> str:
    lrs = sorted({r["lr"] for r in rows})
    steps = sorted({r["steps"] for r in rows})
    lines = [
        f"Algorithm 1 sweep: mean MSE on {n_images} held-out test digits "
        f"(default: lr {DEFAULT_LR}, {DEFAULT_SCHEDULE})",
        f"{'schedule':10s} {'steps':>5s} " + " ".join(f"{'lr ' + str(lr):>10s}" for lr in lrs),
    ]
    for schedule in ("constant", "cosine"):
        for k in steps:
            cells = {
                r["lr"]: r["mean_mse"]
                for r in rows
                if r["schedule"] == schedule and r["steps"] == k
            }
            lines.append(f"{schedule:10s} {k:5d} " + " ".join(f"{cells[lr]:10.5f}" for lr in lrs))
    for k, r in best_by_steps(rows).items():
        default = (
            next(
                d
                for d in rows
                if d["steps"] == k and d["lr"] == DEFAULT_LR and d["schedule"] == DEFAULT_SCHEDULE
            )
            if DEFAULT_LR in lrs
            else None
        )
        lines.append(
            f"best at {k} steps: lr {r['lr']}, {r['schedule']} ({r['mean_mse']:.5f})"
            + (f"; the default gives {default['mean_mse']:.5f}" if default else "")
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=64)
    parser.add_argument("--steps", type=int, nargs="+", default=list(STEPS))
    parser.add_argument(
        "--quick", action="store_true", help="two rates, 10 and 30 steps (smoke run)"
    )
    args = parser.parse_args()
    generator = zoo.load("favuzzi2019/dcgan").generator
    x = held_out_digits(args.images)
    rows = (
        sweep(generator, x, (0.05, 0.1), (10, 30))
        if args.quick
        else sweep(generator, x, LRS, tuple(args.steps))
    )
    print(table(rows, len(x)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
