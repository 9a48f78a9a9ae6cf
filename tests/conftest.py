"""Render the template from this working tree, isolated from the user's Copier settings."""

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import copier
import pytest
from uv import find_uv_bin

ROOT = Path(__file__).resolve().parent.parent

# Enough answers to render without prompting; tests override what they exercise.
BASE_ANSWERS = {"project_name": "demo agent"}


@pytest.fixture(autouse=True, scope="session")
def no_user_copier_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Copier would merge ~/.config/copier/settings.yml defaults into ours; point it elsewhere."""
    empty = tmp_path_factory.mktemp("copier-settings") / "settings.yml"
    empty.write_text("{}\n")
    os.environ["COPIER_SETTINGS_PATH"] = str(empty)


@functools.cache
def template_snapshot() -> Path:
    """The template as it is in the working tree, outside git, so copies take milliseconds.

    Copying from the git repository clones it every time (about 0.4 s); update tests that need
    tags and commits build their own clone.
    """
    snapshot = Path(tempfile.mkdtemp(prefix="agent-template-"))
    for name in ("copier.yml", "includes", "template"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, snapshot / name)
        else:
            shutil.copy2(source, snapshot / name)
    return snapshot


def render(destination: Path, **answers: object) -> Path:
    copier.run_copy(
        str(template_snapshot()),
        destination,
        data={**BASE_ANSWERS, **answers},
        defaults=True,
        quiet=True,
        settings=copier.Settings(),
        cleanup_on_error=False,
    )
    return destination


@pytest.fixture
def rendered(tmp_path: Path) -> Callable[..., Path]:
    def _render(**answers: object) -> Path:
        return render(tmp_path / "project", **answers)

    return _render


def uv(*args: str, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Runs the uv that this environment installed, with the project's own environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_PROJECT")}
    return subprocess.run(
        [find_uv_bin(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
