"""Throughput of each public page as a ratio to a trivial view, under gunicorn.

    make bench                                   # real size, 10 s runs
    .venv/bin/python bench/load.py --size small --duration 5

Builds a scratch PostgreSQL database (`--database-url`, dropped and created again;
default `tracker_load`) with the real dataset (fixtures/) and, for `--size small` or
`full`, the synthetic rows of bench/scale_data.py, refreshes the statistics and
collects static files. Then serves it as docker-compose.yml does (gunicorn, 2
workers x 4 threads, DEBUG off, WhiteNoise) and loads each page with wrk, 8
connections, alternating trivial view and page (T P T P ... T) so that each page run
is compared with the trivial runs just before and after it. Every request carries
`Accept-Encoding: gzip`, as a browser's does.

Per page it prints: queries (one request through Django's test client, in
process), req/s, ratio to the trivial view, p50/p95 (and their ratio), errors
(socket errors and responses other than 2xx/3xx), HTML bytes (uncompressed) and bytes
per response as sent. Then the first- and repeat-visit weight of `/` in Chromium
(bench/page_weight.py) and the RSS of each gunicorn worker after the run. The
table and the raw numbers go to bench/results/load-<size>-<time>.{md,json}.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(BENCH), str(ROOT)]

from page_weight import _free_port, _wait_for  # noqa: E402

RESULTS = BENCH / "results"
TRIVIAL = "/__trivial__/"
PAGES = [
    "/",
    "/about/",
    "/missions/",
    "/missions/?format=csv",
    "/countries/BRA/",
    "/countries/GTM/",
    "/timeline/",
    "/changes/",
    "/timeline/feed/",
]
# wrk's own report has no p95; this prints one JSON line per run.
STATS_LUA = """
local h = os.getenv("WRK_HEADER")
if h and h ~= "" then
  local name, value = h:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end
wrk.headers["Accept-Encoding"] = "gzip"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,'
    .. '"p50_us":%d,"p95_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency.max))
end
"""


@dataclass
class Run:
    requests: int
    duration_us: int
    bytes: int
    errors: int
    p50_us: int
    p95_us: int
    max_us: int

    @property
    def rate(self) -> float:
        return self.requests / (self.duration_us / 1e6)


@dataclass
class PageResult:
    page: str
    queries: int | None = None
    html_bytes: int | None = None
    runs: list[Run] = field(default_factory=list)
    trivial: list[Run] = field(default_factory=list)
    discarded: int = 0  # runs served by one worker alone, run again
    replaced: int = 0  # runs during which a worker was replaced, run again

    def _paired(self, value: Callable[[Run], float]) -> float | None:
        """The median over runs of the page's `value` against the mean of the two
        trivial runs just before and after it (T P T P T): a burst of other work on
        the machine during one run moves that run's ratio, not the median."""
        ratios = [
            value(run) / ((value(before) + value(after)) / 2)
            for run, before, after in zip(
                self.runs, self.trivial, self.trivial[1:], strict=False
            )
            if run.requests and value(before) + value(after)
        ]
        return statistics.median(ratios) if ratios else None

    def p95_paired(self) -> float | None:
        return self._paired(lambda run: run.p95_us)

    def ratio_paired(self) -> float | None:
        return self._paired(lambda run: run.rate)

    def summary(self) -> dict[str, float | int | str | None]:
        rate = statistics.mean(r.rate for r in self.runs)
        trivial_rate = statistics.mean(r.rate for r in self.trivial)
        p50 = statistics.median(r.p50_us for r in self.runs) / 1000
        p95 = statistics.median(r.p95_us for r in self.runs) / 1000
        trivial_p95 = statistics.median(r.p95_us for r in self.trivial) / 1000
        requests = sum(r.requests for r in self.runs)
        return {
            "page": self.page,
            "queries": self.queries,
            "req_s": rate,
            "ratio": rate / trivial_rate if trivial_rate else 0.0,
            "ratio_paired": self.ratio_paired(),
            "trivial_req_s": trivial_rate,
            "p50_ms": p50,
            "p95_ms": p95,
            "p95_ratio": p95 / trivial_p95 if trivial_p95 else None,
            "p95_paired": self.p95_paired(),
            "errors": sum(r.errors for r in self.runs),
            "html_bytes": self.html_bytes,
            "sent_bytes": sum(r.bytes for r in self.runs) / requests if requests else 0,
            "requests": requests,
            "discarded_runs": self.discarded,
            "replaced_runs": self.replaced,
        }


