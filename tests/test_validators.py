"""Answers that cannot work are refused with one line that says what to type instead."""

import tomllib
from pathlib import Path

import pytest
from conftest import render


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_name": ""}, "Type 1-40 characters"),
        ({"project_name": 'my "agent"'}, "Type 1-40 characters"),
        ({"project_name": "agent's"}, "Type 1-40 characters"),
        ({"project_name": "agent\u00e9"}, "Type 1-40 characters"),
        ({"project_name": "1agent"}, "Type 1-40 characters"),
        ({"package_name": "class"}, "is a Python keyword"),
        ({"package_name": "match"}, "is a Python keyword"),
        ({"package_name": "json"}, "would shadow the module"),
        ({"package_name": "asyncio"}, "would shadow the module"),
        ({"package_name": "modal"}, "would shadow the module"),
        ({"package_name": "anthropic"}, "would shadow the module"),
        ({"package_name": "My-Agent"}, "Type a lowercase Python identifier"),
        ({"package_name": "agent;rm"}, "Type a lowercase Python identifier"),
        ({"package_name": ""}, "Type a lowercase Python identifier"),
        ({"project_description": "  "}, "Type one non-empty line"),
        ({"project_description": "two\nlines"}, "Type one non-empty line"),
        ({"author_name": ""}, "Type your name"),
        ({"author_name": "bell\x07name"}, "Type your name"),
        ({"project_name": "agent\n"}, "Type 1-40 characters"),
        ({"package_name": "agent\n"}, "Type a lowercase Python identifier"),
        ({"author_email": "a@example.com\n"}, "Type an address like"),
        ({"package_name": "test"}, "would shadow the module"),
        ({"package_name": "fakes"}, "would shadow the module"),
        ({"package_name": "yaml"}, "would shadow the module"),
        ({"package_name": "idna"}, "would shadow the module"),
        ({"package_name": "cbor2"}, "would shadow the module"),
        ({"package_name": "dotenv"}, "would shadow the module"),
        ({"package_name": "python3"}, "would shadow the module"),
        ({"package_name": "activate"}, "would shadow the module"),
        ({"package_name": "test_cli"}, "would shadow the module"),
        ({"package_name": "crash_worker"}, "would shadow the module"),
        ({"author_email": "not-an-email"}, "Type an address like"),
        ({"author_email": "a..b@example.com"}, "Type an address like"),
        ({"author_email": ".a@-x-.com"}, "Type an address like"),
        ({"author_name": "A, B <c@d.e>"}, "without commas or angle brackets"),
        ({"author_email": 'a"b@example.com'}, "Type an address like"),
        ({"peak_concurrency": 0}, "Type a whole number from 1 to 10000"),
        ({"peak_concurrency": -5}, "Type a whole number from 1 to 10000"),
    ],
)
def test_impossible_answer_is_refused_with_one_line(
    tmp_path: Path, answers: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=r"Validation error|Invalid choice") as refused:
        render(tmp_path / "p", **answers)

    text = str(refused.value).split(": ", 1)[1].strip()
    assert message in text
    assert "\n" not in text
    assert not (tmp_path / "p" / "pyproject.toml").exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"run_duration": "forever"}, "Invalid choice"),
        ({"gpu": "tpu"}, "Invalid choice"),
        ({"tracing_exporter": "jaeger"}, "Invalid choice"),
        ({"claude_model": "claude-sonnet-4-5"}, "Invalid choice"),
        ({"claude_model": "claude-opus-4-5"}, "Invalid choice"),
    ],
)
def test_unknown_choices_are_refused(
    tmp_path: Path, answers: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        render(tmp_path / "p", **answers)


def test_quotes_and_unicode_in_free_text_render_valid_files(tmp_path: Path) -> None:
    description = 'Answers "hard" questions \\ with tools, naïvely — 日本語 and 🤖 too'

    project = render(
        tmp_path / "p",
        project_description=description,
        author_name='Zoë O\'Brien "ZB"',
    )

    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["description"] == description
    assert metadata["authors"][0]["name"] == 'Zoë O\'Brien "ZB"'
    assert description in (project / "README.md").read_text()
