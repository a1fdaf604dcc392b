"""Extraction throughput of the enrich core (no Kafka): the dev-gold texts through `Enricher.enrich`.
Prints one JSON object.

    .venv/bin/python benchmarks/enrich_bench.py --repeat 5          # pipeline.cfg (the default)
    .venv/bin/python benchmarks/enrich_bench.py --repeat 5 --fast   # pipeline-fast.cfg (no NER)

One warm-up pass, then `--repeat` timed passes of all texts as one batch (one `nlp.pipe`, as the
worker does); articles_per_s is over the timed passes. p50_ms_per_article is the median latency of
one article enriched alone (a batch of one), measured in one more pass.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from newswire.bootstrap import tune_gc
from newswire.enrich.knowledge import load_knowledge
from newswire.enrich.pipeline import FAST_PIPELINE_CFG, Enricher, build_nlp
from newswire.gold import raw_article
from newswire.settings import Settings

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "dev-gold" / "leader_meetings.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="JSON lines with title/text/published/source")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--fast", action="store_true", help="pipeline-fast.cfg: no statistical NER")
    args = ap.parse_args()
    lines = args.gold.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    articles = [raw_article(r) for r in records]
    settings = Settings()
    if args.fast:
        nlp = build_nlp(settings.spacy_model, cfg_path=FAST_PIPELINE_CFG)
        enricher = Enricher(
            nlp, load_knowledge(), model=settings.spacy_model, batch_size=settings.enrich_batch_size
        )
    else:
        enricher = Enricher.from_settings(settings)
    tune_gc()  # as the enrich worker does once the model is loaded
    enricher.enrich(articles)  # warm-up: lazy tables, caches, first allocations
    started = time.perf_counter()
    for _ in range(args.repeat):
        enricher.enrich(articles)
    seconds = time.perf_counter() - started
    single = []
    for article in articles:
        t = time.perf_counter()
        enricher.enrich([article])
        single.append((time.perf_counter() - t) * 1000)
    n = len(articles) * args.repeat
    print(
        json.dumps(
            {
                "articles": n,
                "seconds": round(seconds, 3),
                "articles_per_s": round(n / seconds, 1),
                "p50_ms_per_article": round(statistics.median(single), 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "model": f"{settings.spacy_model} {enricher.model_version}",
                "pipeline": "pipeline-fast.cfg" if args.fast else "pipeline.cfg",
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
