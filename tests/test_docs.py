"""The documentation site builds with --strict: no broken link, no page left out of the nav."""

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_docs_build_strictly(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert built.returncode == 0, built.stderr[-3000:]
    pages = {p.parent.name for p in tmp_path.rglob("index.html")}
    assert {"decision-guide", "modal", "beam", "replicate", "cost", "tracing"} <= pages
    assert {"updating", "limitations"} <= pages
