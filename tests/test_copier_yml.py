"""copier.yml itself: every question is well formed, and the template stays safe to copy."""

from pathlib import Path

import yaml
from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "copier.yml").read_text())
QUESTION_KEYS = {"type", "help", "default", "choices", "validator", "when", "secret", "placeholder"}
QUESTIONS = {k: v for k, v in CONFIG.items() if not k.startswith("_")}
PUBLIC_ANSWERS = [
    "project_name", "package_name", "project_description", "author_name", "author_email",
    "run_duration", "concurrency", "gpu", "state", "user_facing", "hosted_model_tools",
    "peak_concurrency", "platform", "claude_model", "tracing_exporter",
]  # fmt: skip


def test_every_question_has_a_type_help_and_default() -> None:
    for name, question in QUESTIONS.items():
        assert isinstance(question, dict), name
        unknown = set(question) - QUESTION_KEYS
        assert not unknown, f"{name}: unknown keys {unknown}"
        assert {"type", "default"} <= set(question), name
        if question.get("when") is not False:
            assert question.get("help"), f"{name} has no help"


def test_public_answer_names_are_the_asked_questions() -> None:
    asked = [name for name, q in QUESTIONS.items() if q.get("when") is not False]

    assert asked == PUBLIC_ANSWERS


def test_choice_defaults_are_choice_values() -> None:
    for name, question in QUESTIONS.items():
        choices = question.get("choices")
        if choices and "{{" not in str(question["default"]):
            values = [c["value"] if isinstance(c, dict) else c for c in choices.values()]
            assert question["default"] in values, name


def test_plain_copy_needs_no_trust() -> None:
    assert "_tasks" not in CONFIG
    assert "_jinja_extensions" not in CONFIG
    major, minor = (int(part) for part in CONFIG["_min_copier_version"].split(".")[:2])
    assert (major, minor) >= (9, 11)


def test_answers_file_keeps_its_default_name_at_the_root() -> None:
    assert "_answers_file" not in CONFIG
    assert (ROOT / "template" / "{{ _copier_conf.answers_file }}.jinja").is_file()


def test_template_paths_hold_no_double_quotes() -> None:
    paths = [p.relative_to(ROOT) for p in (ROOT / "template").rglob("*")]

    assert not [p for p in paths if '"' in str(p)]


def test_includes_live_outside_the_rendered_tree() -> None:
    assert (ROOT / "includes" / "profile.jinja").is_file()
    assert not list(Path(ROOT / "template").rglob("includes"))
