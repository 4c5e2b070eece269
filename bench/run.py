"""`make bench`: speed and memory of the library and the book on this machine.

Writes bench/results/<host>-<time>.json (and latest.json) and prints a table:
  * Algorithm 1 on 256 MNIST test images with the shipped dcgan, batched, vs a loop over
    64 of them one image at a time (same steps and starts; their final MSEs must agree);
  * achieved FLOP/s of the batched inversion vs a measured float32 matmul peak;
  * the sweep of Algorithm 1's step size (learning rate x schedule x steps) on held-out test
    digits that chose the library's default (bench/inverter_sweep.py);
  * DCGAN training images/s: the library's loop against a plain PyTorch loop on the same
    networks, contiguous and channels_last (bench/training_parity.py);
  * float32 against bfloat16: training images/s per architecture of the zoo, the DCGAN
    loop's parity in bfloat16, Algorithm 1's error against time in both precisions
    (bench/precision_speed.py), and the committed quality check of short bfloat16 runs
    (bench/precision_quality.py, bench/precision-quality.json);
  * wall time, peak resident memory and longest cell of every chapter, QUICK and full, and
    the book build;
  * the website's live sliders: ms per frame in headless Chromium (bench/browser_frames.py),
    on the site the bench just built, else on _build/html from `make book`.
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

from gae_lib import __version__, data, zoo  # noqa: E402
from gae_lib import precision as gae_precision  # noqa: E402
from gae_lib.inference import frozen_copy  # noqa: E402
from gae_lib.invert import algorithm1  # noqa: E402
from gae_lib.book import (  # noqa: E402
    CELL_BUDGET_S,
    papermill_command,
    to_notebook,
    quick_parameters,
    time_budget,
    toc_chapters,
)
import browser_frames  # noqa: E402
import inverter_sweep  # noqa: E402
import precision_speed  # noqa: E402
import training_parity  # noqa: E402

QUALITY = REPO / "bench" / "precision-quality.json"   # bench/precision_quality.py
MEMORY_GOAL_GB = 4.0
RATIO_GOAL = 20.0
PARITY_GOAL = 0.9  # the library's loop at >= 0.9x a plain channels_last loop


def matmul_peak(n: int = 4096, repeats: int = 5, trials: int = 3) -> float:
    """Best of ``trials`` timings of float32 n x n matmuls: the machine's practical peak."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = 0.0
    for _ in range(trials):
        t = time.perf_counter()
        for _ in range(repeats):
            a @ b
        best = max(best, 2 * n**3 * repeats / (time.perf_counter() - t))
    return best


def inversion_flops(generator, n_images: int, n_starts: int, steps: int) -> float:
    """FLOPs of one inversion as the inverter runs it: its frozen inference copy of G
    (gae_lib.inference) over the shared starts, then per step G forward and the backward
    pass to z only (no weight gradients)."""
    generator = frozen_copy(generator)
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
    generator = zoo.load("favuzzi2019/dcgan").generator
    x, _ = data.tensors("mnist", "test", n=n_images)
    t = time.perf_counter()
    batched = algorithm1(generator, x, steps=steps, n_starts=n_starts, progress=False)
    batched_s = time.perf_counter() - t
    t = time.perf_counter()
    single = [
        algorithm1(generator, x[i : i + 1], steps=steps, n_starts=n_starts, progress=False)
        for i in range(n_loop)
    ]
    single_s = time.perf_counter() - t
    single_loss = torch.cat([s.loss for s in single])
    flops = inversion_flops(generator, n_images, n_starts, steps)
    return {
        "images": n_images,
        "loop_images": n_loop,
        "steps": steps,
        "n_starts": n_starts,
        "batched_seconds": batched_s,
        "per_image_seconds": single_s,
        "batched_images_per_s": n_images / batched_s,
        "per_image_images_per_s": n_loop / single_s,
        "speedup": (n_images / batched_s) / (n_loop / single_s),
        "batched_final_mse": batched.loss[:n_loop].mean().item(),
        "per_image_final_mse": single_loss.mean().item(),
        "final_mse_max_abs_difference": (batched.loss[:n_loop] - single_loss).abs().max().item(),
        "flops": flops,
        "achieved_flops_per_s": flops / batched_s,
    }


def fast_decoder_speedup(n: int = 500, repeats: int = 3) -> float:
    """Decoding time of G as trained (channels_last copy, as the library used before) over the
    library's frozen inference copy (gae_lib.inference), on the shipped dcgan."""
    g = zoo.load("favuzzi2019/dcgan").generator
    plain = copy.deepcopy(g).eval().to(memory_format=torch.channels_last)
    fast = frozen_copy(g)
    z = torch.rand(n, g.latent_dim) * 2 - 1
    timings = []
    with torch.no_grad():
        for net in (plain, fast):
            net(z)
            t = time.perf_counter()
            for _ in range(repeats):
                net(z)
            timings.append(time.perf_counter() - t)
    return timings[0] / timings[1]


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in GB of the largest process in the tree, return code)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss of a child covers its waited-for descendants (the kernel), in KiB on Linux.
    return time.perf_counter() - t, usage.ru_maxrss / 2**20, proc.returncode


