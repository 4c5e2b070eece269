"""Training images/s in float32 and bfloat16 for each architecture the zoo uses, and the
inverter's error against its time in both precisions.

Training: one family step (the library's, as ``train`` runs it: channels_last, networks
returning float32 to the losses in bfloat16) at the model's batch size, on random images,
one torch thread, best of a few batches after a warm-up; for the DCGAN also the library's
whole loop against a plain PyTorch loop in the same precision (bench/training_parity.py).
Inversion: Algorithm 1 on held-out test digits (bench/inverter_sweep.py), the shipped
favuzzi2019 DCGAN, 1,000 starts, its constant default step size; each precision run once
for the longest step count, shorter ones read from its history (the best code visited
after k steps), as the sweep does.
"""
from __future__ import annotations

import time

import torch

from gae_lib import precision, zoo
from gae_lib.documents import config as zoo_config
from gae_lib.families import family_of
from gae_lib.invert import algorithm1
from gae_lib.parallel import torch_threads

# (what the bench calls it, the zoo model whose networks and step it times)
ARCHITECTURES = (
    ("DCGAN-28 GAN, BatchNorm (favuzzi2019/dcgan)", "favuzzi2019/dcgan"),
    ("DCGAN-28 GAN, LayerNorm (lazarou2022/gan-seed0)", "lazarou2022/gan-seed0"),
    ("DCGAN-28 AEGAN, LayerNorm (lazarou2022/aegan-seed0)", "lazarou2022/aegan-seed0"),
    ("WGAN-GP critic + DCGAN-28 G (latentspace2020/wgan-gp-z32)", "latentspace2020/wgan-gp-z32"),
    ("DCGAN-28 AE (favuzzi2019/ae)", "favuzzi2019/ae"),
    ("MLP GAN (wanare/mlp-gan)", "wanare/mlp-gan"),
    ("MLP VAE (wanare/linear-vae)", "wanare/linear-vae"),
    ("MLP AAE (makhzani2016/aae)", "makhzani2016/aae"),
)
PRECISIONS = ("float32", "bfloat16")


def step_rate(name: str, arithmetic: str, batches: int = 6) -> float:
    """Images per second of ``name``'s training step in ``arithmetic``, one torch thread."""
    cfg = zoo_config(name)
    family = family_of(cfg)
    torch.manual_seed(0)
    nets = {k: v.to(memory_format=torch.channels_last)
            for k, v in family.build(cfg, load=zoo.load).items()}
    for key, net in nets.items():
        net.train(key in family.trained)
    opts = family.make_optimisers(cfg, nets)
    x = torch.rand(cfg.batch_size, cfg.channels, 28, 28).mul(2).sub(1)
    x = x.contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (cfg.batch_size,))
    times = []
    with torch_threads(1):
        for iteration in range(batches + 1):        # the first batch warms oneDNN up
            started = time.perf_counter()
            with precision.mixed(arithmetic, "cpu", nets):
                family.step(nets, opts, x, y, cfg, iteration)
            times.append(time.perf_counter() - started)
    return cfg.batch_size / min(times[1:])


def training(rounds: int = 2, batches: int = 6) -> list[dict]:
    """Per architecture: images/s in each precision (best of ``rounds``, taking turns)."""
    rows = []
    for label, name in ARCHITECTURES:
        rates = {p: max(step_rate(name, p, batches) for _ in range(rounds)) for p in PRECISIONS}
        rows.append({"architecture": label, "model": name, "images_per_s": rates,
                     "speedup": rates["bfloat16"] / rates["float32"]})
        print(f"  {label}: x{rows[-1]['speedup']:.2f}", flush=True)
    return rows


def inversion(generator, x, steps=(100, 200, 300, 400), n_starts: int = 1000) -> list[dict]:
    """Mean MSE (float32) of the best code after k steps, and seconds, in each precision."""
    rows = []
    for arithmetic in PRECISIONS:
        with torch_threads(1):   # autocast reaches the descent (one chunk, this thread)
            started = time.perf_counter()
            run = algorithm1(generator, x, steps=max(steps), n_starts=n_starts,
                             progress=False, precision=arithmetic)
            seconds = time.perf_counter() - started
        for k in steps:
            if k == max(steps):
                mse = run.loss.mean().item()      # float32 MSE of the code returned
            else:
                mse = run.history[: k + 1].min(0).values.mean().item()
            rows.append({"precision": arithmetic, "steps": k, "mean_mse": mse,
                         "seconds": seconds * k / max(steps)})
        print(f"  inversion in {arithmetic}: {seconds:.1f} s for {max(steps)} steps", flush=True)
    return rows


def table(results: dict) -> str:
    lines = [f"\nbfloat16 against float32 ({results['cpu']}; native bfloat16: "
             f"{results['native_bf16']}); training images/s, one torch thread",
             f"{'architecture':60s} {'float32':>9s} {'bfloat16':>9s} {'speed-up':>9s}"]
    for row in results["training"]:
        rate = row["images_per_s"]
        lines.append(f"{row['architecture']:60s} {rate['float32']:9.0f} {rate['bfloat16']:9.0f} "
                     f"{row['speedup']:8.2f}x")
    lines.append("goal: >= 1.7x for the DCGAN-28 GAN step on a CPU with native bfloat16")
    for arithmetic, parity in results.get("parity", {}).items():
        lines.append(f"{arithmetic}: the library's DCGAN loop {parity['library_images_per_s']:.0f}"
                     f" images/s, a plain channels_last loop "
                     f"{parity['plain_channels_last_images_per_s']:.0f}: "
                     f"{parity['library_over_plain_channels_last']:.2f}x")
    lines.append(f"\nAlgorithm 1 on {results['inversion_images']} held-out digits, "
                 f"1,000 starts, one thread: mean MSE (seconds)")
    steps = sorted({r["steps"] for r in results["inversion"]})
    lines.append(f"{'precision':10s} " + " ".join(f"{k:>16d}" for k in steps))
    for arithmetic in PRECISIONS:
        cells = [next(r for r in results["inversion"]
                      if r["precision"] == arithmetic and r["steps"] == k) for k in steps]
        lines.append(f"{arithmetic:10s} " + " ".join(
            f"{c['mean_mse']:.5f} ({c['seconds']:5.1f})" for c in cells))
    return "\n".join(lines)


def quality_table(results: dict) -> str:
    """The committed quality check (bench/precision_quality.py) as lines."""
    cpu = results["runs"][0]["cpu"]
    lines = [f"\nQuality check (bench/precision-quality.json, measured on {cpu}): short runs, "
             f"mean ± sd over training seeds; Fréchet floor (real vs real) "
             f"{results['frechet_floor']:.1f}"]
    for row in results["agreement"]:
        mean, sd = row["mean"], row["sd"]
        if row["metric"] == "images_per_s":
            lines.append(f"{row['model']:20s} these runs' training images/s: float32 "
                         f"{mean['float32']:.0f}, bfloat16 {mean['bfloat16']:.0f} "
                         f"({mean['bfloat16'] / mean['float32']:.2f}x)")
            continue
        lines.append(
            f"{row['model']:20s} {row['metric']:15s} float32 {mean['float32']:9.3f} ± "
            f"{sd['float32']:7.3f}  bfloat16 {mean['bfloat16']:9.3f} ± {sd['bfloat16']:7.3f}  "
            f"(n = {row['n']['float32']}, {row['n']['bfloat16']}): difference "
            f"{row['difference']:+.3f}, 2 SE {2 * row['standard_error']:.3f} -> "
            + ("within the seed spread" if row["within_2se"] else "OUTSIDE the seed spread"))
    return "\n".join(lines)
