"""Probe a running stack as a hostile crowd and a busy newsroom would, and count.

    .venv/bin/python bench/reliability.py --fuzz 3000

It builds a scratch PostgreSQL database (default `tracker_reliability`) with the real
dataset, serves it with gunicorn as docker-compose.yml does (2 workers x 4 threads),
and then:

1. fuzz: sends --fuzz seeded random requests to the public pages (junk, injection
   strings, huge values, odd headers) and counts statuses, server errors, tracebacks
   in bodies and unescaped reflections of a marker;
2. edits: 10 admin sessions each save their own staffing report 10 times while two
   readers load public pages, then checks every saved value and history row;
3. lost update: two sessions open the same report; the second save must be refused.

It writes nothing to any other database. Slow by design: keep it out of the tests.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-Long-enough-1"
PATHS = ["/", "/missions/", "/timeline/", "/changes/", "/about/", "/timeline/feed/"]
PARAMS = ["region", "subregion", "status", "kind", "country", "year_min", "year_max",
          "sort", "page", "format", "q", "days", "utm"]  # fmt: skip
VALID = {"region": "americas", "status": "active", "kind": "bilateral_paid",
         "country": "GTM", "year_min": "2000", "year_max": "2026", "sort": "-size",
         "page": "2", "format": "csv", "q": "brigade", "days": "30"}  # fmt: skip
NASTY = ["' OR '1'='1", "1; SELECT pg_sleep(3)--", "<script>alert(1)</script>",
         "{{7*7}}", "%00", "\x00", "1e400", "-1", "99999999999999999999999", "NaN",
         "٢٠٢٠", "x" * 5000, "../../etc/passwd"]  # fmt: skip
HEADERS = [("If-None-Match", '"junk"'), ("If-None-Match", "*"),
           ("If-Modified-Since", "yesterday"), ("Accept-Language", "x" * 2000),
           ("X-Forwarded-Proto", "https"), ("Range", "bytes=0-10"),
           ("Cookie", "sessionid=../../../; csrftoken=" + "a" * 3000)]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fuzz_value(rng: random.Random, name: str, marker: str) -> str:
    roll = rng.random()
    if roll < 0.35 and name in VALID:
        return VALID[name]
    if roll < 0.6:
        return rng.choice(NASTY)
    if roll < 0.7:
        return marker
    return "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(0, 30)))


def fuzz(base: str, count: int, seed: int) -> dict:
    rng = random.Random(seed)
    statuses: Counter[int] = Counter()
    tracebacks = reflections = 0
    slowest = 0.0
    for i in range(count):
        marker = f"<zq{i}>"
        path = rng.choice(PATHS)
        if rng.random() < 0.12:
            path = "/countries/" + urllib.parse.quote(fuzz_value(rng, "", marker)) + "/"
        query = {rng.choice(PARAMS): fuzz_value(rng, "", marker)}
        for _ in range(rng.randint(0, 5)):
            name = rng.choice(PARAMS)
            query[name] = fuzz_value(rng, name, marker)
        request = urllib.request.Request(
            base + path + "?" + urllib.parse.urlencode(query)
        )
        if rng.random() < 0.38:
            request.add_header(*rng.choice(HEADERS))
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body = response.status, response.read()
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
            kind = error.headers.get("Content-Type", "")
        slowest = max(slowest, time.perf_counter() - started)
        statuses[status] += 1
        text = body.decode("utf-8", "replace")
        if "Traceback" in text or 'File "/' in text or "psycopg" in text:
            tracebacks += 1
        if "text/html" in kind and marker in text:
            reflections += 1
    return {"statuses": dict(sorted(statuses.items())), "tracebacks": tracebacks,
            "reflections": reflections, "slowest_s": round(slowest, 2)}  # fmt: skip


class FormFields(HTMLParser):
    """The fields a browser would send for the form with the given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit",):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append([a["name"], a.get("value") or ""])
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append([self._select, a.get("value") or ""])
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields.append([self._textarea, ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[-1][1] += data


class Session:
    """A logged-in admin browser: cookies, CSRF token, form round trips."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        page = self.get("/admin/login/")[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        status, _ = self.post("/admin/login/", {
            "username": username, "password": PASSWORD,
            "csrfmiddlewaretoken": token, "next": "/admin/"})  # fmt: skip
        assert status == 302, f"login as {username} answered {status}"

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data)
        request.add_header("Referer", self.base + path)
        return self._open(request)

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def change_report(self, report_id: int, workers: int, reason: str) -> tuple:
        path = f"/admin/missions/staffingreport/{report_id}/change/"
        parser = FormFields("staffingreport_form")
        parser.feed(self.get(path)[1])
        return self.submit(path, parser.fields, workers, reason)

    def submit(self, path: str, fields: list, workers: int, reason: str) -> tuple:
        values = dict(fields) | {"workers": str(workers), "change_reason": reason}
        return self.post(path, [(k, v) for k, v in values.items()])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def edits(base: str, report_ids: list[int]) -> dict:
    from missions.models import StaffingReport

    before = {
        r.pk: r.workers or 0 for r in StaffingReport.objects.filter(pk__in=report_ids)
    }
    history = StaffingReport.history.filter(id__in=report_ids).count()
    results: Counter[int] = Counter()
    reads: Counter[int] = Counter()
    stop = threading.Event()

    def editor(report_id: int) -> None:
        session = Session(base, "bench-admin")
        for k in range(1, 11):
            status, _ = session.change_report(
                report_id, before[report_id] + k, f"bench {report_id} save {k}"
            )
            results[status] += 1

    def reader() -> None:
        while not stop.is_set():
            for path in PATHS[:5]:
                try:
                    with urllib.request.urlopen(base + path, timeout=60) as response:
                        reads[response.status] += 1
                except urllib.error.HTTPError as error:
                    reads[error.code] += 1

    started = time.perf_counter()
    readers = [threading.Thread(target=reader) for _ in range(2)]
    editors = [threading.Thread(target=editor, args=(pk,)) for pk in report_ids]
    for thread in readers + editors:
        thread.start()
    for thread in editors:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    after = {r.pk: r.workers for r in StaffingReport.objects.filter(pk__in=report_ids)}
    kept = sum(after[pk] == before[pk] + 10 for pk in report_ids)
    added = StaffingReport.history.filter(id__in=report_ids).count() - history
    return {"saves": dict(results), "values_kept": f"{kept}/{len(report_ids)}",
            "history_rows_added": added, "public_reads": dict(reads),
            "wall_s": round(time.perf_counter() - started, 1)}  # fmt: skip


def lost_update(base: str, report_id: int) -> dict:
    from missions.models import StaffingReport

    path = f"/admin/missions/staffingreport/{report_id}/change/"
    first, second = Session(base, "bench-admin"), Session(base, "bench-editor")
    forms = []
    for session in (first, second):
        parser = FormFields("staffingreport_form")
        parser.feed(session.get(path)[1])
        forms.append(parser.fields)
    workers = StaffingReport.objects.get(pk=report_id).workers or 0
    status_a, _ = first.submit(path, forms[0], workers + 100, "A corrects workers")
    status_b, page = second.submit(path, forms[1], workers, "B adds a note only")
    stored = StaffingReport.objects.get(pk=report_id).workers
    return {"first_save": status_a, "second_save": status_b,
            "second_refused": status_b == 200 and stored == workers + 100,
            "stored": stored}  # fmt: skip


def prepare(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("import_dataset", str(ROOT / "fixtures"), verbosity=0)
    call_command("refresh_statistics", verbosity=0)
    User.objects.create_superuser("bench-admin", password=PASSWORD)
    editor = User.objects.create_user("bench-editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/tracker_reliability",
    )
    args = parser.parse_args()
    env = {"DATABASE_URL": args.database_url, "SECRET_KEY": "bench-" + "x" * 50,
           "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1", "AXES_FAILURE_LIMIT": "1000"}  # fmt: skip
    os.environ.update(env)
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    prepare(args.database_url)
    port = free_port()
    log = open(ROOT / "bench" / "results" / "reliability-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "--timeout", "30"],
        cwd=ROOT, env=os.environ.copy(), stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        from missions.models import StaffingReport

        # Reports whose workers can grow without breaking a rule (doctors <= workers).
        ids = list(
            StaffingReport.objects.filter(workers__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        print("fuzz:", fuzz(base, args.fuzz, args.seed))
        print("edits:", edits(base, ids[1:11]))
        print("lost update:", lost_update(base, ids[12]))
    finally:
        server.terminate()
        server.wait(10)
        log.close()


if __name__ == "__main__":
    main()