def longest_cell(executed: Path) -> tuple[float, int]:
    """(seconds, number among the code cells) of the slowest cell papermill recorded."""
    cells = [c for c in json.loads(executed.read_text())["cells"] if c["cell_type"] == "code"]
    times = [
        (c["metadata"].get("papermill", {}).get("duration") or 0.0, i)
        for i, c in enumerate(cells, 1)
    ]
    return max(times)


def bench_chapters(only: list[str] | None = None) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for chapter in only or toc_chapters():
            source = REPO / f"{chapter}.md"
            notebook = Path(tmp) / "in.ipynb"
            to_notebook(source, notebook)
            for mode, params in (("quick", quick_parameters(chapter)), ("full", {})):
                seconds, rss, rc = run_measured(
                    papermill_command(notebook, Path(tmp) / "out.ipynb", source.parent, params),
                    REPO,
                )
                cell_s, cell = longest_cell(Path(tmp) / "out.ipynb") if rc == 0 else (None, None)
                rows.append(
                    {
                        "chapter": chapter,
                        "mode": mode,
                        "seconds": seconds,
                        "peak_rss_gb": rss,
                        "ok": rc == 0,
                        "longest_cell_seconds": cell_s,
                        "longest_cell": cell,
                    }
                )
    return rows


def bench_book() -> dict:
    """A whole build with a fresh cache; then the live sliders' frame time on that site."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "_config.yml"
        text = (REPO / "_config.yml").read_text()
        config.write_text(text.replace("_build/.jupyter_cache", str(Path(tmp) / "cache")))
        seconds, rss, rc = run_measured(
            [
                str(Path(sys.executable).parent / "jupyter-book"),
                "build",
                str(REPO),
                "--path-output",
                tmp,
                "--config",
                str(config),
            ],
            REPO,
        )
        frames = browser_frames.frame_times(Path(tmp) / "_build" / "html") if rc == 0 else None
    return {"seconds": seconds, "peak_rss_gb": rss, "ok": rc == 0, "browser_frames": frames}


def table(results: dict) -> str:
    inv, lines = results["inversion"], []
    lines.append(f"{'measurement':58s} {'value':>14s}  goal")
    lines.append("-" * 84)
    lines.append(f"{'Algorithm 1, batched (images/s)':58s} {inv['batched_images_per_s']:14.2f}")
    lines.append(
        f"{'Algorithm 1, one image at a time (images/s)':58s} {inv['per_image_images_per_s']:14.2f}"
    )
    lines.append(
        f"{'  batched / per-image speed-up':58s} {inv['speedup']:13.1f}x  >= {RATIO_GOAL:.0f}x "
        + ("met" if inv["speedup"] >= RATIO_GOAL else "NOT met")
    )
    lines.append(f"{'  (the batch decodes the shared starts once; a loop, once per image)':58s}")
    lines.append(
        f"{'  final MSE on the looped images, batched | per-image':58s} "
        f"{inv['batched_final_mse']:.5f} | {inv['per_image_final_mse']:.5f}"
    )
    lines.append(f"{'inversion GFLOP/s achieved':58s} {inv['achieved_flops_per_s'] / 1e9:14.1f}")
    lines.append(
        f"{'float32 matmul peak GFLOP/s':58s} {results['matmul_peak_flops_per_s'] / 1e9:14.1f}"
    )
    lines.append(
        f"{'  share of peak':58s} "
        f"{inv['achieved_flops_per_s'] / results['matmul_peak_flops_per_s']:14.1%}"
    )
    lines.append(
        f"{'fast inference copy of G vs G as trained: decoding speed-up':58s} "
        f"{results['fast_decoder_speedup']:13.1f}x"
    )
    t = results["training"]
    lines.append(
        f"{'dcgan training, the library loop (images/s)':58s} {t['library_images_per_s']:14.1f}"
    )
    lines.append(
        f"{'  plain PyTorch loop, contiguous (images/s)':58s} "
        f"{t['plain_contiguous_images_per_s']:14.1f}"
    )
    lines.append(
        f"{'  plain PyTorch loop, channels_last (images/s)':58s} "
        f"{t['plain_channels_last_images_per_s']:14.1f}"
    )
    lines.append(
        f"{'  library / plain channels_last':58s} {t['library_over_plain_channels_last']:13.2f}x  "
        f">= {PARITY_GOAL}x "
        + ("met" if t["library_over_plain_channels_last"] >= PARITY_GOAL else "NOT met")
    )
    lines.append(
        f"{'  library / plain contiguous':58s} {t['library_over_plain_contiguous']:13.2f}x"
    )
    for row in results.get("chapters", []):
        name = f"chapter {row['chapter']} ({row['mode']}) s | peak GB"
        budget = time_budget(row["chapter"], row["mode"])
        met = row["peak_rss_gb"] <= MEMORY_GOAL_GB and row["ok"] and row["seconds"] <= budget
        lines.append(
            f"{name:58s} {row['seconds']:7.1f} | {row['peak_rss_gb']:4.2f}  <= {budget:.0f} s, "
            f"{MEMORY_GOAL_GB:.0f} GB " + ("met" if met else "NOT met")
        )
        if row["mode"] == "full" and row["ok"]:
            cell = f"  its longest cell (code cell {row['longest_cell']}) s"
            lines.append(
                f"{cell:58s} {row['longest_cell_seconds']:7.1f}  <= {CELL_BUDGET_S} s "
                + ("met" if row["longest_cell_seconds"] <= CELL_BUDGET_S else "NOT met")
            )
    lines.append("")
    lines.append(inverter_sweep.table(results["sweep"], results["sweep_images"]))
    if "precision" in results:
        lines.append(precision_speed.table(results["precision"]))
    if QUALITY.exists():
        lines.append(precision_speed.quality_table(json.loads(QUALITY.read_text())))
    if "book" in results:
        b = results["book"]
        lines.append(
            f"{'whole book build (fresh cache) s | peak GB':58s} "
            f"{b['seconds']:7.1f} | {b['peak_rss_gb']:4.2f}"
            + ("" if b["ok"] else "  FAILED")
        )
    frames = results.get("browser_frames")
    name = "live sliders in Chromium: ms per frame (G + classifier)"
    if frames:
        met = frames["median_ms"] <= browser_frames.GOAL_MS
        lines.append(f"{name:58s} {frames['median_ms']:14.1f}  <= {browser_frames.GOAL_MS:.0f} "
                     f"ms {'met' if met else 'NOT met'} (median of {frames['frames']}; "
                     f"90th percentile {frames['p90_ms']:.1f})")
    else:
        lines.append(f"{name:58s} {'not measured':>14s}  (no built site: make book first)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="64 images, fewer steps (a smoke run)")
    parser.add_argument("--skip-chapters", action="store_true")
    parser.add_argument("--skip-book", action="store_true")
    parser.add_argument("--chapter", action="append", metavar="CHAPTER",
                        help="time only this chapter (repeatable), e.g. book/a-first-gan-and-vae")
    args = parser.parse_args()
    unknown = [c for c in args.chapter or [] if c not in toc_chapters()]
    if unknown:
        parser.error(f"--chapter {unknown[0]}: expected one of {', '.join(toc_chapters())}")
    torch.manual_seed(0)
    n_images, steps, n_loop = (64, 10, 16) if args.quick else (256, 30, 64)
    results = {
        "host": platform.node(),
        "machine": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "library_version": __version__,
        "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    print(
        f"inverting {n_images} test digits batched, and {n_loop} of them one at a time ...",
        flush=True,
    )
    results["inversion"] = bench_inversion(n_images, steps, n_starts=1000, n_loop=n_loop)
    results["matmul_peak_flops_per_s"] = matmul_peak()
    results["fast_decoder_speedup"] = fast_decoder_speedup()
    n_sweep = 16 if args.quick else 64
    print(f"sweeping Algorithm 1's step size on {n_sweep} held-out test digits ...", flush=True)
    generator = zoo.load("favuzzi2019/dcgan").generator
    held_out = inverter_sweep.held_out_digits(n_sweep)
    results["sweep"] = (
        inverter_sweep.sweep(generator, held_out, (0.05, 0.1), (10, 30))
        if args.quick
        else inverter_sweep.sweep(generator, held_out)
    )
    results["sweep_images"] = n_sweep
    n_train = 640 if args.quick else 1280
    print(f"training dcgan on {n_train} images: the library's loop and a plain one ...", flush=True)
    results["training"] = training_parity.parity(n_train)
    print("training and inverting in float32 and bfloat16 ...", flush=True)
    results["precision"] = {
        "cpu": gae_precision.cpu_model() or platform.machine(),
        "native_bf16": gae_precision.native_bf16("cpu"),
        "training": precision_speed.training(rounds=1 if args.quick else 2,
                                             batches=2 if args.quick else 6),
        "parity": {"bfloat16": training_parity.parity(n_train, precision="bfloat16")},
        "inversion": precision_speed.inversion(
            generator, held_out, steps=(30, 60) if args.quick else (100, 200, 300, 400)),
        "inversion_images": n_sweep}
    results["precision"]["parity"]["float32"] = results["training"]
    if not args.skip_chapters:
        print(f"running {', '.join(args.chapter) if args.chapter else 'every chapter'}, "
              "QUICK and full ...", flush=True)
        results["chapters"] = bench_chapters(args.chapter)
    if not args.skip_book:
        print("building the whole book with a fresh cache ...", flush=True)
        results["book"] = bench_book()
        results["browser_frames"] = results["book"]["browser_frames"]
    elif (REPO / "_build" / "html" / browser_frames.CHAPTER).exists():
        print("timing the live sliders on _build/html ...", flush=True)
        results["browser_frames"] = browser_frames.frame_times(REPO / "_build" / "html")
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
