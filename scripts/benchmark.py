"""Benchmarks for the generated project; prints ratios against their goals (not a timed test).

1. One turn of 8 parallel tools of 200 ms each: tool-phase wall time over 200 ms (goal <= 1.15).
2. Import time of the generated package over a bare `import anthropic, opentelemetry.sdk.trace`
   (goal <= 1.05), median of several cold interpreter starts each.
3. `copier copy` wall time for this template.
4. 100 turns against the local fake: the agent loop with tracing and checkpoints after every
   step, over a bare SDK loop making the same calls (goal <= 1.10), with SQLite and with Redis
   (a real redis-server on loopback, when one is installed).
"""

import os
import shutil
import socket
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


STATE_LOOP = textwrap.dedent(
    """
    import asyncio
    import os
    import statistics
    import sys
    import uuid

    from anthropic import AsyncAnthropic
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from bench_state.agent import Agent
    from bench_state.fake_claude import FakeClaude, text_reply, tool_reply
    from bench_state.runner import make_client
    from bench_state.settings import AgentSettings
    from bench_state.state import RunStore
    from bench_state.state.redis import RedisKV
    from bench_state.state.sqlite import SQLiteKV
    from bench_state.tools import ToolRegistry, tool
    from bench_state.tracing import setup_tracing

    TURNS, REPEATS = 100, 5

    @tool
    async def step(n: int) -> int:
        \"\"\"Returns its input.\"\"\"
        return n

    def script():
        return [tool_reply(("step", {"n": i})) for i in range(TURNS - 1)] + [text_reply("done")]

    async def bare(base_url, settings, system, definitions, telemetry):
        # telemetry=None keeps the SDK's defaults: its own GenAI spans, as a provider is set.
        client = AsyncAnthropic(api_key="sk-ant-bench", base_url=base_url, max_retries=0,
                                open_telemetry=telemetry)
        messages = [{"role": "user", "content": "go"}]
        for _ in range(TURNS):
            reply = await client.messages.create(
                model=settings.model, max_tokens=settings.max_tokens_per_turn, system=system,
                tools=definitions, messages=messages)
            if reply.stop_reason != "tool_use":
                break
            messages.append({"role": "assistant", "content": [
                b.model_dump(mode="json", exclude_none=True) for b in reply.content]})
            results = [
                {"type": "tool_result", "tool_use_id": b.id,
                 "content": str(await step.function(**b.input))}
                for b in reply.content if b.type == "tool_use"]
            messages.append({"role": "user", "content": results})
        await client.close()

    async def ours(settings, store):
        client = make_client(settings)
        try:
            result = await Agent(settings, ToolRegistry([step]), client, store).run(
                "go", run_id=uuid.uuid4().hex)
        finally:
            await client.close()
        assert result.turns == TURNS, result

    async def timed(coroutine):
        started = asyncio.get_running_loop().time()
        await coroutine
        return asyncio.get_running_loop().time() - started

    async def main(kind, where):
        spans = InMemorySpanExporter()
        setup_tracing(AgentSettings(_env_file=None), exporter=spans)
        store = RunStore(SQLiteKV(where) if kind == "sqlite" else RedisKV(where, namespace="bench"))
        bare_times, sdk_traced_times, our_times = [], [], []
        with FakeClaude() as fake:
            settings = AgentSettings(
                _env_file=None, ANTHROPIC_BASE_URL=fake.base_url, ANTHROPIC_API_KEY="sk-ant-bench",
                max_retries=0, max_turns=TURNS + 1, max_run_tokens=10**9, max_usd=10_000,
                repeat_limit=TURNS)
            probe = Agent(settings, ToolRegistry([step]), make_client(settings))
            for _ in range(REPEATS):
                fake.script = script()
                bare_times.append(await timed(bare(
                    fake.base_url, settings, probe._system, probe._tool_definitions, False)))
                fake.script = script()
                sdk_traced_times.append(await timed(bare(
                    fake.base_url, settings, probe._system, probe._tool_definitions, None)))
                fake.script = script()
                spans.clear()
                our_times.append(await timed(ours(settings, store)))
                assert spans.get_finished_spans(), "tracing was off"
        await store.close()
        ours_s, bare_s = statistics.median(our_times), statistics.median(bare_times)
        traced_s = statistics.median(sdk_traced_times)
        print(ours_s / bare_s, ours_s / traced_s, bare_s, traced_s, ours_s)

    asyncio.run(main(sys.argv[1], sys.argv[2]))
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
    state_benchmarks(workdir)


def state_benchmarks(workdir: Path) -> None:
    project = workdir / "state"
    copier.run_copy(
        str(ROOT),
        project,
        data={"project_name": "bench-state", "state": "persistent"},
        vcs_ref="HEAD",
        defaults=True,
        quiet=True,
        settings=copier.Settings(),
    )
    uv("sync", "--quiet", cwd=project)
    stores = [("sqlite", str(workdir / "bench-runs.sqlite"))]
    server = start_redis(workdir)
    if server is not None:
        stores.append(("redis", server[1]))
    try:
        for kind, where in stores:
            line = uv_python(project, "-c", STATE_LOOP, kind, where).split()
            ratio, traced_ratio, bare, traced, ours = (float(value) for value in line)
            print(
                f"100 turns        tracing + {kind} checkpoints {ours:.3f} s / bare SDK loop "
                f"{bare:.3f} s = {ratio:.3f} (goal <= 1.10); over the bare loop with the SDK's "
                f"own spans on ({traced:.3f} s) = {traced_ratio:.3f}"
            )
    finally:
        if server is not None:
            server[0].terminate()
    if server is None:
        print("100 turns        redis: skipped, no redis-server on PATH")


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str] | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.05)
    server.terminate()
    return None


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
