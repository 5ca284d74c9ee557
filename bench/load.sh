#!/bin/sh
# Load-test a running or freshly started lvzhi with wrk, as a logged-in user.
#
#   bench/load.sh                         start `lvzhi demo` on a free port, log in as staff, load / and /org/members
#   BASE=http://127.0.0.1:8080 LOGIN_USER=staff LOGIN_PASS=lvzhi-staff bench/load.sh / /proposals
#
# Environment: BASE (an already running server; otherwise a demo is started), LOGIN_USER, LOGIN_PASS,
# THREADS (2), CONNS (16), DURATION (15s). Prints wrk's latency distribution per path.
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
LOGIN_USER=${LOGIN_USER:-staff}
LOGIN_PASS=${LOGIN_PASS:-lvzhi-staff}
THREADS=${THREADS:-2}
CONNS=${CONNS:-16}
DURATION=${DURATION:-15s}
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

if [ -z "${BASE:-}" ]; then
	go build -o "$tmp/lvzhi" ./cmd/lvzhi
	"$tmp/lvzhi" demo --addr 127.0.0.1:0 --data "$tmp/data" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 1 120); do
		BASE=$(sed -n 's/^地址 Address: \(http:[^ ]*\)\/$/\1/p' "$tmp/out")
		[ -n "$BASE" ] && break
		sleep 1
	done
	[ -n "$BASE" ] || { echo "demo did not start" >&2; cat "$tmp/err" >&2; exit 1; }
	echo "demo at $BASE (pid $pid)"
fi

cookie=$(curl -s -o /dev/null -D - -X POST --data-urlencode "username=$LOGIN_USER" --data-urlencode "password=$LOGIN_PASS" \
	--data-urlencode "next=/" "$BASE/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(lvzhi_session=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$cookie" ] || { echo "login as $LOGIN_USER failed" >&2; exit 1; }

[ $# -gt 0 ] || set -- / /org/members
for path in "$@"; do
	echo "== GET $path as $LOGIN_USER: wrk -t$THREADS -c$CONNS -d$DURATION"
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Cookie: $cookie" "$BASE$path"
done
