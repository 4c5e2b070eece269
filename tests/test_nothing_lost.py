"""Nothing shipped or committed is lost, whatever the command line says; bad input is one
sentence naming what was expected, not a traceback or a silent wrong number."""

import json
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

from conftest import REPO, cli_in_process as cli

from gae_lib import edition, reproduce, zoo
from gae_lib.book import toc_chapters
from gae_lib.checks import UnitRangeWarning, check_images
from gae_lib.config import Adam, TrainConfig
from gae_lib.documents import config as zoo_config
from gae_lib.files import FileFormatError, read_json
from gae_lib.invert import algorithm1, projected_adam
from gae_lib.metrics import mmd_squared, parzen_log_likelihood
from gae_lib.nets import Generator
from gae_lib.train import train

DATA = REPO / "data"


def digests(folder) -> dict:
    """Every file under ``folder`` (its lock files aside) -> sha256."""
    return {str(p.relative_to(folder)): zoo.sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


@pytest.fixture
def shipped_untouched():
    """Asserts, after the test, that the zoo and the references are byte-identical and that
    nothing new appeared in data/."""
    folders = (zoo.CHECKPOINTS, REPO / "book" / "reference")
    before = [digests(f) for f in folders], sorted(p.name for p in DATA.iterdir())
    yield
    assert ([digests(f) for f in folders], sorted(p.name for p in DATA.iterdir())) == before


def one_line_error(err: str) -> str:
    """The error a command printed, asserting it is a sentence and not a traceback."""
    assert "Traceback" not in err, err
    return err.strip().splitlines()[-1]


# -- 1. reproduce --write --------------------------------------------------------------------

def chapter_notebook(chapter: str, values: dict, parameters: dict | None = None) -> dict:
    """The chapter's code as an executed papermill run that glued ``values``."""
    notebook = edition.source_notebook(chapter)
    glued = [{"output_type": "display_data", "data": {
        "application/papermill.record/text/plain": repr(v)}, "metadata": {"scrapbook": {
            "name": k, "mime_prefix": "application/papermill.record/"}}} for k, v in values.items()]
    notebook["cells"].append({"cell_type": "code", "source": "", "metadata": {},
                              "outputs": glued, "execution_count": 1})
    notebook["metadata"]["papermill"] = {"parameters": parameters or {}, "exception": None,
                                         "duration": 1.0}
    return notebook


def reproduce_cli(*args) -> tuple[int | str, str]:
    try:
        return reproduce.main(list(args)), ""
    except SystemExit as exit_:
        return exit_.code, str(exit_.code)


def test_reproduce_write_needs_exactly_the_notebooks_chapter(tmp_path, capsys,
                                                             shipped_untouched):
    empty = tmp_path / "empty.ipynb"
    empty.write_text(json.dumps({"cells": [], "metadata": {}}))
    # No chapter named: it used to rewrite all six references from the one notebook.
    code, _ = reproduce_cli("--from-notebook", str(empty), "--write")
    assert code == 2 and "--from-notebook: expected exactly one chapter" in capsys.readouterr().err
    code, _ = reproduce_cli("book/intro", "book/latent-space-size", "--from-notebook",
                            str(empty), "--write")
    assert code == 2
    # An empty notebook, or another chapter's run, is not that chapter's.
    code, message = reproduce_cli("book/intro", "--from-notebook", str(empty), "--write")
    assert "only 0% of book/intro's code cells are in it" in message
    other = tmp_path / "other.ipynb"
    other.write_text(json.dumps(chapter_notebook("book/latent-space-size", {})))
    code, message = reproduce_cli("book/comparison-of-encodings", "--from-notebook", str(other),
                                  "--write", "--force")
    assert "a run of another chapter" in message
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    code, message = reproduce_cli("book/intro", "--from-notebook", str(broken), "--write")
    assert message.startswith(f"error: {broken}: not valid JSON")


def test_reproduce_write_takes_only_a_full_mode_run_that_keeps_the_values(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reproduce, "REFERENCES", tmp_path / "reference")
    (tmp_path / "reference").mkdir()
    path = tmp_path / "reference" / "intro.json"
    values = {f"v{i}": float(i) for i in range(20)}
    original = json.dumps({"chapter": "book/intro", "values": values})
    path.write_text(original)

    def write(notebook, *flags):
        nb = tmp_path / "run.ipynb"
        nb.write_text(json.dumps(notebook))
        return reproduce_cli("book/intro", "--from-notebook", str(nb), "--write", *flags)

    code, message = write(chapter_notebook("book/intro", values, {"QUICK": True}))
    assert 'not writing' in message and 'parameters {"QUICK": true}' in message
    assert path.read_text() == original
    failed = chapter_notebook("book/intro", values)
    failed["metadata"]["papermill"]["exception"] = True
    code, message = write(failed)
    assert "stopped at a failing cell" in message and path.read_text() == original
    no_papermill = chapter_notebook("book/intro", values)
    del no_papermill["metadata"]["papermill"]
    assert "not a papermill run" in write(no_papermill)[1]
    # 3 of 20 values gone (15% > 10%): refused; 2 of 20 (10%): a chapter's renames, written.
    code, message = write(chapter_notebook("book/intro", dict(list(values.items())[3:])))
    assert "it lacks 3 of the reference's 20 values" in message and path.read_text() == original
    code, _ = write(chapter_notebook("book/intro", dict(list(values.items())[2:])))
    assert code == 0 and len(json.loads(path.read_text())["values"]) == 18
    # --force writes what it is told, and says nothing is hidden: the run's values.
    code, _ = write(chapter_notebook("book/intro", {"only": 1.0}, {"QUICK": True}), "--force")
    assert code == 0 and json.loads(path.read_text())["values"] == {"only": 1.0}
    capsys.readouterr()


def test_reproduce_looks_for_the_reference_before_running_the_chapter(tmp_path, monkeypatch):
    monkeypatch.setattr(reproduce, "REFERENCES", tmp_path)
    monkeypatch.setattr(reproduce, "execute_full", lambda *a: pytest.fail("ran the chapter"))
    code, message = reproduce_cli("book/latent-space-size")
    assert message == f"{tmp_path / 'latent-space-size.json'}: no reference yet; run with " \
                      "--write first"
    (tmp_path / "latent-space-size.json").write_text('{"values": {"a": 1')   # truncated
    nb = tmp_path / "run.ipynb"
    nb.write_text(json.dumps(chapter_notebook("book/latent-space-size", {"a": 1})))
    code, message = reproduce_cli("book/latent-space-size", "--from-notebook", str(nb))
    assert "latent-space-size.json: not valid JSON" in message and "git checkout" in message


def private_zoo(tmp_path, monkeypatch, name="wanare/mlp-gan") -> tuple:
    """zoo.CHECKPOINTS made a folder holding a copy of one shipped model: (folder, files)."""
    root = tmp_path / "zoo"
    (root / name.split("/")[0]).mkdir(parents=True)
    files = [f"{name}.{s}" for s in ("json", "safetensors")]
    for f in files:
        shutil.copy2(zoo.CHECKPOINTS / f, root / f)
    (root / "manifest.json").write_text(json.dumps(
        {f: zoo.read_manifest(zoo.CHECKPOINTS)[f] for f in files}))
    monkeypatch.setattr(zoo, "CHECKPOINTS", root)
    return root, files


# -- 2. and 3. train --ship ------------------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (["--epochs", "0"], "argument --epochs: expected a whole number >= 1, got '0'"),
    (["--epochs", "-3"], "argument --epochs: expected a whole number >= 1, got '-3'"),
    (["--limit", "-5"], "argument --limit: expected a whole number >= 1, got '-5'"),
    (["--limit", "0"], "argument --limit: expected a whole number >= 1, got '0'"),
    (["--set", "batch_size=0"], "batch_size: expected a whole number >= 1, got 0"),
    (["--set", "name=../evil"], "the model's name cannot be changed"),
    (["--set", "family=nosuch"], "the model's family cannot be changed"),
    (["--set", "ship_dtype=float64"], "ship_dtype must be float32 or float16"),
    (["--set", "d_steps_per_g_step=many"], "expected an integer, got 'many'"),
    (["--force"], "--force only goes with --ship"),
])
def test_train_refuses_a_run_that_would_not_train(args, expected, tmp_path, capsys,
                                                  shipped_untouched):
    code, _, err = cli(capsys, "train", "favuzzi2019/dcgan", "--ship", "--no-evaluate",
                       "--out", str(tmp_path), *args) if args != ["--force"] else \
        cli(capsys, "train", "favuzzi2019/dcgan", "--out", str(tmp_path), *args)
    assert code == 2 and expected in one_line_error(err)
    assert not any(tmp_path.iterdir())