def scratch_database(url: str) -> None:
    """Drop and create the database named by `url` (never the one of the site)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(size: str, static_root: str, reuse: bool = False) -> dict[str, float]:
    """Migrate, import, scale, refresh and collect static: seconds of each step
    (only collect static when reusing a database an earlier run kept)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from scale_data import SIZES, generate

    timings: dict[str, float] = {}
    steps: list[tuple[str, object]] = [
        ("migrate", lambda: call_command("migrate", verbosity=0)),
        ("import", lambda: call_command("import_dataset", "fixtures/", verbosity=0)),
    ]
    if size != "real":
        steps.append(("generate", lambda: generate(SIZES[size])))
    steps.append(("refresh", lambda: call_command("refresh_statistics", verbosity=0)))
    if reuse:
        steps = []
    steps += [
        (
            "collectstatic",
            lambda: call_command("collectstatic", "--noinput", verbosity=0),
        ),
    ]
    for name, step in steps:
        started = time.perf_counter()
        with contextlib.redirect_stdout(open(os.devnull, "w")):  # noqa: SIM115
            step()
        timings[name] = time.perf_counter() - started
        print(f"  {name}: {timings[name]:.1f} s", flush=True)
    connections.close_all()
    return timings


def count_queries(page: str) -> tuple[int, int]:
    """Queries and uncompressed bytes of one anonymous request, in process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(page)
    if response.status_code != 200:
        raise RuntimeError(f"{page} answered {response.status_code}")
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return len(queries), len(body)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int = 0) -> Iterator[tuple[str, int]]:
    """The site as docker-compose.yml serves it; yields its base URL and the
    master's process id."""
    port = port or _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            "config/gunicorn.conf.py",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz")
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


