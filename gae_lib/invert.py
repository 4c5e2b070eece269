"""Find z with G(z) close to x: favuzzi2019's Algorithm 1 (E_GD) and latentspace2020's
projected Adam; ``complete`` fills in hidden pixels by masked inversion or an encoder.

Both minimise the per-image MSE(x, G(z)) over the known pixels (mask 1 = known,
favuzzi2019 Fig. 4) by Adam in Z, starting from the best of ``n_starts`` prior
samples, and pull z back into the prior's support after every step: clipping
into the cube for Algorithm 1, projection onto the ball ||z||^2 <= d + 3 sqrt(2d)
for a Gaussian prior (latentspace2020, eq. 5).  Images are independent of each other:
the loss is a sum over images and Adam works coordinate-wise, so a batch gives
the same z as inverting each image alone, up to float round-off (tested).

Each image keeps the best code the descent has visited (its start included), so an
inversion never ends worse than its start.  This matters at an exact or near-exact
optimum: there the gradient is float round-off, which Adam (it divides by the
gradient's running RMS) turns into steps of the full learning rate, and a plain
descent walks away from the answer it started on.

A caller may also ``watch`` another per-image score along the descent (its smallest value
over the visited codes is returned) and stop an image once that score is at most
``stop_below``: a decision such as favuzzi2019's outlier test is then made without
descending further (gae_lib.metrics.density), and the image leaves the batch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from tqdm.auto import tqdm

from .checks import check_images, check_mask, check_positive_int
from .inference import frozen_copy
from .parallel import map_chunks, workers_for
from .precision import autocast
from .precision import resolve as resolve_precision
from .losses import masked_mse_per_image
from .masks import with_unknown_grey
from .priors import PRIORS, StandardGaussian, UniformCube


# Adam's step size, chosen by the sweep in `make bench` (bench/inverter_sweep.py) on 64 test
# digits the book's tables do not use, shipped dcgan, best of 1000 starts.  Mean MSE after
# 100 steps: constant 0.1 -> 0.0117, constant 0.05 -> 0.0141, cosine decay from 0.1 (the
# earlier default) -> 0.0222; a constant 0.1 is also best at 50 and 200 steps and ties 0.05
# at 30.  A decaying step shrinks before the descent has left its start's basin.
DEFAULT_LR = 0.1
DEFAULT_SCHEDULE = "constant"
SCHEDULES = ("constant", "cosine")


@dataclass
class Inversion:
    z: torch.Tensor          # (N, D) codes found
    images: torch.Tensor     # (N, C, H, W) G(z)
    loss: torch.Tensor       # (N,) MSE over the known pixels of the code returned
    start_loss: torch.Tensor  # (N,) MSE of the best of the n_starts prior samples
    history: torch.Tensor    # (steps + 1, N) loss of the iterate before every step and at the end;
    #                          loss = history.min(0): the best code visited is returned; an image
    #                          that stopped early keeps its last loss for the remaining rows.
    #                          In bfloat16 the history is what the descent computed, and loss
    #                          the float32 MSE of the code returned
    steps: torch.Tensor      # (N,) Adam steps each image took (fewer than asked if it stopped)
    watched: torch.Tensor | None = None  # (N,) smallest value of ``watch`` over the visited codes


def algorithm1(generator, x, mask=None, *, n_starts: int = 1000, restarts: int = 1,
               steps: int = 300, lr: float = DEFAULT_LR, schedule: str = DEFAULT_SCHEDULE,
               stochastic_clipping: bool = False, seed: int = 0, batch_size: int | None = None,
               progress: bool | None = None, watch=None,
               stop_below: float | None = None, precision: str = "float32") -> Inversion:
    """favuzzi2019, Algorithm 1: best of ``n_starts`` samples of U[-1,1]^d, then Adam steps
    on MSE(x, G(z)), z clipped into the cube after each step.  ``stochastic_clipping``
    re-samples out-of-range coordinates instead (Lipton & Tripathi 2017).  ``restarts > 1``
    descends from that many of the best starts and keeps the best end point (an extension:
    the objective is not convex, and single descents stall in local minima).  ``lr`` and
    ``schedule`` ("constant" or "cosine" decay to 0) set Adam's step size; the defaults come
    from a measured sweep (``make bench``).  ``batch_size``: at most that many images are
    descended together (default 64 on a CPU, 1024 on a GPU); on a CPU the chunks run side
    by side, one per core.  ``watch(x, G(z))``: a per-image score tracked along the descent
    (``Inversion.watched``, its smallest value); with ``stop_below`` an image stops
    descending once that score is at most ``stop_below``.  ``precision``: the descent's
    arithmetic (gae_lib.precision): ``bfloat16`` runs G's forward and backward passes in
    bfloat16 (about twice the steps per second where the CPU has it natively); z, Adam and
    the loss stay float32, and ``loss`` is the float32 MSE of the code returned."""
    prior = UniformCube(generator.latent_dim)
    return _invert(generator, x, mask, prior, _clip_to_cube(stochastic_clipping), n_starts,
                   restarts, steps, lr, schedule, seed, batch_size, progress, watch, stop_below,
                   precision)


def projected_adam(generator, x, mask=None, *, n_starts: int = 1000, restarts: int = 1,
                   steps: int = 300, lr: float = DEFAULT_LR, schedule: str = DEFAULT_SCHEDULE,
                   seed: int = 0, batch_size: int | None = None,
                   progress: bool | None = None, watch=None,
                   stop_below: float | None = None, project: bool = True,
                   precision: str = "float32") -> Inversion:
    """latentspace2020, eq. 5: min ||G(z) - x||^2 s.t. ||z||^2 <= d + 3 sqrt(2d), by Adam with z
    projected onto that ball after each step; the ball holds nearly all of N(0, I_d)'s mass.
    Starts from the best of ``n_starts`` Gaussian samples (``n_starts=1``: one random start).
    ``project=False``: plain Adam, z free to leave the ball (the paper's Fig. 10 shows where
    such codes end up).  ``watch``, ``stop_below`` and ``precision`` as in ``algorithm1``."""
    d = generator.latent_dim
    radius = ball_radius(d)

    def onto_ball(z, rng):
        norm = z.norm(dim=1, keepdim=True).clamp_min(1e-12)
        z.mul_((radius / norm).clamp(max=1.0))

    def free(z, rng):
        pass

    return _invert(generator, x, mask, StandardGaussian(d), onto_ball if project else free,
                   n_starts, restarts, steps, lr, schedule, seed, batch_size, progress, watch,
                   stop_below, precision)


def ball_radius(d: int) -> float:
    """latentspace2020, eq. 5: the radius sqrt(d + 3 sqrt(2d)) of the ball of plausible codes of
    N(0, I_d) (||z||^2 has mean d and variance 2d: three standard deviations above the mean)."""
    d = check_positive_int(d, "d")
    return math.sqrt(d + 3 * math.sqrt(2 * d))


def _clip_to_cube(stochastic: bool):
    def clip(z, rng):
        if stochastic:
            out = z.abs() > 1
            fresh = torch.rand(z.shape, generator=rng).mul(2).sub(1).to(z.device)
            z.copy_(torch.where(out, fresh, z))
        else:
            z.clamp_(-1, 1)
    return clip


def check_prior_fits(generator, prior) -> None:
    """A generator loaded from the zoo knows the prior it was trained on (``trained_prior``);
    inverting it with the other prior's inverter searches codes it never saw in training."""
    trained = getattr(generator, "trained_prior", None)
    wanted = next(k for k, v in INVERTERS.items() if isinstance(prior, PRIORS[k]))
    if trained in INVERTERS and trained != wanted:
        raise ValueError(f"generator: expected one trained on the {wanted!r} prior this inverter "
                         f"searches, got one trained on {trained!r}; use "
                         f"invert.inverter_for({trained!r})")


