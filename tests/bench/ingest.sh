#!/usr/bin/env bash
# The mail intake's benchmark: messages of the shared mail corpus and
# generated ones through tw_ingest() against a running instance's
# database (build/tests/bench/tw-bench-ingest), then the statements one
# message costs, from the server's slow log with every statement in it.
# Prints messages/s and the split between parsing and the rest.
#
# Environment: TW_CONFIG (the instance's ini), TW_ROOT (the source tree).
# Optional: TW_SHARED_DATA (default ../shared/data beside the tree; the
# corpus is skipped with a SKIP line when it is not there),
# TW_BENCH_MESSAGES (default 3000), TW_BENCH_WORKERS (default 2, one per
# core), TW_BENCH_RUNS (default 3).  Never fails for being slow.
set -euo pipefail

config=${TW_CONFIG:?set TW_CONFIG}
root=${TW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
data=${TW_SHARED_DATA:-$root/../shared/data}
messages=${TW_BENCH_MESSAGES:-3000}
workers=${TW_BENCH_WORKERS:-2}
runs=${TW_BENCH_RUNS:-3}
prog=$root/build/tests/bench/tw-bench-ingest

# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"

if [ ! -x "$prog" ]; then
	echo "bench ingest: $prog is missing; run make" >&2
	exit 1
fi
corpus=$data/mail-corpus
if [ ! -d "$corpus" ]; then
	echo "SKIP bench ingest corpus: $corpus not found;" \
	    "generated messages only"
	corpus=
fi

# The attachments it stores must stay the programs' own: run as the
# owner of the instance's data directory.
var=$(ini paths var)
as=()
if [ "$(id -u)" -eq 0 ] && [ "$(stat -c %U "$var/data")" != root ]; then
	as=(setpriv --reuid="$(stat -c %U "$var/data")"
	    --regid="$(stat -c %G "$var/data")" --init-groups --)
fi

flush=$(dba -N -e 'SELECT @@innodb_flush_log_at_trx_commit')
echo "bench ingest: $runs runs of $messages messages, $workers workers," \
    "innodb_flush_log_at_trx_commit=$flush"
for ((i = 1; i <= runs; i++)); do
	"${as[@]}" env TW_CONFIG="$config" "$prog" -n "$messages" \
	    -j "$workers" ${corpus:+"$corpus"}
done

# One more, smaller run with every statement logged: what one message
# costs the server, statement by statement.
log=$(dba -N -e "SELECT @@datadir")/bench-ingest-$$.log
dba -e "SET GLOBAL slow_query_log_file = 'bench-ingest-$$.log',
	long_query_time = 0, slow_query_log = 1"
"${as[@]}" env TW_CONFIG="$config" "$prog" -n 300 -j 1 \
    ${corpus:+"$corpus"} >/dev/null
dba -e "SET GLOBAL slow_query_log = 0, long_query_time = 10"
echo
echo "bench ingest: the statements of 300 messages (one worker), by time"
awk '
	/^# Query_time:/ { t = $3; next }
	/^#/ || /^SET timestamp/ || /^use / || /^[^A-Z]/ { next }
	{
		q = $0
		gsub(/\047[^\047]*\047/, "?", q)
		gsub(/[0-9]+/, "N", q)
		q = substr(q, 1, 70)
		sum[q] += t; n[q]++; all += t
	}
	END {
		for (q in sum)
			printf "%9.1f ms %6d  %s\n", sum[q] * 1000, n[q], q
		printf "%9.1f ms in all\n", all * 1000
	}' "$log" | sort -rn | head -n 16
rm -f "$log"
