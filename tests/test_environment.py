"""environment.yml (conda) and pyproject.toml declare the same dependencies; the disk the
tests that run the chapters need."""
import shutil
import tomllib

import yaml
from packaging.requirements import Requirement

from conftest import REPO, too_little_space

CONDA_NAMES = {"pytorch": "torch"}  # conda-forge name -> PyPI name


def normalise(spec: str) -> tuple[str, str]:
    req = Requirement(spec)
    name = req.name.lower().replace("_", "-")
    return CONDA_NAMES.get(name, name), str(req.specifier)


def pyproject_requirements() -> set[tuple[str, str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [s for extra in ("book", "test", "lab")
                                       for s in project["optional-dependencies"][extra]]
    return {normalise(s) for s in specs}


def conda_requirements() -> set[tuple[str, str]]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    return {normalise(s) for s in specs if normalise(s)[0] not in ("python", "pip")}


def test_environment_yml_and_pyproject_agree():
    pip, conda = pyproject_requirements(), conda_requirements()
    assert pip - conda == set(), "in pyproject.toml but not in environment.yml"
    assert conda - pip == set(), "in environment.yml but not in pyproject.toml"


def test_environment_yml_installs_the_package_itself():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def test_torch_is_bounded_below_only():
    # pip must be free to pick the torch build that is on the machine.
    for name, spec in pyproject_requirements():
        if name in ("torch", "torchvision"):
            assert spec.startswith(">=") and "," not in spec, (name, spec)


def test_a_full_disk_is_named_before_the_chapters_run(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    assert too_little_space([tmp_path], free // 2) is None
    problem = too_little_space([REPO, tmp_path], free + (1 << 40))
    assert problem.startswith(f"{REPO} has ") and "GB free" in problem and "TMPDIR" in problem
