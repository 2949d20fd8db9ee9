#!/bin/sh
# The read replica: on first start, copy the primary with pg_basebackup
# (-R writes standby.signal and primary_conninfo), then run as a hot standby
# that streams from it. Read-only: the application reads from it only where
# its code opts in (ahtc/core/dbrouter.py).
set -eu
PGDATA=/var/lib/postgresql/data
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec gosu postgres "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  export PGPASSWORD="$REPLICATION_PASSWORD"
  tries=0
  until pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream -c fast; do
    tries=$((tries + 1))
    [ "$tries" -ge 30 ] && { echo "the primary refused a base backup 30 times" >&2; exit 1; }
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
fi
exec postgres -c config_file=/etc/postgresql/postgresql.conf -c hba_file=/etc/postgresql/pg_hba.conf
