"""Redis as the run store, on any platform (REDIS_URL).

`add` is SET NX and `replace` a small Lua script, so both are atomic on the server: two
workers can never both take the same lease.
"""

import redis.asyncio as redis

_REPLACE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


class RedisKV:
    def __init__(self, url: str, *, namespace: str) -> None:
        self._redis = redis.Redis.from_url(url, decode_responses=True)
        self._namespace = namespace
        self._replace = self._redis.register_script(_REPLACE)

    def _key(self, key: str) -> str:
        return f"{self._namespace}:{key}"

    async def get(self, key: str) -> str | None:
        return await self._redis.get(self._key(key))

    async def get_many(self, keys: list[str]) -> list[str | None]:
        return await self._redis.mget([self._key(key) for key in keys])

    async def set(self, key: str, value: str) -> None:
        await self._redis.set(self._key(key), value)

    async def set_many(self, items: list[tuple[str, str]]) -> None:
        await self._redis.mset({self._key(key): value for key, value in items})  # atomic

    async def add(self, key: str, value: str) -> bool:
        return bool(await self._redis.set(self._key(key), value, nx=True))

    async def replace(self, key: str, expected: str, value: str) -> bool:
        return bool(await self._replace(keys=[self._key(key)], args=[expected, value]))

    async def delete(self, key: str) -> None:
        await self._redis.delete(self._key(key))

    async def keys(self, prefix: str) -> list[str]:
        start = len(self._namespace) + 1
        found = [key[start:] async for key in self._redis.scan_iter(match=self._key(prefix) + "*")]
        return sorted(found)

    async def close(self) -> None:
        await self._redis.aclose()
