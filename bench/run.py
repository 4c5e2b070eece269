"""`make bench`: speed and memory of the library and the book on this machine.

Writes bench/results/<host>-<time>.json (and latest.json) and prints a table:
  * Algorithm 1 on 256 MNIST test images with the shipped dcgan, batched, vs a loop over
    64 of them one image at a time (same steps and starts; their final MSEs must agree);
  * achieved FLOP/s of the batched inversion vs a measured float32 matmul peak;
  * dcgan training images/s;
  * wall time and peak resident memory of every chapter, QUICK and full, and the book build.
Usage: python bench/run.py [--quick] [--skip-chapters] [--skip-book]
"""
from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "book"))

from gae_lib import __version__, data, zoo  # noqa: E402
from gae_lib.config import zoo_config  # noqa: E402
from gae_lib.invert import algorithm1  # noqa: E402
from gae_lib.train import train  # noqa: E402
from chapters import quick_parameters, time_budget, toc_chapters  # noqa: E402

MEMORY_GOAL_GB = 4.0
RATIO_GOAL = 20.0


def matmul_peak(n: int = 4096, repeats: int = 5, trials: int = 3) -> float:
    """Best of ``trials`` timings of float32 n x n matmuls: the machine's practical peak."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = 0.0
    for _ in range(trials):
        t = time.perf_counter()
        for _ in range(repeats):
            a @ b
        best = max(best, 2 * n ** 3 * repeats / (time.perf_counter() - t))
    return best


def inversion_flops(generator, n_images: int, n_starts: int, steps: int) -> float:
    """FLOPs of one inversion: G over the shared starts, then per step G forward and the
    backward pass to z only (as the inverter computes it: no weight gradients)."""
    generator = copy.deepcopy(generator).requires_grad_(False)
    z = torch.zeros(n_images, generator.latent_dim, requires_grad=True)
    with FlopCounterMode(display=False) as counter:
        generator(z).sum().backward()
    step = counter.get_total_flops()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        generator(torch.zeros(n_starts, generator.latent_dim))
    return counter.get_total_flops() + steps * step


def bench_inversion(n_images: int, steps: int, n_starts: int, n_loop: int) -> dict:
    """Batched Algorithm 1 on ``n_images`` test digits vs a Python loop over the first
    ``n_loop`` of them, one image per call (rates are per image, so they compare)."""
    generator = zoo.load("dcgan").generator
    x, _ = data.tensors("mnist", "test", n=n_images)
    t = time.perf_counter()
    batched = algorithm1(generator, x, steps=steps, n_starts=n_starts, progress=False)
    batched_s = time.perf_counter() - t
    t = time.perf_counter()
    single = [algorithm1(generator, x[i:i + 1], steps=steps, n_starts=n_starts, progress=False)
              for i in range(n_loop)]
    single_s = time.perf_counter() - t
    single_loss = torch.cat([s.loss for s in single])
    flops = inversion_flops(generator, n_images, n_starts, steps)
    return {
        "images": n_images, "loop_images": n_loop, "steps": steps, "n_starts": n_starts,
        "batched_seconds": batched_s, "per_image_seconds": single_s,
        "batched_images_per_s": n_images / batched_s, "per_image_images_per_s": n_loop / single_s,
        "speedup": (n_images / batched_s) / (n_loop / single_s),
        "batched_final_mse": batched.loss[:n_loop].mean().item(),
        "per_image_final_mse": single_loss.mean().item(),
        "final_mse_max_abs_difference": (batched.loss[:n_loop] - single_loss).abs().max().item(),
        "flops": flops, "achieved_flops_per_s": flops / batched_s,
    }


def bench_training(images: int) -> dict:
    cfg = zoo_config("dcgan").with_(epochs=1)
    with tempfile.TemporaryDirectory() as out:
        info = train(cfg, out, device="cpu", limit=images, progress=False, evaluate=False)
    return {"images": images, "seconds": info["train_seconds"],
            "images_per_s": images / info["train_seconds"]}


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in GB of the largest process in the tree, return code)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss of a child covers its waited-for descendants (the kernel), in KiB on Linux.
    return time.perf_counter() - t, usage.ru_maxrss / 2 ** 20, proc.returncode


def bench_chapters() -> list[dict]:
    bindir = Path(sys.executable).parent
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for chapter in toc_chapters():
            source = REPO / f"{chapter}.md"
            notebook = Path(tmp) / "in.ipynb"
            subprocess.run([str(bindir / "jupytext"), "--to", "ipynb", str(source), "-o", str(notebook)],
                           check=True, capture_output=True)
            for mode, params in (("quick", quick_parameters(chapter)), ("full", {})):
                args = [a for k, v in params.items() for a in ("-p", k, str(v))]
                seconds, rss, rc = run_measured(
                    [str(bindir / "papermill"), str(notebook), str(Path(tmp) / "out.ipynb"),
                     "--cwd", str(source.parent), *args], REPO)
                rows.append({"chapter": chapter, "mode": mode, "seconds": seconds,
                             "peak_rss_gb": rss, "ok": rc == 0})
    return rows


def bench_book() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "_config.yml"
        text = (REPO / "_config.yml").read_text()
        config.write_text(text.replace("_build/.jupyter_cache", str(Path(tmp) / "cache")))
        seconds, rss, rc = run_measured(
            [str(Path(sys.executable).parent / "jupyter-book"), "build", str(REPO), "--path-output",
             tmp, "--config", str(config)], REPO)
    return {"seconds": seconds, "peak_rss_gb": rss, "ok": rc == 0}


def table(results: dict) -> str:
    inv, lines = results["inversion"], []
    lines.append(f"{'measurement':58s} {'value':>14s}  goal")
    lines.append("-" * 84)
    lines.append(f"{'Algorithm 1, batched (images/s)':58s} {inv['batched_images_per_s']:14.2f}")
    lines.append(f"{'Algorithm 1, one image at a time (images/s)':58s} {inv['per_image_images_per_s']:14.2f}")
    lines.append(f"{'  batched / per-image speed-up':58s} {inv['speedup']:13.1f}x  >= {RATIO_GOAL:.0f}x "
                 + ("met" if inv["speedup"] >= RATIO_GOAL else "NOT met"))
    lines.append(f"{'  (the batch decodes the shared starts once; a loop, once per image)':58s}")
    lines.append(f"{'  final MSE on the looped images, batched | per-image':58s} {inv['batched_final_mse']:.5f} | {inv['per_image_final_mse']:.5f}")
    lines.append(f"{'inversion GFLOP/s achieved':58s} {inv['achieved_flops_per_s'] / 1e9:14.1f}")
    lines.append(f"{'float32 matmul peak GFLOP/s':58s} {results['matmul_peak_flops_per_s'] / 1e9:14.1f}")
    lines.append(f"{'  share of peak':58s} {inv['achieved_flops_per_s'] / results['matmul_peak_flops_per_s']:14.1%}")
    lines.append(f"{'dcgan training (images/s)':58s} {results['training']['images_per_s']:14.1f}")
    for row in results.get("chapters", []):
        name = f"chapter {row['chapter']} ({row['mode']}) s | peak GB"
        budget = time_budget(row["chapter"], row["mode"])
        met = row["peak_rss_gb"] <= MEMORY_GOAL_GB and row["ok"] and row["seconds"] <= budget
        lines.append(f"{name:58s} {row['seconds']:7.1f} | {row['peak_rss_gb']:4.2f}  <= {budget:.0f} s, "
                     f"{MEMORY_GOAL_GB:.0f} GB " + ("met" if met else "NOT met"))
    if "book" in results:
        b = results["book"]
        lines.append(f"{'whole book build (fresh cache) s | peak GB':58s} {b['seconds']:7.1f} | {b['peak_rss_gb']:4.2f}"
                     + ("" if b["ok"] else "  FAILED"))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="64 images, fewer steps (a smoke run)")
    parser.add_argument("--skip-chapters", action="store_true")
    parser.add_argument("--skip-book", action="store_true")
    args = parser.parse_args()
    torch.manual_seed(0)
    n_images, steps, n_loop = (64, 10, 16) if args.quick else (256, 30, 64)
    results = {"host": platform.node(), "machine": platform.processor() or platform.machine(),
               "cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(),
               "torch": torch.__version__, "library_version": __version__,
               "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    print(f"inverting {n_images} test digits batched, and {n_loop} of them one at a time ...", flush=True)
    results["inversion"] = bench_inversion(n_images, steps, n_starts=1000, n_loop=n_loop)
    results["matmul_peak_flops_per_s"] = matmul_peak()
    n_train = 640 if args.quick else 1280
    print(f"training dcgan on {n_train} images ...", flush=True)
    results["training"] = bench_training(n_train)
    if not args.skip_chapters:
        print("running every chapter, QUICK and full ...", flush=True)
        results["chapters"] = bench_chapters()
    if not args.skip_book:
        print("building the whole book with a fresh cache ...", flush=True)
        results["book"] = bench_book()
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = results["time"].replace(":", "").replace("+0000", "Z")
    path = out / f"{results['host']}-{stamp}.json"
    path.write_text(json.dumps(results, indent=1))
    shutil.copy(path, out / "latest.json")
    print()
    print(table(results))
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
