"""The whole re-check of one article at N tracked claims: match, stance, write evidence.

    python bench/recheck.py --claims 100000 --db sqlite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimtrack \\
        python bench/recheck.py --claims 100000 --db postgres

Seeds N synthetic claims into a database of its own, stores synthetic articles about some
of them, and times `article_check_run` for each (what a worker runs per article), warm.
`articles_per_s` is what one worker process sustains at that median. `freshness_ms` is
the time from a claim's commit until an article about it matches it. The brute-force
baseline runs the same re-check with every claim scored. Prints one JSON object.
"""

import argparse
import json
import statistics
import time

from benchdb import bench_database, percentile, rss_mb, seed_claims, setup_django


class _BruteForce:
    """The live index with matching replaced by scoring every claim."""

    def __init__(self, index):
        self.index = index
        self.version = getattr(index, "version", "match")

    def match(self, doc, top=20, **kwargs):
        return self.index.match_bruteforce(doc, top=top, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--bruteforce-articles", type=int, default=5)
    args = parser.parse_args()
    setup_django(args.db)

    import synthetic

    from articles.services import article_create
    from claims import recheck
    from claims.engine.document import Document
    from claims.matching import live_index
    from claims.models import Claim, Evidence

    with bench_database():
        texts = synthetic.claims(args.claims, seed=1)
        seed_claims(texts)
        live = live_index()
        live.current()
        about = [texts[i] for i in range(0, len(texts), max(1, len(texts) // 200))]
        bodies = [
            a.text
            for a in synthetic.articles(
                args.articles + args.bruteforce_articles + 3, seed=3, about=about
            )
        ]
        stored = [
            article_create(title=f"Bench article {i}", text=text).article
            for i, text in enumerate(bodies)
        ]
        recheck.stance_model()  # loaded once per process, like a worker's

        for article in stored[:3]:  # warm-up
            recheck.article_check_run(article_id=article.pk, force=True)
        times = []
        timed = stored[3 : 3 + args.articles]
        started_all = time.perf_counter()
        for article in timed:
            started = time.perf_counter()
            recheck.article_check_run(article_id=article.pk, force=True)
            times.append((time.perf_counter() - started) * 1000)
        total_s = time.perf_counter() - started_all

        real_current = live.current
        live.current = lambda: _BruteForce(real_current())
        brute = []
        for article in stored[3 + args.articles :]:
            started = time.perf_counter()
            recheck.article_check_run(article_id=article.pk, force=True)
            brute.append((time.perf_counter() - started) * 1000)
        live.current = real_current

        freshness = []
        for i, text in enumerate(synthetic.claims(5, seed=99)):
            claim = Claim.objects.create(text=f"{text} (fresh {i})")
            committed = time.perf_counter()
            doc = Document.parse(synthetic.articles(1, seed=100 + i, about=[claim.text])[0].text)
            parse_s = time.perf_counter() - committed
            found = any(m.claim_id == claim.pk for m in live.current().match(doc, top=50))
            freshness.append((time.perf_counter() - committed - parse_s) * 1000 if found else None)

        print(
            json.dumps(
                {
                    "claims": Claim.objects.count(),
                    "db": args.db,
                    "articles": len(times),
                    "median_ms": round(statistics.median(times), 2),
                    "p95_ms": round(percentile(times, 0.95), 2),
                    "articles_per_s": round(len(times) / total_s, 1),
                    "bruteforce_median_ms": round(statistics.median(brute), 2) if brute else None,
                    "freshness_ms": round(max(f for f in freshness if f is not None), 2)
                    if any(f is not None for f in freshness)
                    else None,
                    "fresh_claims_found": sum(f is not None for f in freshness),
                    "evidence_rows": Evidence.objects.count(),
                    "rss_mb": rss_mb(),
                }
            )
        )


if __name__ == "__main__":
    main()
