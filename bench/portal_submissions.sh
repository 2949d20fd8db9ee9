#!/usr/bin/env bash
# Sustained citizen-report submissions against PostgreSQL through gunicorn on
# 127.0.0.1, with a baseline (one-row insert through the same stack) measured
# in the same run. Needs: PostgreSQL server binaries, wrk (apt-get install wrk).
#   bench/portal_submissions.sh [CONNECTIONS] [SECONDS] [db|redis]
# The third argument picks the shared cache (budgets, used proofs of work):
# the database cache (default, no other server) or a throw-away redis-server
# on 127.0.0.1 (Debian's redis-server), as in production.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS="${1:-32}"; SECS="${2:-20}"; CACHE="${3:-db}"; PORT=8190; PG_PORT=54339; REDIS_PORT=63799
PY=.venv/bin/python
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PG_DIR="$(mktemp -d -t ahtc-bench-pg.XXXXXX)"; chown postgres "$PG_DIR"
su postgres -s /bin/sh -c "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres -E UTF8 >/dev/null"
su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200' -l $PG_DIR/log -w start >/dev/null"
cleanup() {
  [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null || true
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true
}
trap cleanup EXIT
su postgres -s /bin/sh -c "$PG_BIN/createdb -h 127.0.0.1 -p $PG_PORT ahtc_bench"
export SUBMISSIONS_PER_MINUTE_UNVERIFIED=1000000 DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ahtc_bench" DATABASE_CONN_MAX_AGE=600 AHTC_BENCH=yes AHTC_VAR_DIR="$PG_DIR/var"
if [ "$CACHE" = redis ]; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
  REDIS_PID=$!
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
$PY manage.py migrate -v0
.venv/bin/ahtc areas import punjab >/dev/null
WORKERS=$(( $(nproc) * 2 ))
$PY -m gunicorn ahtc.wsgi:application -b 127.0.0.1:$PORT -w "$WORKERS" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

PAGE=$(curl -s -c "$PG_DIR/cookies" "http://127.0.0.1:$PORT/report/")
CSRF_FORM=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' <<<"$PAGE" | head -1 | sed 's/.*value="//;s/"$//')
CSRF_COOKIE=$(awk '$6=="csrftoken"{print $7}' "$PG_DIR/cookies")
HDR=(-H "Content-Type: application/x-www-form-urlencoded" -H "Cookie: csrftoken=$CSRF_COOKIE" -H "Origin: http://127.0.0.1:$PORT")

count_rows() { su postgres -s /bin/sh -c "$PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -d ahtc_bench -tAc \"$1\""; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB; gunicorn workers: $WORKERS; connections: $CONNS; ${SECS}s each; cache: $CACHE"
wrk -t2 -c"$CONNS" -d3s -s bench/submit.lua "${HDR[@]}" "http://127.0.0.1:$PORT" -- "$CSRF_FORM" /report/ submit warm >/dev/null  # warm-up
sleep 2  # let the warm-up requests still in flight land before counting
BEFORE=$(count_rows "select count(*) from portal_tip")
BASE=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/submit.lua "${HDR[@]}" "http://127.0.0.1:$PORT" -- "$CSRF_FORM" /bench/insert/ baseline | grep RESULT)
SUB=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/submit.lua "${HDR[@]}" "http://127.0.0.1:$PORT" -- "$CSRF_FORM" /report/ submit "r$RANDOM$RANDOM" | grep RESULT)
sleep 2
AFTER=$(count_rows "select count(*) from portal_tip")
echo "baseline (one-row insert): $BASE"
echo "report submission:         $SUB"
rate() { awk -v r="$1" '{for(i=1;i<=NF;i++){split($i,a,"=");v[a[1]]=a[2]}} END{printf "%.1f", v["requests"]/v["duration_s"]}' <<<"$1"; }
field() { awk -v k="$2" '{for(i=1;i<=NF;i++){split($i,a,"=");if(a[1]==k)print a[2]}}' <<<"$1"; }
B_RATE=$(rate "$BASE"); S_RATE=$(rate "$SUB")
CREATED=$((AFTER - BEFORE)); SENT=$(field "$SUB" requests); ERR=$(field "$SUB" errors_status)
echo "baseline: ${B_RATE}/s   submissions: ${S_RATE}/s   ratio submissions/baseline: $(awk -v s="$S_RATE" -v b="$B_RATE" 'BEGIN{printf "%.2f", s/b}')"
echo "submission p50 $(field "$SUB" p50_ms) ms, p99 $(field "$SUB" p99_ms) ms"
echo "rows created: $CREATED for $SENT completed requests ($ERR non-2xx); created - completed = $(( CREATED - SENT + ERR )) (0 to $CONNS: requests cut off when wrk stops still land; negative = lost)"
# wrk stops mid-flight: requests still in flight at the end may land without being counted,
# so created may exceed completed by at most the number of connections.
RETRY=$($PY bench/retry_check.py "$PORT" 200 4)
echo "$RETRY" | grep RETRY
TOKENS=$(echo "$RETRY" | grep TOKENS | cut -c8-)
ROWS=$($PY - "$TOKENS" <<'PYEOF'
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
django.setup()
from ahtc.portal.models import Tip
from ahtc.portal.receipts import idempotency_hash
hashes = [idempotency_hash(t) for t in sys.argv[1].split(",")]
print(Tip.objects.filter(idempotency_hash__in=hashes).count(), len(hashes))
PYEOF
)
echo "retried reports stored: $ROWS (rows, distinct reports) — must be equal"
