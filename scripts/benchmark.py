"""Benchmarks for the generated project; prints ratios against their goals (not a timed test).

1. One turn of 8 parallel tools of 200 ms each: tool-phase wall time over 200 ms (goal <= 1.15).
2. Import time of the generated package over a bare `import anthropic, opentelemetry.sdk.trace`
   (goal <= 1.05), median of several cold interpreter starts each.
3. `copier copy` wall time for this template.
"""

import os
import statistics
import subprocess
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import copier
from uv import find_uv_bin

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "bench_agent"
IMPORT_RUNS = 7

PARALLEL_TOOLS = textwrap.dedent(
    """
    import asyncio
    import statistics
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from bench_agent.fake_claude import FakeClaude, text_reply, tool_reply
    from bench_agent.runner import run_task
    from bench_agent.settings import AgentSettings
    from bench_agent.tools import ToolRegistry, tool
    from bench_agent.tracing import setup_tracing

    @tool
    async def wait_200ms(n: int) -> int:
        \"\"\"Waits 200 ms, like a slow API.\"\"\"
        await asyncio.sleep(0.2)
        return n

    spans = InMemorySpanExporter()
    setup_tracing(AgentSettings(_env_file=None), exporter=spans)
    ratios = []
    for _ in range(5):
        spans.clear()
        calls = [("wait_200ms", {"n": i}) for i in range(8)]
        with FakeClaude([tool_reply(*calls), text_reply("done")]) as fake:
            settings = AgentSettings(
                _env_file=None, ANTHROPIC_BASE_URL=fake.base_url, ANTHROPIC_API_KEY="sk-ant-bench"
            )
            asyncio.run(run_task("bench", settings=settings, tools=ToolRegistry([wait_200ms])))
        tool_spans = [s for s in spans.get_finished_spans() if s.name.startswith("execute_tool")]
        assert len(tool_spans) == 8
        wall = max(s.end_time for s in tool_spans) - min(s.start_time for s in tool_spans)
        ratios.append(wall / 1e9 / 0.2)
    print(min(ratios), statistics.median(ratios))
    """
)


def main() -> None:
    warnings.simplefilter("ignore")
    workdir = Path(tempfile.mkdtemp(prefix="agent-bench-"))
    copy_times = []
    for i in range(5):
        started = time.perf_counter()
        copier.run_copy(
            str(ROOT),
            workdir / f"copy{i}",
            data={"project_name": "bench-agent"},
            vcs_ref="HEAD",
            defaults=True,
            quiet=True,
            settings=copier.Settings(),
        )
        copy_times.append(time.perf_counter() - started)
    project = workdir / "copy0"
    uv("sync", "--quiet", cwd=project)

    best, median = uv_python(project, "-c", PARALLEL_TOOLS).split()
    bare = import_time(project, "import anthropic, opentelemetry.sdk.trace")
    ours = import_time(project, f"import {PACKAGE}.cli, {PACKAGE}.runner")

    print(
        f"parallel tools   8 x 200 ms in one turn: wall / 200 ms = {float(median):.3f} "
        f"(best {float(best):.3f}; goal <= 1.15)"
    )
    print(
        f"import time      {PACKAGE}.cli + runner {ours * 1000:.0f} ms / bare anthropic + "
        f"otel {bare * 1000:.0f} ms = {ours / bare:.3f} (goal <= 1.05)"
    )
    print(
        f"copier copy      median {statistics.median(copy_times):.2f} s over {len(copy_times)} "
        f"copies (min {min(copy_times):.2f} s)"
    )


def import_time(project: Path, statement: str) -> float:
    times = []
    for _ in range(IMPORT_RUNS):
        started = time.perf_counter()
        uv_python(project, "-c", statement)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def uv_python(project: Path, *args: str) -> str:
    python = project / ".venv" / "bin" / "python"
    done = subprocess.run([python, *args], cwd=project, capture_output=True, text=True, check=True)
    return done.stdout


def uv(*args: str, cwd: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    subprocess.run([find_uv_bin(), *args], cwd=cwd, env=env, check=True)


if __name__ == "__main__":
    main()
