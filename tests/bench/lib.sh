# What the benchmark scripts share, sourced with $config set to the
# instance's ini file: reading it, and the database's two accounts.

ini() {	# ini SECTION KEY
	awk -F '[ \t]*=[ \t]*' -v s="[$1]" -v k="$2" '
		/^\[/ { in_s = ($0 == s); next }
		in_s && $1 == k { print $2; exit }' "$config"
}

# sql ARGS: the application's account; dba ARGS: the instance's
# superuser, which is the user running the instance (unix socket).
sql() {
	mariadb --no-defaults --socket="$(ini db socket)" -u "$(ini db user)" \
	    -p"$(ini db password)" "$(ini db name)" "$@"
}
dba() {
	mariadb --no-defaults --socket="$(ini db socket)" -u "$(id -un)" \
	    "$(ini db name)" "$@"
}
