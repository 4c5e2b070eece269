"""Training on a collapse testbed, watched: two families (a GAN and an AEGAN by default)
trained side by side on the ring of eight Gaussians, a few steps per frame, each frame their
samples over the mixture's modes (``gae_lib.toy2d``).  Its kernel-free twin
(``static.testbed_frames``) replays the frames a recorded run drew."""
from __future__ import annotations

import io

import ipywidgets as W
import torch
from PIL import Image, ImageDraw

from .. import toy2d

SIZE = 260          # pixels a panel
SHOWN = 500         # samples drawn a frame
SPAN = {"ring-8": 1.5, "grid-25": 5.5}   # half the width of the plotted square


def panel_png(points: torch.Tensor, testbed: str, size: int = SIZE) -> bytes:
    """The mixture's modes (grey rings of 3 standard deviations: high quality inside) and the
    samples (blue dots) as a PNG; points outside the square are drawn at its edge."""
    means, std = toy2d.mixture(testbed)
    span = SPAN[testbed]
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size - 1, size - 1), outline="#cccccc")

    def pixel(xy):
        x, y = (min(max(float(v), -span), span) for v in xy)
        return (x + span) / (2 * span) * (size - 1), (span - y) / (2 * span) * (size - 1)

    radius = max(toy2d.WITHIN * std / (2 * span) * size, 3)
    for m in means:
        cx, cy = pixel(m)
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline="#999999",
                     width=2)
    for p in points.tolist():
        x, y = pixel(p)
        draw.ellipse((x - 1.5, y - 1.5, x + 1.5, y + 1.5), fill="#1f77b4")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class TestbedTraining:
    """Press play: each frame trains every family ``steps per frame`` more steps (the same
    seed, the document's settings) and redraws their samples, with the modes covered and the
    high-quality share by the papers' rule.  ``families``: label -> family name."""

    def __init__(self, families: dict[str, str] | None = None, testbed: str = "ring-8",
                 seed: int = 0, steps: int = 10_000):
        self.families = families or {"GAN": "aegan-gan", "AEGAN": "aegan"}
        self.testbed, self.seed, self.total = testbed, seed, steps
        toy2d.mixture(testbed)
        self.play = W.Play(value=0, min=0, max=steps, step=20, interval=150,
                           description="train")
        self.per_frame = W.IntSlider(value=20, min=1, max=200, description="steps/frame")
        self.reset_button = W.Button(description="restart")
        self.panels = {label: W.Image(format="png") for label in self.families}
        self.captions = {label: W.HTML() for label in self.families}
        self.per_frame.observe(lambda change: setattr(self.play, "step", change["new"]),
                               names="value")
        self.play.observe(lambda _: self.refresh(), names="value")
        self.reset_button.on_click(lambda _: self.restart())
        self.restart()

    def restart(self) -> None:
        self.trainers = {label: toy2d.ToyTrainer(family, self.testbed, self.seed)
                         for label, family in self.families.items()}
        if self.play.value:
            self.play.value = 0      # refreshes
        else:
            self.refresh()

    def refresh(self) -> None:
        for label, trainer in self.trainers.items():
            trainer.advance(max(self.play.value - trainer.steps, 0))
            c = toy2d.coverage(trainer.samples(), self.testbed)
            self.panels[label].value = panel_png(trainer.samples(SHOWN, seed=1), self.testbed)
            self.captions[label].value = (f"<b>{label}</b> after {trainer.steps:,} steps: "
                                          f"{c.modes} of {c.of} modes, "
                                          f"{c.high_quality:.0%} high quality")

    def widget(self) -> W.Widget:
        columns = [W.VBox([self.captions[label], self.panels[label]]) for label in self.panels]
        return W.VBox([W.HBox([self.play, self.per_frame, self.reset_button]),
                       W.HBox(columns)])

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget())


def testbed_frames(runs: dict[str, dict], testbed: str, title: str):
    """The kernel-free twin: a plotly figure, one panel per recorded run (label -> a run of
    ``gae_lib.testbed_runs`` with frames), a slider over the recorded steps.  Each step
    swaps the points of every panel and names each run's modes covered at that step (from
    the run's coverage record, where it has that step)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    if not runs or not all(run.get("frames") for run in runs.values()):
        raise ValueError("runs: expected {label: run} with recorded frames (gae_lib."
                         "testbed_runs keeps them for the first seed on the first testbed)")
    steps = [f["step"] for f in next(iter(runs.values()))["frames"]]
    if any([f["step"] for f in run["frames"]] != steps for run in runs.values()):
        raise ValueError("runs: expected frames at the same steps in every run")
    means, std = toy2d.mixture(testbed)
    span = SPAN[testbed]
    fig = make_subplots(1, len(runs), subplot_titles=list(runs), horizontal_spacing=0.06)
    for i, (label, run) in enumerate(runs.items(), 1):
        first = run["frames"][0]["points"]
        fig.add_trace(go.Scatter(x=[p[0] for p in first], y=[p[1] for p in first],
                                 mode="markers", marker=dict(size=4, color="#1f77b4"),
                                 name=label, hoverinfo="skip"), 1, i)
        for m in means.tolist():
            r = toy2d.WITHIN * std
            fig.add_shape(type="circle", x0=m[0] - r, x1=m[0] + r, y0=m[1] - r, y1=m[1] + r,
                          line=dict(color="#999999", width=2), row=1, col=i)
        fig.update_xaxes(range=[-span, span], row=1, col=i, showticklabels=False)
        fig.update_yaxes(range=[-span, span], row=1, col=i, showticklabels=False,
                         scaleanchor=f"x{i if i > 1 else ''}")

    def caption(step: int) -> str:
        parts = []
        for label, run in runs.items():
            at = {t["step"]: t for t in run["track"]}.get(step)
            parts.append(f"{label} {at['modes']}/{len(means)} modes" if at else label)
        return f"{title}: step {step:,} ({'; '.join(parts)})"

    def coordinate(k: int, axis: int) -> list[list[float]]:
        return [[p[axis] for p in run["frames"][k]["points"]] for run in runs.values()]

    slider = [dict(method="update", label=f"{s:,}",
                   args=[{"x": coordinate(k, 0), "y": coordinate(k, 1)},
                         {"title.text": caption(s)}, list(range(len(runs)))])
              for k, s in enumerate(steps)]
    fig.update_layout(title=dict(text=caption(steps[0]), font_size=14), height=380,
                      showlegend=False, margin=dict(l=10, r=10, t=70, b=10),
                      sliders=[dict(active=0, steps=slider, currentvalue=dict(prefix="step: "),
                                    pad=dict(t=20))])
    return fig
