"""The Claude tool-use loop: one run of the agent, from task to answer, within its limits."""

import asyncio
import json
import logging
import time
import uuid
from collections import Counter
from enum import StrEnum
from typing import Any

from anthropic import AsyncAnthropic
from anthropic.types import Message, ToolUseBlock
from opentelemetry import trace
from pydantic import BaseModel

from .pricing import TokenPrices, Usage, prices_for
from .settings import AGENT_NAME, AgentSettings
from .tools import ToolError, ToolRegistry

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

# Time a turn needs at least; closer to the deadline than this, the run stops cleanly instead.
MIN_TURN_S = 2.0


class RunStatus(StrEnum):
    COMPLETED = "completed"
    MAX_TURNS = "max_turns"
    MAX_TOKENS = "max_tokens"
    BUDGET = "budget"
    DEADLINE = "deadline"
    REPEATED_CALL = "repeated_call"
    REFUSED = "refused"


class RunResult(BaseModel):
    run_id: str
    status: RunStatus
    answer: str
    reason: str
    model: str
    turns: int
    usage: Usage
    cost_usd: float
    duration_s: float

    def summary(self) -> str:
        return (
            f"{self.status}: {self.turns} turns, {self.usage.total_tokens} tokens "
            f"({self.usage.cache_read_tokens} cached), ${self.cost_usd:.4f}, "
            f"{self.duration_s:.1f} s"
        )


class AgentError(Exception):
    """A run that cannot go on and has no useful partial result."""


class TruncatedToolCallError(AgentError):
    """Claude's tool call was cut off by max_tokens even after one retry with a larger budget."""


class Agent:
    """Runs tasks through Claude with the given tools. One instance serves many runs."""

    def __init__(
        self, settings: AgentSettings, tools: ToolRegistry, client: AsyncAnthropic
    ) -> None:
        self.settings = settings
        self.tools = tools
        self.client = client
        self.prices = prices_for(settings.model)
        # Stable prefix for prompt caching: nothing in it may change between runs.
        self._system = [
            {"type": "text", "text": settings.system_prompt, "cache_control": {"type": "ephemeral"}}
        ]
        self._tool_definitions = tools.definitions()

    async def run(self, task: str, *, run_id: str | None = None) -> RunResult:
        run = _Run(run_id or uuid.uuid4().hex, task, self.settings)
        with tracer.start_as_current_span(
            f"invoke_agent {AGENT_NAME}",
            attributes={
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.agent.name": AGENT_NAME,
                "gen_ai.request.model": self.settings.model,
                "gen_ai.conversation.id": run.run_id,
            },
        ) as span:
            result = await self._loop(run)
            span.set_attribute("agent.run.status", result.status.value)
            span.set_attribute("agent.run.turns", result.turns)
            span.set_attribute("agent.run.cost_usd", result.cost_usd)
            if self.settings.trace_content:
                span.set_attribute("agent.run.task", task)
                span.set_attribute("agent.run.answer", result.answer)
        log.info(
            "run finished",
            extra={"run_id": run.run_id, "status": result.status.value, "turns": result.turns},
        )
        return result

    async def _loop(self, run: "_Run") -> RunResult:
        max_tokens = self.settings.max_tokens_per_turn
        retried_truncation = False
        while True:
            if (stop := run.limit_reached(self.prices)) is not None:
                return run.result(*stop, self.prices)

            response = await self._create(run, max_tokens)
            run.record(response)
            calls = [b for b in response.content if isinstance(b, ToolUseBlock)]

            if response.stop_reason == "max_tokens" and calls:
                # The last tool_use input is incomplete JSON; running it would act on garbage.
                if retried_truncation:
                    raise TruncatedToolCallError(
                        f"tool call {calls[-1].name!r} cut off at max_tokens={max_tokens}"
                    )
                retried_truncation = True
                max_tokens *= 2
                continue
            if response.stop_reason == "pause_turn":
                run.messages.append(_assistant(response))
                continue
            if response.stop_reason == "refusal":
                return run.result(RunStatus.REFUSED, "Claude declined the task", self.prices)
            if response.stop_reason != "tool_use" or not calls:
                return run.result(RunStatus.COMPLETED, str(response.stop_reason), self.prices)

            if (repeated := run.repeated_call(calls)) is not None:
                return run.result(RunStatus.REPEATED_CALL, repeated, self.prices)
            results = await self._call_tools(calls, run)
            run.messages.append(_assistant(response))
            run.messages.append({"role": "user", "content": results})

    async def _create(self, run: "_Run", max_tokens: int) -> Message:
        return await self.client.messages.create(
            model=self.settings.model,
            max_tokens=max_tokens,
            system=self._system,
            tools=self._tool_definitions,
            messages=run.messages,
            timeout=max(1.0, run.seconds_left()),
        )

    async def _call_tools(self, calls: list[ToolUseBlock], run: "_Run") -> list[dict[str, Any]]:
        """Runs every call of the turn at once; results keep the order of the calls."""
        limit_s = min(self.settings.tool_timeout_s, max(0.1, run.seconds_left()))
        return list(await asyncio.gather(*(self._call_tool(c, limit_s) for c in calls)))

    async def _call_tool(self, call: ToolUseBlock, limit_s: float) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "tool_result", "tool_use_id": call.id}
        with tracer.start_as_current_span(
            f"execute_tool {call.name}",
            attributes={
                "gen_ai.operation.name": "execute_tool",
                "gen_ai.tool.name": call.name,
                "gen_ai.tool.call.id": call.id,
                "gen_ai.tool.type": "function",
            },
        ) as span:
            try:
                tool = self.tools.get(call.name)
                result["content"] = await asyncio.wait_for(tool.call(call.input), limit_s)
            except ToolError as error:
                result.update(content=str(error), is_error=True)
            except TimeoutError:
                result.update(content=f"timed out after {limit_s:.0f} s", is_error=True)
            except Exception as error:
                log.exception("tool %s failed", call.name)
                result.update(content=f"{type(error).__name__}: {error}"[:300], is_error=True)
            if result.get("is_error"):
                span.set_status(trace.StatusCode.ERROR, result["content"])
            if self.settings.trace_content:
                span.set_attribute("gen_ai.tool.call.arguments", json.dumps(call.input))
                span.set_attribute("gen_ai.tool.call.result", result["content"])
        return result


