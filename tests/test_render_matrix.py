"""Every profile combination renders a clean project: files parse, ruff passes, no Jinja left."""

import ast
import itertools
import json
import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import render

PROFILE_CHOICES = {
    "run_duration": ["short", "medium", "long"],
    "concurrency": ["bursts", "queue"],
    "gpu": ["none", "embeddings", "local_model"],
    "state": ["stateless", "persistent"],
    "user_facing": [True, False],
    "hosted_model_tools": [True, False],
}
PLATFORMS = ["modal", "beam", "replicate"]
COMBINATIONS = [
    dict(zip(PROFILE_CHOICES, values, strict=True), platform=platform)
    for platform in PLATFORMS
    for values in itertools.product(*PROFILE_CHOICES.values())
]
# Files only one platform may have: a project must not carry another platform's files.
PLATFORM_FILES = {
    "modal": ["src/{pkg}/modal_app.py", "tests/test_modal_app.py"],
    "beam": [
        "src/{pkg}/beam_app.py",
        "src/{pkg}/batch.py",
        "src/{pkg}/queued_runs.py",
        ".beamignore",
        "tests/test_beam_app.py",
        "tests/test_batch.py",
    ],
    "replicate": ["cog.yaml", "run.py", "tests/test_cog.py"],
}
COMMON_FILES = [
    ".copier-answers.yml", ".env", ".env.example", ".gitignore", ".pre-commit-config.yaml",
    ".github/workflows/ci.yml", ".github/workflows/deploy.yml",
    ".github/workflows/update-check.yml", "README.md", "pyproject.toml", "renovate.json",
    "src/{pkg}/tools/custom.py",
    "src/{pkg}/agent.py", "src/{pkg}/cli.py", "src/{pkg}/fake_claude.py", "src/{pkg}/prices.toml",
    "src/{pkg}/pricing.py", "src/{pkg}/runner.py", "src/{pkg}/settings.py", "src/{pkg}/tracing.py",
    "src/{pkg}/tools/__init__.py", "src/{pkg}/tools/examples.py", "src/{pkg}/tools/registry.py",
    "tests/conftest.py", "tests/test_agent_loop.py", "tests/test_cli.py", "tests/test_tracing.py",
]  # fmt: skip
# The longest names the validators allow, so no generated line outgrows the limit.
PROJECT = "A forty character project name for tests"
PACKAGE = "a_forty_character_package_name_for_tests"
LEFTOVER_JINJA = re.compile(r"(?<!\$)\{\{|\{%|%\}|\{#|#\}")


def label(combination: dict[str, object]) -> str:
    return "-".join(str(v) for v in combination.values())


def _render_one(root: Path, combination: dict[str, object]) -> Path:
    return render(
        root / label(combination), project_name=PROJECT, package_name=PACKAGE, **combination
    )


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("matrix")
    # Rendering is Jinja-bound (about 0.4 s a project); use every core.
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        paths = pool.map(_render_one, [root] * len(COMBINATIONS), COMBINATIONS)
        return {label(c): path for c, path in zip(COMBINATIONS, paths, strict=True)}


def test_matrix_covers_every_profile_combination() -> None:
    assert len(COMBINATIONS) == 3 * 2 * 3 * 2 * 2 * 2 * len(PLATFORMS)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=label)
def test_rendered_project_is_well_formed(
    projects: dict[str, Path], combination: dict[str, object]
) -> None:
    project = projects[label(combination)]
    files = [p for p in project.rglob("*") if p.is_file()]

    for path in files:
        text = path.read_text()
        assert not LEFTOVER_JINJA.search(text), f"Jinja left in {path.relative_to(project)}"
        if path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".py":
            ast.parse(text, filename=str(path))

    present = {str(p.relative_to(project)) for p in files}
    expected = {f.format(pkg=PACKAGE) for f in COMMON_FILES}
    assert expected <= present
    for platform, platform_files in PLATFORM_FILES.items():
        owned = {f.format(pkg=PACKAGE) for f in platform_files}
        if platform == combination["platform"]:
            assert owned <= present
        else:
            assert not owned & present
    # Beam's synchronous endpoints stop at about 180 s: only short runs get one there. On
    # Replicate, Cog's own HTTP server is the interface.
    has_web = combination["user_facing"] and (
        combination["platform"] == "modal"
        or (combination["platform"] == "beam" and combination["run_duration"] == "short")
    )
    assert (f"src/{PACKAGE}/web.py" in present) == has_web
    gpu = combination["gpu"] != "none"
    assert (f"src/{PACKAGE}/gpu_endpoint.py" in present) == (
        combination["platform"] == "beam" and gpu
    )
    gpu_model = {f"src/{PACKAGE}/gpu_model.py", "gpu_model/cog.yaml", "gpu_model/run.py"}
    assert (gpu_model <= present) == (combination["platform"] == "replicate" and gpu)
    assert not (gpu_model & present) or combination["platform"] == "replicate"
    state = {
        f"src/{PACKAGE}/state/store.py", f"src/{PACKAGE}/state/sqlite.py",
        f"src/{PACKAGE}/state/redis.py", f"src/{PACKAGE}/tools/memory.py",
        "tests/test_state.py", "tests/test_resume.py", "tests/test_crash.py",
    }  # fmt: skip
    persistent = combination["state"] == "persistent"
    assert (state <= present) == persistent
    assert not (state & present) or persistent
    assert (f"src/{PACKAGE}/state/modal_dict.py" in present) == (
        persistent and combination["platform"] == "modal"
    )
    assert (f"src/{PACKAGE}/state/beam_map.py" in present) == (
        persistent and combination["platform"] == "beam"
    )
    hosted = {f"src/{PACKAGE}/tools/replicate_models.toml", "tests/test_replicate_tools.py"}
    assert (hosted <= present) == combination["hosted_model_tools"]
    assert not (hosted & present) or combination["hosted_model_tools"]
    gpu_tool = {"embeddings": "similarity.py", "local_model": "local_model.py"}
    for gpu, name in gpu_tool.items():
        assert (f"src/{PACKAGE}/tools/{name}" in present) == (combination["gpu"] == gpu)


def test_every_rendered_project_is_ruff_clean(projects: dict[str, Path]) -> None:
    paths = [str(p) for p in projects.values()]
    # Each project's own pyproject.toml carries its ruff settings.
    check = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", *paths],
        capture_output=True,
        text=True,
        check=False,
    )

    assert check.returncode == 0, check.stdout[-3000:]
    assert formatted.returncode == 0, formatted.stdout[-3000:]