def test_a_non_finite_setting_is_refused(tmp_path, capsys):
    code, _, err = cli(capsys, "train", "favuzzi2019/vae", "--set", "pixel_sigma=nan",
                       "--out", str(tmp_path))
    assert code == 2 and "--set pixel_sigma=nan: expected a finite number" in err
    with pytest.raises(ValueError, match="expected a finite lr > 0"):
        Adam(lr=float("inf"))


@pytest.mark.parametrize("args,reason", [
    (["--epochs", "1"], "it trains 1 of the zoo's 5 epochs"),
    (["--limit", "384"], "it trains on 384 images only (--limit)"),
    (["--no-evaluate"], "it skips the final metrics (--no-evaluate)"),
])
def test_ship_refuses_a_run_that_is_not_the_zoos_before_training(args, reason, tmp_path,
                                                                 capsys, shipped_untouched):
    code, _, err = cli(capsys, "train", "favuzzi2019/dcgan", "--ship", "--out", str(tmp_path),
                       *args)
    line = one_line_error(err)
    assert code == 1 and line.startswith("error: --ship: not shipping this run over the "
                                         "shipped favuzzi2019/dcgan (5 epochs on 60,000 images")
    assert reason in line and "add --force to replace it anyway" in line
    assert not tmp_path.exists() or not any(tmp_path.iterdir())   # refused before training


