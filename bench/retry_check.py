"""Clients that retry: every report is sent several times concurrently with the
same client token. Afterwards each token must have exactly one row, and every
answer for a token must carry the same receipt code."""

from __future__ import annotations

import http.client
import re
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

HOST, PORT = "127.0.0.1", int(sys.argv[1])
REPORTS, COPIES = int(sys.argv[2]), int(sys.argv[3])
CODE = re.compile(rb"<output>([0-9 ]{19})</output>")


def csrf() -> tuple[str, str]:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.request("GET", "/report/")
    response = conn.getresponse()
    body = response.read()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token, "no CSRF token on the form"
    return cookie, token.group(1).decode()


def post(cookie: str, csrf_token: str, client_token: str) -> str:
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf_token,
            "client_token": client_token,
            "category": "missing_abroad",
            "district": "PK620",
            "description": "Our son left through an agent and has not called since.",
            "child_involved": "no",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": f"http://{HOST}:{PORT}",
    }
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.request("POST", "/report/", body, headers)
    page = conn.getresponse().read()
    match = CODE.search(page)
    return match.group(1).decode() if match else "ERROR"


def main() -> int:
    cookie, token = csrf()
    tokens = [uuid.uuid4().hex for _ in range(REPORTS)]
    jobs = [t for t in tokens for _ in range(COPIES)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(lambda t: (t, post(cookie, token, t)), jobs))
    by_token: dict[str, set[str]] = {}
    for client_token, code in codes:
        by_token.setdefault(client_token, set()).add(code)
    errors = sum("ERROR" in c for c in by_token.values())
    split = sum(len(c) > 1 for c in by_token.values())
    print(f"RETRY reports={REPORTS} copies={COPIES} errors={errors} differing_receipts={split}")
    print("TOKENS " + ",".join(tokens))
    return 0 if errors == 0 and split == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
