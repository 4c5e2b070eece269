"""The three widgets respond to every control position without an exception (driven from
Python, as JupyterLab drives them), and their kernel-free plotly twins move."""

import itertools
import json

import numpy as np
import pytest
import torch

from conftest import FAVUZZI_LINE_UP

from gae_lib import data, encoders, zoo
from gae_lib.masks import MASKS
from gae_lib.widgets import CompletionWidget, DecisionPlane, LatentSliders, static


@pytest.fixture(scope="module")
def models(cache):
    line_up = {k: v for k, v in FAVUZZI_LINE_UP.items() if k != "hybrid E_GD"}
    return encoders.line_up(line_up, invert=dict(steps=5, n_starts=20))


@pytest.fixture(scope="module")
def neural(models):
    return {k: models[k] for k in ("AE", "E_NN", "hybrid", "VAE")}


@pytest.fixture(scope="module")
def classifier(cache):
    return zoo.load("book/classifier")["classifier"]


@pytest.fixture(scope="module")
def digits(cache):
    return data.tensors("mnist", "test", n=40)[0]


def test_latent_sliders_every_control(neural, classifier, digits):
    w = LatentSliders(neural, classifier, digits, n_directions=3)
    seen = set()
    for model, start, basis in itertools.product(w.model.options, w.start.options, w.basis.options):
        w.model.value, w.start.value, w.basis.value = model, start, basis
        for index, first, offset in [(0, 0, -3.0), (w.index.max, w.first.max, 3.0)]:
            w.index.value, w.first.value = index, first
            for slider in w.offsets:
                slider.value = offset
            probs = [bar.value for bar in w.bars]
            assert sum(probs) == pytest.approx(1, abs=1e-4)
            seen.add(w.image.value)
    assert w.first.max == 99
    assert len(seen) > 20  # the picture follows the controls


def test_completion_every_mask_method_and_source(models, digits):
    letters = data.tensors("letters", "test", n=3)[0]
    w = CompletionWidget(models, {"digits": digits[:3], "letters": letters}, n_starts=50)
    w.steps.value = 10
    seen = set()
    for source, mask, method in itertools.product(
        w.source.options, w.mask.options, w.method.options
    ):
        w.source.value, w.mask.value, w.method.value = source, mask, method
        assert "MSE on the hidden pixels" in w.report.value
        seen.add(w.image.value)
    for steps in (w.steps.min, w.steps.max):
        w.steps.value = steps
    w.index.value = w.index.max
    assert len(seen) == len(w.source.options) * len(MASKS) * len(w.method.options)


def test_decision_plane_every_model_plane_and_extent(neural, classifier, digits):
    w = DecisionPlane(neural, classifier, digits, resolution=9)
    seen = set()
    for model, plane in itertools.product(w.model.options, w.plane.options):
        w.model.value, w.plane.value = model, plane
        for extent in (w.extent.min, w.extent.max):
            w.extent.value = extent
            seen.add(w.map.value)
    w.anchors[0].value = w.anchors[0].max
    w.seed.value = w.seed.max
    assert len(seen) == len(w.model.options) * len(w.plane.options) * 2


def frames_of(fig):
    return [np.asarray(step["args"][0]["z"][0]) for step in fig.layout.sliders[0].steps]


def test_static_latent_walk_has_a_different_frame_per_step(neural, digits):
    fig = static.latent_walk(neural, digits, n_directions=2, offsets=np.linspace(-2, 2, 5))
    frames = frames_of(fig)
    assert len(frames) == 5 and all(f.shape == frames[0].shape for f in frames)
    assert all(not np.allclose(a, b) for a, b in zip(frames, frames[1:]))
    assert np.allclose(fig.data[0].z, frames[0])


def test_static_completion_and_label_maps(models, neural, classifier, digits):
    fig, errors = static.completion_masks(models, digits[:2], list(MASKS[:3]), steps=5, n_starts=20)
    assert len(frames_of(fig)) == 3 and len(errors) == 9
    assert all(np.isfinite(v) and v >= 0 for v in errors.values())
    maps = static.label_maps(neural, classifier, digits, resolution=9)
    labels = frames_of(maps)
    assert len(labels) == len(neural)
    assert all(set(np.unique(f)) <= set(range(10)) for f in labels)


def test_plotly_output_needs_no_cdn(neural, classifier, digits):
    bundle = static.PlotlyFigure(
        static.label_maps(neural, classifier, digits, resolution=5)
    )._repr_mimebundle_()
    html = bundle["text/html"]
    assert "Plotly.newPlot" in html and "cdn.plot.ly" not in html and "<script src" not in html
    json.dumps(bundle["application/vnd.plotly.v1+json"])  # plain JSON for JupyterLab


def test_slider_figure_refuses_mismatched_labels():
    with pytest.raises(ValueError, match="expected one label per frame"):
        static.slider_figure([np.zeros((2, 2))], ["a", "b"], "s", "t")


