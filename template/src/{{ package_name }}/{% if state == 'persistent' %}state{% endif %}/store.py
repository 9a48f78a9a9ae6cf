"""Runs that survive their container: checkpoints by run id, leases, and a small memory.

Everything lives in one key-value store (SQLite, Redis, or the platform's own), under four
kinds of key: `run:<id>` holds a run's checkpoint, `msg:<id>:<n>` the n-th message of its
conversation, `lease:<id>` says which worker runs it and until when, and `memory:<scope>` is
what tools remembered for a conversation or user.

A save writes the messages that are new since the last save, then the checkpoint, which names
how many messages it has. The checkpoint is one value, so it is the commit point on every
store: a save cut short leaves the previous checkpoint whole, and the conversation never has
to be written again in full.
"""

import asyncio
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from ..pricing import Usage

log = logging.getLogger(__name__)

CheckpointStatus = Literal[
    "running",
    "completed",
    "max_turns",
    "max_tokens",
    "budget",
    "repeated_call",
    "refused",
]


class KeyValue(Protocol):
    """What a store must do. Each backend says how atomic `add` and `replace` are."""

    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str) -> None: ...
    async def set_many(self, items: list[tuple[str, str]]) -> None:
        """Sets the keys in order; all at once where the store can (not a Beam Map)."""
        ...

    async def add(self, key: str, value: str) -> bool:
        """Sets the key only if it is absent; True if it did."""
        ...

    async def replace(self, key: str, expected: str, value: str) -> bool:
        """Sets the key only if it still holds `expected`; True if it did."""
        ...

    async def get_many(self, keys: list[str]) -> list[str | None]: ...
    async def delete(self, key: str) -> None: ...
    async def keys(self, prefix: str) -> list[str]: ...
    async def close(self) -> None: ...


class ToolOutcome(BaseModel):
    """A side-effecting call that completed: never run again, its result reused."""

    name: str
    content: str
    is_error: bool = False


class Checkpoint(BaseModel):
    """Everything a run needs to go on where it stopped, saved after every step."""

    run_id: str
    task: str
    memory_scope: str
    status: CheckpointStatus = "running"
    model: str
    messages: list[dict[str, Any]] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    turns: int = 0
    answer: str = ""
    reason: str = ""
    max_tokens: int
    retried_truncation: bool = False
    calls_seen: dict[str, int] = Field(default_factory=dict)
    # The model's reply of the current turn, saved before any of its tools run, so a resumed
    # run does not pay for it again; and the side-effecting calls of that turn that finished.
    pending: dict[str, Any] | None = None
    outcomes: dict[str, ToolOutcome] = Field(default_factory=dict)
    attempts: int = 1
    message_count: int = 0
    created_at: float = Field(default_factory=time.time)
    updated_at: float = Field(default_factory=time.time)


class RunSummary(BaseModel):
    run_id: str
    status: CheckpointStatus
    turns: int
    total_tokens: int
    task: str
    updated_at: float


class LeaseHeldError(Exception):
    """Another worker is running this run id right now."""

    def __init__(self, run_id: str, holder: str, seconds_left: float) -> None:
        super().__init__(
            f"run {run_id} is being run by {holder} (lease ends in {seconds_left:.0f} s); "
            "wait for it to finish, or try again after the lease ends"
        )
        self.run_id = run_id
        self.holder = holder


class MemoryFullError(Exception):
    """A memory write would pass the size cap."""


class Lease(BaseModel):
    run_id: str
    owner: str
    host: str
    pid: int
    expires_at: float

    def expired(self) -> bool:
        if time.time() >= self.expires_at:
            return True
        # A holder on this machine whose process is gone cannot finish its run.
        return self.host == socket.gethostname() and not _process_alive(self.pid)


