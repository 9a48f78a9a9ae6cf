"""SQLite as the run store: the embedded default for local runs and tests.

One file, one table. Every operation is a single statement in its own transaction, so `add`
and `replace` are atomic across the processes that share the file. Statements run on the
event loop's own thread: in WAL mode a write to a local file takes tens of microseconds, less
than handing it to a worker thread would.
"""

import sqlite3
import time
from pathlib import Path


class SQLiteKV:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
        with self._db:
            # WAL lets readers and one writer work at once; NORMAL syncs at checkpoints, which
            # survives a killed process (only a power loss can drop the last commits).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT, updated REAL)"
            )

    def _write(self, sql: str, *parameters: object) -> int:
        with self._db:
            return self._db.execute(sql, parameters).rowcount

    async def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    async def get_many(self, keys: list[str]) -> list[str | None]:
        return [await self.get(key) for key in keys]

    async def set(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", key, value, time.time())

    async def set_many(self, items: list[tuple[str, str]]) -> None:
        now = time.time()
        with self._db:  # one transaction: all of them or none
            self._db.executemany(
                "INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", [(k, v, now) for k, v in items]
            )

    async def add(self, key: str, value: str) -> bool:
        sql = "INSERT OR IGNORE INTO kv VALUES (?, ?, ?)"
        return self._write(sql, key, value, time.time()) == 1

    async def replace(self, key: str, expected: str, value: str) -> bool:
        sql = "UPDATE kv SET value = ?, updated = ? WHERE key = ? AND value = ?"
        return self._write(sql, value, time.time(), key, expected) == 1

    async def delete(self, key: str) -> None:
        self._write("DELETE FROM kv WHERE key = ?", key)

    async def keys(self, prefix: str) -> list[str]:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = "SELECT key FROM kv WHERE key LIKE ? ESCAPE '\\' ORDER BY key"
        return [row[0] for row in self._db.execute(sql, (pattern,)).fetchall()]

    async def close(self) -> None:
        self._db.close()