class _Run:
    """The state of one run: its conversation, usage and what it has asked for."""

    def __init__(self, run_id: str, task: str, settings: AgentSettings) -> None:
        self.run_id = run_id
        self.settings = settings
        self.messages: list[dict[str, Any]] = [{"role": "user", "content": task}]
        self.usage = Usage()
        self.turns = 0
        self.answer = ""
        self.started = time.monotonic()
        self.deadline = self.started + settings.deadline_s
        self._calls_seen: Counter[str] = Counter()

    def seconds_left(self) -> float:
        return self.deadline - time.monotonic()

    def record(self, response: Message) -> None:
        self.turns += 1
        usage = response.usage
        self.usage.add(
            Usage(
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_write_tokens=usage.cache_creation_input_tokens or 0,
                cache_read_tokens=usage.cache_read_input_tokens or 0,
            )
        )
        text = "".join(b.text for b in response.content if b.type == "text")
        if text:
            self.answer = text

    def limit_reached(self, prices: TokenPrices) -> tuple[RunStatus, str] | None:
        s = self.settings
        if self.turns >= s.max_turns:
            return RunStatus.MAX_TURNS, f"reached max_turns={s.max_turns}"
        if self.usage.total_tokens >= s.max_run_tokens:
            return RunStatus.MAX_TOKENS, f"reached max_run_tokens={s.max_run_tokens}"
        if self.usage.cost_usd(prices) >= s.max_usd:
            return RunStatus.BUDGET, f"reached max_usd=${s.max_usd:.2f}"
        if self.seconds_left() < MIN_TURN_S:
            return RunStatus.DEADLINE, f"stopped {s.flush_margin_s:.0f} s before the timeout"
        return None

    def repeated_call(self, calls: list[ToolUseBlock]) -> str | None:
        for call in calls:
            key = f"{call.name}:{json.dumps(call.input, sort_keys=True)}"
            self._calls_seen[key] += 1
            if self._calls_seen[key] > self.settings.repeat_limit:
                return f"{call.name} asked {self._calls_seen[key]} times with the same input"
        return None

    def result(self, status: RunStatus, reason: str, prices: TokenPrices) -> RunResult:
        return RunResult(
            run_id=self.run_id,
            status=status,
            answer=self.answer,
            reason=reason,
            model=self.settings.model,
            turns=self.turns,
            usage=self.usage,
            cost_usd=round(self.usage.cost_usd(prices), 6),
            duration_s=round(time.monotonic() - self.started, 3),
        )


def _assistant(response: Message) -> dict[str, Any]:
    content = [block.model_dump(mode="json", exclude_none=True) for block in response.content]
    return {"role": "assistant", "content": content}
