# dovecot.sh: a private Dovecot IMAP server for the tests and the
# benchmark, sourced by ./ticketwerk and tests/bench/imap.sh (bash).
#
#   dovecot_start DIR PORT LOG   write DIR/dovecot.conf, a certificate and
#                                a test user, and start Dovecot on
#                                127.0.0.1:PORT (IMAP over TLS only)
#   dovecot_env DIR PORT         export where it is and how to log in:
#                                TW_IMAP_URL, TW_IMAP_USER,
#                                TW_IMAP_PASSWORD, TW_IMAP_CA
#   dovecot_stop DIR             stop the server DIR's pid file names
#
# Nothing of /etc/dovecot is read: the server runs with dovecot -c and
# keeps its sockets, state and mail (Maildir) under DIR.  As root the
# mail belongs to the dovecot user; otherwise everything runs as the
# caller.  The certificate is self-signed for 127.0.0.1 and localhost;
# TW_IMAP_CA names it, for clients that must trust it.

# Prints the pid of DIR's Dovecot master when it runs.
dovecot_pid() {
	local pid

	[ -r "$1/run/master.pid" ] || return 1
	pid=$(cat "$1/run/master.pid")
	case $pid in
	'' | *[!0-9]*) return 1 ;;
	esac
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dovecot ] || return 1
	echo "$pid"
}

# Writes DIR/dovecot.conf for port PORT and log file LOG.
dovecot_config() {
	local dir=$1 port=$2 log=$3 internal login mailuser

	if [ "$(id -u)" -eq 0 ]; then
		internal=dovecot login=dovenull mailuser=dovecot
	else
		internal=$(id -un) login=$(id -un) mailuser=$(id -un)
	fi
	cat >"$dir/dovecot.conf" <<-EOF
		# Written by tests/dovecot.sh; rewritten on every start.
		base_dir = $dir/run
		state_dir = $dir/state
		instance_name = tw-dovecot-$port
		log_path = $log
		protocols = imap
		listen = 127.0.0.1
		ssl = required
		ssl_cert = <$dir/tls/cert.pem
		ssl_key = <$dir/tls/key.pem
		ssl_min_protocol = TLSv1.2
		default_internal_user = $internal
		default_login_user = $login
		first_valid_uid = 1
		auth_mechanisms = plain
		disable_plaintext_auth = yes
		passdb {
		  driver = passwd-file
		  args = scheme=PLAIN $dir/passwd
		}
		userdb {
		  driver = static
		  args = uid=$mailuser gid=$mailuser home=$dir/mail/%u
		}
		mail_location = maildir:~/Maildir
		service imap-login {
		  inet_listener imap {
		    port = 0
		  }
		  inet_listener imaps {
		    port = $port
		    ssl = yes
		  }
		}
	EOF
}

dovecot_start() {
	local dir port=$2 log pid i password

	dir=$(realpath -m "$1")
	log=$(realpath -m "$3")
	if ! command -v dovecot >/dev/null; then
		echo "dovecot is not installed (Debian: dovecot-imapd)" >&2
		return 1
	fi
	dovecot_stop "$dir"
	mkdir -p "$dir/run" "$dir/state" "$dir/mail" "$dir/tls"
	chmod 0755 "$dir" "$dir/tls"
	if [ ! -s "$dir/tls/cert.pem" ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
		    -subj /CN=localhost \
		    -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
		    -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" \
		    >/dev/null 2>&1 || { echo "openssl failed" >&2; return 1; }
	fi
	chmod 0600 "$dir/tls/key.pem"
	chmod 0644 "$dir/tls/cert.pem"

	password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	printf 'tw-test:{PLAIN}%s\n' "$password" >"$dir/passwd"
	chmod 0640 "$dir/passwd"
	if [ "$(id -u)" -eq 0 ]; then
		chown root:dovecot "$dir/passwd"
		chown dovecot:dovecot "$dir/mail"
	fi
	touch "$log"
	dovecot_config "$dir" "$port" "$log"

	if ! dovecot -c "$dir/dovecot.conf"; then
		tail -n 15 "$log" >&2
		return 1
	fi
	for ((i = 0; i < 50; i++)); do
		if pid=$(dovecot_pid "$dir") && timeout 2 \
		    bash -c ": </dev/tcp/127.0.0.1/$port" 2>/dev/null; then
			echo "dovecot started (pid $pid) on 127.0.0.1:$port"
			return 0
		fi
		sleep 0.1
	done
	tail -n 15 "$log" >&2
	echo "dovecot did not start; see $log" >&2
	return 1
}

dovecot_env() {
	local password

	password=$(sed -n 's/^tw-test:{PLAIN}//p' "$1/passwd")
	export TW_IMAP_URL=imaps://127.0.0.1:$2
	export TW_IMAP_USER=tw-test TW_IMAP_PASSWORD=$password
	TW_IMAP_CA=$(realpath -m "$1/tls/cert.pem")
	export TW_IMAP_CA
}

dovecot_stop() {
	local pid i

	pid=$(dovecot_pid "$1") || return 0
	echo "stopping dovecot (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		[ -d "/proc/$pid" ] || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}
