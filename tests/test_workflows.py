"""Generated CI files are valid: GitHub's workflow schema and Renovate's, both as vendored by
check-jsonschema (offline), for every platform."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import render

VARIANTS = {
    "modal": {"platform": "modal"},
    "beam-gpu": {"platform": "beam", "gpu": "embeddings", "run_duration": "short"},
    "replicate-gpu-persistent": {
        "platform": "replicate",
        "gpu": "local_model",
        "state": "persistent",
    },
}


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
    command += [str(file) for file in files]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("variant", VARIANTS)
def test_workflows_and_renovate_config_match_their_schemas(tmp_path: Path, variant: str) -> None:
    project = render(tmp_path / "p", **VARIANTS[variant])
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))

    checked = check_jsonschema("vendor.github-workflows", *workflows)
    renovate = check_jsonschema("vendor.renovate", project / "renovate.json")

    assert [w.name for w in workflows] == ["ci.yml", "deploy.yml", "update-check.yml"]
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert renovate.returncode == 0, renovate.stdout + renovate.stderr


def test_the_update_check_runs_weekly_and_says_what_to_do(tmp_path: Path) -> None:
    project = render(tmp_path / "p")
    workflow = yaml.safe_load((project / ".github/workflows/update-check.yml").read_text())

    [job] = workflow["jobs"].values()
    script = job["steps"][-1]["run"]

    assert workflow[True]["schedule"][0]["cron"]  # YAML reads the key `on` as True
    assert "copier check-update --quiet" in script
    assert '"$status" -eq 2' in script
    assert "uvx copier update" in script
