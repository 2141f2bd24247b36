"""The load benchmark's simulated people, as asyncio tasks over one aiohttp session:
readers (lists with filters and cursor pages, details, the change feed), journalists
(claims and where they appeared), an editor (verdicts), an article feed posting at a
fixed rate, and the closed-loop comparison of the API's claims list with a plain view.

Every request is timed and filed under a class; any answer outside 2xx/3xx, or any
exception, is an error, and the first few are kept as samples.
"""

import asyncio
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp

READ_CLASSES = ("list", "detail", "changes")
# (name, weight, query) of the claims lists readers ask for; {tag}, {speaker}, {word} and
# {since} are filled in per request.
LIST_VARIANTS = [
    ("first_page", 4, ""),
    ("status", 2, "?status=supported&status=mixed"),
    ("kind", 1, "?kind=prediction"),
    ("tag", 2, "?tag={tag}"),
    ("updated_after", 1, "?updated_after={since}"),
    ("ordering", 1, "?ordering=-updated_at"),
    ("speaker", 1, "?speaker={speaker}"),
    ("q", 1, "?q={word}"),
]


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency_summary(values: list[float]) -> dict:
    if not values:
        return {"requests": 0}
    ordered = sorted(values)
    return {
        "requests": len(ordered),
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1),
    }


@dataclass
class Recorder:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    trace: list[tuple[float, str, float]] | None = None  # (ended at, kind, ms) if kept

    def add(self, kind: str, ms: float, ok: bool, note: str = "") -> None:
        self.latencies[kind].append(ms)
        if self.trace is not None:
            self.trace.append((time.monotonic(), kind, round(ms, 1)))
        if not ok:
            self.errors[kind] += 1
            if len(self.samples) < 10:
                self.samples.append(f"{kind}: {note}"[:400])

    def summary(self, seconds: float) -> dict:
        out = {}
        for kind in sorted(set(self.latencies) | set(self.errors)):
            values = self.latencies[kind]
            out[kind] = {
                **latency_summary(values),
                "per_s": round(len(values) / seconds, 1),
                "errors": self.errors[kind],
            }
        return out


@dataclass
class Context:
    """What the simulated people share: the server, their tokens and the seeded data."""

    session: aiohttp.ClientSession
    base: str
    tokens: dict[str, list[str]]  # role -> tokens
    claim_ids: list[int]
    article_texts: dict[int, str]
    speaker_ids: list[int]
    tags: list[str]
    words: list[str]
    recorder: Recorder = field(default_factory=Recorder)
    variants: Recorder = field(default_factory=Recorder)  # list latency by variant
    ingested: list[tuple[int, str]] = field(default_factory=list)  # (id, text) this run
    quotes_used: set = field(default_factory=set)


async def call(ctx: Context, kind: str, method: str, url: str, token: str, body=None):
    """One timed request; (status, parsed JSON) or (None, None) on an exception."""
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    started = time.perf_counter()
    try:
        async with ctx.session.request(
            method, url if url.startswith("http") else ctx.base + url, headers=headers, json=body
        ) as response:
            raw = await response.read()
            ms = (time.perf_counter() - started) * 1000
            ok = 200 <= response.status < 400
            ctx.recorder.add(kind, ms, ok, f"{method} {url} -> {response.status} {raw[:200]!r}")
            return response.status, json.loads(raw) if ok and raw else None
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        ms = (time.perf_counter() - started) * 1000
        ctx.recorder.add(kind, ms, False, f"{method} {url} -> {error!r}")
        return None, None


async def _think(rng: random.Random, mean: float) -> None:
    if mean > 0:
        await asyncio.sleep(rng.expovariate(1 / mean))


def _list_query(ctx: Context, rng: random.Random) -> tuple[str, str]:
    name, _, query = rng.choices(LIST_VARIANTS, weights=[v[1] for v in LIST_VARIANTS])[0]
    since = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return name, query.format(
        tag=rng.choice(ctx.tags),
        speaker=rng.choice(ctx.speaker_ids),
        word=rng.choice(ctx.words),
        since=since,
    )