def test_training_snapshots_every_model_and_epoch_and_its_twin(cache):
    from gae_lib.widgets import TrainingSnapshots

    shots = {name: zoo.snapshots(name) for name in ("wanare/mlp-gan-baseline", "wanare/linear-vae")}
    w = TrainingSnapshots(shots, {"wanare/linear-vae": {1: "after one epoch"}})
    seen = set()
    for name, grids in shots.items():
        w.model.value = name
        for epoch in grids:
            w.epoch.value = epoch
            assert f"after epoch {epoch}" in w.caption.value
            seen.add(w.image.value)
    assert len(seen) == sum(len(g) for g in shots.values())   # every snapshot shows itself
    fig = static.training_snapshots(shots["wanare/mlp-gan-baseline"], "t", {1: "first"})
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(shots["wanare/mlp-gan-baseline"]) and steps[0].label == "1"
    assert steps[0].args[1]["title.text"] == "t: epoch 1, first" == fig.layout.title.text
    assert len({s.args[0]["source"][0] for s in steps}) == len(steps)
    with pytest.raises(ValueError, match="at least one snapshot"):
        TrainingSnapshots({"empty": {}})


def test_codes_given_once_are_used_by_every_latent_widget_and_checked(neural, classifier, digits,
                                                                      monkeypatch):
    codes = {label: m.encode(digits) for label, m in neural.items()}
    expected = static.latent_walk(neural, digits, n_directions=2, offsets=[-1.0, 1.0])
    for m in neural.values():   # from here on, encoding again would fail the test
        monkeypatch.setattr(m, "encode", lambda x: pytest.fail("encoded again"))
    given = static.latent_walk(neural, digits, n_directions=2, offsets=[-1.0, 1.0], codes=codes)
    assert all(np.array_equal(a, b) for a, b in zip(frames_of(expected), frames_of(given)))
    w = LatentSliders(neural, classifier, digits, n_directions=2, codes=codes)
    w.model.value = "VAE"
    assert w.codes("VAE") is codes["VAE"]
    with pytest.raises(ValueError, match=r"codes\['AE'\]: expected the codes of the 40 images"):
        LatentSliders(neural, classifier, digits, codes={"AE": codes["AE"][:5]})


@pytest.fixture(scope="module")
def two_d(cache):
    return encoders.line_up({"AAE": ("neural", "makhzani2016/aae-gaussian-2d")})


def test_code_plane_every_control_and_a_jump_to_a_digit(two_d, classifier, digits, neural):
    from gae_lib.widgets import CodePlane

    labels = data.tensors("mnist", "test", n=40)[1]
    w = CodePlane(two_d, classifier, digits, labels, resolution=9)
    readings = set()
    for z1, z2 in itertools.product((-3.0, 0.0, 3.0), (-3.0, 3.0)):
        w.z[0].value, w.z[1].value = z1, z2
        assert w.plane.value and w.image.value
        readings.add(w.reading.value)
    assert len(readings) == 6
    w.digit.value = 5
    w.jump.click()
    code = two_d["AAE"].encode(digits[5:6])[0]
    assert abs(w.z[0].value - code[0]) < 0.05 and abs(w.z[1].value - code[1]) < 0.05
    assert f"z = ({w.z[0].value:.2f}, {w.z[1].value:.2f})" in w.reading.value
    with pytest.raises(ValueError, match="2-D codes"):
        CodePlane(neural, classifier, digits, labels)


def test_code_plane_twin_shows_the_decoded_image_of_each_grid_code(two_d, classifier, digits):
    import base64
    import io

    import torch
    from PIL import Image

    from gae_lib.widgets.code_plane import EXTENT, code_plane_figure

    labels = data.tensors("mnist", "test", n=40)[1]
    fig, script = code_plane_figure(two_d["AAE"], classifier, digits, labels, "AAE",
                                    n_jumps=5, resolution=9, image_side=5)
    assert "plotly_hover" in script and "{plot_id}" in script
    assert len(fig.layout.sliders[0].steps) == 5
    meta = fig.layout.meta
    png = base64.b64decode(meta["sprite"].split(",", 1)[1])
    sprite = torch.from_numpy(np.array(Image.open(io.BytesIO(png)))).float() / 127.5 - 1
    assert sprite.shape == (5 * 28, 5 * 28)
    i, j = 3, 1   # row i = 4th value of z2, column j = 2nd value of z1
    side = np.linspace(-EXTENT, EXTENT, 5)
    expected = two_d["AAE"].decode(torch.tensor([[side[j], side[i]]], dtype=torch.float32))[0, 0]
    tile = sprite[i * 28:(i + 1) * 28, j * 28:(j + 1) * 28]
    assert (tile - expected).abs().max() <= 1 / 127.5 + 1e-6
    html = static.PlotlyFigure(fig, script)._repr_mimebundle_()["text/html"]
    assert "plotly_hover" in html and "{plot_id}" not in html


