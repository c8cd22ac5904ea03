#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each briefly, as a
# smoke test inside ./ticketwerk test; long runs are done by hand (see
# README).  Seeds: the shared mail corpus when it is there.  Prints one
# line per harness and a closing "N passed, N failed, N skipped".
#
# Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -uo pipefail

build=$(cd "${1:?usage: run.sh BUILD_DIR [SECONDS]}" && pwd)
seconds=${2:-15}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$build/fuzz
pass=0 fail=0 skip=0
mkdir -p "$out"

if ! command -v clang >/dev/null 2>&1; then
	echo "SKIP fuzz: clang is not installed"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

flags="-g -O1 -fsanitize=fuzzer,address,undefined -I$build -I$root/lib
	-I$root/lib/core $(pkg-config --cflags json-c gmime-3.0 libxml-2.0)"
libs="$(pkg-config --libs json-c gmime-3.0 libxml-2.0)"
form_src="$root/lib/core/form.c $root/lib/core/multipart.c
	$root/lib/core/json_body.c $root/lib/core/utf8.c $root/lib/core/arena.c
	$root/lib/core/text.c"
mail_src="$root/lib/mail.c $root/lib/html.c $root/lib/addrlist.c
	$root/lib/email.c $root/lib/core/buf.c
	$root/lib/core/utf8.c $root/lib/core/arena.c $root/lib/core/log.c
	$root/lib/core/text.c"

# run NAME SOURCES SEEDS...: builds the harness, fuzzes for $seconds.
run() {
	local name=$1 src=$2 corpus=$out/$1-corpus log=$out/$1.log
	shift 2

	# shellcheck disable=SC2086
	if ! clang $flags "$here/$name.c" $src $libs -o "$out/$name" \
	    >"$log" 2>&1; then
		echo "FAIL $name: it does not build (see $log)"
		fail=$((fail + 1))
		return
	fi
	mkdir -p "$corpus"
	if "$out/$name" -max_total_time="$seconds" -max_len=65536 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/$name-" "$corpus" "$@" >>"$log" 2>&1; then
		echo "ok $name: $(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$log" |
		    awk '{ print $2 }') runs in ${seconds} s, no crash"
		pass=$((pass + 1))
	else
		echo "FAIL $name: a crash or a broken promise; the last lines of $log:"
		tail -n 30 "$log"
		fail=$((fail + 1))
	fi
}

run fuzz_form "$form_src"
run fuzz_contact "$root/lib/phone.c $root/lib/email.c"
run fuzz_imap "$root/lib/imap_parse.c $root/lib/core/arena.c
	$root/lib/core/text.c"
run fuzz_ical "$root/lib/ical.c $root/lib/when.c $root/lib/core/utf8.c
	$root/lib/core/buf.c $root/lib/core/arena.c"
seeds=$(realpath -m "${TW_SHARED_DATA:-$root/../shared/data}/mail-corpus")
if [ -d "$seeds" ]; then
	run fuzz_mail "$mail_src" "$seeds"
else
	echo "SKIP fuzz_mail seeds: no shared mail corpus; starting from nothing"
	run fuzz_mail "$mail_src"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