async def reader(ctx: Context, index: int, stop_at: float, think: float, cursor: str) -> None:
    """A tool or a person reading: lists (following `next` now and then), claims, and
    the change feed from where it left off."""
    rng = random.Random(index)
    token = ctx.tokens["reader"][index % len(ctx.tokens["reader"])]
    await _think(rng, think)  # people arrive at random moments, not all at once
    while time.monotonic() < stop_at:
        roll = rng.random()
        if roll < 0.45:
            name, query = _list_query(ctx, rng)
            url, pages = f"/api/v1/claims/{query}", 1 + (rng.random() < 0.3)
            for _ in range(pages):
                started = time.perf_counter()
                _, page = await call(ctx, "list", "GET", url, token)
                ctx.variants.add(name, (time.perf_counter() - started) * 1000, True)
                url = page and page.get("next")
                if not url:
                    break
        elif roll < 0.8:
            claim = rng.choice(ctx.claim_ids)
            suffix = "history/" if rng.random() < 0.2 else ""
            await call(ctx, "detail", "GET", f"/api/v1/claims/{claim}/{suffix}", token)
        else:
            _, page = await call(ctx, "changes", "GET", f"/api/v1/changes/?after={cursor}", token)
            cursor = (page or {}).get("next") or cursor
        await _think(rng, think)


