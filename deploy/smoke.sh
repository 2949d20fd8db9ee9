#!/usr/bin/env bash
# Smoke test of the scale-out layout (docs/scale-out.md) with local processes,
# all on 127.0.0.1: a PostgreSQL primary and a streaming read replica, Redis,
# and two app servers (`ahtc serve --production`, gunicorn) with production
# settings and throw-away keys, the application running as a role that does
# not own the audit table. Prints PASS/FAIL per check; exits 1 if any failed.
#
#   deploy/smoke.sh                      everything of its own
#   SMOKE_PRIMARY_PORT=54329 SMOKE_REDIS_URL=redis://127.0.0.1:63790/1 deploy/smoke.sh
#
# With SMOKE_PRIMARY_PORT it replicates that running cluster (CI's: trust on
# loopback, wal_level=replica) into a database of its own, `ahtc_smoke`, which
# it drops at the end; if that cluster refuses a base backup (wal_level,
# pg_hba), it makes its own primary instead of changing the other one's
# settings. SMOKE_REDIS_URL must name a throw-away Redis database: it is
# flushed first. Run as root (PostgreSQL commands run as user postgres).
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
PY=.venv/bin/python
AHTC=.venv/bin/ahtc
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
OWN_PRIMARY_PORT=55434 REPLICA_PORT=55435 OWN_REDIS_PORT=63791 PORT_A=8801 PORT_B=8802
DB=ahtc_smoke OWNER_ROLE=smoke_owner APP_ROLE=smoke_app
# Unverified reports a minute to the queue, then held for review, then refused.
BUDGET_QUEUE=3 BUDGET_HELD=1
WORK="$(mktemp -d -t ahtc-smoke.XXXXXX)"
chmod 755 "$WORK"; chown postgres "$WORK"
FAILED=0 PRIMARY_PORT="" OWN_PRIMARY="" OWN_REDIS_PID="" SERVER_PIDS=()

as_pg() { su postgres -s /bin/sh -c "$*"; }
psql_at() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$2" -d "$3" -tA -c "$4"; }
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILED=1; }
elapsed() { echo "$(( $(date +%s) - started ))s"; }

cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for pid in "${SERVER_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  done
  as_pg "$PG_BIN/pg_ctl -D $WORK/replica -m immediate stop" >/dev/null 2>&1
  if [ -n "$OWN_PRIMARY" ]; then
    as_pg "$PG_BIN/pg_ctl -D $WORK/primary -m immediate stop" >/dev/null 2>&1
  elif [ -n "$PRIMARY_PORT" ]; then
    psql_at "$PRIMARY_PORT" postgres postgres "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
    psql_at "$PRIMARY_PORT" postgres postgres \
      "DROP ROLE IF EXISTS $APP_ROLE; DROP ROLE IF EXISTS $OWNER_ROLE" >/dev/null 2>&1
  fi
  [ -n "$OWN_REDIS_PID" ] && kill "$OWN_REDIS_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

own_primary() {
  OWN_PRIMARY=yes PRIMARY_PORT=$OWN_PRIMARY_PORT
  as_pg "$PG_BIN/initdb -D $WORK/primary -A trust -U postgres -E UTF8 >/dev/null"
  as_pg "$PG_BIN/pg_ctl -D $WORK/primary -o '-p $PRIMARY_PORT -k $WORK -c listen_addresses=127.0.0.1 \
    -c wal_level=replica -c max_wal_senders=4 -c fsync=off' -l $WORK/primary.log -w start >/dev/null"
}

base_backup() {
  timeout 60 su postgres -s /bin/sh -c "$PG_BIN/pg_basebackup -h 127.0.0.1 -p $PRIMARY_PORT \
    -U postgres -D $WORK/replica -R -X stream -c fast" >"$WORK/basebackup.log" 2>&1
}

echo "== PostgreSQL primary and streaming replica ($(elapsed))"
if [ -n "${SMOKE_PRIMARY_PORT:-}" ] && psql_at "$SMOKE_PRIMARY_PORT" postgres postgres "SELECT 1" >/dev/null 2>&1; then
  PRIMARY_PORT=$SMOKE_PRIMARY_PORT
  if ! base_backup; then
    echo "   the cluster on :$PRIMARY_PORT refuses a base backup; using a primary of our own"
    rm -rf "$WORK/replica"; PRIMARY_PORT=""
    own_primary && base_backup || { fail "base backup: $(tail -1 "$WORK/basebackup.log")"; exit 1; }
  fi
else
  own_primary && base_backup || { fail "base backup: $(tail -1 "$WORK/basebackup.log")"; exit 1; }
fi
as_pg "$PG_BIN/pg_ctl -D $WORK/replica -o '-p $REPLICA_PORT -k $WORK -c listen_addresses=127.0.0.1 \
  -c hot_standby=on' -l $WORK/replica.log -w -t 30 start >/dev/null" || { fail "replica start"; exit 1; }
psql_at "$PRIMARY_PORT" postgres postgres "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql_at "$PRIMARY_PORT" postgres postgres "CREATE DATABASE $DB" >/dev/null

echo "== Redis ($(elapsed))"
if [ -n "${SMOKE_REDIS_URL:-}" ]; then
  REDIS_URL=$SMOKE_REDIS_URL
else
  redis-server --port "$OWN_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --protected-mode yes >/dev/null &
  OWN_REDIS_PID=$!
  REDIS_URL="redis://127.0.0.1:$OWN_REDIS_PORT/0"
  for _ in $(seq 50); do redis-cli -p "$OWN_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -u "$REDIS_URL" flushdb >/dev/null || { fail "Redis at $REDIS_URL"; exit 1; }

