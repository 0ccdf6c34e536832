"""Reports speed on a year of synthetic traffic: `python -m bench.reports [--days 365]`.

Seeds a fresh SQLite database (or --database-url, which must hold no real
conversations) with `hotline demo seed`, then times what the console's
/reports/data.json does (every chart's query plus JSON encoding) for the whole
range, one month, and one month with a channel and language filter. Prints
the median and worst of --repeat runs; not a test (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from bot.demo.seed import analyze, seed
    from bot.reports.queries import Filters, Reports
    from bot.store.crypto import Keyring, generate_key, set_keyring
    from bot.store.db import session_scope
    from bot.store.migrate import upgrade

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--per-day", type=float, default=30.0)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--database-url", default="")
    args = p.parse_args(argv)
    set_keyring(Keyring([generate_key()]))  # a throwaway key: the rows are made up
    folder = tempfile.mkdtemp(prefix="bench-reports-")
    url = args.database_url or f"sqlite:///{Path(folder) / 'reports.db'}"
    upgrade(url)
    end = date(2026, 11, 30)
    t = time.perf_counter()
    with session_scope(url) as s:
        summary = seed(s, args.days, end=end, per_day=args.per_day)
    with session_scope(url) as s:
        analyze(s)
    print(f"seeded {dict(summary.counts)} in {time.perf_counter() - t:.1f}s")
    start = end - timedelta(days=args.days - 1)
    cases = {"whole range": Filters(start, end),
             "last month": Filters(end - timedelta(days=29), end),
             "last month, twilio, es": Filters(end - timedelta(days=29), end, channel="twilio",
                                               language="es")}
    for name, filters in cases.items():
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            with session_scope(url) as s:
                body = json.dumps([c.as_dict() for c in Reports(s, filters).all()])
            runs.append(time.perf_counter() - t)
        print(f"{name:24s} median {statistics.median(runs) * 1000:6.0f} ms  "
              f"worst {max(runs) * 1000:6.0f} ms  ({len(body)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
