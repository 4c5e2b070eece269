"""The training loop: exact resume, checkpoints that load, a CLI a user can run."""

import json
import math
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from gae_lib import zoo
from gae_lib.config import Adam
from gae_lib.documents import config as zoo_config
from gae_lib.families import family_of
from gae_lib.train import train

from conftest import cli_in_process


def train_cli(out, *args):
    """``python -m gae_lib train ARGS --out OUT`` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "gae_lib", "train", *args, "--out", str(out)],
                          capture_output=True, text=True, timeout=600)


TINY = dict(limit=96, device="cpu", progress=False, evaluate=False)


@pytest.mark.parametrize(
    "name",
    ["favuzzi2019/dcgan", "favuzzi2019/vae", "favuzzi2019/hybrid", "latentspace2020/wgan-gp-z8"],
)
def test_resume_reaches_the_state_of_an_uninterrupted_run(name, tmp_path, cache):
    cfg = zoo_config(name).with_(epochs=2, batch_size=32)
    train(cfg, tmp_path / "straight", **TINY)
    train(cfg.with_(epochs=1), tmp_path / "interrupted", **TINY)
    train(cfg, tmp_path / "interrupted", resume=True, **TINY)
    a = load_file(str(tmp_path / "straight" / f"{name}.safetensors"))
    b = load_file(str(tmp_path / "interrupted" / f"{name}.safetensors"))
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), "weights differ after resume"
    history = [
        json.loads((tmp_path / d / "losses.json").read_text()) for d in ("straight", "interrupted")
    ]
    strip = lambda h: [{k: v for k, v in e.items() if k != "seconds"} for e in h]
    assert strip(history[0]) == strip(history[1])


def test_resume_if_interrupted_starts_an_empty_folder_and_continues_a_stopped_run(tmp_path,
                                                                                  cache):
    """What a sweep's job does when it is run again (gae_lib.sweep)."""
    cfg = zoo_config("wanare/linear-vae").with_(epochs=2)
    first = train(cfg.with_(epochs=1), tmp_path / "run", resume="auto", **TINY)
    assert first["epochs"] == 1
    again = train(cfg, tmp_path / "run", resume="auto", **TINY)
    straight = train(cfg, tmp_path / "straight", **TINY)
    assert again["epochs"] == 2 and again["history"][0] == first["history"][0]
    strip = lambda h: [{k: v for k, v in e.items() if k != "seconds"} for e in h]
    assert strip(again["history"]) == strip(straight["history"])


def test_same_seed_same_weights_other_seed_other_weights(tmp_path, cache):
    cfg = zoo_config("favuzzi2019/ae").with_(epochs=1, batch_size=32)
    for run, seed in (("a", 0), ("b", 0), ("c", 1)):
        train(cfg.with_(seed=seed), tmp_path / run, **TINY)
    w = {run: load_file(str(tmp_path / run / "favuzzi2019" / "ae.safetensors")) for run in "abc"}
    assert all(torch.equal(w["a"][k], w["b"][k]) for k in w["a"])
    assert not all(torch.equal(w["a"][k], w["c"][k]) for k in w["a"])


def test_resume_refuses_another_configuration(tmp_path, cache):
    cfg = zoo_config("favuzzi2019/dcgan").with_(epochs=1, batch_size=32)
    train(cfg, tmp_path, **TINY)
    with pytest.raises(ValueError, match="differs in optimisers"):
        faster = {"generator": Adam(1e-3, (0.5, 0.999))}
        train(cfg.with_(epochs=2, optimisers=faster), tmp_path, resume=True, **TINY)


def test_resume_may_change_what_is_shipped_but_not_how_it_trains(tmp_path, cache):
    cfg = zoo_config("makhzani2016/aae").with_(epochs=1, batch_size=50, ship_dtype="float32")
    train(cfg, tmp_path, **TINY)
    train(cfg.with_(epochs=2, ship_dtype="float16", shipped=("encoder",)), tmp_path, resume=True,
          **TINY)
    shipped = load_file(str(tmp_path / "makhzani2016" / "aae.safetensors"))
    assert {k.split(".")[0] for k in shipped} == {"encoder"}
    assert {v.dtype for v in shipped.values()} == {torch.float16}
    with pytest.raises(ValueError, match="differs in batch_size"):
        train(cfg.with_(epochs=3, batch_size=25), tmp_path, resume=True, **TINY)