def test_ship_force_replaces_and_says_what(tmp_path, monkeypatch, capsys, cache,
                                          shipped_untouched):
    root, _ = private_zoo(tmp_path, monkeypatch, "favuzzi2019/dcgan")
    code, out, err = cli(capsys, "train", "favuzzi2019/dcgan", "--epochs", "1", "--limit", "64",
                         "--set", "batch_size=32", "--no-evaluate", "--device", "cpu",
                         "--out", str(tmp_path / "run"), "--ship", "--force")
    assert code == 0, err
    assert ("--ship --force: this run will replace the shipped favuzzi2019/dcgan (5 epochs on "
            "60,000 images") in out and "it trains on 64 images only" in out
    assert zoo.load("favuzzi2019/dcgan", root=root).info["epochs"] == 1


def test_a_name_cannot_lead_out_of_the_checkpoint_folder(tmp_path, shipped_untouched):
    for name in ("../evil", "favuzzi2019/../../evil", "a/b/c", "Favuzzi2019/dcgan", ".x/y"):
        with pytest.raises(ValueError, match="expected a name DOCUMENT/MODEL"):
            TrainConfig(name, "gan")
        with pytest.raises(zoo.CheckpointError, match="expected a name DOCUMENT/MODEL"):
            zoo.save(name, {}, {}, tmp_path)
        with pytest.raises(zoo.CheckpointError):
            zoo.load(name)
    # A manifest entry can not send a read outside the folder either.
    with pytest.raises(zoo.CheckpointError, match="resolves outside the checkpoint folder"):
        zoo.verified_file(tmp_path, "../evil.json", "x/evil")
    assert not any(tmp_path.iterdir())
    with pytest.raises(zoo.CheckpointError, match=r"\['a'\]: expected a name"):
        zoo.load(["a"])


# -- 4. and 5. editions ----------------------------------------------------------------------

CHAPTERS = ["book/intro", "book/a-first-gan-and-vae"]


