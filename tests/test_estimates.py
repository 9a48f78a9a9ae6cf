"""The cost estimate Copier prints after a copy: its prices are the generated project's, and
its numbers are what `<package> estimate` prints for the same profile."""

import json
import re
import tomllib
from pathlib import Path

import copier
import jinja2
import pytest
from conftest import ROOT, template_snapshot, uv

PRICES_TOML = ROOT / "template" / "src" / "{{ package_name }}" / "prices.toml"
LINE = re.compile(r"^\s+(Modal|Beam|Replicate): \$([\d.]+) a run, \$([\d.]+) a month", re.M)


def jinja_prices() -> jinja2.environment.TemplateModule:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT), autoescape=False)
    return environment.get_template("includes/prices.jinja").module


def test_the_message_uses_the_prices_of_the_generated_price_table() -> None:
    table = tomllib.loads(PRICES_TOML.read_text())
    prices = jinja_prices()

    for model, entry in table["claude"].items():
        expected = {k: entry[k] for k in ("input", "output", "cache_write", "cache_read")}
        assert prices.claude[model] == expected, model
    for platform, entry in table["platform"].items():
        expected = {k: v for k, v in entry.items() if k not in ("checked", "source")}
        assert prices.platforms[platform] == expected, platform


def copy_message(destination: Path, capfd: pytest.CaptureFixture[str], **answers: object) -> str:
    capfd.readouterr()
    copier.run_copy(
        str(template_snapshot()),
        destination,
        data={"project_name": "estimate agent", **answers},
        defaults=True,
        quiet=False,
        settings=copier.Settings(),
    )
    return capfd.readouterr().err


PROFILES = {
    "user-facing-modal": {},
    "batch-beam": {"concurrency": "queue", "user_facing": False},
    "gpu-replicate-tools": {"gpu": "local_model", "hosted_model_tools": True, "user_facing": False},
}


@pytest.mark.generated
@pytest.mark.parametrize("profile", PROFILES)
def test_the_message_matches_the_estimate_command(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], profile: str
) -> None:
    message = copy_message(tmp_path / "p", capfd, **PROFILES[profile])
    assert uv("sync", "--quiet", cwd=tmp_path / "p").returncode == 0

    printed = {
        name.lower(): (float(run), float(month)) for name, run, month in LINE.findall(message)
    }
    for platform, (per_run, per_month) in printed.items():
        done = uv(
            "run",
            "estimate_agent",
            "estimate",
            "--json",
            "--platform",
            platform,
            cwd=tmp_path / "p",
        )
        assert done.returncode == 0, done.stderr
        estimate = json.loads(done.stdout)
        assert per_run == round(estimate["per_run_usd"], 4), platform
        assert per_month == round(estimate["per_month_usd"], 2), platform
    assert set(printed) == {"modal", "beam", "replicate"}
    assert "(chosen)" in message
