"""The library's layers: measurements do not reach up into what uses them."""
import ast
import subprocess
import sys
from pathlib import Path

import gae_lib

LIBRARY = Path(gae_lib.__file__).parent
# What the metrics are computed with; everything else of gae_lib sits above them.
BELOW_METRICS = {"checks", "batching", "losses", "invert", "inference", "parallel", "masks",
                 "priors", "precision", "metrics"}


def imported_modules(path: Path) -> set[str]:
    """The gae_lib modules a file imports (relative imports resolved to their first part)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = (node.module or "").split(".")
            if node.level == 1 and path.parent.name == "metrics":
                found.add("metrics")
            elif node.module:
                found.add(parts[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gae_lib."):
            found.add(node.module.split(".")[1])
    return found


def test_metrics_import_nothing_from_above_them():
    for path in (LIBRARY / "metrics").glob("*.py"):
        above = imported_modules(path) - BELOW_METRICS
        assert not above, f"{path.name} imports {sorted(above)}"


def test_widgets_only_display_and_the_library_never_imports_the_book_chapters():
    for path in LIBRARY.rglob("*.py"):
        text = path.read_text()
        assert "sys.path.insert" not in text, path
    completion = (LIBRARY / "widgets" / "completion.py").read_text()
    assert "def complete(" not in completion   # completion is computed by gae_lib.invert


def test_importing_the_library_leaves_heavy_optional_modules_unloaded():
    # torchvision (which loads torch._dynamo), scikit-learn and scipy.stats cost about 4 s
    # at every chapter's and command's start on a 2-core CPU; they load where they are used.
    code = ("import sys; import gae_lib; from gae_lib import book, charts, data, encoders, "
            "metrics, plots, zoo, invert, widgets, snapshots, train; "
            "import gae_lib.widgets.static; "
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in "
            "('torchvision', 'sklearn') or m.startswith(('torch._dynamo', 'scipy.stats'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert not loaded, f"imported at start: {sorted(loaded)[:8]}"


def test_widgets_without_their_extra_name_what_to_install():
    code = ("import sys; sys.modules['plotly'] = None\n"
            "try:\n    import gae_lib.widgets\nexcept ImportError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "gae_lib.widgets needs ipywidgets and plotly (plotly is missing)" in out
    assert "pip install -e '.[book]'" in out
