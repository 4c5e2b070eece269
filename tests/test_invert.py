"""Facts about the inverters (seed 000 Algorithm 1, seed 002 eq. 5)."""
import math

import pytest
import torch

from gae_lib import zoo
from gae_lib.invert import algorithm1, best_starts, projected_adam
from gae_lib.nets import Generator
from gae_lib.priors import UniformCube


@pytest.fixture(scope="module")
def dcgan():
    return zoo.load("dcgan").generator


@pytest.fixture(scope="module")
def generated(dcgan):
    """256 digits G(z*) with z* ~ U[-1,1]^100, and their z*."""
    z_true = UniformCube(100).sample(256, generator=torch.Generator().manual_seed(123))
    with torch.no_grad():
        return dcgan(z_true), z_true


def test_algorithm1_recovers_generated_digits(dcgan, generated):
    """G(z*) is found again: from the best of 1000 starts (MSE ~0.19), 200 Adam steps bring the
    median MSE down ~45x.  Measured on two sets of 256 digits (z* seeds 123 and 7, inverter
    seeds 0 and 1): median 0.0041 / 0.0038, 95th percentile 0.0167 / 0.0150, max 0.057 / 0.114,
    only 3.5% / 2.3% below 1e-3.  The issue's goal (MSE < 1e-3 for 95%) is not reached: the
    descent stalls in local minima far from z* (started near z*, it reaches < 1e-3 for all)."""
    x, _ = generated
    found = algorithm1(dcgan, x, steps=200)
    assert found.z.shape == (256, 100) and found.images.shape == x.shape
    assert found.z.abs().max() <= 1                               # clipped into the cube
    assert (found.loss < found.start_loss).all()                  # descent improved every start
    assert found.loss.median() < 0.006
    assert torch.quantile(found.loss, 0.95) < 0.025
    assert (found.start_loss / found.loss).median() > 20
    assert torch.allclose(found.loss, found.history[-1]) and found.history.shape == (201, 256)
    assert found.history[0].median() <= found.start_loss.median() + 1e-6


def test_a_batch_gives_what_each_image_gives_alone(dcgan, generated):
    x = generated[0][:4]
    batch = algorithm1(dcgan, x, steps=15, n_starts=50)
    for i in range(4):
        alone = algorithm1(dcgan, x[i:i + 1], steps=15, n_starts=50)
        # Only float round-off of batched convolutions separates them (measured < 1e-6 in z, on CPU).
        assert torch.allclose(alone.z[0], batch.z[i], atol=1e-4)
        assert math.isclose(alone.loss.item(), batch.loss[i].item(), rel_tol=1e-3, abs_tol=1e-6)


def test_masked_inversion_ignores_unknown_pixels(dcgan, generated):
    x = generated[0][:6]
    mask = torch.zeros(1, 1, 28, 28)
    mask[..., 14:, :] = 1                                   # bottom half known
    scribbled = x.clone()
    scribbled[..., :14, :] = torch.rand(6, 1, 14, 28) * 2 - 1
    a = algorithm1(dcgan, x, mask, steps=20, n_starts=100)
    b = algorithm1(dcgan, scribbled, mask, steps=20, n_starts=100)
    assert torch.equal(a.z, b.z)
    known_mse = (a.images - x).pow(2)[..., 14:, :].flatten(1).mean(1)
    assert torch.allclose(a.loss, known_mse, rtol=1e-4, atol=1e-7)


def test_best_starts_is_the_brute_force_minimum(dcgan, generated):
    x = generated[0][:5]
    candidates = UniformCube(100).sample(300, generator=torch.Generator().manual_seed(1))
    starts, loss = best_starts(dcgan, x, None, candidates, k=3)
    with torch.no_grad():
        brute = (dcgan(candidates).unsqueeze(0) - x.unsqueeze(1)).pow(2).flatten(2).mean(2)
    values, index = brute.topk(3, dim=1, largest=False)
    assert torch.equal(starts, candidates[index])
    assert torch.allclose(loss, values, atol=1e-5)


def test_restarts_never_end_worse_than_one_descent(dcgan, generated):
    x = generated[0][:4]
    one = algorithm1(dcgan, x, steps=15, n_starts=50)
    three = algorithm1(dcgan, x, steps=15, n_starts=50, restarts=3)
    assert (three.loss <= one.loss + 1e-6).all()


def test_projected_adam_stays_in_the_ball():
    torch.manual_seed(0)
    g = Generator(latent_dim=16).eval()
    with torch.no_grad():
        x = g(torch.randn(5, 16) * 3)       # images from far outside the likely set
    found = projected_adam(g, x, steps=30, n_starts=50, lr=0.2)
    radius_sq = 16 + 3 * math.sqrt(32)
    assert (found.z.pow(2).sum(1) <= radius_sq * (1 + 1e-5)).all()
    assert (found.loss <= found.start_loss + 1e-6).all()


def test_stochastic_clipping_resamples_instead_of_clamping():
    torch.manual_seed(0)
    g = Generator(latent_dim=8).eval()
    with torch.no_grad():
        x = g(torch.full((4, 8), 1.0))       # optimum on the cube's corner
    clamped = algorithm1(g, x, steps=15, n_starts=20, lr=0.5)
    resampled = algorithm1(g, x, steps=15, n_starts=20, lr=0.5, stochastic_clipping=True)
    assert clamped.z.abs().max() <= 1 and resampled.z.abs().max() <= 1
    # clamping piles coordinates on the faces; re-sampling leaves them inside
    assert (clamped.z.abs() == 1).sum() > (resampled.z.abs() == 1).sum()


@pytest.mark.parametrize("bad, expected", [
    (torch.zeros(28, 28), "shape \\(N, C, H, W\\)"),
    (torch.zeros(0, 1, 28, 28), "empty batch"),
    (torch.full((2, 1, 28, 28), 3.0), "\\[-1, 1\\]"),
    (torch.full((2, 1, 28, 28), float("nan")), "NaN"),
    (torch.zeros(2, 3, 28, 28), "1 channel"),
    (torch.zeros(2, 1, 32, 32), "28x28"),
    (torch.zeros(2, 1, 28, 28, dtype=torch.uint8), "floating-point"),
])
def test_bad_images_are_refused_with_what_was_expected(bad, expected):
    g = Generator(latent_dim=4).eval()
    with pytest.raises(ValueError, match=expected):
        algorithm1(g, bad, steps=1, n_starts=2)


@pytest.mark.parametrize("mask, expected", [
    (torch.ones(2, 1, 14, 28), "mask: expected shape"),
    (torch.ones(3, 1, 28, 28), "mask: expected shape"),
    (torch.full((1, 1, 28, 28), 0.5), "only 0"),
    (torch.zeros(1, 1, 28, 28), "at least one known pixel"),
])
def test_bad_masks_are_refused(mask, expected):
    g = Generator(latent_dim=4).eval()
    with pytest.raises(ValueError, match=expected):
        algorithm1(g, torch.zeros(2, 1, 28, 28), mask, steps=1, n_starts=2)


@pytest.mark.parametrize("kwargs, expected", [
    ({"steps": -1}, "steps"), ({"n_starts": 0}, "n_starts"), ({"lr": 0.0}, "lr"),
    ({"restarts": 0}, "restarts"), ({"batch_size": 0}, "batch_size"),
])
def test_bad_settings_are_refused(kwargs, expected):
    g = Generator(latent_dim=4).eval()
    with pytest.raises(ValueError, match=expected):
        algorithm1(g, torch.zeros(1, 1, 28, 28), **{"steps": 1, "n_starts": 2, **kwargs})
