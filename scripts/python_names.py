"""Rewrites includes/python_names.jinja from the running interpreter's keyword and stdlib lists."""

import keyword
import sys
import textwrap
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "includes" / "python_names.jinja"


def jinja_list(name: str, items: list[str]) -> str:
    body = textwrap.fill(
        ", ".join(repr(item) for item in items), 96, initial_indent="  ", subsequent_indent="  "
    )
    return f"{{%- set {name} = [\n{body}\n] -%}}\n"


def main() -> None:
    text = TARGET.read_text()
    head, _, rest = text.partition("{%- set keywords")
    tail = rest[rest.index("{%- set dependency_modules") :]
    stdlib = sorted(n for n in sys.stdlib_module_names if not n.startswith("_"))
    TARGET.write_text(
        head
        + jinja_list("keywords", keyword.kwlist + keyword.softkwlist)
        + jinja_list("stdlib_modules", stdlib)
        + tail
    )


if __name__ == "__main__":
    main()