def _invert(generator, x, mask, prior, constrain, n_starts, restarts, steps, lr, schedule, seed,
            batch_size, progress, watch=None, stop_below=None,
            precision: str = "float32") -> Inversion:
    check_prior_fits(generator, prior)
    channels = getattr(generator, "channels", None)
    # float64 tensors and numpy arrays are taken as float32, the generators' precision.
    x = check_images(x, "x", channels=channels).float()
    mask = None if mask is None else check_mask(mask, x)
    n_starts = check_positive_int(n_starts, "n_starts")
    restarts = check_positive_int(restarts, "restarts")
    if batch_size is not None:
        check_positive_int(batch_size, "batch_size")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps: expected an integer >= 0, got {steps!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr < math.inf:
        raise ValueError(f"lr: expected a finite positive learning rate, got {lr!r}")
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule: expected one of {SCHEDULES}, got {schedule!r}")
    if watch is not None and not callable(watch):
        raise ValueError(f"watch: expected a function (x, G(z)) -> per-image score, got {watch!r}")
    if stop_below is not None and (watch is None or not math.isfinite(stop_below)):
        raise ValueError(f"stop_below: expected a finite number and a watch function, "
                         f"got {stop_below!r} with watch={watch!r}")
    device = next(generator.parameters()).device
    arithmetic = resolve_precision(precision, device)
    # A frozen copy (gradients to z only; the caller's G is untouched): for the DCGAN-28
    # layout, stride-2 transposed convolutions with BatchNorm folded in (gae_lib.inference),
    # in channels_last memory on a CPU; ~2x faster (measured on 2 cores; `make bench`).
    generator = frozen_copy(generator)
    batch_size = batch_size or (64 if device.type == "cpu" else 1024)
    x = x.to(device)
    rng = torch.Generator().manual_seed(seed)
    candidates = prior.sample(n_starts, generator=rng).to(device)
    # The starts obey the constraint too: a prior sample outside eq. 5's ball (~1-2% of them)
    # would otherwise be returned as it is when no step improves on it.
    constrain(candidates, rng)
    starts, start_loss = best_starts(generator, x, mask, candidates, k=restarts)
    k = starts.shape[1]
    # Each image is descended from its k best starts side by side; the best end point wins.
    x_k = x.repeat_interleave(k, dim=0)
    mask_k = None if mask is None else mask.repeat_interleave(k, dim=0)
    z0 = starts.reshape(len(x) * k, -1)
    # Chunks of at most batch_size rows (a multiple of k), enough of them to keep every core
    # busy; on a CPU they run side by side, one torch thread each (gae_lib.parallel).
    workers = workers_for(len(x), device)
    n_chunks = workers * math.ceil(len(x) / (workers * max(batch_size // k, 1)))  # equal shares
    per_chunk = math.ceil(len(x) / n_chunks)
    bounds = [(lo, lo + per_chunk * k) for lo in range(0, len(x_k), per_chunk * k)]
    show = progress if progress is not None else len(x_k) * steps >= 200_000
    bar = tqdm(total=steps * len(bounds), desc="inverting", disable=not show)

    def descend(number_and_bounds):
        number, (lo, hi) = number_and_bounds
        # Its own RNG per chunk (stochastic clipping), so the result does not depend on
        # which chunk finished first.
        chunk_rng = torch.Generator().manual_seed(seed * 1_000_003 + number + 1)
        # Entered here, in the thread that computes: autocast is thread-local.
        with autocast(arithmetic, device):
            return _descend(generator, x_k[lo:hi], None if mask_k is None else mask_k[lo:hi],
                            z0[lo:hi], constrain, steps, lr, schedule, chunk_rng, bar, watch,
                            stop_below)

    parts = map_chunks(descend, enumerate(bounds), min(workers, len(bounds)))
    bar.close()
    rows = torch.arange(len(x))
    z = torch.cat([p.z for p in parts]).reshape(len(x), k, -1)
    history = torch.cat([p.history for p in parts], dim=1).reshape(steps + 1, len(x), k)
    best = history.min(0).values.argmin(1)          # the best of the k descents
    z = z[rows, best]
    history = history[:, rows, best]
    taken = torch.cat([p.steps for p in parts]).reshape(len(x), k)[rows, best]
    watched = (None if watch is None else
               torch.cat([p.watched for p in parts]).reshape(len(x), k).min(1).values)
    start_loss = start_loss[:, 0]
    with torch.no_grad():
        images = generator(z)
    loss = history.min(0).values
    if arithmetic != "float32":   # the code's MSE in float32, as every other number is
        loss = masked_mse_per_image(x, images, mask).cpu()
    return Inversion(z=z, images=images, loss=loss, start_loss=start_loss.cpu(),
                     history=history, steps=taken, watched=watched)


@torch.no_grad()
def best_starts(generator, x, mask, candidates, k: int = 1, chunk: int = 500):
    """For each image the ``k`` candidate codes with the lowest (masked) MSE, (N, k, D) and
    (N, k), via one pass of G over the shared candidates:
    sum m(x-g)^2 = m.x^2 - 2 (m x).g + m.g^2 as matrix products."""
    flat_x = x.flatten(1)
    m = torch.ones_like(flat_x) if mask is None else mask.flatten(1)
    xx = (m * flat_x.pow(2)).sum(1, keepdim=True)
    mse = []
    for lo in range(0, len(candidates), chunk):
        g = generator(candidates[lo:lo + chunk]).flatten(1)
        mse.append((xx - 2 * (m * flat_x) @ g.T + m @ g.pow(2).T) / m.sum(1, keepdim=True))
    value, index = torch.cat(mse, dim=1).topk(min(k, len(candidates)), dim=1, largest=False)
    return candidates[index].clone(), value.clamp_min(0)


@dataclass
class _Descent:
    z: torch.Tensor          # best code visited per image
    history: torch.Tensor    # (steps + 1, N) loss of every iterate
    steps: torch.Tensor      # (N,) Adam steps taken
    watched: torch.Tensor | None


# Adam's constants (Kingma & Ba 2015, Algorithm 1; torch.optim.Adam's defaults).
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def _descend(generator, x, mask, z, constrain, steps, lr, schedule, rng, bar, watch=None,
             stop_below=None) -> _Descent:
    """Adam on the per-image MSE from ``z``: the best code each image visited and the loss of
    every iterate.  Adam is written out (the update of torch.optim.Adam) so that images whose
    ``watch`` score reached ``stop_below`` leave the batch and cost nothing more."""
    n = len(z)
    z = z.detach().clone()
    first, second = torch.zeros_like(z), torch.zeros_like(z)     # Adam's moment estimates
    best_z, best_loss = z.clone(), torch.full((n,), math.inf, device=z.device)
    watched = None if watch is None else torch.full((n,), math.inf, device=z.device)
    taken = torch.zeros(n, dtype=torch.long)
    active = torch.arange(n, device=z.device)
    row = torch.full((n,), math.nan)
    history = []
    for step in range(steps + 1):
        za = z[active].requires_grad_(True)
        xa, ma = x[active], None if mask is None else mask[active]
        images = generator(za).float()   # (computed in bfloat16 under autocast)
        per_image = masked_mse_per_image(xa, images, ma)
        with torch.no_grad():
            better = per_image < best_loss[active]      # strict: a tie keeps the earlier code
            best_loss[active] = torch.where(better, per_image, best_loss[active])
            best_z[active] = torch.where(better[:, None], za, best_z[active])
            row = row.clone()
            row[active.cpu()] = per_image.cpu()         # a stopped image keeps its last loss
            history.append(row)
            stop = torch.zeros(len(active), dtype=torch.bool, device=z.device)
            if watch is not None:
                watched[active] = torch.minimum(watched[active], watch(xa, images))
                if stop_below is not None:
                    stop = watched[active] <= stop_below
        if step == steps:
            break
        # Sum, not mean, over images: each image's gradient is independent of the batch.
        (grad,) = torch.autograd.grad(per_image.sum(), [za])
        with torch.no_grad():
            keep = ~stop
            if not keep.all():
                active, grad = active[keep], grad[keep]
            if len(active) == 0:
                history.extend([row] * (steps - step))
                bar.update(steps - step)
                break
            t = step + 1
            rate = lr if schedule == "constant" else lr * (1 + math.cos(math.pi * step / steps)) / 2
            m = first[active].lerp_(grad, 1 - BETA1)
            v = second[active].mul_(BETA2).addcmul_(grad, grad, value=1 - BETA2)
            first[active], second[active] = m, v
            denom = (v.sqrt() / math.sqrt(1 - BETA2 ** t)).add_(EPS)
            moved = z[active].addcdiv_(m, denom, value=-rate / (1 - BETA1 ** t))
            constrain(moved, rng)
            z[active] = moved
            taken[active.cpu()] += 1
        bar.update(1)
    return _Descent(best_z, torch.stack(history), taken, watched)


INVERTERS = {"uniform-cube": algorithm1, "standard-gaussian": projected_adam}


def inverter_for(prior: str):
    """The inverter for a generator trained with ``prior``: Algorithm 1 (clipping into the
    cube) or projected Adam (the norm ball of a Gaussian)."""
    if prior not in INVERTERS:
        raise ValueError(f"prior: expected one of {tuple(INVERTERS)}, got {prior!r}")
    return INVERTERS[prior]


MASKED_INVERSION = "masked Algorithm 1"


@torch.no_grad()
def complete(method: str, models: dict, x: torch.Tensor, mask: torch.Tensor, steps: int = 100,
             n_starts: int = 1000, seed: int = 0, inverted: str = "E_GD",
             precision: str = "float32") -> torch.Tensor:
    """Images with their hidden pixels (mask 0) filled in (favuzzi2019 Fig. 4).
    ``"masked Algorithm 1"``: G(z*) with z* fitted to the known pixels by inverting the
    generator of ``models[inverted]`` (the inverter its prior calls for); any other method
    names a model in ``models`` whose encoder sees the corrupted image (hidden pixels grey)
    and decodes it.  ``precision`` as in ``algorithm1``."""
    if method == MASKED_INVERSION:
        model = models[inverted]
        with torch.enable_grad():
            return inverter_for(model.prior)(model.generator, x, mask, steps=steps,
                                             n_starts=n_starts, seed=seed,
                                             precision=precision).images
    if method not in models:
        raise ValueError(f"method: expected {MASKED_INVERSION!r} or one of {list(models)}, "
                         f"got {method!r}")
    return models[method].reconstruct(with_unknown_grey(x, mask))
