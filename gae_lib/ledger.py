"""What the zoo cost and what it takes: every shipped model's training CPU-hours and the
megabytes its files ship, summed per document (``python -m gae_lib zoo --ledger``).

CPU-hours come from each model's JSON: ``cpu_hours`` where the trainer recorded it, else its
``train_seconds`` times its torch threads (one, where the JSON predates the ``threads``
field: every zoo run before it trained with one torch thread a process).  Wall time on a
shared 2-core machine includes waiting, so these are upper bounds of the arithmetic.
"""
from __future__ import annotations

from pathlib import Path

from . import zoo

MB = 2**20


def cpu_hours(info: dict) -> float:
    if info.get("cpu_hours") is not None:
        return float(info["cpu_hours"])
    return float(info["train_seconds"]) * int(info.get("threads") or 1) / 3600


def steps_of(info: dict) -> int:
    """Training steps (batches drawn) of a checkpoint: recorded since budgets in steps
    (``TrainConfig.steps``), else every batch of every epoch."""
    if info.get("steps") is not None:
        return int(info["steps"])
    return info["epochs"] * -(-info["images_per_epoch"] // info["config"]["batch_size"])


def generator_updates(info: dict) -> int:
    """The generator's updates: one a step, or one per ``n_critic`` batches where the family
    trains a critic several times per generator step (the WGAN-GP)."""
    return steps_of(info) // int(info["config"].get("objective", {}).get("n_critic", 1))


def model_rows(root: Path | None = None) -> list[dict]:
    """One row per shipped model: name, family, epochs, steps, precision, CPU-hours, bytes shipped
    (its weights, JSON and training snapshots)."""
    root = Path(root) if root else zoo.CHECKPOINTS
    files = zoo.read_manifest(root)
    rows = []
    for name in zoo.available(root):
        info = zoo.read_info(name, root)
        size = sum((root / f).stat().st_size for f in files if f.startswith(name + "."))
        rows.append({"name": name, "family": info["config"]["family"],
                     "epochs": info["epochs"], "steps": steps_of(info),
                     "precision": info.get("precision", "float32"),
                     "cpu_hours": cpu_hours(info), "bytes": size})
    return rows


def by_document(rows: list[dict]) -> dict[str, dict]:
    """document -> models, bytes and CPU-hours of its rows."""
    out: dict[str, dict] = {}
    for row in rows:
        doc = out.setdefault(row["name"].split("/", 1)[0],
                             {"models": 0, "bytes": 0, "cpu_hours": 0.0})
        doc["models"] += 1
        doc["bytes"] += row["bytes"]
        doc["cpu_hours"] += row["cpu_hours"]
    return out


def text(rows: list[dict]) -> str:
    """The ledger as printed: each model, then each document's sums and the zoo's."""
    lines = [f"{'model':34s} {'family':16s} {'epochs':>6s} {'steps':>7s} {'precision':>9s} "
             f"{'CPU-h':>6s} {'MB':>6s}"]
    for r in rows:
        lines.append(f"{r['name']:34s} {r['family']:16s} {r['epochs']:6d} {r['steps']:7d} "
                     f"{r['precision']:>9s} "
                     f"{r['cpu_hours']:6.2f} {r['bytes'] / MB:6.1f}")
    lines.append("")
    documents = by_document(rows)
    for doc, d in documents.items():
        lines.append(f"{doc:34s} {d['models']:3d} models {'':23s} "
                     f"{d['cpu_hours']:6.2f} {d['bytes'] / MB:6.1f}")
    lines.append(f"{'the zoo':34s} {len(rows):3d} models {'':23s} "
                 f"{sum(r['cpu_hours'] for r in rows):6.2f} "
                 f"{sum(r['bytes'] for r in rows) / MB:6.1f}")
    return "\n".join(lines)
