"""The main job, end to end: generate an agent project from this template and run it once.

The project goes to a temporary folder (or --dest). The run uses the real Claude API when
ANTHROPIC_API_KEY is set, and otherwise the generated project's local stand-in for it. The
answer goes to stdout; the summary and the trace tree go to stderr.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import copier
import yaml
from uv import find_uv_bin

ROOT = Path(__file__).resolve().parent.parent
TASK = "What is 17 * 23 + 4, and how many words are in this question?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, help="where to generate (default: a temp folder)")
    parser.add_argument("--task", default=TASK)
    parser.add_argument("--data", action="append", default=[], help="extra answer, NAME=VALUE")
    args = parser.parse_args()
    warnings.simplefilter("ignore", copier.errors.DirtyLocalWarning)

    destination = args.dest or Path(tempfile.mkdtemp(prefix="agent-demo-")) / "demo-agent"
    answers = {"project_name": "demo-agent", **dict(item.split("=", 1) for item in args.data)}
    started = time.perf_counter()
    copier.run_copy(
        str(ROOT),
        destination,
        data=answers,
        vcs_ref="HEAD",
        defaults=True,
        quiet=True,
        settings=copier.Settings(),
    )
    say(f"generated {destination} in {time.perf_counter() - started:.1f} s")

    package = yaml.safe_load((destination / ".copier-answers.yml").read_text())["package_name"]
    uv("sync", "--quiet", cwd=destination)
    env = {**os.environ, "AGENT_TRACING_EXPORTER": "console"}
    env.pop("VIRTUAL_ENV", None)
    if os.environ.get("ANTHROPIC_API_KEY"):
        say("running against the real Claude API (ANTHROPIC_API_KEY is set)")
        code = uv("run", package, "run", args.task, cwd=destination, env=env, check=False)
    else:
        code = run_against_fake(destination, package, args.task, env)
    say(f"project kept at {destination}")
    sys.exit(code)


def run_against_fake(project: Path, package: str, task: str, env: dict[str, str]) -> int:
    say("no ANTHROPIC_API_KEY: running against the project's local stand-in for the Claude API")
    fake = subprocess.Popen(
        [*uv_command(), "run", "python", "-m", f"{package}.fake_claude", "--port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = fake.stdout.readline() if fake.stdout else ""
        base_url = line.split(" at ", 1)[1].split()[0]
        env = {**env, "ANTHROPIC_BASE_URL": base_url, "ANTHROPIC_API_KEY": "sk-ant-local-fake"}
        return uv("run", package, "run", task, cwd=project, env=env, check=False)
    finally:
        fake.terminate()
        fake.wait(timeout=10)


def uv_command() -> list[str]:
    # The uv binary itself: `python -m uv` would point projects at this script's environment.
    return [find_uv_bin()]


def uv(*args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    return subprocess.run([*uv_command(), *args], cwd=cwd, env=env, check=check).returncode


def say(message: str) -> None:
    print(f"[demo] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
