"""Typed Python functions as Claude tools: schema from the type hints, input validated first.

A tool is read-only unless it says `@tool(side_effects=True)`. A side-effecting tool reads
its idempotency key with `current_call().idempotency_key` and passes it on to the system it
changes, so a retried call is applied once.
"""

import asyncio
import contextvars
import inspect
import json
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, get_type_hints, overload

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model


class ToolError(Exception):
    """Raised by a tool to tell Claude, in one line, why a call failed."""


@dataclass(frozen=True)
class ToolCall:
    """The call a tool is running for: its run, Claude's tool_use id, and the key to pass on."""

    run_id: str
    tool_use_id: str

    @property
    def idempotency_key(self) -> str:
        return f"{self.run_id}:{self.tool_use_id}"


_current_call: contextvars.ContextVar[ToolCall] = contextvars.ContextVar("tool_call")


def current_call() -> ToolCall:
    """The call being run, inside a tool; the agent sets it around every tool call."""
    try:
        return _current_call.get()
    except LookupError:
        raise RuntimeError("current_call() works only inside a tool that the agent runs") from None


class Tool:
    """One tool: its name, description, input schema and the function behind it."""

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        name: str | None = None,
        side_effects: bool = False,
    ) -> None:
        self.function = function
        self.side_effects = side_effects
        self.name = name or function.__name__
        self.description = inspect.cleandoc(function.__doc__ or "").split("\n\n")[0]
        if not self.description:
            raise TypeError(f"tool {self.name!r} needs a docstring: Claude reads it")
        self.input_model = _input_model(function, self.name)

    def definition(self) -> dict[str, Any]:
        schema = self.input_model.model_json_schema()
        schema.pop("title", None)
        return {"name": self.name, "description": self.description, "input_schema": schema}

    def validate(self, tool_input: object) -> dict[str, Any]:
        """Checks Claude's input against the signature; raises ToolError with the first problem."""
        try:
            parsed = self.input_model.model_validate(tool_input)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "input"
            raise ToolError(f"invalid input: {where}: {first['msg']}") from None
        return {field: getattr(parsed, field) for field in type(parsed).model_fields}

    async def call(self, tool_input: object, call: ToolCall | None = None) -> str:
        arguments = self.validate(tool_input)
        token = _current_call.set(call) if call is not None else None
        try:
            if inspect.iscoroutinefunction(self.function):
                result = await self.function(**arguments)
            else:
                # to_thread copies the context, so current_call() works in sync tools too.
                result = await asyncio.to_thread(self.function, **arguments)
        finally:
            if token is not None:
                _current_call.reset(token)
        return _as_text(result)


@overload
def tool(function: Callable[..., Any], /) -> Tool: ...
@overload
def tool(*, side_effects: bool = False) -> Callable[[Callable[..., Any]], Tool]: ...


def tool(
    function: Callable[..., Any] | None = None, /, *, side_effects: bool = False
) -> Tool | Callable[[Callable[..., Any]], Tool]:
    """Decorator: turns a typed, documented function into a Tool.

    `@tool` for a read-only tool; `@tool(side_effects=True)` for one that changes something,
    which a resumed run never calls again once it has completed.
    """
    if function is not None:
        return Tool(function)
    return lambda wrapped: Tool(wrapped, side_effects=side_effects)


class ToolRegistry:
    """The tools offered to Claude, in a fixed order so the cached prompt prefix stays stable."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        self._tools = {t.name: t for t in tools}

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    def __len__(self) -> int:
        return len(self._tools)

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools.values())

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise ToolError(f"unknown tool {name!r}") from None

    def definitions(self) -> list[dict[str, Any]]:
        """Tool definitions; the last carries the cache breakpoint for system prompt and tools."""
        definitions = [t.definition() for t in self._tools.values()]
        if definitions:
            definitions[-1]["cache_control"] = {"type": "ephemeral"}
        return definitions


ToolFunction = Callable[..., Any] | Callable[..., Awaitable[Any]]


def _input_model(function: ToolFunction, name: str) -> type[BaseModel]:
    hints = get_type_hints(function, include_extras=True)
    fields: dict[str, Any] = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name not in hints:
            raise TypeError(f"tool {name!r}: parameter {parameter.name!r} needs a type hint")
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[parameter.name] = (hints[parameter.name], default)
    config = ConfigDict(extra="forbid")
    return create_model(f"{name}_input", __config__=config, **fields)


def _as_text(result: object) -> str:
    if isinstance(result, str):
        return result
    return json.dumps(TypeAdapter(type(result)).dump_python(result, mode="json"))
