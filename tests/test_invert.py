"""Facts about the inverters (favuzzi2019 Algorithm 1, latentspace2020 eq. 5)."""

import math

import pytest
import torch
from tqdm.auto import tqdm

from gae_lib import data, zoo
from gae_lib.inference import frozen_copy
from gae_lib.invert import DEFAULT_LR, algorithm1, ball_radius, best_starts, projected_adam
from gae_lib.losses import l1_per_image
from gae_lib.nets import Generator
from gae_lib.priors import UniformCube


@pytest.fixture(scope="module")
def dcgan():
    return zoo.load("favuzzi2019/dcgan").generator


def digits_not_used_by_the_book(n):
    x, _ = data.tensors("mnist", "test")
    return x[-n:]


@pytest.fixture(scope="module")
def generated(dcgan):
    """256 digits G(z*) with z* ~ U[-1,1]^100, and their z*."""
    z_true = UniformCube(100).sample(256, generator=torch.Generator().manual_seed(123))
    with torch.no_grad():
        return dcgan(z_true), z_true


def test_algorithm1_recovers_generated_digits(dcgan, generated):
    """G(z*) is found again: from the best of 1000 starts (median MSE ~0.19), 100 Adam steps
    bring the median MSE down ~40x.  Measured on four sets of 24 digits (z* seeds 123, 7, 99,
    5; inverter seeds 0, 1, 2, 3): median 0.0047 / 0.0041 / 0.0040 / 0.0045, 95th percentile
    0.027 / 0.014 / 0.006 / 0.022, median start/final 36 / 43 / 40 / 33 (on 48 digits: 95th
    percentile up to 0.025, start/final 36-44).  Only ~2% reach MSE < 1e-3: the descent stops
    in local minima far from z* (started near z*, it reaches < 1e-3 for all)."""
    x, _ = generated
    x = x[:24]
    found = algorithm1(dcgan, x, steps=100)
    assert found.z.shape == (24, 100) and found.images.shape == x.shape
    assert found.z.abs().max() <= 1  # clipped into the cube
    assert (found.loss < found.start_loss).all()  # descent improved every start
    assert found.loss.median() < 0.008
    assert torch.quantile(found.loss, 0.95) < 0.035
    assert (found.start_loss / found.loss).median() > 25
    assert torch.equal(found.loss, found.history.min(0).values)
    assert found.history.shape == (101, 24)
    assert found.history[0].median() <= found.start_loss.median() + 1e-6


def start_gap(generator, x, n_starts, seed=0):
    """Relative gap between each image's best and second-best start (the inverter's own)."""
    candidates = UniformCube(generator.latent_dim).sample(
        n_starts, generator=torch.Generator().manual_seed(seed)
    )
    _, loss = best_starts(generator, x, None, candidates, k=2)
    return (loss[:, 1] - loss[:, 0]) / loss[:, 0]


@pytest.mark.parametrize("source", ["real digits", "generated from codes that are not starts"])
def test_a_batch_gives_what_each_image_gives_alone(dcgan, generated, source):
    """An image's result does not depend on what else is in its batch: only float round-off
    separates them, which differs between batch shapes and between CPUs.  Tolerances measured
    over 24 images (12 real test digits, 12 G(z*)), 1 and 2 threads, and inputs perturbed by
    1e-6 to stand in for another CPU's round-off (AMD EPYC, 2 cores): max |dz| 1.5e-6 for 23
    images, 4.9e-4 for one (round-off amplified over the 15 steps); relative loss difference
    at most 7.3e-5.  Tolerances: 10x those."""
    x = digits_not_used_by_the_book(4) if source == "real digits" else generated[0][:4]
    # Precondition: each image's best start is unambiguous, so round-off cannot pick another.
    assert (start_gap(dcgan, x, 50) > 1e-3).all()
    batch = algorithm1(dcgan, x, steps=15, n_starts=50)
    for i in range(4):
        alone = algorithm1(dcgan, x[i : i + 1], steps=15, n_starts=50)
        assert (alone.z[0] - batch.z[i]).abs().max() < 5e-3
        assert math.isclose(alone.loss.item(), batch.loss[i].item(), rel_tol=1e-3)


def test_an_exact_optimum_among_the_starts_is_kept_alone_and_in_a_batch(dcgan):
    """Images G(z*) whose z* is one of the inverter's own start samples: the best start is the
    answer, the gradient there is pure round-off, and Adam (it normalises the gradient) would
    turn it into full-size steps away from z*.  The inverter keeps the best code it visited,
    so it returns z* itself, in a batch and alone."""
    candidates = UniformCube(100).sample(50, generator=torch.Generator().manual_seed(0))
    z_true = candidates[[3, 17, 29, 41]]
    with torch.no_grad():
        x = dcgan(z_true)
    batch = algorithm1(dcgan, x, steps=15, n_starts=50, seed=0)
    assert torch.equal(batch.z, z_true)
    assert (batch.loss < 1e-9).all()
    for i in range(4):
        alone = algorithm1(dcgan, x[i : i + 1], steps=15, n_starts=50, seed=0)
        assert torch.equal(alone.z[0], z_true[i])


