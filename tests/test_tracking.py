"""Training measured every few steps (gae_lib.tracking): what the record holds, that its
snapshots ship with the model, that measuring does not change training, and the measures
lazarou2022's chapter reads from it (gae_lib.aegan_tasks, metrics.laplacian_variance)."""
import math

import pytest
import torch

from gae_lib import aegan_tasks, metrics, tracking, zoo
from gae_lib.config import TrainConfig
from gae_lib.documents import config as zoo_config
from gae_lib.train import train


def tiny(track_every: int) -> TrainConfig:
    # whole epochs in batches of 32, so that the tracked steps below are few and round
    return zoo_config("lazarou2022/gan-seed0").with_(track_every=track_every, snapshot_every=0,
                                                     batch_size=32, steps=0)


@pytest.fixture(autouse=True)
def few_tracked_samples(monkeypatch):
    """These tests are about the loop, not the measure: 256 tracked samples, not 2,000."""
    monkeypatch.setattr(tracking, "TRACK_SAMPLES", 256)


def test_the_loop_records_samples_every_few_steps_and_ships_their_snapshots(tmp_path, cache):
    info = train(tiny(4), tmp_path / "run", limit=320, progress=False, evaluate=False)
    track = info["track"]
    assert [t["step"] for t in track] == [4, 8]             # 10 steps of 32 images
    for t in track:
        assert t["frechet"] > t["frechet_floor"] > 0 and math.isfinite(t["frechet"])
        assert len(t["class_shares"]) == 10 and abs(sum(t["class_shares"]) - 1) < 1e-3
    assert info["history"][0]["track"] == track
    grids = zoo.track_snapshots(info["name"], root=tmp_path / "run")
    assert list(grids) == [4, 8] and grids[4].shape[-2:] == (8 * 30 + 2, 8 * 30 + 2)
    assert aegan_tasks.tracked(info, "frechet") == {4: track[0]["frechet"],
                                                     8: track[1]["frechet"]}


def test_measuring_during_training_does_not_change_what_is_trained(tmp_path, cache):
    runs = [train(tiny(k), tmp_path / f"run{k}", limit=160, progress=False, evaluate=False)
            for k in (0, 2)]
    weights = [zoo.load(r["name"], root=tmp_path / f"run{k}").generator.state_dict()
               for r, k in zip(runs, (0, 2))]
    for name, value in weights[0].items():
        assert torch.allclose(value, weights[1][name], atol=1e-6), name
    assert runs[0]["track"] == [] and len(runs[1]["track"]) == 2


def test_a_model_without_a_record_says_so():
    with pytest.raises(ValueError, match="track_every=0"):
        aegan_tasks.tracked({"name": "x/y", "track": []}, "frechet")
    with pytest.raises(ValueError, match="track_every must be >= 0"):
        tiny(-1)


def test_kl_of_class_shares_and_the_collapse_threshold():
    assert aegan_tasks.kl_to_uniform([0.1] * 10) == pytest.approx(0.0, abs=1e-12)
    one = [1.0] + [0.0] * 9
    assert aegan_tasks.kl_to_uniform(one) == pytest.approx(math.log(10))
    six = [1 / 6] * 6 + [0.0] * 4
    assert aegan_tasks.kl_to_uniform(six) == pytest.approx(math.log(10 / 6))
    assert aegan_tasks.even_digits(aegan_tasks.kl_to_uniform(six)) == pytest.approx(6)
    assert aegan_tasks.collapsed(one, 0.5) and not aegan_tasks.collapsed([0.1] * 10, 0.5)
    for bad in ([0.5, 0.5], [0.2] * 10, [-0.1] + [1.1 / 9] * 9):
        with pytest.raises(ValueError, match="10 non-negative shares summing to 1"):
            aegan_tasks.kl_to_uniform(bad)


def test_laplacian_variance_ranks_a_blurred_image_below_a_sharp_one():
    flat = torch.full((1, 1, 28, 28), 0.3)
    assert metrics.laplacian_variance(flat).item() == pytest.approx(0.0, abs=1e-12)
    sharp = -torch.ones(1, 1, 28, 28)
    sharp[..., 8:20, 12:16] = 1.0                              # a bar with hard edges
    blurred = torch.nn.functional.avg_pool2d(sharp, 5, stride=1, padding=2,
                                             count_include_pad=False)
    assert metrics.laplacian_variance(sharp) > 3 * metrics.laplacian_variance(blurred)
    assert metrics.laplacian_variance(torch.cat([sharp, flat])).shape == (2,)
    with pytest.raises(ValueError, match="expected a batch of shape"):
        metrics.laplacian_variance(torch.zeros(28, 28))


class PixelModel:
    """A stand-in CodeModel: the code is four pixels' values, decoding paints them."""

    def encode(self, x):
        return x.flatten(1)[:, :4]

    def decode(self, z):
        return z.mean(1)[:, None, None, None].expand(len(z), 1, 28, 28).clone()


def test_interpolation_walks_from_one_code_to_the_other():
    first, second = -torch.ones(3, 1, 28, 28), torch.ones(3, 1, 28, 28)
    path = aegan_tasks.interpolate(PixelModel(), first, second, steps=5)
    assert path.shape == (3, 5, 1, 28, 28)
    assert torch.allclose(path[:, :, 0, 0, 0], torch.linspace(-1, 1, 5).expand(3, 5))
    with pytest.raises(ValueError, match="at least 2"):
        aegan_tasks.interpolate(PixelModel(), first, second, steps=1)
    with pytest.raises(ValueError, match="the same shape"):
        aegan_tasks.interpolate(PixelModel(), first, second[:2])
