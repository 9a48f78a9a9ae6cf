"""The recommended platform and its reason, for every branch of the decision rules."""

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml


def recommendation(project: Path) -> str:
    readme = (project / "README.md").read_text()
    return readme.split("**Recommended platform:** ", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize(
    ("profile", "platform", "because"),
    [
        ({}, "Modal", "a person waits for each answer"),
        ({"concurrency": "queue", "user_facing": False}, "Beam", "background batch work"),
        (
            {"concurrency": "queue", "user_facing": False, "peak_concurrency": 50},
            "Beam",
            "a peak of 50 runs is within",
        ),
        (
            {"concurrency": "queue", "user_facing": False, "peak_concurrency": 51},
            "Modal",
            "past the ~50",
        ),
        ({"concurrency": "queue", "user_facing": True}, "Modal", "a person waits"),
        ({"concurrency": "bursts", "user_facing": False}, "Modal", "handles bursts"),
        (
            {"gpu": "local_model", "hosted_model_tools": True, "user_facing": False},
            "Replicate",
            "model-heavy",
        ),
        ({"gpu": "local_model", "hosted_model_tools": True}, "Modal", "a person waits"),
        ({"hosted_model_tools": True, "user_facing": False}, "Modal", "handles bursts"),
    ],
)
def test_profile_gets_the_rule_based_recommendation(
    rendered: Callable[..., Path], profile: dict[str, object], platform: str, because: str
) -> None:
    project = rendered(**profile)

    text = recommendation(project)

    assert text.startswith(f"{platform}, because")
    assert because in text
    assert text.endswith(".")


def test_platform_default_follows_the_recommendation_when_it_is_available(
    rendered: Callable[..., Path],
) -> None:
    project = rendered()

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["platform"] == "modal"
    assert "You chose" not in (project / "README.md").read_text()


def test_readme_says_when_the_chosen_platform_differs(rendered: Callable[..., Path]) -> None:
    project = rendered(concurrency="queue", user_facing=False, platform="modal")

    readme = (project / "README.md").read_text()

    assert "**Recommended platform:** Beam" in readme
    assert "You chose **Modal** instead" in readme


def test_model_heavy_profile_defaults_to_a_cog_package(rendered: Callable[..., Path]) -> None:
    project = rendered(gpu="local_model", hosted_model_tools=True, user_facing=False)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["platform"] == "replicate"
    assert yaml.safe_load((project / "cog.yaml").read_text())["run"] == "run.py:Runner"
    assert (project / "gpu_model" / "cog.yaml").is_file()


def test_hosted_model_tools_alone_keep_the_agent_on_modal(rendered: Callable[..., Path]) -> None:
    project = rendered(hosted_model_tools=True)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["platform"] == "modal"
    assert "called as tools" in recommendation(project)
    assert (project / "src" / "demo_agent" / "tools" / "replicate_models.toml").is_file()


def test_batch_queue_profile_defaults_to_beam(rendered: Callable[..., Path]) -> None:
    project = rendered(concurrency="queue", user_facing=False)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["platform"] == "beam"
    assert (project / "src" / "demo_agent" / "beam_app.py").is_file()
    assert not (project / "src" / "demo_agent" / "modal_app.py").exists()


@pytest.mark.parametrize(
    ("profile", "model"),
    [
        ({}, "claude-sonnet-4-6"),
        ({"concurrency": "queue", "user_facing": False}, "claude-haiku-4-5"),
        ({"concurrency": "queue", "user_facing": True}, "claude-sonnet-4-6"),
    ],
)
def test_default_model_is_chosen_by_the_profile(
    rendered: Callable[..., Path], profile: dict[str, object], model: str
) -> None:
    project = rendered(**profile)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["claude_model"] == model
