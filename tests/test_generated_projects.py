"""Representative generated projects install, lint clean and pass their own offline test suites."""

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, render, uv

REPRESENTATIVE = {
    "common-case": {"run_duration": "medium", "concurrency": "bursts", "gpu": "none"},
    "long-persistent": {"run_duration": "long", "state": "persistent", "user_facing": True},
    "gpu-embeddings-batch": {
        "gpu": "embeddings",
        "concurrency": "queue",
        "user_facing": False,
        "run_duration": "long",
    },
    "gpu-local-model-short": {"gpu": "local_model", "run_duration": "short"},
    "beam-batch": {"concurrency": "queue", "user_facing": False, "platform": "beam"},
    "beam-user-facing-short": {"platform": "beam", "run_duration": "short", "user_facing": True},
    "modal-hosted-tools": {"hosted_model_tools": True},
    "replicate-plain": {"platform": "replicate", "run_duration": "long"},
    "replicate-gpu-hosted-tools": {
        "gpu": "local_model",
        "hosted_model_tools": True,
        "user_facing": False,
    },
    "beam-batch-persistent": {
        "platform": "beam",
        "concurrency": "queue",
        "user_facing": False,
        "state": "persistent",
    },
    "replicate-persistent-hosted-tools": {
        "platform": "replicate",
        "state": "persistent",
        "hosted_model_tools": True,
    },
    "beam-hosted-tools": {"platform": "beam", "hosted_model_tools": True, "run_duration": "long"},
    "beam-gpu-embeddings": {
        "platform": "beam",
        "gpu": "embeddings",
        "concurrency": "queue",
        "user_facing": False,
    },
}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("generated")
    return {
        name: render(root / name, project_name=f"{name} agent", **answers)
        for name, answers in REPRESENTATIVE.items()
    }


@pytest.mark.generated
@pytest.mark.parametrize("name", REPRESENTATIVE)
def test_generated_project_passes_its_own_checks(projects: dict[str, Path], name: str) -> None:
    project = projects[name]

    steps = [
        ("sync", ("sync", "--quiet")),
        ("lint", ("run", "ruff", "check", ".")),
        ("format", ("run", "ruff", "format", "--check", ".")),
        ("test", ("run", "pytest", "-q", "-rs", "-p", "no:cacheprovider")),
    ]
    for step, args in steps:
        done = uv(*args, cwd=project)
        assert done.returncode == 0, (
            f"{name}: {step} failed\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
        )
    if shutil.which("redis-server"):
        assert "SKIPPED" not in done.stdout, f"{name}: tests were skipped\n{done.stdout[-2000:]}"


@pytest.mark.generated
def test_offered_models_are_known_to_the_pinned_sdk_and_not_deprecated(
    projects: dict[str, Path],
) -> None:
    project = projects["common-case"]
    script = (
        "import typing, anthropic.types, anthropic._data.deprecated_models as d, yaml, pathlib;"
        "offered = set(yaml.safe_load(pathlib.Path('offered.yml').read_text()));"
        "known = set(typing.get_args(typing.get_args(anthropic.types.ModelParam)[0]));"
        "print(sorted(offered - known), sorted(offered & set(d.DEPRECATED_MODELS)))"
    )
    offered = yaml.safe_load((ROOT / "copier.yml").read_text())["claude_model"]["choices"]
    (project / "offered.yml").write_text(yaml.safe_dump(list(offered.values())))

    done = uv("run", "python", "-c", script, cwd=project)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] []"
