"""What a run costs, and a month of runs: platform compute plus Claude's tokens.

Every number comes from the workload profile and deployment (settings.py), the price table
(prices.toml) and a few stated assumptions, each of which `<package> estimate` can override.
The formula, per run:

    compute  = run seconds x (cores x core price + GiB x GiB price) / runs sharing a container
               x the share of runs that warm containers cannot carry
    gpu      = GPU seconds x GPU price
    cold     = (cold boot + idle wait) x instance price, where cold boots are billed (Replicate)
    tokens   = turns x (input x input price + output x output price)
               + prefix x cache-write price + prefix x (turns - 1) x cache-read price
    month    = 30 x (runs a day x per run + warm containers x 86,400 s x container price)
"""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from .pricing import PER_MILLION, PriceTable, price_table, prices_for
from .settings import GPU_TYPES, Deployment, WorkloadProfile

SECONDS_PER_DAY = 86_400
DAYS_PER_MONTH = 30
# Typical values by profile answer; the estimate prints them and every one can be overridden.
RUN_SECONDS = {"short": 5.0, "medium": 45.0, "long": 300.0}
TURNS = {"short": 2.0, "medium": 5.0, "long": 15.0}
GPU_SECONDS_PER_TURN = {"none": 0.0, "embeddings": 0.3, "local_model": 2.0}
COLD_BOOT_S = {"cpu": 10.0, "gpu": 40.0}  # the seed article: 5-15 s CPU, 20-60 s GPU


