"""train-zoo sweeps (gae_lib.sweep): seeds as names, plans with dependencies, the local
executor shipping jobs in parallel, the SLURM path up to sbatch."""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys

import pytest

from gae_lib import documents, sweep, zoo
from conftest import cli_in_process


def test_a_seed_is_a_name_and_the_configured_seed_is_the_model_itself():
    cfg = documents.config("favuzzi2019/enn-seed2")
    assert (cfg.name, cfg.seed) == ("favuzzi2019/enn-seed2", 2)
    # the encoder of seed 2 inverts the generator of seed 2
    assert cfg.objective.frozen_generator == "favuzzi2019/dcgan-seed2"
    assert documents.seeded(documents.config("favuzzi2019/dcgan"), 0).name == "favuzzi2019/dcgan"
    assert "Training seed 1" in documents.notes("favuzzi2019/dcgan-seed1")
    with pytest.raises(ValueError, match="is 'favuzzi2019/dcgan' itself"):
        documents.config("favuzzi2019/dcgan-seed0")
    with pytest.raises(ValueError, match="already one seed of a configured set"):
        documents.seeded(documents.config("lazarou2022/aegan-seed0"), 1)


def test_a_plan_puts_each_seeds_generator_before_its_encoder():
    jobs = sweep.plan("favuzzi2019", "enn", [0, 1], replace=True)
    names = [j.name for j in jobs]
    # seed 0 is the configured enn, whose generator is shipped; seed 1 needs dcgan-seed1
    assert names == ["favuzzi2019/enn", "favuzzi2019/dcgan-seed1", "favuzzi2019/enn-seed1"]
    assert "favuzzi2019/dcgan-seed1" in jobs[2].needs
    assert jobs[2].command[-7:] == ["train", "favuzzi2019/enn-seed1", "--ship",
                                    "--resume-if-interrupted", "--quiet", "--out",
                                    str(jobs[2].out)]


def test_a_plan_leaves_shipped_models_alone_unless_asked(capsys):
    assert [j.name for j in sweep.plan("favuzzi2019", "enn", [0, 1])] == [
        "favuzzi2019/dcgan-seed1", "favuzzi2019/enn-seed1"]
    code, out, err = cli_in_process(capsys, "train-zoo", "wanare", "--models", "linear-vae")
    assert code == 0 and "nothing to train: every model asked for is shipped" in out


@pytest.mark.parametrize("seeds,models,message", [
    ("1,1", None, "distinct whole numbers"), ("-1", None, "distinct whole numbers"),
    ("a", None, "distinct whole numbers"), (None, "nosuch*", "matches none of"),
])
def test_a_sweep_refuses_what_it_cannot_run(capsys, seeds, models, message):
    args = ["train-zoo", "wanare"] + (["--seeds", seeds] if seeds else []) + (
        ["--models", models] if models else [])
    code, out, err = cli_in_process(capsys, *args)
    assert code == 1 and message in err