def _active_queries(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'active' AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def wait_idle(master: int, url: str, limit: float = 300) -> None:
    """Wait until the workers' CPU time stops growing and PostgreSQL runs none of
    their queries, so that a slow request from the last run cannot spill into the
    next one."""
    deadline = time.monotonic() + limit
    before = _cpu_ticks(workers(master))
    while time.monotonic() < deadline:
        time.sleep(0.5)
        after = _cpu_ticks(workers(master))
        if after - before <= 1 and not _active_queries(url):
            return
        before = after


def memory(master: int) -> list[dict[str, int]]:
    """Process id, RSS and peak RSS (MB) of each gunicorn worker."""
    result = []
    for pid in workers(master):
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except FileNotFoundError:  # a worker replaced just now
            continue
        status = dict(line.split(":", 1) for line in lines)
        result.append(
            {
                "pid": pid,
                "rss_mb": int(status["VmRSS"].split()[0]) // 1024,
                "peak_mb": int(status["VmHWM"].split()[0]) // 1024,
            }
        )
    return result


# wrk's 8 keep-alive connections are accepted by whichever worker is listening
# first, and stay with it for the run: in about a third of the runs all of them went
# to one worker, which then served at 40% of the node's rate while the other idled
# (5,000 instead of 12,000 trivial requests in 5 s). Such a run measures one core,
# not the node: it is discarded and run again, up to this many times. So is a run
# during which a worker was replaced (max_requests): the replaced worker's
# connections are closed, and wrk's reconnections mostly went to the worker that
# was already running, so the rest of the run was served by one worker (at 4,400
# trivial requests a second, a worker is replaced about every 45 s).
BALANCE_TRIES = 6
# The least busy worker's share of the workers' CPU time in a run that counts.
BALANCED_SHARE = 0.3


def balanced_wrk(
    master: int, database_url: str, url: str, duration: int, lua: str, header: str
) -> tuple[Run, int, int]:
    """A wrk run that the same two workers served together, and how many runs were
    discarded because one worker served them alone or a worker was replaced."""
    alone = replaced = 0
    for _ in range(BALANCE_TRIES):
        pids = workers(master)
        before = [_cpu_ticks([pid]) for pid in pids]
        run = wrk(url, duration, lua, header)
        if workers(master) != pids or len(pids) < 2:
            replaced += 1
        else:
            used = [_cpu_ticks([pid]) - b for pid, b in zip(pids, before, strict=True)]
            if min(used) >= BALANCED_SHARE * max(sum(used), 1):
                return run, alone, replaced
            alone += 1
        wait_idle(master, database_url)
    return run, alone, replaced


def measure(
    master: int,
    args: argparse.Namespace,
    lua: str,
    header: str,
    result: PageResult,
    url: str,
) -> Run:
    """One counted run of `url` for `result`, once the workers are idle."""
    wait_idle(master, args.database_url)
    run, alone, replaced = balanced_wrk(
        master, args.database_url, url, args.duration, lua, header
    )
    result.discarded += alone
    result.replaced += replaced
    return run


def wrk(url: str, duration: int, lua: str, header: str = "") -> Run:
    output = subprocess.run(
        ["wrk", "-t1", "-c8", f"-d{duration}s", "--timeout=120s", "-s", lua, url],
        env=os.environ | {"WRK_HEADER": header},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    return Run(**json.loads(line[5:]))


def etag(url: str) -> str:
    import urllib.request

    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        return response.headers.get("ETag", "")


def page_weight(base: str) -> dict[str, int] | None:
    """Bytes transferred by a first visit to `/` (empty cache) and a repeat visit
    (a new tab in the same browser context)."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        weights = {}
        for visit in ("first_visit", "repeat_visit"):
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            sizes: dict[str, float] = {}
            cdp.on(
                "Network.loadingFinished",
                lambda e, sizes=sizes: sizes.__setitem__(
                    e["requestId"], e["encodedDataLength"]
                ),
            )
            page.goto(base + "/", wait_until="networkidle")
            weights[visit] = int(sum(sizes.values()))
            page.close()
        browser.close()
    return weights


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def _times(ratio: float | None) -> str:
    return f"{ratio:.1f}x" if ratio is not None else ""


def table_from_json(path: str) -> str:
    """The table of a saved run (bench/results/*.json), recomputed from its raw
    wrk runs."""
    raw = json.loads(Path(path).read_text())
    rows = []
    for saved in raw["pages"]:
        runs = raw["runs"][saved["page"]]
        result = PageResult(
            saved["page"],
            saved["queries"],
            saved["html_bytes"],
            [Run(**x) for x in runs["page"]],
            [Run(**x) for x in runs["trivial"]],
        )
        rows.append(result.summary())
    return table(rows, raw["size"])


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def table(rows: list[dict], size: str) -> str:
    lines = [
        f"| page ({size}) | queries | req/s | trivial req/s | vs trivial | paired "
        "| p50 ms | p95 ms | p95 vs trivial | p95 paired | errors | HTML bytes "
        "| bytes sent |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        html = f"{r['html_bytes']:,}" if r["html_bytes"] is not None else ""
        if not r.get("requests", 1):  # none finished within a run
            lines.append(
                f"| `{r['page']}` | {r['queries']} | none finished "
                f"| {r['trivial_req_s']:,.0f} | - | - | - | - | - | - | {r['errors']} "
                f"| {html} | |"
            )
            continue
        lines.append(
            f"| `{r['page']}` | {r['queries'] if r['queries'] is not None else ''} "
            f"| {r['req_s']:,.1f} | {r['trivial_req_s']:,.0f} | {r['ratio']:.1%} "
            f"| {_share(r.get('ratio_paired'))} | {r['p50_ms']:,.1f} "
            f"| {r['p95_ms']:,.1f} | {r['p95_ratio']:.1f}x "
            f"| {_times(r.get('p95_paired'))} | {r['errors']} "
            f"| {html} | {r['sent_bytes']:,.0f} |"
        )
    lines.append("")
    lines.append(
        "vs trivial: the mean of the page runs' req/s over the trivial runs'; "
        "p95 vs trivial: the median of the page runs' p95 over the median of the "
        "trivial runs'; paired (req/s and p95): the median over runs of each page "
        "run's value over the mean of the trivial runs just before and after it."
    )
    if any(not r.get("requests", 1) for r in rows):
        lines.append("")
        lines.append(
            "none finished: no request to the page completed within a run (each "
            "took longer than the run's duration)."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["real", "small", "full"], default="real")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="page runs per page")
    parser.add_argument("--pages", nargs="+", default=PAGES)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/tracker_load"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="serve the database as it is (built by an earlier --keep run)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="page cache off (PAGE_CACHE_STORE_SECONDS=0): every request renders",
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port")
    parser.add_argument(
        "--table", metavar="JSON", help="print the table of a saved run and stop"
    )
    args = parser.parse_args()
    if args.table:
        print(table_from_json(args.table))
        return
    if not shutil.which("wrk"):
        sys.exit("needs wrk: apt-get install wrk")
    scratch = tempfile.mkdtemp(prefix="load-bench-")
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": args.database_url,
        "DB_CONN_MAX_AGE": "60",
        "DB_STATEMENT_TIMEOUT": "0",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": f"{BENCH}:{ROOT}",
        "BENCH_STATIC_ROOT": f"{scratch}/static",
        "WHITENOISE_USE_FINDERS": "false",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
    }
    if args.cold:
        env["PAGE_CACHE_STORE_SECONDS"] = "0"
    os.environ.update(env)
    env = os.environ.copy()
    lua = f"{scratch}/stats.lua"
    Path(lua).write_text(STATS_LUA)
    print(f"preparing the {args.size} dataset in {args.database_url}", flush=True)
    if not args.reuse:
        scratch_database(args.database_url)
    try:
        timings = prepare(args.size, env["BENCH_STATIC_ROOT"], reuse=args.reuse)
        counted = {page: count_queries(page) for page in args.pages}
        from django.db import connections

        connections.close_all()
        with gunicorn(env, args.port) as (base, master):
            boot = memory(master)
            # Workers are replaced after max_requests: each one's peak, read after
            # every page run, so that a replaced worker's peak is not lost.
            peaks = {w["pid"]: w["peak_mb"] for w in boot}
            results = [PageResult(page, *counted[page]) for page in args.pages]
            results.append(PageResult("/ (If-None-Match: repeat visit)"))
            tag = etag(base + "/")
            for result in results:
                header = (
                    f"If-None-Match: {tag}" if "If-None-Match" in result.page else ""
                )
                path = "/" if "If-None-Match" in result.page else result.page
                print(f"  {result.page} ", end="", flush=True)
                wait_idle(master, args.database_url)
                wrk(base + path, 1, lua, header)  # warm-up, not counted
                run = functools.partial(measure, master, args, lua, header, result)
                result.trivial.append(run(base + TRIVIAL))
                for _ in range(args.rounds):
                    result.runs.append(run(base + path))
                    peaks |= {w["pid"]: w["peak_mb"] for w in memory(master)}
                    result.trivial.append(run(base + TRIVIAL))
                    print(".", end="", flush=True)
                print(f" {result.summary()['req_s']:.1f} req/s", flush=True)
            after = memory(master)
            peaks |= {w["pid"]: w["peak_mb"] for w in after}
            weight = page_weight(base)
    finally:
        if not (args.keep or args.reuse):
            drop_database(args.database_url)
        shutil.rmtree(scratch, ignore_errors=True)
    rows = [r.summary() for r in results]
    report = [table(rows, args.size), ""]
    if weight:
        report.append(
            f"`/` in Chromium: first visit {weight['first_visit']:,} B, "
            f"repeat visit {weight['repeat_visit']:,} B."
        )
    report.append(
        "gunicorn workers: "
        + ", ".join(f"{w['rss_mb']} MB" for w in boot)
        + " at boot; "
        + ", ".join(f"{w['rss_mb']} MB (peak {w['peak_mb']} MB)" for w in after)
        + f" after the run; {len(peaks)} workers served it (replaced after"
        f" max_requests), the highest peak {max(peaks.values())} MB."
    )
    kept = sum(len(r.runs) + len(r.trivial) for r in results)
    discarded = sum(r.discarded for r in results)
    replaced = sum(r.replaced for r in results)
    report.append(
        f"Runs discarded and run again: {discarded} served by one worker alone, "
        f"{replaced} during which a worker was replaced (besides the {kept} counted)."
    )
    report.append(
        "Setup: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
        + f"; page cache {'off' if args.cold else 'on'}"
        + f"; wrk -t1 -c8 -d{args.duration}s, {args.rounds} runs per page between "
        f"trivial runs; {os.cpu_count()} CPUs ({cpu_model()}), "
        f"load average {os.getloadavg()[0]:.1f} at the end."
    )
    text = "\n".join(report)
    print("\n" + text)
    RESULTS.mkdir(exist_ok=True)
    cache = "cold" if args.cold else "warm"
    stem = RESULTS / f"load-{args.size}-{cache}-{time.strftime('%Y%m%d-%H%M%S')}"
    stem.with_suffix(".md").write_text(text + "\n")
    raw = {
        "size": args.size,
        "page_cache": not args.cold,
        "timings_s": timings,
        "pages": rows,
        "runs": {
            r.page: {
                "page": [asdict(x) for x in r.runs],
                "trivial": [asdict(x) for x in r.trivial],
            }
            for r in results
        },
        "page_weight": weight,
        "memory_boot": boot,
        "memory_after": after,
        "memory_peak_mb": max(peaks.values()),
        "workers_seen": len(peaks),
    }
    stem.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    print(f"\nsaved {stem}.md and .json")


if __name__ == "__main__":
    main()
