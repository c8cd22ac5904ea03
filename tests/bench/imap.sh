#!/usr/bin/env bash
# The rate of mail through IMAP end to end: N messages are appended to a
# folder of an IMAP server, a mailbox is set up for it through the admin
# API, and `ticketwerk-jobs --once --only imap` is timed until it has
# taken them all in (fetch, parse, ticket transaction, \Seen).  Prints
# messages/s.  Never fails for being slow.
#
# The messages are the shared mail corpus ($TW_SHARED_DATA/mail-corpus,
# else ../shared/data/mail-corpus beside the source tree: *.eml, and
# *.box without the mbox line), each copy given a Message-ID of its own,
# cycled until there are N; without the corpus that part is reported as
# skipped and generated messages are used instead.
#
# Environment: TW_CONFIG (the instance's ini), TW_BENCH_URL (its base
# URL), TW_ROOT (the source tree, built in build/).  Optional:
# TW_BENCH_MAIL (N, default 1000); TW_IMAP_URL, TW_IMAP_USER,
# TW_IMAP_PASSWORD, TW_IMAP_CA for a running IMAP server, else a private
# Dovecot is started under the instance directory on port
# TW_BENCH_IMAP_PORT (default 18493) and stopped afterwards.
#
# By hand, against an instance of ./ticketwerk up (it adds N tickets):
#   TW_CONFIG=var/ticketwerk.ini TW_BENCH_URL=http://127.0.0.1:8080 \
#       TW_BENCH_MAIL=300 tests/bench/imap.sh
set -euo pipefail

