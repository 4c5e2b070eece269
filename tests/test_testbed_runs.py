"""A document's collapse testbed runs (gae_lib.testbed_runs): kept with their settings and a
sha256, resumed where a sweep stopped, never silently mixed with runs of other settings; the
shipped runs are the ones the lazarou2022 module fixes; the live widget and its twin."""

import json

import pytest
import torch

from gae_lib import testbed_runs, toy2d
from gae_lib.documents import lazarou2022


@pytest.fixture
def small(monkeypatch):
    """lazarou2022's testbeds at 20 steps and two seeds, frames and coverage every 10."""
    monkeypatch.setattr(lazarou2022, "TESTBED_STEPS", 20)
    monkeypatch.setattr(lazarou2022, "TESTBED_SEEDS", (0, 1))
    monkeypatch.setattr(testbed_runs, "TRACK_EVERY", 10)
    monkeypatch.setattr(testbed_runs, "FRAME_EVERY", 10)


def test_a_sweep_records_every_run_and_resumes_where_it_stopped(small, tmp_path):
    lines = []
    first = testbed_runs.sweep("lazarou2022", seeds=[0], root=tmp_path, log=lines.append)
    assert len(first["runs"]) == 6 and len(lines) == 6        # 2 testbeds x 3 families
    framed = [r for r in first["runs"] if r["frames"]]
    assert {(r["testbed"], r["seed"]) for r in framed} == {("ring-8", 0)}
    assert [f["step"] for f in framed[0]["frames"]] == [0, 10, 20]
    assert len(framed[0]["frames"][0]["points"]) == testbed_runs.FRAME_POINTS
    assert [t["step"] for t in first["runs"][0]["track"]] == [10, 20]
    # the rest of the seeds, and nothing run twice
    lines.clear()
    both = testbed_runs.sweep("lazarou2022", root=tmp_path, log=lines.append)
    assert len(both["runs"]) == 12 and len(lines) == 6
    kept = {testbed_runs.key(r): r for r in both["runs"]}
    assert all(kept[testbed_runs.key(r)] == r for r in first["runs"])   # seed 0 kept as run
    assert testbed_runs.load("lazarou2022", tmp_path) == both
    lines.clear()
    testbed_runs.sweep("lazarou2022", root=tmp_path, log=lines.append)
    assert lines and "every run is there" in lines[0]


def test_a_damaged_or_foreign_result_file_is_refused(small, tmp_path, monkeypatch):
    testbed_runs.sweep("lazarou2022", seeds=[0], root=tmp_path, log=lambda _: None)
    path = tmp_path / "lazarou2022.json"
    text = path.read_text()
    path.write_text(text[:-10])
    with pytest.raises(testbed_runs.TestbedError, match="sha256 does not match"):
        testbed_runs.load("lazarou2022", tmp_path)
    path.write_text(text)
    monkeypatch.setattr(lazarou2022, "TESTBED_STEPS", 30)   # other settings now
    with pytest.raises(testbed_runs.TestbedError, match="other settings"):
        testbed_runs.sweep("lazarou2022", root=tmp_path, log=lambda _: None)
    with pytest.raises(testbed_runs.TestbedError, match="missing"):
        testbed_runs.load("lazarou2022", tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="fixes no collapse testbeds"):
        testbed_runs.settings_of("wanare")
    assert testbed_runs.main(["nosuchdocument", "--out", str(tmp_path)]) == 1


def test_the_summary_counts_collapsed_runs_by_the_fixed_threshold():
    runs = [{"testbed": "ring-8", "family": "aegan", "seed": s, "modes": m, "of": 8,
             "high_quality": q, "seconds": 1.0} for s, (m, q) in enumerate([(3, 0.5), (4, 0.7),
                                                                            (8, 0.9)])]
    result = {"settings": {"testbeds": ["ring-8"], "families": ["aegan"]}, "runs": runs}
    row = testbed_runs.summary(result, 0.5)["ring-8", "aegan"]
    assert row["collapsed"] == 1 and row["runs"] == 3          # 3 < 4; 4 is half: not collapsed
    assert row["modes"] == pytest.approx(5.0) and (row["modes_min"], row["modes_max"]) == (3, 8)
    assert row["high_quality"] == pytest.approx(0.7)
    with pytest.raises(ValueError, match="family: expected one of aegan"):
        testbed_runs.runs_of(result, "gan")


def test_the_shipped_runs_are_the_ones_the_document_fixes():
    result = testbed_runs.load("lazarou2022")
    settings = result["settings"]
    assert settings == testbed_runs.settings_of("lazarou2022")
    assert (settings["latent_dim"], settings["batch_size"]) == (32, 16)   # the paper's text
    assert sorted(testbed_runs.key(r) for r in result["runs"]) == sorted(
        testbed_runs.planned(settings))
    # equal budgets: every run the same steps, its record up to the last one
    assert {r["track"][-1]["step"] for r in result["runs"]} == {settings["steps"]}
    for r in result["runs"]:
        assert 0 <= r["modes"] <= r["of"] and sum(r["per_mode"]) == pytest.approx(
            r["high_quality"] * settings["samples"], abs=1)


def test_two_trainers_advanced_in_turn_give_what_each_gives_alone():
    alone = toy2d.ToyTrainer("aegan-gan", "ring-8", seed=2)
    alone.advance(30)
    gan, aegan = (toy2d.ToyTrainer(f, "ring-8", seed=2) for f in ("aegan-gan", "aegan"))
    for _ in range(3):
        gan.advance(10)
        aegan.advance(10)
    assert torch.equal(gan.samples(50), alone.samples(50)) and gan.steps == 30
    # and the same as train_run's loop
    assert torch.equal(toy2d.train_run("aegan-gan", "ring-8", 2, 30).samples(50),
                       alone.samples(50))


def test_the_training_widget_and_its_twin():
    from gae_lib import widgets

    w = widgets.TestbedTraining(steps=100)
    assert "after 0 steps" in w.captions["GAN"].value
    w.play.value = 40
    assert all(t.steps == 40 for t in w.trainers.values())
    assert "after 40 steps" in w.captions["AEGAN"].value
    assert bytes(w.panels["GAN"].value[:4]) == b"\x89PNG"
    w.restart()
    assert w.play.value == 0 and all(t.steps == 0 for t in w.trainers.values())
    result = testbed_runs.load("lazarou2022")
    ring = {r["family"]: r for r in result["runs"] if r["frames"]}
    fig = widgets.static.testbed_frames(ring, "ring-8", "Ring of 8")
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(ring["aegan"]["frames"]) and len(fig.data) == 3
    last = steps[-1].args[0]["x"][0]
    assert last == [p[0] for p in ring["aegan-gan"]["frames"][-1]["points"]]
    with pytest.raises(ValueError, match="recorded frames"):
        widgets.static.testbed_frames({"x": {"frames": []}}, "ring-8", "t")
    json.dumps(fig.to_plotly_json(), default=str)    # serialisable for the page