def test_a_near_exact_optimum_is_not_left(dcgan):
    """Images 1e-3 per coordinate away from start samples (start MSE ~5e-6): Adam's first
    step, ~lr in every coordinate whatever the gradient's size, throws the iterate to MSE
    ~0.2-0.3 (measured), and the inverter still returns the start it was handed."""
    candidates = UniformCube(100).sample(50, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        x = dcgan((candidates[:4] + 1e-3).clamp(-1, 1))
    found = algorithm1(dcgan, x, steps=30, n_starts=50, seed=0)
    assert (found.history[0] < 1e-5).all()
    assert (found.history[1] > 100 * found.history[0]).all()  # the descent walked away
    assert torch.equal(found.loss, found.history[0])  # the best visited: the start
    assert torch.equal(found.z, candidates[:4])


def test_masked_inversion_ignores_unknown_pixels(dcgan, generated):
    x = generated[0][:6]
    mask = torch.zeros(1, 1, 28, 28)
    mask[..., 14:, :] = 1  # bottom half known
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
        x = g(torch.randn(5, 16) * 3)  # images from far outside the likely set
    found = projected_adam(g, x, steps=30, n_starts=50, lr=0.2)
    radius_sq = 16 + 3 * math.sqrt(32)
    assert (found.z.pow(2).sum(1) <= radius_sq * (1 + 1e-5)).all()
    assert (found.loss <= found.start_loss + 1e-6).all()


def test_projected_codes_are_in_the_ball_even_when_no_step_improves_on_the_start():
    """With 0 steps the code returned is the best start: it must obey eq. 5 as well (d = 2:
    ~2% of prior samples lie outside the ball)."""
    torch.manual_seed(0)
    g = Generator(latent_dim=2).eval()
    with torch.no_grad():
        x = g(torch.randn(64, 2) * 3)
    found = projected_adam(g, x, steps=0, n_starts=1000)
    assert (found.z.norm(dim=1) <= ball_radius(2) * (1 + 1e-6)).all()


def test_without_projection_codes_leave_the_ball():
    """latentspace2020 Fig. 10: images made from codes ~3x the prior's scale are fitted by
    codes outside the eq. 5 ball once the projection is off (measured: all five end outside,
    norms 9.3-14.7 against the radius 5.74; MSE 2e-6-1e-5 against 5e-4-3e-3 projected)."""
    torch.manual_seed(0)
    g = Generator(latent_dim=16).eval()
    with torch.no_grad():
        x = g(torch.randn(5, 16) * 3)
    kwargs = dict(steps=60, n_starts=50, lr=0.2)
    free, held = projected_adam(g, x, project=False, **kwargs), projected_adam(g, x, **kwargs)
    assert (free.z.norm(dim=1) > ball_radius(16) * 1.2).all()
    assert (held.z.norm(dim=1) <= ball_radius(16) * (1 + 1e-5)).all()
    assert free.loss.mean() < held.loss.mean()


def test_ball_radius_holds_nearly_all_of_the_prior():
    """eq. 5: P(||z||^2 <= d + 3 sqrt(2d)) for z ~ N(0, I_d) is ~0.99+ (chi-square tail)."""
    from scipy.stats import chi2
    for d in (2, 8, 32, 128):
        assert ball_radius(d) ** 2 == pytest.approx(d + 3 * math.sqrt(2 * d))
        assert 0.98 < chi2(d).cdf(ball_radius(d) ** 2) < 0.9999
    with pytest.raises(ValueError, match="d"):
        ball_radius(0)


def test_stochastic_clipping_resamples_instead_of_clamping():
    torch.manual_seed(0)
    g = Generator(latent_dim=8).eval()
    with torch.no_grad():
        x = g(torch.full((4, 8), 1.0))  # optimum on the cube's corner
    clamped = algorithm1(g, x, steps=15, n_starts=20, lr=0.5)
    resampled = algorithm1(g, x, steps=15, n_starts=20, lr=0.5, stochastic_clipping=True)
    assert clamped.z.abs().max() <= 1 and resampled.z.abs().max() <= 1
    # clamping piles coordinates on the faces; re-sampling leaves them inside
    assert (clamped.z.abs() == 1).sum() > (resampled.z.abs() == 1).sum()


@pytest.mark.parametrize(
    "bad, expected",
    [
        (torch.zeros(28, 28), "shape \\(N, C, H, W\\)"),
        (torch.zeros(0, 1, 28, 28), "empty batch"),
        (torch.full((2, 1, 28, 28), 3.0), "\\[-1, 1\\]"),
        (torch.full((2, 1, 28, 28), float("nan")), "NaN"),
        (torch.zeros(2, 3, 28, 28), "1 channel"),
        (torch.zeros(2, 1, 32, 32), "28x28"),
        (torch.zeros(2, 1, 28, 28, dtype=torch.uint8), "floating-point"),
    ],
)
def test_bad_images_are_refused_with_what_was_expected(bad, expected):
    g = Generator(latent_dim=4).eval()
    with pytest.raises(ValueError, match=expected):
        algorithm1(g, bad, steps=1, n_starts=2)


@pytest.mark.parametrize(
    "mask, expected",
    [
        (torch.ones(2, 1, 14, 28), "mask: expected shape"),
        (torch.ones(3, 1, 28, 28), "mask: expected shape"),
        (torch.full((1, 1, 28, 28), 0.5), "only 0"),
        (torch.zeros(1, 1, 28, 28), "at least one known pixel"),
    ],
)
def test_bad_masks_are_refused(mask, expected):
    g = Generator(latent_dim=4).eval()
    with pytest.raises(ValueError, match=expected):
        algorithm1(g, torch.zeros(2, 1, 28, 28), mask, steps=1, n_starts=2)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"steps": -1}, "steps"),
        ({"n_starts": 0}, "n_starts"),
        ({"lr": 0.0}, "lr"),
        ({"restarts": 0}, "restarts"),
        ({"batch_size": 0}, "batch_size"),
        ({"stop_below": 1.0}, "stop_below"),
        ({"watch": "l1"}, "watch"),
        ({"watch": l1_per_image, "stop_below": float("nan")}, "stop_below"),
    ],
)
def test_bad_settings_are_refused(kwargs, expected):
    g = Generator(latent_dim=4).eval()
    with pytest.raises(ValueError, match=expected):
        algorithm1(g, torch.zeros(1, 1, 28, 28), **{"steps": 1, "n_starts": 2, **kwargs})


