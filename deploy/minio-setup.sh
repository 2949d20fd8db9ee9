#!/bin/sh
# One-shot (deploy/compose.yaml): a private bucket for AHTC's files and an
# application user that can reach only that bucket. Idempotent.
set -eu
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$BUCKET"
# No anonymous access of any kind; downloads go through the application.
mc anonymous set none "local/$BUCKET"
# Deleted or overwritten objects stay recoverable for a while.
mc version enable "local/$BUCKET"
mc admin policy create local ahtc-app /minio-policy.json
mc admin user add local ahtc-app "$AHTC_APP_S3_SECRET"
mc admin policy attach local ahtc-app --user ahtc-app 2>/dev/null || true