def _quote(ctx: Context, rng: random.Random, claim_id: int):
    """A sentence of a recent article (else a seeded one) not yet quoted for this claim."""
    for _ in range(20):
        if ctx.ingested and rng.random() < 0.7:
            article_id, text = rng.choice(ctx.ingested)
        else:
            article_id = rng.choice(list(ctx.article_texts))
            text = ctx.article_texts[article_id]
        end = text.find(". ", rng.randrange(len(text) // 2)) + 1
        start = text.rfind(". ", 0, end - 1) + 2
        if end > 0 and end - start > 20 and (claim_id, article_id, start) not in ctx.quotes_used:
            ctx.quotes_used.add((claim_id, article_id, start))
            return {"claim": claim_id, "article": article_id, "start": start, "end": end}
    return None


async def journalist(ctx: Context, index: int, stop_at: float, think: float, texts) -> None:
    """Logs new claims with where they were made, and new appearances of tracked ones."""
    rng = random.Random(1000 + index)
    token = ctx.tokens["journalist"][index]
    await _think(rng, think)  # people arrive at random moments, not all at once
    while time.monotonic() < stop_at:
        if rng.random() < 0.4:
            body = {"text": next(texts), "kind": "fact", "tags": [rng.choice(ctx.tags)]}
            _, claim = await call(ctx, "claim_create", "POST", "/api/v1/claims/", token, body)
            claim_id = claim and claim["id"]
        else:
            claim_id = rng.choice(ctx.claim_ids)
        quote = claim_id and _quote(ctx, rng, claim_id)
        if quote:
            quote["speaker"] = rng.choice(ctx.speaker_ids)
            quote["attribution"] = "said on Tuesday"
            await call(ctx, "appearance_create", "POST", "/api/v1/appearances/", token, quote)
        await _think(rng, think)


async def editor(ctx: Context, stop_at: float, think: float) -> None:
    """Reads a claim, then rules on it, naming the status it saw."""
    rng = random.Random(2000)
    token = ctx.tokens["editor"][0]
    statuses = ["supported", "refuted", "mixed", "unverifiable"]
    await _think(rng, think)  # people arrive at random moments, not all at once
    while time.monotonic() < stop_at:
        claim_id = rng.choice(ctx.claim_ids)
        _, claim = await call(ctx, "detail", "GET", f"/api/v1/claims/{claim_id}/", token)
        if claim:
            body = {
                "status": rng.choice([s for s in statuses if s != claim["status"]]),
                "expected": claim["status"],
                "note": "Checked against the primary source.",
            }
            await call(ctx, "status_set", "POST", f"/api/v1/claims/{claim_id}/status/", token, body)
        await _think(rng, think)


async def article_feed(ctx: Context, stop_at: float, rate: float, bodies) -> int:
    """Posts articles at a fixed rate (open loop: a slow answer does not slow the feed)."""
    token = ctx.tokens["ingest"][0]

    async def post(body: dict) -> None:
        _, article = await call(ctx, "article_ingest", "POST", "/api/v1/articles/", token, body)
        if article:
            ctx.ingested.append((article["id"], body["text"]))

    pending, sent, next_at = set(), 0, time.monotonic()
    while next_at < stop_at:
        task = asyncio.create_task(post(next(bodies)))
        pending.add(task)
        task.add_done_callback(pending.discard)
        sent += 1
        next_at += 1 / rate
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    if pending:
        await asyncio.gather(*pending)
    return sent


async def closed_loop(ctx: Context, url: str, token: str, seconds: float, clients: int) -> dict:
    """`clients` requesting `url` back to back for `seconds`: completions and latency."""
    recorder, stop_at = Recorder(), time.monotonic() + seconds
    saved, ctx.recorder = ctx.recorder, recorder
    try:

        async def loop() -> None:
            while time.monotonic() < stop_at:
                await call(ctx, "compare", "GET", url, token)

        started = time.monotonic()
        await asyncio.gather(*(loop() for _ in range(clients)))
        elapsed = time.monotonic() - started
    finally:
        ctx.recorder = saved
    return {
        "done": len(recorder.latencies["compare"]),
        "seconds": elapsed,
        "latencies": recorder.latencies["compare"],
        "errors": recorder.errors["compare"],
        "samples": recorder.samples,
    }


async def compare_lists(ctx: Context, seconds: float, clients: int, rounds: int) -> dict:
    """The API's first claims page against the plain view's same rows, in alternating
    slices so both see the same background (the shared machine's other work)."""
    token = ctx.tokens["reader"][0]
    sides = {"api": "/api/v1/claims/", "plain": "/bench/plain-claims/"}
    runs: dict[str, list[dict]] = {"api": [], "plain": []}
    for round_ in range(rounds):
        order = ["api", "plain"] if round_ % 2 == 0 else ["plain", "api"]
        for side in order:
            runs[side].append(await closed_loop(ctx, sides[side], token, seconds / rounds, clients))
    out = {}
    for side, parts in runs.items():
        done = sum(p["done"] for p in parts)
        out[side] = {
            "per_s": round(done / sum(p["seconds"] for p in parts), 1),
            **latency_summary([ms for p in parts for ms in p["latencies"]]),
            "errors": sum(p["errors"] for p in parts),
            "error_samples": [s for p in parts for s in p["samples"]][:3],
        }
    out["ratio_api_to_plain"] = round(out["api"]["per_s"] / max(out["plain"]["per_s"], 1e-9), 2)
    out["clients"] = clients
    out["seconds_each"] = seconds
    return out


async def probe(ctx: Context, bodies, rounds: int = 15) -> dict:
    """One request at a time of each kind, on the quiet stack: what a request costs when
    it does not queue behind others."""
    rng, saved = random.Random(3000), ctx.recorder
    ctx.recorder = recorder = Recorder()
    token = ctx.tokens["reader"][0]
    try:
        for _ in range(rounds):
            await call(ctx, "list", "GET", "/api/v1/claims/", token)
            await call(ctx, "plain_list", "GET", "/bench/plain-claims/", token)
            claim = rng.choice(ctx.claim_ids)
            await call(ctx, "detail", "GET", f"/api/v1/claims/{claim}/", token)
            await call(ctx, "changes", "GET", "/api/v1/changes/?limit=100", token)
            body = next(bodies)
            await call(
                ctx, "article_ingest", "POST", "/api/v1/articles/", ctx.tokens["ingest"][0], body
            )
    finally:
        ctx.recorder = saved
    return {kind: latency_summary(values) for kind, values in recorder.latencies.items()}
