"""Matching speed: one ~800-word article against N tracked claims stored in the database.

    python bench/percolate.py --claims 100000 --db sqlite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimtrack \\
        python bench/percolate.py --claims 1000000 --db postgres

Seeds N synthetic claims into a database of its own, builds this process's live index
from it (as a worker does), then times matching articles, warm: the freshness query
against the database, parsing the article and matching it. The brute-force baseline
scores every claim with the same final scoring, in the same run; recall is the share of
its matches that the index also returns. Prints one JSON object.
"""

import argparse
import json
import statistics
import time

from benchdb import bench_database, percentile, rss_mb, seed_claims, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--bruteforce-articles", type=int, default=8)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    setup_django(args.db)

    import synthetic

    from claims.engine.document import Document
    from claims.matching import live_index

    with bench_database():
        texts = synthetic.claims(args.claims, seed=1)
        started = time.perf_counter()
        seed_claims(texts)
        seed_s = time.perf_counter() - started

        live = live_index()
        started = time.perf_counter()
        live.current()
        build_s = time.perf_counter() - started

        from claims.models import Claim

        ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True)[: len(texts)])
        step = max(1, len(texts) // 200)
        about = [texts[i] for i in range(0, len(texts), step)]
        generated = synthetic.articles(args.articles + 3, seed=2, about=about)
        articles = [a.text for a in generated]
        planted = [{ids[i * step] for i in a.about} for a in generated]

        for text in articles[:3]:  # warm-up
            live.current().match(Document.parse(text), top=args.top)
        times, results = [], []
        for text in articles[3:]:
            started = time.perf_counter()
            index = live.current()
            found = index.match(Document.parse(text), top=args.top)
            times.append((time.perf_counter() - started) * 1000)
            results.append(found)

        brute_times, recalls = [], []
        for text, found in list(zip(articles[3:], results, strict=True))[
            : args.bruteforce_articles
        ]:
            started = time.perf_counter()
            index = live.current()
            expected = index.match_bruteforce(Document.parse(text), top=args.top)
            brute_times.append((time.perf_counter() - started) * 1000)
            if expected:
                got = {m.claim_id for m in found}
                recalls.append(sum(m.claim_id in got for m in expected) / len(expected))

        print(
            json.dumps(
                {
                    "claims": len(ids),
                    "db": args.db,
                    "articles": len(times),
                    "seed_s": round(seed_s, 1),
                    "build_s": round(build_s, 1),
                    "median_ms": round(statistics.median(times), 2),
                    "p95_ms": round(percentile(times, 0.95), 2),
                    "bruteforce_median_ms": round(statistics.median(brute_times), 2),
                    "recall_vs_bruteforce": round(statistics.mean(recalls), 4) if recalls else None,
                    "matches_per_article": round(statistics.mean(len(r) for r in results), 2),
                    "planted_found": round(
                        statistics.mean(
                            len(want & {m.claim_id for m in got}) / len(want)
                            for want, got in zip(planted[3:], results, strict=True)
                        ),
                        4,
                    ),
                    "rss_mb": rss_mb(),
                }
            )
        )


if __name__ == "__main__":
    main()
