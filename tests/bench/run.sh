#!/usr/bin/env bash
# Benchmarks against a running instance, all in one run so the figures
# compare: /healthz (a FastCGI round trip with no work: the floor) and
# the queue page with 50 rows over a database of 100,000 tickets.
#
# Environment: TW_BENCH_URL (base URL), TW_CONFIG (the instance's ini),
# TW_ADMIN_PASSWORD (the demo admin's password).  Optional: TW_BENCH_TICKETS
# (default 100000), TW_BENCH_SECONDS (default 10), TW_BENCH_CONNECTIONS
# (default 32).  Prints figures; never fails for being slow.
set -euo pipefail

url=${TW_BENCH_URL:?set TW_BENCH_URL}
config=${TW_CONFIG:?set TW_CONFIG}
password=${TW_ADMIN_PASSWORD:?set TW_ADMIN_PASSWORD}
tickets=${TW_BENCH_TICKETS:-100000}
seconds=${TW_BENCH_SECONDS:-10}
conns=${TW_BENCH_CONNECTIONS:-32}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ini() {	# ini SECTION KEY
	awk -F '[ \t]*=[ \t]*' -v s="[$1]" -v k="$2" '
		/^\[/ { in_s = ($0 == s); next }
		in_s && $1 == k { print $2; exit }' "$config"
}

echo "bench: filling the database to $tickets tickets"
start=$(date +%s)
mariadb --no-defaults --socket="$(ini db socket)" -u "$(ini db user)" \
	-p"$(ini db password)" "$(ini db name)" \
	-e "SET @target = $tickets; source $here/generate.sql;" >/dev/null
echo "bench: database ready in $(( $(date +%s) - start )) s" \
	"($(mariadb --no-defaults --socket="$(ini db socket)" \
	-u "$(ini db user)" -p"$(ini db password)" "$(ini db name)" -N \
	-e 'SELECT COUNT(*) FROM tickets') tickets)"

# A session for the queue: sign in through the form like a browser.
jar="$work/jar"
csrf=$(curl -fsS -c "$jar" -b "$jar" "$url/signin" |
	sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
	--data-urlencode login=admin --data-urlencode "password=$password" \
	"$url/signin"
session=$(awk '$6 == "tw_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "bench: could not sign in" >&2; exit 1; }
rows=$(curl -fsS -b "tw_session=$session" "$url/tickets/" | grep -c '<tr class=')
echo "bench: queue page shows $rows rows"

# run NAME PATH: wrk with latency, prints one line and keeps figures.
run() {
	local out="$work/$1.txt"

	wrk -t2 -c"$conns" -d"${seconds}s" --latency \
		-H "Cookie: tw_session=$session" "$url$2" >"$out"
	awk -v name="$1" '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 }
		/^ +99%/ { p99 = $2 }
		/Non-2xx/ { bad = $NF }
		END { printf "%-8s %10s req/s  p50 %8s  p99 %8s  non-2xx %s\n",
		    name, rps, p50, p99, bad == "" ? 0 : bad }' "$out"
	awk '/Requests\/sec/ { print $2 }' "$out" >"$work/$1.rps"
	awk '/^ +50%/ { print $2 }' "$out" >"$work/$1.p50"
}

echo "bench: wrk -t2 -c$conns -d${seconds}s --latency"
run healthz /healthz
run queue /tickets/

# Latencies come as 1.23ms or 850.00us; compare in microseconds.
us() { awk '{ v = $1; if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000;
	else f = 1000000; sub(/[a-z]+$/, "", v); print v * f }' "$1"; }
awk -v q="$(cat "$work/queue.rps")" -v h="$(cat "$work/healthz.rps")" \
	-v qp="$(us "$work/queue.p50")" -v hp="$(us "$work/healthz.p50")" \
	'BEGIN { printf "ratio queue/healthz: throughput %.2f, p50 %.2fx\n",
	    q / h, qp / hp }'