echo "== migrate, roles, static files ($(elapsed))"
random() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n'; }
export AHTC_ENV=production DEBUG=no ALLOWED_HOSTS=127.0.0.1 BEHIND_TLS_PROXY=yes LOG_LEVEL=WARNING \
  SECRET_KEY="smoke-$(random)" RECEIPT_KEY="smoke-$(random)" \
  FIELD_ENCRYPTION_KEYS="$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
  REDIS_URL AHTC_VAR_DIR="$WORK/var" RECEIPT_MIN_SECONDS=0.05 \
  SUBMISSIONS_PER_MINUTE_UNVERIFIED=$BUDGET_QUEUE HELD_PER_MINUTE=$BUDGET_HELD
SUPER_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
APP_URL="postgres://$APP_ROLE@127.0.0.1:$PRIMARY_PORT/$DB"
REPLICA_URL="postgres://$APP_ROLE@127.0.0.1:$REPLICA_PORT/$DB"
{
  DATABASE_URL=$SUPER_URL $AHTC migrate >/dev/null &&
  DATABASE_URL=$SUPER_URL $AHTC areas import punjab >/dev/null &&
  DATABASE_URL=$SUPER_URL $AHTC manage db_roles --owner $OWNER_ROLE --app $APP_ROLE --apply >/dev/null &&
  DATABASE_URL=$APP_URL $AHTC manage collectstatic --noinput -v 0
} >"$WORK/setup.log" 2>&1 || { fail "setup: $(tail -3 "$WORK/setup.log")"; exit 1; }

echo "== two app servers on :$PORT_A and :$PORT_B ($(elapsed))"
export DATABASE_URL=$APP_URL DATABASE_REPLICA_URL=$REPLICA_URL
for port in $PORT_A $PORT_B; do
  # A session of its own, so the server and its gunicorn workers stop together.
  setsid $AHTC serve --production --port "$port" --workers 2 >"$WORK/server-$port.log" 2>&1 &
  SERVER_PIDS+=($!)
done
for port in $PORT_A $PORT_B; do
  for _ in $(seq 120); do
    curl -sf -m 2 -H "X-Forwarded-Proto: https" "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.5
  done
done

echo "== checks ($(elapsed))"
state=$(psql_at "$PRIMARY_PORT" postgres postgres "SELECT state FROM pg_stat_replication LIMIT 1")
recovery=$(psql_at "$REPLICA_PORT" postgres postgres "SELECT pg_is_in_recovery()")
[ "$state" = streaming ] && [ "$recovery" = t ] \
  && pass "replica streams from the primary (state $state, in recovery: $recovery)" \
  || fail "replica: state '$state', in recovery '$recovery'"

$PY deploy/smoke_http.py health $PORT_A $PORT_B || FAILED=1
$PY deploy/smoke_http.py receipt $PORT_A $PORT_B "$WORK/token" || FAILED=1

if [ -s "$WORK/token" ]; then
  # Through the app's own router: the opt-in read finds the new row on the
  # replica within a bounded wait; the replica connection refuses writes.
  $PY - "$(cat "$WORK/token")" <<'PYEOF' || FAILED=1
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
django.setup()
from django.db import DatabaseError, connections, transaction
from ahtc.core.dbrouter import read_replica
from ahtc.portal.models import Tip
from ahtc.portal.receipts import idempotency_hash
wanted = idempotency_hash(sys.argv[1])
seen, waited = False, 0.0
while waited < 15 and not seen:
    with read_replica() as alias:
        seen = Tip.objects.filter(idempotency_hash=wanted).exists()
    if not seen:
        time.sleep(0.2); waited += 0.2
with connections["replica"].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    standby = cursor.fetchone()[0]
try:
    with transaction.atomic(using="replica"):
        Tip.objects.using("replica").filter(idempotency_hash=wanted).update(held_for_review=True)
    refused = False
except DatabaseError:
    refused = True
ok = alias == "replica" and standby and seen and refused
print(f"{'PASS' if ok else 'FAIL'} replica read sees the report after {waited:.1f}s "
      f"(alias {alias}, standby {standby}, write on replica refused {refused})")
sys.exit(0 if ok else 1)
PYEOF
fi

$PY deploy/smoke_http.py budget $PORT_A $PORT_B $((BUDGET_QUEUE + BUDGET_HELD)) || FAILED=1

if DATABASE_URL=$APP_URL $AHTC manage db_roles --check >"$WORK/roles.log" 2>&1; then
  rows=$(psql_at "$PRIMARY_PORT" "$APP_ROLE" "$DB" "SELECT count(*) FROM core_auditevent")
  denied=0
  for sql in "UPDATE core_auditevent SET reason = reason" "DELETE FROM core_auditevent" \
             "TRUNCATE core_auditevent" "ALTER TABLE core_auditevent DISABLE TRIGGER ALL"; do
    psql_at "$PRIMARY_PORT" "$APP_ROLE" "$DB" "$sql" >/dev/null 2>&1 || denied=$((denied + 1))
  done
  [ "$denied" = 4 ] && [ "$rows" -gt 0 ] \
    && pass "app role reads the audit log ($rows rows) and cannot change it (4 of 4 refused)" \
    || fail "app role: $denied of 4 changes to the audit log refused, $rows rows readable"
else
  fail "db_roles --check as the app role: $(tail -2 "$WORK/roles.log")"
fi

for port in $PORT_A $PORT_B; do
  grep -q "Traceback" "$WORK/server-$port.log" && { fail "server :$port logged an error"; tail -20 "$WORK/server-$port.log"; }
done
echo "== smoke test $([ $FAILED = 0 ] && echo passed || echo FAILED) in $(elapsed)"
exit $FAILED