config=$(realpath "${TW_CONFIG:?set TW_CONFIG}")
url=${TW_BENCH_URL:?set TW_BENCH_URL}
root=${TW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
count=${TW_BENCH_MAIL:-1000}
corpus=$(realpath -m "${TW_SHARED_DATA:-$root/../shared/data}/mail-corpus")
work=$(mktemp -d)
private=""

ini() {	# ini SECTION KEY
	awk -F '[ \t]*=[ \t]*' -v s="[$1]" -v k="$2" '
		/^\[/ { in_s = ($0 == s); next }
		in_s && $1 == k { print $2; exit }' "$config"
}
var=$(ini paths var)

# shellcheck source=tests/dovecot.sh
. "$root/tests/dovecot.sh"

cleanup() {
	if [ -n "${token:-}" ] && [ -n "${mailbox:-}" ]; then
		curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" \
		    -H 'Accept: application/json' \
		    "$url/admin/mailboxes/$mailbox/delete" || true
	fi
	if [ -n "$private" ]; then
		dovecot_stop "$private" >/dev/null
		rm -rf "$private"
	fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${TW_IMAP_URL:-}" ]; then
	private=$var/bench-dovecot
	dovecot_start "$private" "${TW_BENCH_IMAP_PORT:-18493}" \
	    "$var/log/bench-dovecot.log" >/dev/null
	dovecot_env "$private" "${TW_BENCH_IMAP_PORT:-18493}"
fi
folder=bench-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')

# imap ARGS: curl against the IMAP server as its test user.
imap() {
	curl -fsS --cacert "$TW_IMAP_CA" -u "$TW_IMAP_USER:$TW_IMAP_PASSWORD" \
	    "$@"
}

# Writes message number $1 to the file $2: a corpus message with its own
# Message-ID in place of the one it had, or a generated one.
write_message() {
	local n=$1 out=$2 id="bench-$1-$folder@bench.example"

	if [ ${#files[@]} -gt 0 ]; then
		# Without its mbox "From " line and its own Message-ID.
		printf 'Message-ID: <%s>\r\n' "$id" >"$out"
		LC_ALL=C awk 'NR == 1 && /^From / { next }
		    !body && /^[\r]?$/ { body = 1 }
		    !body && tolower($0) ~ /^message-id:/ { next }
		    { print }' "${files[$((n % ${#files[@]}))]}" >>"$out"
	else
		printf 'From: Kunde %s <kunde%s@customer.example>\r\nTo: %s\r\n%s\r\n%s\r\n%s\r\n\r\n%s\r\n' \
		    "$n" "$((n % 97))" "support@ticketwerk.example" \
		    "Subject: Anfrage $n" "Message-ID: <$id>" \
		    "Content-Type: text/plain; charset=utf-8" \
		    "Der Drucker im Raum $n druckt seit heute Morgen nicht mehr." \
		    >"$out"
	fi
}

files=()
if [ -d "$corpus" ]; then
	mapfile -t files < <(find "$corpus" -maxdepth 1 -type f \
	    \( -name '*.eml' -o -name '*.box' \) | sort)
fi
if [ ${#files[@]} -eq 0 ]; then
	echo "SKIP imap bench corpus: no mail corpus at $corpus; generated messages instead"
fi

echo "bench imap: appending $count messages to $folder" \
    "(${#files[@]} corpus files)"
imap -o /dev/null "$TW_IMAP_URL/" -X "CREATE $folder"
: >"$work/curlrc"
for ((i = 0; i < count; i++)); do
	write_message "$i" "$work/m$i.eml"
	printf 'url = "%s/%s"\nupload-file = "%s"\n' "$TW_IMAP_URL" \
	    "$folder" "$work/m$i.eml" >>"$work/curlrc"
done
imap -o /dev/null --config "$work/curlrc"

# The mailbox, through the admin API with a token of the demo admin.
token=$(TW_CONFIG=$config "$root/build/cli/ticketwerk-admin" \
    token create --user admin --name bench-imap)
channel=$(curl -fsS -H "Authorization: Bearer $token" \
    "$url/admin/mailboxes/" |
    sed -n 's/.*{"id":\([0-9]*\),"name":"Support".*/\1/p')
mailbox=$(curl -fsS -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d @- "$url/admin/mailboxes/" <<-EOF |
	{"name": "$folder", "url": "$TW_IMAP_URL/$folder",
	 "username": "$TW_IMAP_USER", "password": "$TW_IMAP_PASSWORD",
	 "channel": $channel, "poll_seconds": 300, "enabled": true}
	EOF
    sed -n 's/.*"mailbox":{"id":\([0-9]*\).*/\1/p')
[ -n "$mailbox" ] || { echo "bench imap: no mailbox was made" >&2; exit 1; }

# The runner as the instance's programs run: as the owner of its data.
run_as=()
if [ "$(id -u)" -eq 0 ] && [ "$(stat -c %U "$var/data")" != root ]; then
	run_as=(setpriv --reuid="$(stat -c %U "$var/data")"
	    --regid="$(stat -c %G "$var/data")" --init-groups --)
fi
start=$(date +%s.%N)
"${run_as[@]}" env TW_CONFIG="$config" TW_MAIL_CA_FILE="$TW_IMAP_CA" \
    "$root/build/cli/ticketwerk-jobs" --once --only imap \
    >"$work/jobs.log" 2>&1 || { tail -n 5 "$work/jobs.log" >&2; exit 1; }
end=$(date +%s.%N)

state=$(curl -fsS -H "Authorization: Bearer $token" \
    "$url/admin/mailboxes/$mailbox")
taken=$(echo "$state" | sed -n 's/.*"taken":\([0-9]*\).*/\1/p')
dropped=$(echo "$state" | sed -n 's/.*"dropped":\([0-9]*\).*/\1/p')
refused=$(echo "$state" | sed -n 's/.*"refused":\([0-9]*\).*/\1/p')
awk -v n="$((taken + dropped + refused))" -v t="$taken" -v d="$dropped" \
    -v r="$refused" -v s="$start" -v e="$end" 'BEGIN {
	printf "bench imap: %d messages in %.2f s: %.1f messages/s " \
	    "(%d taken in, %d dropped, %d refused)\n", n, e - s,
	    n / (e - s), t, d, r
}'
imap -o /dev/null "$TW_IMAP_URL/" -X "DELETE $folder" || true
