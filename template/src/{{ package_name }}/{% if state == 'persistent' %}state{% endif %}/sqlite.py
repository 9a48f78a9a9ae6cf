"""SQLite as the run store: the embedded default for local runs and tests.

One file, one table. Every operation is a single statement in its own transaction, so `add`
and `replace` are atomic across the processes that share the file.
"""

import asyncio
import sqlite3
import threading
import time
from pathlib import Path


class SQLiteKV:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            # WAL lets readers and one writer work at once; NORMAL syncs at checkpoints, which
            # survives a killed process (only a power loss can drop the last commits).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT, updated REAL)"
            )

    def _run(self, sql: str, *parameters: object) -> sqlite3.Cursor:
        with self._lock, self._db:
            return self._db.execute(sql, parameters)

    async def get(self, key: str) -> str | None:
        row = await asyncio.to_thread(self._fetch, key)
        return row[0] if row else None

    def _fetch(self, key: str) -> tuple[str] | None:
        with self._lock:
            return self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()

    async def set(self, key: str, value: str) -> None:
        await asyncio.to_thread(
            self._run, "INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", key, value, time.time()
        )

    async def add(self, key: str, value: str) -> bool:
        cursor = await asyncio.to_thread(
            self._run, "INSERT OR IGNORE INTO kv VALUES (?, ?, ?)", key, value, time.time()
        )
        return cursor.rowcount == 1

    async def replace(self, key: str, expected: str, value: str) -> bool:
        cursor = await asyncio.to_thread(
            self._run,
            "UPDATE kv SET value = ?, updated = ? WHERE key = ? AND value = ?",
            value,
            time.time(),
            key,
            expected,
        )
        return cursor.rowcount == 1

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._run, "DELETE FROM kv WHERE key = ?", key)

    async def keys(self, prefix: str) -> list[str]:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await asyncio.to_thread(self._keys, pattern)
        return [row[0] for row in rows]

    def _keys(self, pattern: str) -> list[tuple[str]]:
        with self._lock:
            sql = "SELECT key FROM kv WHERE key LIKE ? ESCAPE '\\' ORDER BY key"
            return self._db.execute(sql, (pattern,)).fetchall()

    async def close(self) -> None:
        with self._lock:
            self._db.close()
