"""Two example tools that need no network: exact arithmetic and text statistics.

Add your own in custom.py: a typed function with a docstring, decorated with @tool, then
listed in CUSTOM_TOOLS there.
"""

import ast
import operator
import re
from collections import Counter
from typing import Annotated

from pydantic import BaseModel, Field

from .registry import ToolError, tool

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_MAX_EXPONENT = 1000


@tool
def calculate(
    expression: Annotated[
        str, Field(min_length=1, max_length=500, description="Arithmetic, e.g. '(2 + 3) * 4.5'")
    ],
) -> float:
    """Evaluates an arithmetic expression exactly. Use it instead of doing sums in your head.

    Supports + - * / // % ** and parentheses on integers and decimals.
    """
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise ToolError(f"not an arithmetic expression: {expression!r}") from None
    try:
        return float(_evaluate(tree.body))
    except ZeroDivisionError:
        raise ToolError("division by zero") from None
    except OverflowError:
        raise ToolError("result too large") from None


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > _MAX_EXPONENT:
            raise ToolError(f"exponent above {_MAX_EXPONENT}")
        return _BINARY[type(node.op)](left, right)
    raise ToolError(f"unsupported element: {ast.unparse(node)!r}")


class TextStats(BaseModel):
    words: int
    sentences: int
    characters: int
    most_common_words: list[str]


@tool
def text_stats(
    text: Annotated[str, Field(max_length=200_000, description="The text to measure")],
) -> TextStats:
    """Counts words, sentences and characters in a text and lists its most common words."""
    words = re.findall(r"[\w']+", text.lower())
    sentences = [s for s in re.split(r"[.!?]+", text) if s.strip()]
    common = [word for word, _ in Counter(w for w in words if len(w) > 3).most_common(5)]
    return TextStats(
        words=len(words),
        sentences=len(sentences),
        characters=len(text),
        most_common_words=common,
    )
