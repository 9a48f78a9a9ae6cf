"""Migrations that `copier update` runs from a release's `_migrations` (needs --trust).

Run in the project being updated, before Copier renders the new release:

    migrate.py rename-answer OLD NEW   # a renamed question keeps the project's answer
    migrate.py move-file OLD NEW       # a moved file keeps the project's edits

Each step is idempotent: running it twice, or on a project that never had OLD, changes nothing.
Standard library only, so it runs with any Python Copier runs with.
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ANSWERS = Path(".copier-answers.yml")


def rename_answer(old: str, new: str) -> None:
    if not ANSWERS.is_file():
        sys.exit(f"no {ANSWERS} here: run the migration from the project's root")
    text = ANSWERS.read_text()
    if re.search(rf"^{re.escape(new)}:", text, flags=re.MULTILINE):
        return
    renamed = re.sub(rf"^{re.escape(old)}:", f"{new}:", text, flags=re.MULTILINE)
    if renamed != text:
        ANSWERS.write_text(renamed)
        print(f"migrate: answer {old} is now {new}")


def move_file(old: str, new: str) -> None:
    source, target = Path(old), Path(new)
    if not source.exists() or target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(source)], capture_output=True, check=False
    )
    if tracked.returncode == 0:
        subprocess.run(["git", "mv", str(source), str(target)], check=True)
    else:
        shutil.move(source, target)
    print(f"migrate: moved {old} to {new}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    for name in ("rename-answer", "move-file"):
        step = steps.add_parser(name)
        step.add_argument("old")
        step.add_argument("new")
    args = parser.parse_args()
    if args.step == "rename-answer":
        rename_answer(args.old, args.new)
    else:
        move_file(args.old, args.new)


if __name__ == "__main__":
    main()
