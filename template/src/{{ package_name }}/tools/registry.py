"""Typed Python functions as Claude tools: schema from the type hints, input validated first."""

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model


class ToolError(Exception):
    """Raised by a tool to tell Claude, in one line, why a call failed."""


class Tool:
    """One tool: its name, description, input schema and the function behind it."""

    def __init__(self, function: Callable[..., Any], *, name: str | None = None) -> None:
        self.function = function
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

    async def call(self, tool_input: object) -> str:
        arguments = self.validate(tool_input)
        if inspect.iscoroutinefunction(self.function):
            result = await self.function(**arguments)
        else:
            result = await asyncio.to_thread(self.function, **arguments)
        return _as_text(result)


def tool(function: Callable[..., Any]) -> Tool:
    """Decorator: turns a typed, documented function into a Tool."""
    return Tool(function)


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
