#!/bin/sh
# Runs once, when the primary's data directory is first created (the postgres
# image's /docker-entrypoint-initdb.d). Creates the replication role and the
# two AHTC roles with their passwords; `ahtc manage db_roles --apply` (the
# compose `setup` job) then gives them their rights (ahtc/core/sql/roles.sql).
set -eu
psql -v ON_ERROR_STOP=1 -U postgres -d ahtc \
  -v repl="$REPLICATION_PASSWORD" -v app="$AHTC_APP_DB_PASSWORD" -v owner="$AHTC_OWNER_DB_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'repl';
CREATE ROLE ahtc_owner WITH LOGIN PASSWORD :'owner';
CREATE ROLE ahtc_app WITH LOGIN PASSWORD :'app';
-- Reads on the replica are served by the same roles (replicated).
SQL
