"""The two-dimensional mode-collapse testbeds (gae_lib.toy2d): the mixtures, the papers'
coverage rule, and any family's step training small MLPs on them, reproducibly."""

import pytest
import torch

from gae_lib import toy2d


@pytest.mark.parametrize("name, modes", [("ring-8", 8), ("grid-25", 25)])
def test_the_mixture_itself_covers_every_mode_with_high_quality_samples(name, modes):
    points = toy2d.sample(name, toy2d.SAMPLES, torch.Generator().manual_seed(0))
    c = toy2d.coverage(points, name)
    assert (c.modes, c.of) == (modes, modes)
    # within 3 sd in 2-D: 1 - exp(-9/2) = 98.9% of a Gaussian's mass
    assert c.high_quality == pytest.approx(0.989, abs=0.01)
    assert sum(c.per_mode) == round(c.high_quality * toy2d.SAMPLES)


def test_a_collapsed_sample_covers_one_mode_and_points_between_modes_none():
    means, std = toy2d.mixture("ring-8")
    one = means[3] + std * torch.randn(500, 2, generator=torch.Generator().manual_seed(1))
    c = toy2d.coverage(one, "ring-8")
    assert c.modes == 1 and c.per_mode[3] == sum(c.per_mode)
    between = (means[:4] + means[1:5]) / 2
    assert toy2d.coverage(between, "ring-8") == toy2d.Coverage(0, 8, 0.0, [0] * 8)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="testbed: expected one of ring-8, grid-25"):
        toy2d.sample("spiral", 10)
    with pytest.raises(ValueError, match=r"finite \(N, 2\)"):
        toy2d.coverage(torch.zeros(4, 3), "ring-8")
    with pytest.raises(ValueError, match="family: expected one of"):
        toy2d.train_run("unknown", "ring-8", seed=0, steps=1)


@pytest.mark.parametrize("family, roles", [
    ("aegan", {"generator", "encoder", "discriminator", "latent_discriminator"}),
    ("aegan-gan", {"generator", "discriminator"}),
    ("aegan-aae", {"generator", "encoder", "latent_discriminator"})])
def test_lazarou2022s_step_trains_each_family_reproducibly(family, roles):
    runs = [toy2d.train_run(family, "ring-8", seed=3, steps=20, track_every=10)
            for _ in range(2)]
    assert set(runs[0].nets) == roles and [t["step"] for t in runs[0].track] == [10, 20]
    first, again = (r.samples(100) for r in runs)
    assert first.shape == (100, 2) and torch.allclose(first, again)
    other = toy2d.train_run(family, "ring-8", seed=4, steps=20).samples(100)
    assert not torch.allclose(first, other)
