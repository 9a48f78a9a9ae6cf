"""Token prices from prices.toml, and what a run's usage costs."""

import tomllib
from datetime import date
from functools import cache
from importlib.resources import files

from pydantic import BaseModel

PER_MILLION = 1_000_000


class TokenPrices(BaseModel, frozen=True):
    """USD per million tokens for one model."""

    input: float
    output: float
    cache_write: float
    cache_read: float
    checked: date
    source: str


class Usage(BaseModel):
    """Tokens used so far, split the way the API bills them."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_write_tokens
            + self.cache_read_tokens
        )

    def add(self, other: "Usage") -> None:
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cache_write_tokens += other.cache_write_tokens
        self.cache_read_tokens += other.cache_read_tokens

    def cost_usd(self, prices: TokenPrices) -> float:
        return (
            self.input_tokens * prices.input
            + self.output_tokens * prices.output
            + self.cache_write_tokens * prices.cache_write
            + self.cache_read_tokens * prices.cache_read
        ) / PER_MILLION


class PlatformPrices(BaseModel, frozen=True):
    """USD per second on one platform: per CPU core, GiB of memory and GPU, or per instance."""

    cpu_core: float = 0.0
    memory_gib: float = 0.0
    gpu: dict[str, float] = {}
    instance: dict[str, float] = {}
    checked: date
    source: str


class PriceTable(BaseModel, frozen=True):
    claude: dict[str, TokenPrices]
    batch_discount: float
    batch_checked: date
    platforms: dict[str, PlatformPrices]

    def oldest_check(self) -> date:
        dates = [p.checked for p in self.claude.values()]
        dates += [p.checked for p in self.platforms.values()]
        return min([*dates, self.batch_checked])


@cache
def price_table() -> PriceTable:
    """prices.toml, read once."""
    raw = tomllib.loads(files(__package__).joinpath("prices.toml").read_text())
    return PriceTable(
        claude={model: TokenPrices(**entry) for model, entry in raw["claude"].items()},
        batch_discount=raw["batch"]["discount"],
        batch_checked=raw["batch"]["checked"],
        platforms={name: PlatformPrices(**entry) for name, entry in raw["platform"].items()},
    )


def known_models() -> list[str]:
    return sorted(price_table().claude)


def prices_for(model: str) -> TokenPrices:
    try:
        return price_table().claude[model]
    except KeyError:
        raise ValueError(
            f"no prices for model {model!r}; add it to prices.toml or use one of "
            f"{', '.join(known_models())}"
        ) from None
