"""HTTP checks for deploy/smoke.sh: two app servers that must act as one.

Every request carries `X-Forwarded-Proto: https`, as the reverse proxy in
deploy/nginx.conf sets it, so the servers run with their production settings
(secure cookies, SSL redirect) exactly as behind the proxy. Standard library
only; every request has a short timeout. Prints one PASS/FAIL line per check
and exits 1 if any failed.

    smoke_http.py health PORT...
    smoke_http.py receipt PORT_A PORT_B TOKEN_FILE
    smoke_http.py budget PORT_A PORT_B LIMIT
"""

from __future__ import annotations

import http.client
import re
import sys
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

HOST = "127.0.0.1"
TIMEOUT = 15
CODE = re.compile(r"<output>([0-9 ]{19})</output>")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The follow-up page shows a found report's status in this paragraph; a code
# that matches nothing gives an alert instead. ahtc/portal/tests/
# test_smoke_patterns.py renders both pages so a template change cannot break
# this check unnoticed.
FOUND = re.compile(r'<p class="status" role="status">[^<]*\S[^<]*</p>')


@dataclass
class Answer:
    status: int
    body: str
    cookies: dict[str, str]


def request(
    port: int,
    method: str,
    path: str,
    *,
    form: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
) -> Answer:
    headers = {"X-Forwarded-Proto": "https", "Host": f"{HOST}:{port}"}
    jar = {"ahtc_lang": "en", **(cookies or {})}
    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://{HOST}:{port}"
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        got = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                got[key.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, text, got)
    finally:
        conn.close()


def csrf(port: int, path: str) -> tuple[dict[str, str], str]:
    page = request(port, "GET", path)
    token = CSRF_FIELD.search(page.body)
    if page.status != 200 or token is None:
        raise RuntimeError(f"no form at {path} on :{port} (HTTP {page.status})")
    cookie = {k: v for k, v in page.cookies.items() if k.endswith("csrftoken")}
    return cookie, token.group(1)


def submit(port: int, client_token: str) -> Answer:
    cookies, token = csrf(port, "/report/")
    form = {
        "csrfmiddlewaretoken": token,
        "client_token": client_token,
        "category": "fake_agent",
        "district": "PK620",
        "tehsil": "PK62003",
        "place": "near the bus stand",
        "when": "last month",
        # Synthetic text: smoke data carries no real person.
        "description": "Smoke test: an agent took money for a visa and vanished.",
        "child_involved": "no",
    }
    return request(port, "POST", "/report/", form=form, cookies=cookies)


def report(name: str, ok: bool, detail: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
    return ok


def check_health(ports: list[int]) -> bool:
    results = []
    for port in ports:
        answer = request(port, "GET", "/healthz")
        ok = answer.status == 200 and '"ok"' in answer.body
        results.append(report(f"healthz :{port}", ok, f"HTTP {answer.status}"))
    return all(results)


def check_receipt(port_a: int, port_b: int, token_file: str) -> bool:
    """A report sent through A is found by its receipt through B."""
    client_token = uuid.uuid4().hex
    sent = submit(port_a, client_token)
    code = CODE.search(sent.body)
    if code is None or sent.status != 200:
        return report("report via A", False, f"HTTP {sent.status}, no receipt code")
    with open(token_file, "w", encoding="ascii") as out:
        out.write(client_token)
    cookies, token = csrf(port_b, "/follow-up/")
    form = {"csrfmiddlewaretoken": token, "code": code.group(1)}
    found = request(port_b, "POST", "/follow-up/", form=form, cookies=cookies)
    ok = found.status == 200 and FOUND.search(found.body) is not None
    return report("receipt from A looked up via B", ok, f"HTTP {found.status}")


def check_budget(port_a: int, port_b: int, limit: int) -> bool:
    """Reports alternate between A and B; one shared budget turns the
    (limit+1)th away at the latest, and then both servers refuse.

    `limit` is the unverified budget plus the held budget (settings). With a
    budget per process the first refusal would come only after every worker
    of both servers had spent its own.
    """
    # Budgets are per clock minute: do not start where a minute could end mid-way.
    for _ in range(20):
        if time.time() % 60 < 40:
            break
        time.sleep(1)
    stored, refused_at = 0, 0
    for attempt in range(1, limit + 4):
        answer = submit(port_a if attempt % 2 else port_b, uuid.uuid4().hex)
        if answer.status == 429:
            refused_at = attempt
            break
        if answer.status != 200:
            return report("shared budget", False, f"HTTP {answer.status} at attempt {attempt}")
        stored += 1
    if not refused_at:
        return report("shared budget", False, f"{stored} reports taken, budget {limit}")
    other = port_b if refused_at % 2 else port_a
    also = submit(other, uuid.uuid4().hex).status
    ok = stored <= limit and also == 429
    detail = f"{stored} stored across A and B, then 429 on both (other: {also}); budget {limit}"
    return report("one submission budget for A and B", ok, detail)


def main(argv: list[str]) -> int:
    kind, args = argv[0], argv[1:]
    try:
        if kind == "health":
            ok = check_health([int(p) for p in args])
        elif kind == "receipt":
            ok = check_receipt(int(args[0]), int(args[1]), args[2])
        elif kind == "budget":
            ok = check_budget(int(args[0]), int(args[1]), int(args[2]))
        else:
            raise SystemExit(f"unknown check {kind!r}")
    except (OSError, RuntimeError) as exc:
        ok = report(kind, False, f"{type(exc).__name__}: {exc}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
