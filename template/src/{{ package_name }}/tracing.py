"""OpenTelemetry set-up: one tracer provider per process, chosen by AGENT_TRACING_EXPORTER.

The anthropic SDK adds its own GenAI spans (`anthropic.messages.create`) under ours, so a
trace reads: invoke_agent -> anthropic.messages.create / execute_tool <name>.
OTLP goes over HTTP and is configured by the standard OTEL_EXPORTER_OTLP_* variables.
"""

import sys
from collections import defaultdict
from collections.abc import Sequence
from typing import TextIO

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

from .settings import AGENT_NAME, AgentSettings

_provider: TracerProvider | None = None


def setup_tracing(
    settings: AgentSettings, exporter: SpanExporter | None = None
) -> TracerProvider | None:
    """Installs the process-wide tracer provider once; later calls return the same one.

    `exporter` replaces the configured one (tests pass an in-memory exporter).
    """
    global _provider
    if _provider is not None:
        return _provider
    if exporter is None and settings.tracing_exporter == "none":
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": AGENT_NAME}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    elif settings.tracing_exporter == "console":
        provider.add_span_processor(SimpleSpanProcessor(TreeConsoleExporter()))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


def flush_traces(timeout_s: float = 10.0) -> bool:
    """Sends every finished span before the platform freezes or stops the container."""
    if _provider is None:
        return True
    return _provider.force_flush(timeout_millis=int(timeout_s * 1000))


class TreeConsoleExporter(SpanExporter):
    """Prints each trace as an indented tree on stderr when its root span ends."""

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self._out = out
        self._pending: dict[int, list[ReadableSpan]] = defaultdict(list)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        for span in spans:
            trace_id = span.context.trace_id
            self._pending[trace_id].append(span)
            if span.parent is None:
                self._print(self._pending.pop(trace_id))
        return SpanExportResult.SUCCESS

    def _print(self, spans: list[ReadableSpan]) -> None:
        children: dict[int | None, list[ReadableSpan]] = defaultdict(list)
        for span in sorted(spans, key=lambda s: s.start_time or 0):
            children[span.parent.span_id if span.parent else None].append(span)

        def walk(parent_id: int | None, depth: int) -> None:
            for span in children[parent_id]:
                millis = ((span.end_time or 0) - (span.start_time or 0)) / 1e6
                status = "" if span.status.is_ok else f"  [{span.status.status_code.name}]"
                self._out.write(f"{'  ' * depth}{span.name}  {millis:.1f} ms{status}\n")
                walk(span.context.span_id, depth + 1)

        root = spans[-1]
        self._out.write(f"trace {root.context.trace_id:032x}\n")
        walk(None, 1)
        self._out.flush()
