"""bfloat16 training and inversion (gae_lib.precision): chosen where native, float32 weights
and losses, recorded; the same models and codes within bfloat16's round-off."""
from __future__ import annotations

import pytest
import torch

from gae_lib import data, documents, precision, zoo
from gae_lib.config import TrainConfig
from gae_lib.families import family_of
from gae_lib.invert import algorithm1, projected_adam
from gae_lib.train import train


def test_auto_is_bfloat16_only_where_the_cpu_has_it(monkeypatch):
    monkeypatch.setattr(precision, "cpu_flags", lambda: frozenset({"avx2", "avx512_bf16"}))
    assert precision.resolve("auto", "cpu") == "bfloat16"
    monkeypatch.setattr(precision, "cpu_flags", lambda: frozenset({"avx2", "avx512f"}))
    assert precision.resolve("auto", "cpu") == "float32"
    assert precision.resolve("bfloat16", "cpu") == "bfloat16"   # asked for: given


def test_cpu_flags_reads_linux_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu avx512_bf16 sse\n")
    assert "avx512_bf16" in precision.cpu_flags.__wrapped__(str(info))
    assert precision.cpu_model(str(info)) == "Some CPU"
    assert precision.cpu_flags.__wrapped__(str(tmp_path / "none")) == frozenset()


def test_a_precision_is_one_of_three():
    cfg = documents.config("wanare/linear-vae")
    with pytest.raises(ValueError, match="precision: expected one of float32, bfloat16, auto"):
        cfg.with_(precision="float16")
    # a checkpoint written before the field existed was trained in float32
    old = {k: v for k, v in cfg.to_dict().items() if k != "precision"}
    assert TrainConfig.from_dict(old).precision == "float32"
    with pytest.raises(ValueError, match="precision"):
        algorithm1(zoo.load("favuzzi2019/dcgan").generator, torch.rand(1, 1, 28, 28) * 2 - 1,
                   precision="half")


def one_step(name: str, arithmetic: str):
    """Losses of one training step of ``name`` at its seed's initial weights (Adam's step
    size set to 0 after the optimisers are built, so every loss of the step sees the same
    weights: a first Adam step moves each weight by about lr whatever its gradient's size,
    so round-off in a tiny gradient would otherwise change the networks), and the nets."""
    cfg = documents.config(name)
    family = family_of(cfg)
    torch.manual_seed(0)
    nets = family.build(cfg, load=zoo.load)
    opts = family.make_optimisers(cfg, nets)
    for opt in opts.values():
        for group in opt.param_groups:
            group["lr"] = 0.0
    x, y = data.tensors(cfg.dataset, "train", n=64)
    torch.manual_seed(1)
    with precision.mixed(arithmetic, "cpu", nets):
        losses = family.step(nets, opts, x, y, cfg, 0)
    return losses, nets, opts


@pytest.mark.parametrize("name", ["favuzzi2019/dcgan", "latentspace2020/wgan-gp-z8",
                                  "favuzzi2019/vae", "makhzani2016/aae"])
def test_a_bfloat16_step_keeps_float32_weights_and_matches_float32(name):
    exact, _, _ = one_step(name, "float32")
    mixed, nets, opts = one_step(name, "bfloat16")
    assert set(mixed) == set(exact)
    for key in exact:
        # measured over 5 seeds of each model: at most 0.4% apart (the VAE's), on AMD EPYC
        # with AVX512-BF16; the margin is for CPUs that emulate bfloat16 and round otherwise
        assert mixed[key] == pytest.approx(exact[key], rel=0.03, abs=0.01), key
    for net in nets.values():
        assert all(p.dtype == torch.float32 for p in net.parameters())
    for opt in opts.values():
        for slot in opt.state.values():
            assert all(v.dtype == torch.float32 for v in slot.values() if v.is_floating_point())


def test_networks_return_float32_inside_mixed_precision():
    cfg = documents.config("favuzzi2019/dcgan")
    nets = family_of(cfg).build(cfg)
    with precision.mixed("bfloat16", "cpu", nets):
        out = nets["generator"](torch.rand(2, cfg.latent_dim))
        inner = torch.nn.functional.linear(torch.rand(2, 3), torch.rand(4, 3))
    assert out.dtype == torch.float32 and inner.dtype == torch.bfloat16
    assert nets["generator"](torch.rand(2, cfg.latent_dim)).dtype == torch.float32
    assert not nets["generator"]._forward_hooks          # the hooks leave with the block


def test_a_bfloat16_run_says_so(tmp_path):
    cfg = documents.config("wanare/linear-vae").with_(epochs=1, precision="bfloat16")
    info = train(cfg, tmp_path, device="cpu", limit=256, progress=False, evaluate=False)
    assert info["precision"] == "bfloat16"
    assert info["config"]["precision"] == "bfloat16" and info["cpu_hours"] == pytest.approx(
        info["train_seconds"] * info["threads"] / 3600, abs=1e-6)
    model = zoo.load(cfg.name, root=tmp_path)
    assert all(p.dtype == torch.float32 for p in model.parameters())


@pytest.mark.parametrize("inverter", [algorithm1, projected_adam])
def test_bfloat16_inversion_finds_codes_as_good_and_reports_float32_errors(inverter):
    name = "favuzzi2019/dcgan" if inverter is algorithm1 else "latentspace2020/wgan-gp-z8"
    generator = zoo.load(name).generator
    x, _ = data.tensors("mnist", "test")
    x = x[-8:]
    exact = inverter(generator, x, steps=20, n_starts=100, progress=False)
    mixed = inverter(generator, x, steps=20, n_starts=100, progress=False, precision="bfloat16")
    # the same starts (float32); descents within bfloat16's round-off of each other:
    # mean errors of 4 sets of 8 digits measured at most 4.8% apart (Algorithm 1) and 0.3%
    # (projected Adam)
    assert torch.equal(mixed.start_loss, exact.start_loss)
    assert mixed.loss.mean().item() == pytest.approx(exact.loss.mean().item(), rel=0.15)
    # the loss reported is the float32 MSE of the images returned
    again = (mixed.images - x).pow(2).flatten(1).mean(1)
    assert torch.allclose(mixed.loss, again, rtol=1e-5, atol=1e-7)
    assert mixed.images.dtype == torch.float32