def test_two_edition_runs_at_once_leave_every_notebook_stamped(tmp_path, capsys):
    command = [sys.executable, "-m", "gae_lib.edition", "lab", *CHAPTERS, "--out", str(tmp_path)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert not any("kept your edited" in out for out, _ in outputs)
    stamps = json.loads((tmp_path / ".edition.json").read_text())
    assert sorted(stamps) == ["a-first-gan-and-vae.ipynb", "intro.ipynb"]
    assert all(zoo.sha256(tmp_path / n) == d for n, d in stamps.items())
    assert not list(tmp_path.glob("*.partial"))
    # Lost stamps (an older version's race left {}): a notebook equal to its new edition is
    # not a student's, so it is refreshed and stamped, not "kept".
    (tmp_path / ".edition.json").write_text("{}\n")
    assert edition.main(["lab", *CHAPTERS, "--out", str(tmp_path)]) == 0
    assert "kept" not in capsys.readouterr().out
    assert len(json.loads((tmp_path / ".edition.json").read_text())) == 2


def test_an_edition_run_that_fails_half_way_leaves_what_it_wrote_stamped(tmp_path, monkeypatch,
                                                                         capsys):
    real = edition.edition

    def third_fails(chapter, *args):
        if chapter == "book/comparison-of-encodings":
            raise edition.EditionError("the chapter cannot be rendered")
        return real(chapter, *args)

    monkeypatch.setattr(edition, "edition", third_fails)
    chapters = [*CHAPTERS, "book/comparison-of-encodings"]
    assert edition.main(["lab", *chapters, "--out", str(tmp_path)]) == 1
    assert "the chapter cannot be rendered" in capsys.readouterr().err
    assert sorted(json.loads((tmp_path / ".edition.json").read_text())) == [
        "a-first-gan-and-vae.ipynb", "intro.ipynb"]
    monkeypatch.setattr(edition, "edition", real)
    assert edition.main(["lab", *CHAPTERS, "--out", str(tmp_path)]) == 0
    assert "kept" not in capsys.readouterr().out


def test_a_damaged_stamp_file_or_reference_is_named(tmp_path, monkeypatch, capsys):
    (tmp_path / ".edition.json").write_text('{"intro.ipynb": "ab')
    assert edition.main(["lab", "book/intro", "--out", str(tmp_path)]) == 1
    err = one_line_error(capsys.readouterr().err)
    assert f"{tmp_path / '.edition.json'}: not valid JSON" in err and "delete it" in err
    monkeypatch.setattr(reproduce, "REFERENCES", tmp_path)
    (tmp_path / "intro.json").write_text('{"values": ')
    with pytest.raises(edition.EditionError, match="intro.json: not valid JSON"):
        edition.edition("book/intro")


# -- every read verifies -------------------------------------------------------------------

def test_the_zoo_listing_verifies_what_it_prints(tmp_path, monkeypatch, capsys):
    root, files = private_zoo(tmp_path, monkeypatch)
    code, out, _ = cli(capsys, "zoo")
    assert code == 0 and "mlp-gan" in out
    forged = json.loads((root / files[0]).read_text())
    forged["epochs"] = 100
    (root / files[0]).write_text(json.dumps(forged))
    code, out, err = cli(capsys, "zoo")
    assert code == 1 and "100 epochs" not in out
    assert "does not match the manifest's" in one_line_error(err)
    (root / "manifest.json").write_text('{"wanare/mlp-gan.json": ')   # truncated
    code, _, err = cli(capsys, "zoo")
    assert code == 1 and f"{root / 'manifest.json'}: not valid JSON" in one_line_error(err)
    with pytest.raises(zoo.CheckpointError, match="manifest.json: not valid JSON"):
        zoo.load("wanare/mlp-gan", root=root)


def test_resume_problems_are_one_sentence_naming_the_run(tmp_path, capsys, cache):
    run = tmp_path / "run"
    args = ["train", "favuzzi2019/ae", "--limit", "64", "--set", "batch_size=32",
            "--no-evaluate", "--device", "cpu", "--out", str(run)]
    code, _, err = cli(capsys, *args, "--resume")
    assert code == 1 and f"no run to resume in {run}" in one_line_error(err)
    assert cli(capsys, *args, "--epochs", "1")[0] == 0
    code, _, err = cli(capsys, *args, "--epochs", "2", "--resume", "--set", "batch_size=16")
    assert code == 1 and "trained with another configuration (differs in batch_size)" in \
        one_line_error(err)
    state = run / "state.json"
    state.write_text(state.read_text()[:100])
    code, _, err = cli(capsys, *args, "--epochs", "2", "--resume")
    assert code == 1 and f"{state}: not valid JSON" in one_line_error(err)


def test_train_zoo_with_a_misspelt_document_names_the_known_ones(capsys):
    code, _, err = cli(capsys, "train-zoo", "favuzi2019")
    assert code == 2 and "unknown document 'favuzi2019'; expected one of book, favuzzi2019" in \
        one_line_error(err)


def test_json_read_back_names_its_file(tmp_path):
    with pytest.raises(FileFormatError, match=f"{tmp_path / 'x.json'}: file is missing; fix"):
        read_json(tmp_path / "x.json", "fix")


# -- silent wrong numbers ----------------------------------------------------------------------

GENERATOR = Generator(latent_dim=3).eval()


def test_inverters_take_float64_and_numpy_images():
    x = torch.rand(2, 1, 28, 28, dtype=torch.float64) * 2 - 1
    reference = algorithm1(GENERATOR, x.float(), steps=2, n_starts=4).loss
    for images in (x, x.numpy()):
        found = algorithm1(GENERATOR, images, steps=2, n_starts=4)
        assert found.loss.dtype == torch.float32
        assert torch.allclose(found.loss, reference, rtol=1e-4)


def test_an_inverter_refuses_a_generator_of_the_other_prior():
    cube = zoo.load("favuzzi2019/dcgan").generator
    x = torch.rand(1, 1, 28, 28) * 2 - 1
    with pytest.raises(ValueError, match="trained on 'uniform-cube'; use "
                                         r"invert.inverter_for\('uniform-cube'\)"):
        projected_adam(cube, x, steps=1, n_starts=2)
    gaussian = zoo.load("latentspace2020/wgan-gp-z8").generator
    with pytest.raises(ValueError, match="got one trained on 'standard-gaussian'"):
        algorithm1(gaussian, x, steps=1, n_starts=2)
    with pytest.raises(ValueError, match="expected a finite positive learning rate"):
        algorithm1(cube, x, steps=1, n_starts=2, lr=float("inf"))


def test_images_in_0_1_are_named_as_the_likely_mistake():
    digits = torch.zeros(2, 1, 28, 28)
    digits[:, :, 10:18, 12:16] = 1.0        # a [0, 1] digit: background 0
    with pytest.warns(UnitRangeWarning, match=r"Images in \[0, 1\]\? map them with x \* 2 - 1"):
        check_images(digits)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_images(digits * 2 - 1)                  # mapped: no warning
        check_images(torch.full((3, 1, 28, 28), 0.6))  # constant grey images may be anywhere
    with pytest.raises(ValueError, match=r"images in \[0, 255\]\? map them with "
                                         r"gae_lib.data.to_signed.*images in \[0, 1\]\?"):
        check_images(digits * 255)


def test_non_finite_kernel_widths_are_refused_and_one_width_is_a_width():
    x, y = torch.randn(20, 2), torch.randn(20, 2)
    for bad in (float("nan"), float("inf"), [0.5, float("nan")], [], -1.0):
        with pytest.raises(ValueError, match="expected finite positive widths"):
            mmd_squared(x, y, bad)
    assert mmd_squared(x, y, 0.5) == pytest.approx(mmd_squared(x, y, [0.5]))
    images = torch.rand(6, 1, 28, 28) * 2 - 1
    for bad in ([float("nan")], [float("inf")], [0.1, float("-inf")]):
        with pytest.raises(ValueError, match="expected finite positive kernel widths"):
            parzen_log_likelihood(images, images, images, sigmas=bad)
    assert np.isfinite(parzen_log_likelihood(images, images, images, sigmas=[0.3]).mean)


def test_config_refuses_counts_below_one():
    cfg = zoo_config("favuzzi2019/dcgan")
    for field in ("epochs", "batch_size"):
        with pytest.raises(ValueError, match=f"{field}: expected a whole number >= 1"):
            cfg.with_(**{field: 0})
    with pytest.raises(ValueError, match="limit: expected a whole number >= 1, got 0"):
        train(cfg, "unused", limit=0)


@pytest.mark.parametrize("chapter", [c for c in toc_chapters() if c != "book/intro"])
def test_no_chapter_is_warned_of_images_in_0_1(chapter, executed_chapter):
    # The warning is for a student's [0, 1] batch: the book's own images never draw it.
    shown = [out.get("text", "") for cell in executed_chapter(chapter)["cells"]
             for out in cell.get("outputs", []) if out.get("output_type") == "stream"]
    warned = [t for t in shown if "UnitRangeWarning" in "".join(t)]
    assert not warned, warned[0]
