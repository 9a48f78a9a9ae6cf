"""Command line: run the agent locally with the same code the platform runs."""

import asyncio
import logging
import os
from typing import Annotated, NoReturn

import anthropic
import typer
from pydantic import ValidationError

from .agent import AgentError
from .runner import run_task
from .settings import AgentSettings

app = typer.Typer(help=__doc__, add_completion=False, no_args_is_help=True)


@app.callback()
def main() -> None:
    """Claude agent commands."""


@app.command()
def run(
    task: Annotated[str, typer.Argument(help="What the agent should do")],
    model: Annotated[str | None, typer.Option(help="Claude model id")] = None,
    max_turns: Annotated[int | None, typer.Option(min=1, help="Stop after this many turns")] = None,
    max_usd: Annotated[float | None, typer.Option(min=0.0, help="Stop at this cost")] = None,
) -> None:
    """Runs one task and prints the answer, then a one-line summary."""
    level = os.environ.get("AGENT_LOG_LEVEL", "WARNING").upper()
    if level not in logging.getLevelNamesMapping():
        _fail(f"bad AGENT_LOG_LEVEL {level!r}: use DEBUG, INFO, WARNING or ERROR")
    logging.basicConfig(level=level)
    if not task.strip():
        _fail('the task is empty: say what the agent should do, e.g. run "What is 6 * 7?"')
    settings = _settings(model=model, max_turns=max_turns, max_usd=max_usd)
    if settings.anthropic_api_key is None and not os.environ.get("ANTHROPIC_AUTH_TOKEN"):
        _fail(
            "ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=sk-ant-... "
            f"(or run `python -m {__package__}.fake_claude` and point ANTHROPIC_BASE_URL at it)"
        )
    try:
        result = asyncio.run(run_task(task, settings=settings))
    except AgentError as error:
        _fail(f"run failed: {error}")
    except anthropic.APIConnectionError as error:
        where = settings.anthropic_base_url or "its default URL"
        _fail(f"cannot reach the Claude API at {where}: {error}")
    except anthropic.APIStatusError as error:
        _fail(f"the Claude API refused the request ({error.status_code}): {error.message}")
    typer.echo(result.answer)
    typer.echo(f"[{result.run_id[:8]}] {result.summary()}", err=True)
    if result.status != "completed":
        typer.echo(f"stopped early: {result.reason}", err=True)


def _settings(**overrides: object) -> AgentSettings:
    try:
        return AgentSettings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        variable = field if field.isupper() else f"AGENT_{field.upper()}"
        _fail(f"bad setting {field} ({variable}): {first['msg']}")


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)
