#!/usr/bin/env bash
# Benchmarks against a running instance, all in one run so the figures
# compare: /healthz with the session cookie every page sends (a FastCGI
# round trip whose only work is the session's one statement: the floor),
# /healthz without it (the round trip alone), the queue unfiltered,
# filtered and searched, the page of a ticket with 50 items, and opening
# tickets through the JSON API.  Prints requests/s, p50, p99 and each p50
# as a multiple of the floor's, then the EXPLAIN plans of the queue's
# statements as the server ran them.
#
# Environment: TW_BENCH_URL (base URL), TW_CONFIG (the instance's ini),
# TW_ADMIN_PASSWORD (the demo admin's password), TW_ROOT (the source
# tree).  Optional: TW_BENCH_TICKETS (default 1000000), TW_BENCH_ITEMS
# (items per ticket, default 5), TW_BENCH_SECONDS (default 10),
# TW_BENCH_CONNECTIONS (default 32), TW_BENCH_BUFFER_POOL (InnoDB buffer
# pool for the run, default 2G; "keep" leaves the instance's).  A quick
# check: TW_BENCH_TICKETS=20000 TW_BENCH_SECONDS=3.  Never fails for
# being slow.
set -euo pipefail

url=${TW_BENCH_URL:?set TW_BENCH_URL}
config=${TW_CONFIG:?set TW_CONFIG}
password=${TW_ADMIN_PASSWORD:?set TW_ADMIN_PASSWORD}
root=${TW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
tickets=${TW_BENCH_TICKETS:-1000000}
items=${TW_BENCH_ITEMS:-5}
seconds=${TW_BENCH_SECONDS:-10}
conns=${TW_BENCH_CONNECTIONS:-32}
pool=${TW_BENCH_BUFFER_POOL:-2G}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/bench/lib.sh
. "$here/lib.sh"

if [ "$pool" != keep ]; then
	bytes=$(numfmt --from=iec "$pool")
	dba -e "SET GLOBAL innodb_buffer_pool_size = $bytes"
	echo "bench: InnoDB buffer pool $pool"
fi

echo "bench: filling the database to $tickets tickets, $items items each"
start=$(date +%s)
sql -e "SET @target = $tickets, @items = $items;
	source $here/generate.sql;" >/dev/null
echo "bench: database ready in $(( $(date +%s) - start )) s" \
	"($(sql -N -e 'SELECT COUNT(*) FROM tickets') tickets," \
	"$(sql -N -e 'SELECT COUNT(*) FROM items') items)"

# A session for the pages: sign in through the form like a browser.
jar="$work/jar"
csrf=$(curl -fsS -c "$jar" -b "$jar" "$url/signin" |
	sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
	--data-urlencode login=admin --data-urlencode "password=$password" \
	"$url/signin"
session=$(awk '$6 == "tw_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "bench: could not sign in" >&2; exit 1; }

# An API token for creating tickets.
export TW_BENCH_TOKEN
TW_BENCH_TOKEN=$(TW_CONFIG=$config "$root/build/cli/ticketwerk-admin" \
	token create --user admin --name bench)
export TW_BENCH_CHANNEL
TW_BENCH_CHANNEL=$(sql -N -e "SELECT id FROM channels WHERE name = 'Support'")

# What the pages ask for: a ticket with 50 items, a reference that only
# item texts carry, and the channel and status filter.
long=$(sql -N -e "SELECT t.number FROM tickets t JOIN items i
	ON i.ticket_id = t.id GROUP BY t.id HAVING COUNT(*) >= 50
	ORDER BY t.id DESC LIMIT 1")
word=$(sql -N -e "SELECT CONCAT('ref', (MAX(id) DIV 2 * 5) % 200000)
	FROM tickets")
declare -A path=(
	[healthz]=/healthz
	[healthz_anonymous]=/healthz
	[queue]=/tickets/
	[queue_filtered]="/tickets/?channel=$TW_BENCH_CHANNEL&status=new"
	[queue_search]="/tickets/?q=$word"
	[queue_search_filtered]="/tickets/?q=$word&channel=$TW_BENCH_CHANNEL"
	[ticket_50_items]=/tickets/$long
	[create]=/tickets/
)
order="healthz healthz_anonymous queue queue_filtered queue_search
	queue_search_filtered ticket_50_items create"

for name in queue queue_filtered queue_search; do
	rows=$(curl -fsS -b "tw_session=$session" "$url${path[$name]}" |
	    grep -c '<tr class=' || true)
	echo "bench: $name (${path[$name]}) shows $rows rows"
done

# run NAME: wrk with latency over path[NAME]; keeps the figures.
run() {
	local out="$work/$1.txt" extra=()

	case $1 in
	create) extra=(-s "$here/create.lua") ;;
	healthz_anonymous) ;;
	*) extra=(-H "Cookie: tw_session=$session") ;;
	esac
	wrk -t2 -c"$conns" -d"${seconds}s" --latency ${extra[@]+"${extra[@]}"} \
	    "$url${path[$1]}" >"$out"
	awk '/Requests\/sec/ { print $2 }' "$out" >"$work/$1.rps"
	awk '/^ +50%/ { print $2 }' "$out" >"$work/$1.p50"
	awk '/^ +99%/ { print $2 }' "$out" >"$work/$1.p99"
	awk '/Non-2xx/ { print $NF } END { print 0 }' "$out" | head -n 1 \
	    >"$work/$1.bad"
}

# Latencies come as 1.23ms or 850.00us; compare in microseconds.
us() { awk '{ v = $1; if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000;
	else f = 1000000; sub(/[a-z]+$/, "", v); print v * f }' "$1"; }

echo "bench: wrk -t2 -c$conns -d${seconds}s --latency"
for name in $order; do
	run "$name"
done

floor=$(us "$work/healthz.p50")
printf '%-22s %10s %10s %10s %8s %8s\n' page req/s p50 p99 x-floor non-2xx
for name in $order; do
	printf '%-22s %10s %10s %10s %8s %8s\n' "$name" \
	    "$(cat "$work/$name.rps")" "$(cat "$work/$name.p50")" \
	    "$(cat "$work/$name.p99")" \
	    "$(awk -v a="$(us "$work/$name.p50")" -v b="$floor" \
	    'BEGIN { printf "%.2f", a / b }')" "$(cat "$work/$name.bad")"
done

# The plans: each queue page once with the general log on, then EXPLAIN
# of the statements it executed.  The log shows the placeholders, so the
# values go back in here, in the order the statement binds them: the
# search words twice, the user, the filters, then LIMIT and OFFSET (the
# probe for more tickets than are counted has only its OFFSET, 200; an
# early page carries the probe first, then its own values).
channel=$TW_BENCH_CHANNEL
declare -A values=(
	[queue]="1"
	[queue_filtered]="1 $channel 'new'"
	[queue_search]="'+$word' '+$word' 1"
	[queue_search_filtered]="'+$word' '+$word' 1 $channel"
)
log=$(dba -N -e "SELECT @@datadir")/bench-general-$$.log
dba -e "SET GLOBAL general_log_file = 'bench-general-$$.log',
	general_log = 1"
echo
echo "bench: EXPLAIN of the queue's statements"
for name in queue queue_filtered queue_search queue_search_filtered; do
	seen=$(wc -l <"$log")
	curl -fsS -o /dev/null -b "tw_session=$session" "$url${path[$name]}"
	tail -n +"$((seen + 1))" "$log" | grep -a 'Execute.*STRAIGHT_JOIN' |
	    sed 's/^.*Execute\t//; s/^SET STATEMENT [a-z_]* = [0-9]* FOR //' |
	while IFS= read -r stmt; do
		case $stmt in
		*") AS more FROM "*)
			v="${values[$name]} 200 ${values[$name]} 50 0" ;;
		*" 1 AS more "*) v="${values[$name]} 200" ;;
		*) v="${values[$name]} 50 0" ;;
		esac
		stmt=$(printf '%s\n' "$stmt" | awk -v v="$v" '
		    BEGIN { n = split(v, val, " ") }
		    { out = ""; i = 0
		      while ((p = index($0, "?")) > 0) {
			out = out substr($0, 1, p - 1) val[++i]
			$0 = substr($0, p + 1) }
		      print out $0 }')
		echo
		echo "-- $name: $stmt"
		sql -e "EXPLAIN $stmt" || echo "(no plan)"
	done
done
dba -e "SET GLOBAL general_log = 0"
