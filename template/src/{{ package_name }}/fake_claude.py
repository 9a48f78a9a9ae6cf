"""A local stand-in for the Claude Messages API, for tests and for running with no API key.

It is a real HTTP server on 127.0.0.1 that speaks the Messages wire format (JSON, Bearer
auth, error bodies, retry headers), so the anthropic SDK talks to it exactly as to the API.
By default it plays a simple planner: on a new task it calls `calculate` and `text_stats`
together, then answers from their results. Tests can script replies instead.

    python -m <package>.fake_claude --port 8765
    ANTHROPIC_BASE_URL=http://127.0.0.1:8765 ANTHROPIC_API_KEY=sk-ant-fake <package> run "..."
"""

import argparse
import contextlib
import hashlib
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]

_ids = itertools.count(1)


def text_reply(text: str, stop_reason: str = "end_turn") -> dict[str, Any]:
    return {"content": [{"type": "text", "text": text}], "stop_reason": stop_reason}


def tool_reply(*calls: tuple[str, dict[str, Any]], text: str = "") -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    content += [
        {"type": "tool_use", "id": f"toolu_fake_{next(_ids):04d}", "name": name, "input": args}
        for name, args in calls
    ]
    return {"content": content, "stop_reason": "tool_use"}


def error_reply(status: int, error_type: str, message: str = "fake error") -> dict[str, Any]:
    return {"status": status, "error": {"type": error_type, "message": message}}


class FakeClaude:
    """Serves scripted replies in order, then falls back to the built-in planner."""

    def __init__(self, script: Iterable[Reply] = ()) -> None:
        self.script: list[Reply] = list(script)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._prefixes: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> "FakeClaude":
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> "FakeClaude":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def answer(self, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            reply = self.script.pop(0) if self.script else plan
            if callable(reply):
                reply = reply(body)
            if "error" in reply:
                return reply["status"], {"type": "error", "error": reply["error"]}
            return 200, self._message(body, reply)

    def _message(self, body: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
        prefix = json.dumps([body.get("tools"), body.get("system")], sort_keys=True)
        prefix_tokens = _tokens(prefix)
        cached = _has_cache_breakpoint(body)
        digest = hashlib.sha256(prefix.encode()).hexdigest()
        cache_read = prefix_tokens if cached and digest in self._prefixes else 0
        cache_write = prefix_tokens if cached and not cache_read else 0
        if cached:
            self._prefixes.add(digest)
        return {
            "id": f"msg_fake_{next(_ids):04d}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-fake"),
            "content": reply["content"],
            "stop_reason": reply["stop_reason"],
            "stop_sequence": None,
            "usage": {
                "input_tokens": _tokens(json.dumps(body.get("messages"))) + 3,
                "output_tokens": _tokens(json.dumps(reply["content"])),
                "cache_creation_input_tokens": cache_write,
                "cache_read_input_tokens": cache_read,
            },
        }


def plan(body: dict[str, Any]) -> dict[str, Any]:
    """The default behaviour: call the example tools in parallel, then answer from results."""
    last = body["messages"][-1]
    if isinstance(last["content"], list) and last["content"][0].get("type") == "tool_result":
        findings = "; ".join(
            f"{'error: ' if r.get('is_error') else ''}{r.get('content')}" for r in last["content"]
        )
        return text_reply(f"Here is what the tools found: {findings}")
    task = last["content"] if isinstance(last["content"], str) else json.dumps(last["content"])
    offered = {t["name"] for t in body.get("tools", [])}
    calls = []
    if "calculate" in offered:
        calls.append(("calculate", {"expression": _arithmetic_in(task)}))
    if "text_stats" in offered:
        calls.append(("text_stats", {"text": task}))
    if not calls:
        return text_reply(f"(fake Claude) You asked: {task}")
    return tool_reply(*calls, text="I'll work that out with my tools.")


def _arithmetic_in(text: str) -> str:
    candidates = re.findall(r"[\d.()]+(?:\s*[-+*/%]+\s*[\d.()]+)+", text)
    return max(candidates, key=len) if candidates else "6 * 7"


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _has_cache_breakpoint(body: dict[str, Any]) -> bool:
    blocks = [*(body.get("tools") or []), *(body.get("system") or [])]
    return any(isinstance(b, dict) and "cache_control" in b for b in blocks)


def _handler_for(fake: FakeClaude) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path.split("?")[0] != "/v1/messages":
                return self._send(404, _error("not_found_error", f"no route {self.path}"))
            if not self.headers.get("authorization", "").startswith("Bearer "):
                return self._send(401, _error("authentication_error", "missing Bearer key"))
            length = int(self.headers.get("content-length", 0))
            try:
                body = json.loads(self.rfile.read(length))
            except json.JSONDecodeError:
                return self._send(400, _error("invalid_request_error", "body is not JSON"))
            if body.get("stream"):
                return self._send(400, _error("invalid_request_error", "fake does not stream"))
            status, payload = fake.answer(body, {k.lower(): v for k, v in self.headers.items()})
            self._send(status, payload)

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", f"req_fake_{next(_ids):04d}")
            if status in (429, 529) or status >= 500:
                self.send_header("retry-after-ms", "1")
            self.end_headers()
            # A client that went away (a killed process, a timeout) needs no answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _error(error_type: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}}


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Claude Messages API locally.")
    parser.add_argument("--port", type=int, default=8765)
    port = parser.parse_args().port
    fake = FakeClaude().start(port)
    print(f"fake Claude API at {fake.base_url} (Ctrl-C to stop)", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