def test_cli_trains_and_writes_a_loadable_checkpoint(tmp_path, cache):
    # --no-evaluate: the final metrics judge 10,000 samples (17 s here); the shipped models'
    # recorded metrics are re-measured in test_zoo.
    proc = train_cli(tmp_path, "favuzzi2019/dcgan", "--epochs", "1", "--limit", "384",
                     "--device", "cpu", "--no-evaluate")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "favuzzi2019/dcgan epoch 1/1" in proc.stderr and "100%" in proc.stderr  # the tqdm bar
    model = zoo.load("favuzzi2019/dcgan", root=tmp_path)
    assert not model.training and model.info["epochs"] == 1 and model.info["metrics"] == {}
    assert (
        model.info["config"]["objective"]["d_steps_per_g_step"]
        == zoo_config("favuzzi2019/dcgan").objective.d_steps_per_g_step
    )
    with torch.no_grad():
        x = model.generator(torch.rand(4, 100) * 2 - 1)
    assert x.shape == (4, 1, 28, 28) and x.abs().max() <= 1


def test_cli_refuses_unknown_models_and_fields(capsys):
    code, _, err = cli_in_process(capsys, "train", "gpt")
    assert code == 2 and "unknown model 'gpt'" in err
    code, _, err = cli_in_process(capsys, "train", "dcgan")
    assert code == 2 and "it is now 'favuzzi2019/dcgan'" in err
    code, _, err = cli_in_process(capsys, "train", "favuzzi2019/dcgan", "--set", "learning=1")
    assert code == 2 and "expected FIELD=VALUE" in err


# One epoch on 384 images (6 batches of 64: WGAN-GP's generator steps once, after its critic's
# 5) through the CLI, for the architectures the later chapters
# need: a WGAN-GP critic and an encoder on its body, MLP generator and discriminator, a
# latent discriminator, a Gaussian MLP encoder (the linear VAE).
@pytest.mark.parametrize(
    "name,networks",
    [
        ("latentspace2020/wgan-gp-z8", {"generator": "Generator"}),   # its critic: not shipped
        ("latentspace2020/ae-z8", {"encoder": "CriticEncoder", "generator": "Generator"}),
        ("wanare/mlp-gan-lr0.0002", {"generator": "MLPGenerator"}),   # D (MLP) trained, not shipped
        # its latent discriminator trains (d_loss in the history) but is not shipped
        ("makhzani2016/aae", {"encoder": "MLPEncoder", "generator": "MLPGenerator"}),
        ("wanare/linear-vae-baseline", {"encoder": "MLPEncoder", "generator": "MLPGenerator"}),
        # a decoder fed [categorical code, style] (10 + 10) and one fed [one-hot label, style]
        ("makhzani2016/cluster-16", {"encoder": "MLPEncoder", "generator": "MLPGenerator"}),
        ("makhzani2016/supervised", {"encoder": "MLPEncoder", "generator": "MLPGenerator"}),
    ],
)
def test_new_architectures_train_one_epoch_through_the_cli(name, networks, tmp_path, cache,
                                                           capsys):
    code, _, err = cli_in_process(capsys, "train", name, "--epochs", "1", "--limit", "384",
                                  "--device", "cpu", "--no-evaluate", "--out", str(tmp_path))
    assert code == 0, err[-2000:]
    model = zoo.load(name, root=tmp_path)
    for role, cls in networks.items():
        assert type(model[role]).__name__ == cls
    losses = model.info["history"][0]
    assert all(math.isfinite(v) for v in losses.values()), losses
    assert "critic_loss" not in losses or "g_loss" in losses, losses   # G trained too
    with torch.no_grad():
        z = torch.randn(4, model.generator.latent_dim)
        assert model.generator(z).shape == (4, 1, 28, 28)
        if "encoder" in model:   # E's code is as wide as its family says (and G takes)
            widths = family_of(model.config).code_widths(model.config)
            codes = model.encoder.encode(torch.zeros(4, 1, 28, 28))   # a VAE: its mean
            assert codes.shape[1] == widths.get("encoder", model.config.latent_dim)
    shipped = load_file(str(tmp_path / f"{name}.safetensors"))
    floats = {v.dtype for v in shipped.values() if v.is_floating_point()}
    assert floats == {getattr(torch, model.info["ship_dtype"])}
    assert set(model.keys()) == set(model.info["networks"])      # nothing unshipped, nothing random
    if model.config.snapshot_every:
        grids = zoo.snapshots(name, root=tmp_path)
        assert list(grids) == [1] and grids[1].shape[-2:] == (8 * 30 + 2, 8 * 30 + 2)