class Assumptions(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    runs_per_day: float = Field(gt=0)
    run_seconds: float = Field(gt=0)
    turns_per_run: float = Field(ge=1)
    input_tokens_per_turn: float = Field(ge=0, description="Besides the cached prefix")
    output_tokens_per_turn: float = Field(ge=0)
    prefix_tokens: float = Field(ge=0, description="System prompt and tools, cached")
    gpu_seconds_per_run: float = Field(ge=0)
    idle_timeout_s: float = Field(ge=0, description="A Replicate instance's wait before it stops")
    batch_api: bool = False

    @classmethod
    def for_profile(cls, profile: WorkloadProfile, **overrides: object) -> "Assumptions":
        turns = float(overrides.pop("turns_per_run", None) or TURNS[profile.run_duration])
        defaults: dict[str, object] = {
            "runs_per_day": 500.0 if profile.concurrency == "queue" else 1000.0,
            "run_seconds": RUN_SECONDS[profile.run_duration],
            "turns_per_run": turns,
            "input_tokens_per_turn": 2000.0,
            "output_tokens_per_turn": 400.0,
            "prefix_tokens": 1500.0,
            "gpu_seconds_per_run": GPU_SECONDS_PER_TURN[profile.gpu] * turns,
            "idle_timeout_s": 60.0,
        }
        given = {name: value for name, value in overrides.items() if value is not None}
        return cls.model_validate({**defaults, **given})


class CostLine(BaseModel):
    item: str
    usd: float
    arithmetic: str


class Estimate(BaseModel):
    platform: str
    model: str
    lines: list[CostLine]
    per_run_usd: float
    warm_per_day_usd: float
    per_month_usd: float
    assumptions: Assumptions
    prices_checked: date
    prices_age_days: int


def estimate(
    platform: str,
    profile: WorkloadProfile,
    deployment: Deployment,
    model: str,
    assumptions: Assumptions,
    table: PriceTable | None = None,
    today: date | None = None,
) -> Estimate:
    """The cost of one run and of a month of them on `platform`, line by line."""
    table = table or price_table()
    today = today or date.today()
    prices = table.platforms[platform]
    a = assumptions
    # Runs in flight at once, on average; up to max_inputs of them share one container.
    in_flight = a.runs_per_day * a.run_seconds / SECONDS_PER_DAY
    sharing = max(1.0, min(float(deployment.max_inputs), in_flight))
    # Warm containers are paid for all day (below); the runs they carry cost nothing more.
    warm_capacity = deployment.min_containers * deployment.max_inputs
    beyond_warm = max(0.0, 1.0 - warm_capacity / in_flight) if warm_capacity else 1.0
    gpu_type = GPU_TYPES[platform].get(profile.gpu)
    lines: list[CostLine] = []

    if platform == "replicate":
        container_s = prices.instance["cpu"]
        container = f"${container_s:.6f}/s cpu instance"
        lines.append(_compute_line(a.run_seconds, container_s, container, sharing, beyond_warm))
        if gpu_type:
            gpu_s = prices.instance[gpu_type]
            lines.append(_gpu_line(a.gpu_seconds_per_run, gpu_s, gpu_type))
        lines.append(_cold_line(a, deployment, prices.instance, gpu_type))
    else:
        memory_gib = deployment.memory_mib / 1024
        container_s = deployment.cpu * prices.cpu_core + memory_gib * prices.memory_gib
        container = (
            f"({deployment.cpu:g} core x ${prices.cpu_core:.7f} + "
            f"{memory_gib:g} GiB x ${prices.memory_gib:.8f})/s"
        )
        lines.append(_compute_line(a.run_seconds, container_s, container, sharing, beyond_warm))
        if gpu_type:
            lines.append(_gpu_line(a.gpu_seconds_per_run, prices.gpu[gpu_type], gpu_type))
    lines.append(_token_line(model, a, table))

    per_run = sum(line.usd for line in lines)
    warm_per_day = deployment.min_containers * SECONDS_PER_DAY * container_s
    per_month = DAYS_PER_MONTH * (a.runs_per_day * per_run + warm_per_day)
    checked = min(table.platforms[platform].checked, table.claude[model].checked)
    return Estimate(
        platform=platform,
        model=model,
        lines=lines,
        per_run_usd=per_run,
        warm_per_day_usd=warm_per_day,
        per_month_usd=per_month,
        assumptions=a,
        prices_checked=checked,
        prices_age_days=(today - checked).days,
    )


def _compute_line(
    seconds: float, per_second: float, container: str, sharing: float, beyond_warm: float
) -> CostLine:
    usd = seconds * per_second / sharing * beyond_warm
    arithmetic = f"{seconds:g} s x {container} / {sharing:.2f} runs sharing a container"
    if beyond_warm < 1.0:
        arithmetic += f" x {beyond_warm:.2f} not carried by warm containers"
    return CostLine(item="compute", usd=usd, arithmetic=arithmetic)


def _gpu_line(seconds: float, per_second: float, gpu_type: str) -> CostLine:
    return CostLine(
        item="gpu",
        usd=seconds * per_second,
        arithmetic=f"{seconds:g} s x ${per_second:.6f}/s {gpu_type}",
    )


def _cold_line(
    a: Assumptions, deployment: Deployment, instance: dict[str, float], gpu_type: str | None
) -> CostLine:
    """Replicate bills a private model's boot and its idle wait before it scales to zero."""
    gap_s = SECONDS_PER_DAY / a.runs_per_day
    if deployment.min_containers > 0 or gap_s <= a.idle_timeout_s:
        return CostLine(item="cold boots", usd=0.0, arithmetic="instances stay warm: none billed")
    billed_s = COLD_BOOT_S["cpu"] + a.idle_timeout_s
    usd = billed_s * instance["cpu"]
    arithmetic = f"a run every {gap_s:.0f} s: ({COLD_BOOT_S['cpu']:g} s boot + "
    arithmetic += f"{a.idle_timeout_s:g} s idle) x ${instance['cpu']:.6f}/s"
    if gpu_type:
        gpu_billed_s = COLD_BOOT_S["gpu"] + a.idle_timeout_s
        usd += gpu_billed_s * instance[gpu_type]
        arithmetic += f" + {gpu_billed_s:g} s x ${instance[gpu_type]:.6f}/s {gpu_type}"
    return CostLine(item="cold boots", usd=usd, arithmetic=arithmetic)


def _token_line(model: str, a: Assumptions, table: PriceTable) -> CostLine:
    prices = prices_for(model)
    input_tokens = a.turns_per_run * a.input_tokens_per_turn
    output_tokens = a.turns_per_run * a.output_tokens_per_turn
    cache_reads = a.prefix_tokens * (a.turns_per_run - 1)
    usd = (
        input_tokens * prices.input
        + output_tokens * prices.output
        + a.prefix_tokens * prices.cache_write
        + cache_reads * prices.cache_read
    ) / PER_MILLION
    arithmetic = (
        f"{input_tokens:,.0f} in x ${prices.input:g} + {output_tokens:,.0f} out x "
        f"${prices.output:g} + {a.prefix_tokens:,.0f} cache write x ${prices.cache_write:g} + "
        f"{cache_reads:,.0f} cache read x ${prices.cache_read:g}, per million"
    )
    if a.batch_api:
        usd *= table.batch_discount
        arithmetic += f", x {table.batch_discount:g} with the Batches API"
    return CostLine(item="tokens", usd=usd, arithmetic=arithmetic)
