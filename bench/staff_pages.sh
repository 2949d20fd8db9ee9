#!/usr/bin/env bash
# Every staff page, export and API list, on the demo and at province scale, in
# one run (bench/staff_pages.py), against a throw-away PostgreSQL on 127.0.0.1.
#   bench/staff_pages.sh [FACTOR] [REPEAT]
# FACTOR scales the province (1 = 200,335 reports, 20,028 cases ...; docs/scale.md).
set -euo pipefail
cd "$(dirname "$0")/.."
FACTOR="${1:-0.1}"; REPEAT="${2:-20}"
PG_PORT=55450
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PG_DIR="$(mktemp -d -t ahtc-pages.XXXXXX)"; chown postgres "$PG_DIR"
su postgres -s /bin/sh -c "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres -E UTF8 >/dev/null"
su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c shared_buffers=512MB' -l $PG_DIR/log -w start >/dev/null"
cleanup() {
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap cleanup EXIT
su postgres -s /bin/sh -c "$PG_BIN/createdb -h 127.0.0.1 -p $PG_PORT ahtc_pages"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ahtc_pages" AHTC_VAR_DIR="$PG_DIR/var" LOG_LEVEL=WARNING
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(date -u +%Y-%m-%d)"
.venv/bin/ahtc demo >/dev/null
.venv/bin/python bench/staff_pages.py --label demo --repeat "$REPEAT" --json "$PG_DIR/demo.json"
started=$(date +%s)
.venv/bin/ahtc demo --scale province --factor "$FACTOR" --force | tail -3
.venv/bin/ahtc people reindex | tail -1
echo "province data (factor $FACTOR) generated in $(( $(date +%s) - started )) s"
.venv/bin/python bench/staff_pages.py --label "province x$FACTOR" --repeat "$REPEAT" --json "$PG_DIR/province.json"
.venv/bin/python - "$PG_DIR/demo.json" "$PG_DIR/province.json" <<'PY'
import json, sys
small = {(r["persona"], r["page"]): r for r in json.load(open(sys.argv[1]))}
large = json.load(open(sys.argv[2]))
print(f"\n{'persona':<20} {'page':<26} {'p95 demo':>9} {'p95 prov':>9} {'q demo':>7} {'q prov':>7}")
for r in large:
    s = small.get((r["persona"], r["page"]))
    if s:
        print(f"{r['persona']:<20} {r['page']:<26} {s['p95_ms']:>9.1f} {r['p95_ms']:>9.1f} {s['queries']:>7} {r['queries']:>7}")
PY
