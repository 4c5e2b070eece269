"""ONNX export of the zoo's generators and the classifier: what onnxruntime computes from the
exported files is what torch computes (the website's in-browser sliders run these files)."""
import json
import shutil

import numpy as np
import onnx                 # the book extra (torch.onnx.export needs it)
import onnxruntime as ort   # the test extra
import pytest
import torch

from gae_lib import export, zoo
from gae_lib.__main__ import main as cli
from gae_lib.priors import make_prior



# Generators of every layout the chapters use, each one a chapter's live sliders load: the
# DCGAN-28 (BatchNorm folded into the transposed convolutions on export) with a cube prior
# (the AE), its VAE, the MLP GAN, the linear VAE.
NAMES = ["favuzzi2019/ae", "favuzzi2019/vae", "wanare/mlp-gan", "wanare/linear-vae"]


@pytest.fixture(scope="module")
def exported():
    """The files the website serves (export.DEFAULT_OUT), as the chapters export them: an
    export is skipped when its file came from the same checkpoint, so the chapters' runs
    (which run beside the unit tests) find these and do not export them again."""
    out = export.DEFAULT_OUT
    return out, {name: export.export(name, out) for name in NAMES}


def run(path, name, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {name: x.numpy()})[0]


@pytest.mark.parametrize("name", NAMES)
def test_exported_generator_computes_what_torch_computes(exported, name):
    _, paths = exported
    model = zoo.load(name)
    dim = model["generator"].latent_dim
    z = make_prior(model.config.prior, dim).sample(16, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        expected = model["generator"](z).numpy()
    got = run(paths[name][0], "z", z)
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() <= 1e-4
    # BatchNorm is folded into the layers before it: nothing is left for the browser to do.
    ops = {node.op_type for node in onnx.load(str(paths[name][0])).graph.node}
    assert "BatchNormalization" not in ops and ops, ops


def test_exported_classifier_computes_what_torch_computes(exported):
    from gae_lib import data

    _, paths = exported
    x = data.tensors("mnist", "test", n=32)[0]
    with torch.no_grad():
        expected = zoo.load(export.CLASSIFIER)["classifier"](x).numpy()
    assert np.abs(run(paths[NAMES[0]][1], "image", x) - expected).max() <= 1e-4


def test_export_is_skipped_for_an_unchanged_checkpoint_and_redone_for_a_changed_one(
        exported, tmp_path):
    # A copy, not the website's folder: this test makes the stamp stale.
    path = export.onnx_path(tmp_path, NAMES[0], "generator")
    path.parent.mkdir(parents=True)
    for suffix in (".onnx", ".json"):
        shutil.copy2(exported[1][NAMES[0]][0].with_suffix(suffix), path.with_suffix(suffix))
    out, stamp = tmp_path, path.with_suffix(".json")
    assert json.loads(stamp.read_text())["checkpoint_sha256"] == export.checkpoint_digest(NAMES[0])
    before = path.stat().st_mtime_ns
    export.export_network(NAMES[0], "generator", out)
    assert path.stat().st_mtime_ns == before
    stamp.write_text(json.dumps({"checkpoint_sha256": "0" * 64}))
    export.export_network(NAMES[0], "generator", out)
    assert path.stat().st_mtime_ns != before
    assert json.loads(stamp.read_text())["checkpoint_sha256"] == export.checkpoint_digest(NAMES[0])
    # A truncated ONNX file under an up-to-date stamp is exported again, not trusted.
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    export.export_network(NAMES[0], "generator", out)
    onnx.load(str(path))   # whole again: the truncated copy does not parse
    assert json.loads(stamp.read_text())["onnx_sha256"] == zoo.sha256(path)


def test_unknown_model_or_network_is_named(tmp_path):
    with pytest.raises(ValueError, match="not in the zoo; expected one of"):
        export.export("favuzzi2019/nope", tmp_path)
    with pytest.raises(ValueError, match="has no 'generator' network"):
        export.export_network(export.CLASSIFIER, "generator", tmp_path)


def test_cli_export_prints_the_files(tmp_path, capsys):
    assert cli(["export", NAMES[1], "--out", str(tmp_path), "--no-classifier"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / f"{NAMES[1]}.generator.onnx")]
    # An unknown model, an old name, a folder that cannot be made: one line, exit code 1.
    assert cli(["export", "favuzzi2019/nope", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("error: 'favuzzi2019/nope' is not in the zoo")
    assert cli(["export", "dcgan", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the model 'dcgan' is now 'favuzzi2019/dcgan'") and \
        err.count("\n") == 1
    (tmp_path / "a-file").write_text("")
    assert cli(["export", NAMES[1], "--out", str(tmp_path / "a-file"), "--no-classifier"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "a-file" in err and err.count("\n") == 1
