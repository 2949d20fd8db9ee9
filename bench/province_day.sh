#!/usr/bin/env bash
# A province's working day (bench/province_day.py) against a throw-away
# PostgreSQL cluster and Redis on 127.0.0.1 (ports 55434, 63791).
#   bench/province_day.sh [REPORTS] [SECONDS] [extra province_day.py flags]
# The proof of work is solved by the bench's citizens, so the base difficulty
# is lowered (POW_BITS=8) and kept from rising with load (POW_LOAD_STEP); the
# budgets are the production defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
REPORTS="${1:-50000}"; SECS="${2:-60}"; shift $(( $# > 2 ? 2 : $# ))
PG_PORT=55434; REDIS_PORT=63791
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PG_DIR="$(mktemp -d -t ahtc-day.XXXXXX)"; chown postgres "$PG_DIR"
su postgres -s /bin/sh -c "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres -E UTF8 >/dev/null"
su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB' -l $PG_DIR/log -w start >/dev/null"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
REDIS_PID=$!
cleanup() {
  kill "$REDIS_PID" 2>/dev/null || true
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap cleanup EXIT
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
su postgres -s /bin/sh -c "$PG_BIN/createdb -h 127.0.0.1 -p $PG_PORT ahtc_day"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ahtc_day" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" \
  DATABASE_CONN_MAX_AGE=600 AHTC_VAR_DIR="$PG_DIR/var" POW_BITS=8 POW_LOAD_STEP=1000000 LOG_LEVEL=WARNING
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(date -u +%Y-%m-%d)"
.venv/bin/python bench/province_day.py --reports "$REPORTS" --seconds "$SECS" "$@"
