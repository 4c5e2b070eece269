"""Does bfloat16 training give the same models?  Short runs in both precisions, several seeds.

For each model (favuzzi2019's DCGAN, wanare's final MLP GAN), training seed and precision:
one epoch (the MLP GAN five) of the zoo's configuration through the library's ``train``,
then the Fréchet distance of 5,000 prior samples to 5,000 test digits in the book
classifier's features (beside the real-vs-real floor) and the class shares' KL to even.
The two precisions agree when their mean difference is within twice its standard error
over the seeds (Welch), the book's verdict rule.  A measurement is an hour of one core, so
its results are committed in bench/precision-quality.json, which `make bench` prints; this
script (re)measures them:

    python bench/precision_quality.py [--seeds 0,1,2] [--models wanare/mlp-gan,...]

Each finished run is written at once; a run already in the JSON is not repeated.
"""
from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path

import torch

from gae_lib import data, precision, zoo
from gae_lib.documents import config as zoo_config
from gae_lib.files import read_json, write_json
from gae_lib.metrics.frechet import FrechetReference
from gae_lib.quality import prior_samples
from gae_lib.train import train

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "precision-quality.json"
# Epochs of each short run: one DCGAN epoch already draws digits; the MLP GAN (batch 100,
# lr 2e-4) draws one class only after one epoch (measured: class-share KL = log 10 in
# both precisions), so it gets five.
MODELS = {"wanare/mlp-gan": 5, "favuzzi2019/dcgan": 1}
PRECISIONS = ("float32", "bfloat16")
SAMPLES = 5000


def class_share_kl(generator, classifier, prior: str) -> tuple[float, list[float]]:
    """KL(class shares || even) of SAMPLES prior samples, and the shares."""
    with torch.no_grad():
        labels = classifier(prior_samples(generator, prior, SAMPLES)).argmax(1)
    shares = torch.bincount(labels, minlength=10).double() / len(labels)
    kl = sum(p * math.log(p * 10) for p in shares.tolist() if p > 0)
    return kl, [round(p, 4) for p in shares.tolist()]


def measure(name: str, seed: int, arithmetic: str, epochs: int, reference) -> dict:
    cfg = zoo_config(name).with_(seed=seed, epochs=epochs, precision=arithmetic,
                                 snapshot_every=0, track_every=0)
    out = REPO / "runs" / "precision-quality" / f"{name}-seed{seed}-{arithmetic}"
    started = time.time()
    info = train(cfg, out, device="cpu", progress=False, evaluate=False)
    wall = time.time() - started
    generator = zoo.load(name, root=out).generator
    torch.manual_seed(1234)   # the same prior samples for every run
    kl, shares = class_share_kl(generator, reference.classifier, cfg.prior)
    torch.manual_seed(1234)
    fd = reference.distance(prior_samples(generator, cfg.prior, SAMPLES))
    return {"model": name, "seed": seed, "precision": info["precision"], "epochs": epochs,
            "train_seconds": info["train_seconds"], "wall_seconds": round(wall, 1),
            "images_per_s": round(info["images_per_epoch"] * epochs / info["train_seconds"], 1),
            "frechet": fd, "class_share_kl": kl, "class_shares": shares,
            "cpu": info["device_name"]}


def agreement(runs: list[dict]) -> list[dict]:
    """Per model and metric: mean and sd per precision, the difference and its standard error."""
    rows = []
    for name in sorted({r["model"] for r in runs}):
        for metric in ("frechet", "class_share_kl", "images_per_s"):
            side = {p: [r[metric] for r in runs if r["model"] == name and r["precision"] == p]
                    for p in PRECISIONS}
            if min(len(v) for v in side.values()) < 2:
                continue
            mean = {p: statistics.mean(v) for p, v in side.items()}
            sd = {p: statistics.stdev(v) for p, v in side.items()}
            se = math.sqrt(sum(sd[p] ** 2 / len(side[p]) for p in PRECISIONS))
            diff = mean["bfloat16"] - mean["float32"]
            rows.append({"model": name, "metric": metric, "n": {p: len(v) for p, v in side.items()},
                         "mean": mean, "sd": sd, "difference": diff, "standard_error": se,
                         "within_2se": abs(diff) <= 2 * se})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--models", default=",".join(MODELS),
                        help=f"some of {', '.join(MODELS)}")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if not precision.native_bf16("cpu"):
        print("note: this CPU has no native bfloat16; the bfloat16 runs are emulated (slow)")
    results = read_json(RESULTS, "delete it to measure again") if RESULTS.exists() else {"runs": []}
    classifier = zoo.load("book/classifier").classifier
    test, _ = data.tensors("mnist", "test", n=2 * SAMPLES)
    reference = FrechetReference(classifier, test[:SAMPLES], test[SAMPLES:])
    seeds = [int(s) for s in args.seeds.split(",")]
    for name in args.models.split(","):
        epochs = MODELS[name]
        for seed in seeds:
            for arithmetic in PRECISIONS:
                done = [r for r in results["runs"] if (r["model"], r["seed"], r["precision"],
                                                       r["epochs"]) == (name, seed, arithmetic,
                                                                        epochs)]
                if done:
                    continue
                run = measure(name, seed, arithmetic, epochs, reference)
                results["runs"].append(run)
                results["frechet_floor"] = reference.floor
                results["cpu"] = run["cpu"]
                results["agreement"] = agreement(results["runs"])
                write_json(RESULTS, results)
                print(f"{name} seed {seed} {arithmetic}: {run['train_seconds']} s, "
                      f"Frechet {run['frechet']:.2f}, class-share KL {run['class_share_kl']:.4f}",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