@pytest.mark.parametrize("schedule", ["constant", "cosine"])
def test_adam_written_out_is_torch_adam(dcgan, schedule):
    """The inverter's own Adam (it lets stopped images leave the batch) follows
    torch.optim.Adam (+ CosineAnnealingLR) from the same starts, on the same batch (so only
    the Adam arithmetic can differ).  Measured: identical losses over 20 steps on 16
    held-out digits; allowed: round-off (1e-4 relative)."""
    from gae_lib.invert import _clip_to_cube, _descend

    x = digits_not_used_by_the_book(16)
    g = frozen_copy(dcgan)
    candidates = UniformCube(100).sample(200, generator=torch.Generator().manual_seed(0))
    start = best_starts(g, x, None, candidates)[0][:, 0]
    ours = _descend(g, x, None, start, _clip_to_cube(False), 20, DEFAULT_LR, schedule, None,
                    tqdm(disable=True))
    z = start.clone().requires_grad_(True)
    opt = torch.optim.Adam([z], lr=DEFAULT_LR)
    decay = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
    losses = []
    for step in range(21):
        loss = (g(z) - x).pow(2).flatten(1).mean(1)
        losses.append(loss.detach())
        if step == 20:
            break
        (z.grad,) = torch.autograd.grad(loss.sum(), [z])
        opt.step()
        if schedule == "cosine":
            decay.step()
        with torch.no_grad():
            z.clamp_(-1, 1)
    reference = torch.stack(losses)
    assert ((ours.history - reference).abs() / reference).max() < 1e-4
    assert (ours.steps == 20).all() and ours.watched is None


def test_an_image_stops_once_its_watched_score_is_reached(dcgan):
    """With ``stop_below`` an image leaves the descent as soon as its watched score (here the
    L1 error) is at most that, so the decision "reached or not" is the one a full descent
    gives, for fewer steps.  The bar sits in a gap of the full run's scores (> 2% relative;
    measured gaps up to 3% near the median of 32 digits) so that round-off cannot move an
    image across it."""
    x = digits_not_used_by_the_book(32)
    settings = {"steps": 40, "n_starts": 300, "watch": l1_per_image}
    full = algorithm1(dcgan, x, **settings)
    assert (full.steps == 40).all()
    scores = full.watched.sort().values
    gaps = (scores[1:] - scores[:-1]) / scores[1:]
    i = 8 + int(gaps[8:24].argmax())           # the widest gap in the middle half
    assert gaps[i] > 0.02
    bar = float(scores[i] + scores[i + 1]) / 2
    stopped = algorithm1(dcgan, x, stop_below=bar, **settings)
    reached = full.watched <= bar
    assert torch.equal(stopped.watched <= bar, reached)
    assert (stopped.steps[~reached] == 40).all()
    assert stopped.steps.sum() < 0.8 * full.steps.sum()   # measured: 0.65
    # the images that never reached the bar descended as before: the batch shrank around them,
    # so round-off differs (batch vs alone, measured last: loss within 7.3e-5 relative after
    # 100 steps); another descent would differ by far more than 1e-3
    torch.testing.assert_close(stopped.watched[~reached], full.watched[~reached], rtol=1e-3, atol=0)
    # a stopped image's loss history stays at its last value
    for i in reached.nonzero()[:, 0]:
        assert (stopped.history[stopped.steps[i]:, i] == stopped.history[stopped.steps[i], i]).all()
