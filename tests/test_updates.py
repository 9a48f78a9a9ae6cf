"""`copier update` for life: from the previous release to this one, with and without user edits,
and with changed answers. Every update must leave no .rej file and nothing unmerged, keep what
the user wrote, and otherwise equal a fresh copy.

The template is cloned into a temporary repository with two synthetic releases: v0.1.0, an
older state of the template (made from the working tree by `make_previous_release`), and
v0.2.0, the working tree itself.
"""

import filecmp
import re
import shutil
import subprocess
from pathlib import Path

import copier
import pytest
import yaml
from conftest import ROOT, uv

PLATFORMS = ["modal", "beam", "replicate"]
PACKAGE = "update_agent"
BASE = {"project_name": "update agent"}
CONFLICT_MARKER = re.compile(r"^(<<<<<<<|>>>>>>>) ", re.MULTILINE)


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1))


def make_previous_release(template: Path) -> None:
    """Turns the template back into a plausible previous release: other words in files users
    edit too, an older pin, and no update-check workflow yet."""
    package = template / "template" / "src" / "{{ package_name }}"
    edit(
        package / "agent.py.jinja",
        "one run of the agent, from task to answer, within its limits.",
        "one agent run, from task to answer.",
    )
    edit(
        template / "template" / "README.md.jinja",
        "Conflicts show as inline markers;",
        "Conflicts are shown inline;",
    )
    edit(template / "template" / "pyproject.toml.jinja", '"typer==0.29.1"', '"typer==0.29.0"')
    (template / "template" / ".github" / "workflows" / "update-check.yml").unlink()