def _message_key(run_id: str, n: int) -> str:
    return f"msg:{run_id}:{n:06d}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunStore:
    """Checkpoints, leases and memory on top of any KeyValue backend."""

    def __init__(
        self,
        kv: KeyValue,
        *,
        lease_ttl_s: float = 60.0,
        memory_limit_bytes: int = 16_384,
    ) -> None:
        self.kv = kv
        self.lease_ttl_s = lease_ttl_s
        self.memory_limit_bytes = memory_limit_bytes
        self._stored_messages: dict[str, int] = {}  # by run id, as of our last load or save

    async def close(self) -> None:
        await self.kv.close()

    async def load(self, run_id: str) -> Checkpoint | None:
        checkpoint = await self._load_head(run_id)
        if checkpoint is None:
            return None
        keys = [_message_key(run_id, n) for n in range(checkpoint.message_count)]
        raws = await self.kv.get_many(keys) if keys else []
        if any(raw is None for raw in raws):
            raise ValueError(f"run {run_id}: the store lost messages of its conversation")
        checkpoint.messages = [json.loads(raw) for raw in raws if raw is not None]
        self._stored_messages[run_id] = checkpoint.message_count
        return checkpoint

    async def _load_head(self, run_id: str) -> Checkpoint | None:
        raw = await self.kv.get(f"run:{run_id}")
        return Checkpoint.model_validate_json(raw) if raw else None

    async def save(self, checkpoint: Checkpoint) -> None:
        run_id = checkpoint.run_id
        stored = self._stored_messages.get(run_id, 0)
        items = [
            (_message_key(run_id, n), json.dumps(checkpoint.messages[n]))
            for n in range(stored, len(checkpoint.messages))
        ]
        checkpoint.message_count = len(checkpoint.messages)
        checkpoint.updated_at = time.time()
        # The checkpoint goes last: where a store cannot write all keys at once, it is the
        # commit point that makes the new messages count.
        items.append((f"run:{run_id}", checkpoint.model_dump_json(exclude={"messages"})))
        await self.kv.set_many(items)
        self._stored_messages[run_id] = checkpoint.message_count

    async def list_runs(self, limit: int = 20) -> list[RunSummary]:
        keys = await self.kv.keys("run:")
        loaded = await asyncio.gather(*(self._load_head(key.removeprefix("run:")) for key in keys))
        summaries = [
            RunSummary(
                run_id=c.run_id,
                status=c.status,
                turns=c.turns,
                total_tokens=c.usage.total_tokens,
                task=c.task,
                updated_at=c.updated_at,
            )
            for c in loaded
            if c is not None
        ]
        return sorted(summaries, key=lambda s: s.updated_at, reverse=True)[:limit]

    async def acquire(self, run_id: str) -> Lease:
        """Takes the run's lease, or raises LeaseHeldError naming the worker that has it."""
        lease = self._new_lease(run_id)
        key, value = f"lease:{run_id}", lease.model_dump_json()
        for _ in range(3):
            if await self.kv.add(key, value):
                return lease
            raw = await self.kv.get(key)
            if raw is None:
                continue  # released between the two calls
            held = Lease.model_validate_json(raw)
            if not held.expired():
                raise LeaseHeldError(run_id, held.owner, held.expires_at - time.time())
            if await self.kv.replace(key, raw, value):
                return lease
        raise LeaseHeldError(run_id, "another worker", self.lease_ttl_s)

    @asynccontextmanager
    async def leased(self, run_id: str) -> AsyncIterator[Lease]:
        """Holds the run's lease for the block, renewing it, so it lapses only if we die."""
        held = [await self.acquire(run_id)]

        async def keep() -> None:
            while True:
                await asyncio.sleep(self.lease_ttl_s / 3)
                try:
                    held[0] = await self.renew(held[0])
                except LeaseHeldError:
                    log.warning("lost the lease", extra={"run_id": run_id})
                    return

        keeping = asyncio.create_task(keep())
        try:
            yield held[0]
        finally:
            keeping.cancel()
            with suppress(asyncio.CancelledError):
                await keeping
            await self.release(held[0])

    async def renew(self, lease: Lease) -> Lease:
        """Moves the lease's expiry on, if this worker still holds it."""
        key = f"lease:{lease.run_id}"
        raw = await self.kv.get(key)
        if raw is None or Lease.model_validate_json(raw).owner != lease.owner:
            raise LeaseHeldError(lease.run_id, "another worker", 0)
        renewed = lease.model_copy(update={"expires_at": time.time() + self.lease_ttl_s})
        if not await self.kv.replace(key, raw, renewed.model_dump_json()):
            raise LeaseHeldError(lease.run_id, "another worker", 0)
        return renewed

    async def release(self, lease: Lease) -> None:
        key = f"lease:{lease.run_id}"
        raw = await self.kv.get(key)
        if raw is not None and Lease.model_validate_json(raw).owner == lease.owner:
            await self.kv.delete(key)

    def _new_lease(self, run_id: str) -> Lease:
        return Lease(
            run_id=run_id,
            owner=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}",
            host=socket.gethostname(),
            pid=os.getpid(),
            expires_at=time.time() + self.lease_ttl_s,
        )

    async def memory(self, scope: str) -> dict[str, str]:
        raw = await self.kv.get(f"memory:{scope}")
        return json.loads(raw) if raw else {}

    async def remember(self, scope: str, key: str, value: str) -> None:
        """Writes one memory entry; a lost race with another writer is retried."""
        store_key = f"memory:{scope}"
        for _ in range(10):
            raw = await self.kv.get(store_key)
            entries = json.loads(raw) if raw else {}
            entries[key] = value
            updated = json.dumps(entries, sort_keys=True)
            if len(updated.encode()) > self.memory_limit_bytes:
                raise MemoryFullError(
                    f"memory for {scope!r} would pass {self.memory_limit_bytes} bytes; "
                    "forget something first"
                )
            written = (
                await self.kv.add(store_key, updated)
                if raw is None
                else await self.kv.replace(store_key, raw, updated)
            )
            if written:
                return
        raise RuntimeError(f"memory for {scope!r} changed ten times while writing; try again")

    async def forget(self, scope: str, key: str) -> bool:
        store_key = f"memory:{scope}"
        for _ in range(10):
            raw = await self.kv.get(store_key)
            entries = json.loads(raw) if raw else {}
            if key not in entries:
                return False
            del entries[key]
            if raw is not None and await self.kv.replace(
                store_key, raw, json.dumps(entries, sort_keys=True)
            ):
                return True
        raise RuntimeError(f"memory for {scope!r} changed ten times while writing; try again")
