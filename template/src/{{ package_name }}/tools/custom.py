"""Your own tools: write them here (or import them here) and list them in CUSTOM_TOOLS.

A tool is a typed function with a docstring, decorated with @tool (or
@tool(side_effects=True) if it changes anything). The template never changes this file after
creating it, so `copier update` leaves your tools alone.
"""

from .registry import Tool, tool  # noqa: F401 - `tool` is for the tools you add

CUSTOM_TOOLS: list[Tool] = []
