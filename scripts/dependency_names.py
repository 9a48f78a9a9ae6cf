"""Prints the names a generated package must not take, read from generated projects' venvs.

A package named like an installed module hides it (or is hidden by it), one named like an
installed distribution cannot be resolved, and one named like a command in the venv's bin/
loses its command. Generate one project per platform with every option, `uv sync` each, then:

    python scripts/dependency_names.py /tmp/p-modal/.venv /tmp/p-beam/.venv /tmp/p-cog/.venv

and paste the list into `dependency_modules` in includes/python_names.jinja.
"""

import re
import sys
from pathlib import Path

# Modules of the generated tests, which import each other by these names.
TEST_MODULES = {"conftest", "crash_worker", "fakes", "tests", "test"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def names_in(venv: Path) -> set[str]:
    found: set[str] = set()
    for site in venv.glob("lib/python*/site-packages"):
        for entry in site.iterdir():
            if entry.name.endswith(".dist-info"):
                found.add(normalized(entry.name.split("-")[0]))
                top_level = entry / "top_level.txt"
                if top_level.is_file():
                    found |= {normalized(n) for n in top_level.read_text().split() if n}
            elif entry.suffix == ".py":
                found.add(normalized(entry.stem))
            elif entry.is_dir() and not entry.name.startswith("_") and "." not in entry.name:
                found.add(normalized(entry.name))
        found |= {normalized(p.stem) for p in site.glob("*.so")}
    found |= {normalized(p.name.split(".")[0]) for p in (venv / "bin").iterdir()}
    return found


def main() -> None:
    names = set(TEST_MODULES)
    for venv in sys.argv[1:]:
        names |= names_in(Path(venv))
    valid = sorted(n for n in names if re.fullmatch(r"[a-z][a-z0-9_]*", n))
    print(", ".join(repr(n) for n in valid))


if __name__ == "__main__":
    main()