def test_slurm_needs_sbatch(capsys, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    code, out, err = cli_in_process(capsys, "train-zoo", "wanare", "--executor", "slurm")
    assert code == 1 and "no sbatch or srun" in err


@pytest.fixture
def private_zoo(tmp_path, monkeypatch):
    """GAE_ZOO_DIR (and zoo.CHECKPOINTS) a folder holding the book's classifier only."""
    root = tmp_path / "zoo"
    (root / "book").mkdir(parents=True)
    files = ["book/classifier.json", "book/classifier.safetensors"]
    for f in files:
        shutil.copy2(zoo.CHECKPOINTS / f, root / f)
    zoo.write_manifest(root, {f: zoo.read_manifest(zoo.CHECKPOINTS)[f] for f in files})
    monkeypatch.setattr(zoo, "CHECKPOINTS", root)
    monkeypatch.setenv("GAE_ZOO_DIR", str(root))
    return root


TINY = ("--limit", "200", "--epochs", "1", "--no-evaluate", "--force", "--device", "cpu")


def test_the_local_executor_trains_two_seeds_of_two_models_side_by_side(private_zoo, tmp_path):
    jobs = sweep.plan("wanare", "mlp-gan-lr0.000[25]", [0, 1], runs=tmp_path / "runs",
                      train_args=TINY)
    assert len(jobs) == 4
    ex = sweep.executor("local", tmp_path / "sweep", time_min=10)
    said = []
    done = sweep.run(jobs, ex, "local", at_once=2, poll_s=0.5, report_s=1, say=said.append)
    assert [j.state for j in done] == ["shipped"] * 4, [j.message for j in done]
    # two at once: the second pair started before the first pair had both ended
    assert min(j.ended for j in done) > sorted(j.started for j in done)[1]
    manifest = zoo.read_manifest(private_zoo)
    for job in done:
        info = zoo.read_info(job.name, private_zoo)     # sha256-checked against the manifest
        assert f"{job.name}.safetensors" in manifest
        assert info["config"]["seed"] == (1 if job.name.endswith("-seed1") else 0)
        assert info["threads"] == 1 and info["cpu_hours"] > 0
    assert any("starting" in line or "images/s" in line for line in said), said
    table = sweep.summary(done)
    assert "wanare/mlp-gan-lr0.0002-seed1" in table and "total" in table
    assert str(private_zoo) in table


def test_a_progress_line_gives_epoch_rate_and_eta(tmp_path):
    job = sweep.Job("wanare/mlp-gan", set(), tmp_path, [], started=0.0)
    assert "starting" in sweep.progress_line(job, 5.0)
    # one epoch of 600 images done in 6 s, the second half way (300 images in 3 s)
    (tmp_path / "state.json").write_text(json.dumps(
        {"history": [{"epoch": 1, "seconds": 6.0, "images": 600}]}))
    (tmp_path / "progress.json").write_text(json.dumps(
        {"epoch": 1, "epochs": 3, "step": 3, "steps": 6, "batch_size": 100, "seconds": 3.0}))
    line = sweep.progress_line(job, 10.0)
    # 900 images in 9 s: 100 images/s; 300 + 600 images left: 9 s
    assert "epoch 2/3" in line and "100 images/s" in line and "ETA 0:09" in line


def test_a_failed_job_skips_what_needs_it(private_zoo, tmp_path):
    jobs = sweep.plan("favuzzi2019", "enn", [1], runs=tmp_path / "runs",
                      train_args=("--set", "batch_size=0"))   # refused by every job
    ex = sweep.executor("local", tmp_path / "sweep", time_min=10)
    done = sweep.run(jobs, ex, "local", at_once=2, poll_s=0.5, report_s=60, say=lambda s: None)
    assert [j.state for j in done] == ["failed", "skipped"]
    assert "batch_size" in done[0].message and "log:" in done[0].message


def fake_sbatch(folder):
    """An sbatch that records its argument and answers as SLURM does."""
    script = folder / "sbatch"
    script.write_text("#!/bin/sh\necho \"$1\" >> \"$(dirname \"$0\")/submitted\"\n"
                      "echo \"Submitted batch job $(wc -l < \"$(dirname \"$0\")/submitted\")\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_the_slurm_path_writes_sbatch_scripts_with_dependencies(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_sbatch(bin_dir)
    (bin_dir / "srun").write_text("#!/bin/sh\n")     # submitit looks for it; never run here
    (bin_dir / "srun").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    jobs = sweep.plan("favuzzi2019", "enn", [1], runs=tmp_path / "runs",
                      train_args=("--device", "cuda"))
    ex = sweep.executor("slurm", tmp_path / "sweep", time_min=90, partition="gpu",
                        gpus_per_job=1, cpus_per_job=4)
    sweep.submit(ex, jobs[0], threads=4)
    sweep.submit(ex, jobs[1], threads=4, after=[jobs[0].handle.job_id])
    scripts = (tmp_path / "bin" / "submitted").read_text().split()
    first, second = (open(s).read() for s in scripts)
    for text in (first, second):
        assert "#SBATCH --partition=gpu" in text and "#SBATCH --time=90" in text
        assert "#SBATCH --gpus-per-node=1" in text and "#SBATCH --cpus-per-task=4" in text
    assert "--dependency" not in first
    assert f"#SBATCH --dependency=afterok:{jobs[0].handle.job_id}" in second
    assert jobs[1].handle.job_id == "2"


def test_train_zoo_runs_as_a_command(private_zoo, tmp_path):
    """The real command line, on a model that trains in seconds: one seed, shipped."""
    import subprocess
    result = subprocess.run(
        [sys.executable, "-m", "gae_lib", "train-zoo", "wanare", "--models", "linear-vae",
         "--seeds", "3", "--jobs", "1", "--epochs", "1", "--force",
         "--sweep-dir", str(tmp_path / "sweeps")],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
        env=dict(os.environ, GAE_ZOO_DIR=str(private_zoo)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "wanare/linear-vae-seed3" in result.stdout and "shipped" in result.stdout
    info = json.loads((private_zoo / "wanare" / "linear-vae-seed3.json").read_text())
    assert info["config"]["seed"] == 3