@pytest.fixture(scope="module")
def three_decoders(cache):
    """lazarou2022's GAN (inverted), AAE and AEGAN: one prior, one latent size."""
    return encoders.line_up({"GAN": ("gradient-descent", "lazarou2022/gan-seed0"),
                             "AAE": ("neural", "lazarou2022/aae"),
                             "AEGAN": ("neural", "lazarou2022/aegan-seed0")},
                            invert=dict(steps=5, n_starts=20))


def test_same_code_sliders_every_start_and_coordinate(three_decoders, classifier, digits):
    from gae_lib.widgets import SameCodeSliders

    w = SameCodeSliders(three_decoders, classifier, digits, n_sliders=2, n_digits=5)
    seen = set()
    for start in w.start.options:
        w.start.value = start
        for index in (0, 3):
            w.index.value = index
            for first, offset in ((0, 0.0), (15, 2.5)):
                w.first.value, w.offsets[0].value = first, offset
                images = tuple(w.images[k].value for k in three_decoders)
                assert len(set(images)) == 3          # three generators, three images
                seen.add(images)
                assert all("reads" in w.labels[k].value for k in three_decoders)
    assert len(seen) == 4 * 2 * 2                     # every position shows something new
    # A test digit's code by one model is that model's encoding of that digit.
    w.start.value, w.index.value, w.offsets[0].value = "test digit, code by AAE", 3, 0.0
    assert torch.allclose(w.code(), three_decoders["AAE"].encode(digits[3:4])[0])
    with pytest.raises(ValueError, match="one latent size and one prior"):
        SameCodeSliders({"a": three_decoders["AAE"], "b": neural_stand_in()}, classifier, digits)


def neural_stand_in():
    return encoders.line_up({"AE": ("neural", "favuzzi2019/ae")})["AE"]


def test_same_code_twin_has_a_step_per_start(three_decoders, classifier, digits):
    fig = static.same_code(three_decoders, classifier, digits, digits=(0, 1))
    steps = fig.layout.sliders[0].steps
    assert len(steps) == 3 + 2 * 3                    # three prior seeds, two digits x three codes
    assert len({s.args[0]["source"][0] for s in steps}) == len(steps)
    assert steps[3].label == "#0 GAN" and "GAN" in steps[3].args[1]["title.text"]


def latent_size_data(sizes=(2, 8, 32)):
    """Two kinds of images and two families' reconstructions at three sizes, each
    reconstruction a different blend of the original and noise (so every MSE differs)."""
    g = torch.Generator().manual_seed(0)
    originals = {"digit": data.tensors("mnist", "test", n=3)[0],
                 "noise": torch.rand(4, 1, 28, 28, generator=g) * 2 - 1}
    recons = {family: {d: {k: (x * (1 - w) + w * torch.rand(x.shape, generator=g)).clamp(-1, 1)
                           for k, x in originals.items()}
                       for d, w in zip(sizes, (0.6, 0.3, 0.1))}
              for family in ("AE", "WGAN-GP")}
    return originals, recons


def test_latent_size_slider_every_control():
    from gae_lib.widgets import LatentSizeSlider
    from gae_lib.widgets.latent_size import mse

    originals, recons = latent_size_data()
    w = LatentSizeSlider(originals, recons)
    seen = set()
    for kind in ("digit", "noise"):
        w.kind.value = kind
        assert w.index.max == len(originals[kind]) - 1
        for index in (0, w.index.max):
            w.index.value = index
            for d in (2, 8, 32):
                w.size.value = d
                shown = tuple(w.images[f].value for f in recons)
                assert len(set(shown)) == 2 and shown not in seen
                seen.add(shown)
                one = slice(index, index + 1)
                error = mse(originals[kind][one], recons["AE"][d][kind][one])
                assert f"d = {d}: MSE {error.item():.4f}" in w.labels["AE"].value
    missing = {f: {d: dict(by_kind) for d, by_kind in by_size.items()}
               for f, by_size in recons.items()}
    del missing["AE"][8]["noise"]
    with pytest.raises(ValueError, match="reconstructions of 'noise'"):
        LatentSizeSlider(originals, missing)
    with pytest.raises(ValueError, match="latent sizes"):
        LatentSizeSlider(originals, {"AE": recons["AE"], "WGAN-GP": {2: recons["AE"][2]}})


def test_latent_size_twin_has_a_step_per_size():
    originals, recons = latent_size_data()
    fig = static.latent_sizes(originals, recons)
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["2", "8", "32"]
    assert len({s.args[0]["source"][0] for s in steps}) == 3
    title = steps[2].args[1]["title.text"]
    assert title.startswith("d = 32") and "AE: digit" in title and "WGAN-GP: digit" in title