def test_a_family_gets_its_own_adam_settings_per_network(tmp_path, cache):
    cfg = zoo_config("latentspace2020/wgan-gp-z8").with_(epochs=1, batch_size=32)
    from gae_lib.train import build

    _, _, opts = build(cfg, torch.device("cpu"))
    assert opts["discriminator"].param_groups[0]["betas"] == (0.5, 0.9)
    assert opts["discriminator"].param_groups[0]["lr"] == 1e-4


def test_cuda_asked_without_cuda_is_a_clear_error(tmp_path):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA; the error path is for machines without it")
    with pytest.raises(ValueError, match="torch.cuda.is_available"):
        train(zoo_config("favuzzi2019/dcgan").with_(epochs=1), tmp_path, device="cuda")


def test_zoo_training_order_comes_from_the_dependencies():
    from gae_lib import documents
    order = documents.training_order("favuzzi2019")
    assert order[0] == "book/classifier"              # it measures every other model
    assert order.index("favuzzi2019/dcgan") < order.index("favuzzi2019/enn")   # frozen G first
    assert set(order) == set(documents.configs("favuzzi2019")) | {"book/classifier"}
    every = documents.training_order()
    assert len(every) == len(set(every)) == len(documents.configs())
    with pytest.raises(ValueError, match="unknown document"):
        documents.training_order("favuzzi2018")


def test_make_zoo_takes_a_document(capsys):
    code, out, _ = cli_in_process(capsys, "train-zoo", "--help")
    assert code == 0 and "favuzzi2019" in out


def test_a_snapshot_splits_back_into_the_images_it_shows(tmp_path):
    from gae_lib import snapshots

    images = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    grid = snapshots.read_png(snapshots.write_png(images, tmp_path / "epoch-001.png"))
    back = snapshots.split_grid(grid)
    assert back.shape == images.shape
    assert (back - images).abs().max() <= 1 / 255 + 1e-6   # 8-bit PNG rounding in [-1, 1]
    with pytest.raises(ValueError, match="a snapshot of 64 images"):
        snapshots.split_grid(grid[:, :100])


def test_a_budget_in_steps_stops_inside_the_epoch_and_is_recorded(tmp_path, cache):
    """Stacked-MNIST's epoch is 8,000 steps at batch 16: a run may stop after fewer."""
    cfg = zoo_config("lazarou2022/stacked-gan-seed0").with_(precision="float32")
    info = train(cfg.with_(steps=5), tmp_path, limit=160, device="cpu", progress=False,
                 evaluate=False)
    assert info["steps"] == 5 and info["epochs"] == 1
    assert info["history"][0]["images"] == 5 * cfg.batch_size
    whole = train(cfg.with_(steps=0), tmp_path / "whole", limit=160, device="cpu",
                  progress=False, evaluate=False)
    assert whole["steps"] == 10 and whole["history"][0]["images"] == 160


def test_a_run_stopped_inside_an_epoch_is_not_resumed_past_it(tmp_path, cache):
    """Resuming at the next epoch would skip the rest of the one a step budget cut short."""
    cfg = zoo_config("lazarou2022/stacked-gan-seed0").with_(precision="float32", steps=5)
    train(cfg, tmp_path, limit=160, device="cpu", progress=False, evaluate=False)
    with pytest.raises(ValueError, match="stopped inside epoch 1 after 80 of its 160 images"):
        train(cfg.with_(epochs=2), tmp_path, limit=160, resume=True, device="cpu",
              progress=False, evaluate=False)
    again = train(cfg, tmp_path, limit=160, resume=True, device="cpu", progress=False,
                  evaluate=False)   # finished: evaluated and shipped again, nothing trained
    assert again["steps"] == 5 and len(again["history"]) == 1


def test_a_budget_in_steps_its_epochs_cannot_hold_is_refused():
    cfg = zoo_config("lazarou2022/stacked-gan-seed0")
    assert cfg.planned_steps(128_000) == 1_875
    with pytest.raises(ValueError, match="more than its 1 epoch"):
        cfg.planned_steps(16_000)
    assert cfg.planned_steps(160, fit=True) == 10
    with pytest.raises(ValueError, match="steps: expected a whole number >= 0"):
        cfg.with_(steps=-1)


def test_shipping_refuses_fewer_steps_than_the_zoo_configures():
    from gae_lib.train import check_shipping
    cfg = zoo_config("lazarou2022/stacked-gan-seed0")
    with pytest.raises(ValueError, match="it trains 100 of the zoo's 1,875 steps"):
        check_shipping(cfg.with_(steps=100), None, True, False)
