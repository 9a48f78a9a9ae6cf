# Two commands for a newcomer: `make demo` (generate an agent and run it) and `make test`.
# uv is installed on first use if the machine has none.
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: demo test bench uv

demo: uv
	$(UV) run python scripts/demo.py

test: uv
	$(UV) run pytest

bench: uv
	$(UV) run python scripts/benchmark.py

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet "uv==0.13.9"