def template_repository(clone: Path) -> Path:
    """The template's files from the working tree, in a new git repository with no commit."""
    for name in ("copier.yml", "includes", "template", "hooks"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy2
        copy(source, clone / name)
    git("init", "-q", "-b", "main", cwd=clone)
    return clone


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A clone of the template with tags v0.1.0 (previous) and v0.2.0 (this working tree)."""
    clone = template_repository(tmp_path_factory.mktemp("template-releases"))
    make_previous_release(clone)
    git("add", "-A", cwd=clone)
    git("commit", "-qm", "previous release", cwd=clone)
    git("tag", "v0.1.0", cwd=clone)
    shutil.rmtree(clone / "template")
    shutil.copytree(ROOT / "template", clone / "template")
    git("add", "-A", cwd=clone)
    git("commit", "-qm", "this release", cwd=clone)
    git("tag", "v0.2.0", cwd=clone)
    return str(clone)


def generate(src: str, destination: Path, ref: str, **answers: object) -> Path:
    copier.run_copy(
        src,
        destination,
        data={**BASE, **answers},
        vcs_ref=ref,
        defaults=True,
        quiet=True,
        settings=copier.Settings(),
    )
    git("init", "-q", "-b", "main", cwd=destination)
    git("add", "-A", cwd=destination)
    git("commit", "-qm", "generated", cwd=destination)
    return destination


def update(project: Path, ref: str = "v0.2.0", **answers: object) -> None:
    copier.run_update(
        project,
        data=answers,
        vcs_ref=ref,
        defaults=True,
        overwrite=True,
        quiet=True,
        skip_answered=True,
        settings=copier.Settings(),
    )


def user_edits(project: Path) -> None:
    """What a team changes after generating: the README, a constant in the agent loop, the
    system prompt, and a tool of its own."""
    package = project / "src" / PACKAGE
    with (project / "README.md").open("a") as readme:
        readme.write("\n## Our runbook\n\nPage the on-call agent owner before a deploy.\n")
    edit(package / "agent.py", "MIN_TURN_S = 2.0", "MIN_TURN_S = 3.0")
    edit(package / "settings.py", "You are a careful assistant.", "You are our billing assistant.")
    edit(
        package / "tools" / "custom.py",
        "CUSTOM_TOOLS: list[Tool] = []",
        "@tool\n"
        "def shout(text: str) -> str:\n"
        '    """Repeats a text in capitals."""\n'
        "    return text.upper()\n"
        "\n\n"
        "CUSTOM_TOOLS: list[Tool] = [shout]",
    )


def commit_all(project: Path, message: str) -> None:
    git("add", "-A", cwd=project)
    git("commit", "-qm", message, "--allow-empty", cwd=project)


def assert_clean_merge(project: Path) -> None:
    assert not list(project.rglob("*.rej")), "copier left .rej files"
    status = git("status", "--porcelain", cwd=project)
    unmerged = [line for line in status.splitlines() if line[:2] in ("UU", "AA", "DU", "UD")]
    assert not unmerged, status
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            assert not CONFLICT_MARKER.search(path.read_text(errors="replace")), path


def assert_same_tree(actual: Path, expected: Path) -> None:
    """Same files with the same content, but for git's own folder and the recorded commit."""

    def files(root: Path) -> set[str]:
        return {
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and ".git" not in p.relative_to(root).parts
        }

    assert files(actual) == files(expected)
    different = [
        name
        for name in files(actual)
        if name != ".copier-answers.yml"
        and not filecmp.cmp(actual / name, expected / name, shallow=False)
    ]
    assert not different, different
    answers = [
        yaml.safe_load((root / ".copier-answers.yml").read_text()) for root in (actual, expected)
    ]
    for found in answers:
        found.pop("_commit")
        found.pop("_src_path")
    assert answers[0] == answers[1]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_update_without_edits_equals_a_fresh_copy(
    releases: str, tmp_path: Path, platform: str
) -> None:
    project = generate(releases, tmp_path / "project", "v0.1.0", platform=platform)
    assert not (project / ".github" / "workflows" / "update-check.yml").exists()

    update(project)

    assert_clean_merge(project)
    fresh = generate(releases, tmp_path / "fresh", "v0.2.0", platform=platform)
    assert_same_tree(project, fresh)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_update_keeps_the_users_edits_and_brings_the_templates(
    releases: str, tmp_path: Path, platform: str
) -> None:
    project = generate(releases, tmp_path / "project", "v0.1.0", platform=platform)
    user_edits(project)
    commit_all(project, "our changes")

    update(project)

    assert_clean_merge(project)
    fresh = generate(releases, tmp_path / "fresh", "v0.2.0", platform=platform)
    user_edits(fresh)
    assert_same_tree(project, fresh)  # every edit kept, every template change brought in


ANSWER_CHANGES: list[tuple[str, list[dict[str, object]]]] = [
    ("platform", [{"platform": "modal"}, {"platform": "beam"}, {"platform": "replicate"}]),
    ("state", [{"state": "stateless"}, {"state": "persistent"}]),
    ("gpu", [{"gpu": "none"}, {"gpu": "embeddings"}]),
]


@pytest.mark.parametrize(("name", "steps"), ANSWER_CHANGES, ids=[n for n, _ in ANSWER_CHANGES])
def test_changing_an_answer_equals_a_fresh_copy_with_the_new_answers(
    releases: str, tmp_path: Path, name: str, steps: list[dict[str, object]]
) -> None:
    answers = dict(steps[0])
    project = generate(releases, tmp_path / "project", "v0.2.0", **answers)
    user_edits(project)
    commit_all(project, "our changes")

    for n, change in enumerate(steps[1:], start=1):
        answers.update(change)
        update(project, **change)
        assert_clean_merge(project)
        commit_all(project, f"update {n}")

        fresh = generate(releases, tmp_path / f"fresh-{n}", "v0.2.0", **answers)
        user_edits(fresh)
        assert_same_tree(project, fresh)


def test_update_leaves_the_lock_alone_and_the_lock_check_catches_the_new_pins(
    releases: str, tmp_path: Path
) -> None:
    project = generate(releases, tmp_path / "project", "v0.1.0")
    assert uv("lock", "--quiet", cwd=project).returncode == 0
    commit_all(project, "lock")
    lock_before = (project / "uv.lock").read_text()

    update(project)
    lock_after_update = (project / "uv.lock").read_text()
    stale = uv("lock", "--check", cwd=project)
    relocked = uv("lock", "--quiet", cwd=project)

    assert lock_after_update == lock_before  # copier never renders, merges or half-merges it
    assert stale.returncode != 0  # pyproject.toml moved on: CI's `uv sync --locked` says so
    assert relocked.returncode == 0
    assert uv("lock", "--check", cwd=project).returncode == 0
    assert 'name = "typer"\nversion = "0.29.1"' in (project / "uv.lock").read_text()


def test_no_trust_is_needed_to_update_between_these_releases(releases: str, tmp_path: Path) -> None:
    project = generate(releases, tmp_path / "project", "v0.1.0")

    copier.run_update(
        project, vcs_ref="v0.2.0", defaults=True, overwrite=True, quiet=True, unsafe=False
    )

    assert (project / ".github" / "workflows" / "update-check.yml").is_file()


MIGRATION = """
_migrations:
  - version: v0.2.0
    when: "{{ _stage == 'before' }}"
    command:
      - "{{ _copier_python }}"
      - "{{ _copier_conf.src_path }}/hooks/migrate.py"
      - rename-answer
      - tracing_exporter
      - trace_exporter
"""


@pytest.fixture(scope="module")
def renamed_release(tmp_path_factory: pytest.TempPathFactory) -> str:
    """v0.1.0 is this working tree; v0.2.0 renames `tracing_exporter` to `trace_exporter`,
    with the migration that keeps a project's answer."""
    clone = template_repository(tmp_path_factory.mktemp("template-rename"))
    git("add", "-A", cwd=clone)
    git("commit", "-qm", "before the rename", cwd=clone)
    git("tag", "v0.1.0", cwd=clone)
    edit(clone / "copier.yml", "\ntracing_exporter:\n", "\ntrace_exporter:\n")
    (clone / "copier.yml").write_text((clone / "copier.yml").read_text() + MIGRATION)
    settings = clone / "template" / "src" / "{{ package_name }}" / "settings.py.jinja"
    edit(settings, "{{ tracing_exporter | tojson }}", "{{ trace_exporter | tojson }}")
    git("add", "-A", cwd=clone)
    git("commit", "-qm", "rename tracing_exporter", cwd=clone)
    git("tag", "v0.2.0", cwd=clone)
    return str(clone)


def test_an_update_across_a_migration_without_trust_stops_with_a_clear_message(
    renamed_release: str, tmp_path: Path
) -> None:
    project = generate(renamed_release, tmp_path / "project", "v0.1.0", tracing_exporter="otlp")

    refused = r"(?s)unsafe feature: migrations.*--trust"
    with pytest.raises(copier.errors.UnsafeTemplateError, match=refused):
        copier.run_update(project, vcs_ref="v0.2.0", defaults=True, overwrite=True, quiet=True)

    assert git("status", "--porcelain", cwd=project) == ""


def test_a_renamed_question_keeps_the_answer_through_its_migration(
    renamed_release: str, tmp_path: Path
) -> None:
    project = generate(renamed_release, tmp_path / "project", "v0.1.0", tracing_exporter="otlp")

    copier.run_update(
        project, vcs_ref="v0.2.0", defaults=True, overwrite=True, quiet=True, unsafe=True
    )

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["trace_exporter"] == "otlp"  # not the new question's default, "console"
    assert "tracing_exporter" not in answers
    assert_clean_merge(project)
    fresh = generate(renamed_release, tmp_path / "fresh", "v0.2.0", trace_exporter="otlp")
    assert_same_tree(project, fresh)
