#!/usr/bin/env bash
# Start a private ClamAV daemon for the test suite and print its socket path.
#
#   export CLAMD_SOCKET="$(.ci/clamd.sh)"
#   ... run the tests ...
#   kill "$(cat "$(dirname "$CLAMD_SOCKET")/clamd.pid")"
#
# No signature download is possible in CI, so the daemon loads one custom
# signature: the EICAR test file (an .ndb body signature, written here as hex
# in two halves so no file in the repository holds the test string itself).
# Needs Debian's clamav-daemon (/usr/sbin/clamd); freshclam is never run.
set -euo pipefail

CLAMD="${CLAMD:-/usr/sbin/clamd}"
dir="$(mktemp -d -t ahtc-clamd.XXXXXX)"
mkdir -p "$dir/db" "$dir/tmp"

half1="58354f2150254041505b345c505a58353428505e2937434329377d24"
half2="45494341522d5354414e444152442d414e544956495255532d544553542d46494c452124482b482a"
echo "Eicar-Test-Signature:0:*:${half1}${half2}" >"$dir/db/ahtc-eicar.ndb"

cat >"$dir/clamd.conf" <<CONF
LocalSocket $dir/clamd.sock
LocalSocketMode 660
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
DatabaseDirectory $dir/db
TemporaryDirectory $dir/tmp
# Uploads are at most a few MB each; clamd refuses longer streams.
StreamMaxLength 32M
SelfCheck 0
Bytecode no
CONF
# No "User" line: clamd keeps the caller's user, who alone can reach the socket.
chmod 700 "$dir"

"$CLAMD" --config-file="$dir/clamd.conf" >/dev/null 2>&1 || {
  echo "clamd did not start; its log:" >&2
  cat "$dir/clamd.log" >&2 2>/dev/null || true
  exit 1
}

ping_clamd() {
  python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(b"nPING\n")
sys.exit(0 if s.recv(16).strip() == b"PONG" else 1)
PY
}

# clamd daemonises once the database is loaded; wait for it to answer PING.
for _ in $(seq 1 120); do
  if [ -S "$dir/clamd.sock" ] && ping_clamd "$dir/clamd.sock"; then
    echo "$dir/clamd.sock"
    exit 0
  fi
  sleep 0.5
done
echo "clamd did not answer PING within 60 s; its log:" >&2
cat "$dir/clamd.log" >&2 2>/dev/null || true
exit 1
