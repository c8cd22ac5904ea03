/*
 * admin.c: ticketwerk-admin, the administration tool that runs without a
 * request: database migrations, demo data, agents and API tokens.
 *
 *	ticketwerk-admin migrate
 *	ticketwerk-admin seed		(password from TW_ADMIN_PASSWORD)
 *	ticketwerk-admin user add LOGIN --name "Name" [--email A] [--admin]
 *						(password on standard input)
 *	ticketwerk-admin token create --user LOGIN [--name LABEL]
 *
 * Configuration comes from the file named by TW_CONFIG.  Exit codes
 * follow sysexits(3).
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "arena.h"
#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "seed.h"
#include "text.h"
#include "user.h"

#define MIGRATIONS_MAX	512
#define MIGRATION_MAX	(16 * 1024 * 1024)	/* bytes of one file */

static const char sql_migrations_table[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "name VARCHAR(255) NOT NULL PRIMARY KEY, "
    "applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
static const char sql_migration_done[] =
    "SELECT 1 FROM schema_migrations WHERE name = ?";
static const char sql_migration_record[] =
    "INSERT INTO schema_migrations (name) VALUES (?)";

static int
usage(void)
{
	fprintf(stderr,
	    "usage: ticketwerk-admin migrate\n"
	    "       ticketwerk-admin seed\n"
	    "       ticketwerk-admin user add LOGIN --name NAME "
	    "[--email ADDRESS] [--admin]\n"
	    "       ticketwerk-admin token create --user LOGIN "
	    "[--name LABEL]\n");
	return EX_USAGE;
}

/* The value after flag in argv, or NULL. */
static const char *
option(int argc, char **argv, const char *flag)
{
	int	i;

	for (i = 0; i < argc - 1; i++)
		if (strcmp(argv[i], flag) == 0)
			return argv[i + 1];
	return NULL;
}

static int
has_flag(int argc, char **argv, const char *flag)
{
	int	i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return 1;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Applies one file unless it is recorded as applied. */
static int
apply(struct tw_arena *a, const char *dir, const char *name)
{
	struct tw_rows	*r;
	char		 path[2048];
	char		*text;
	enum tw_err	 rc;

	if (tw_db_query(a, sql_migration_done, &r,
	    TW_ARGS(TW_S(name))) != TW_OK)
		return EX_UNAVAILABLE;
	if (r->nrows > 0)
		return EX_OK;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) ||
	    (text = tw_file_read(path, MIGRATION_MAX, NULL)) == NULL) {
		fprintf(stderr, "ticketwerk-admin: cannot read %s\n", path);
		return EX_NOINPUT;
	}
	/* XXX: MariaDB commits DDL implicitly, so a migration that fails
	 * half-way leaves its first statements applied; keep each file
	 * small enough to repair by hand. */
	rc = tw_db_script(text);
	free(text);
	if (rc != TW_OK) {
		fprintf(stderr, "ticketwerk-admin: %s failed: %s\n", name,
		    tw_db_error());
		return EX_DATAERR;
	}
	if (tw_db_exec(sql_migration_record, NULL, NULL,
	    TW_ARGS(TW_S(name))) != TW_OK)
		return EX_UNAVAILABLE;
	printf("applied %s\n", name);
	return EX_OK;
}

static int
cmd_migrate(struct tw_arena *a)
{
	char		 dir[1024], *names[MIGRATIONS_MAX];
	DIR		*d;
	struct dirent	*e;
	size_t		 n = 0, i, len;
	int		 ex = EX_OK;

	snprintf(dir, sizeof(dir), "%s/sql",
	    tw_conf_str("paths", "root", "."));
	if (tw_db_script(sql_migrations_table) != TW_OK) {
		fprintf(stderr, "ticketwerk-admin: %s\n", tw_db_error());
		return EX_UNAVAILABLE;
	}
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "ticketwerk-admin: cannot open %s\n", dir);
		return EX_NOINPUT;
	}
	while ((e = readdir(d)) != NULL && n < MIGRATIONS_MAX) {
		len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".sql") == 0)
			names[n++] = tw_arena_strdup(a, e->d_name);
	}
	closedir(d);

	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n && ex == EX_OK; i++)
		ex = apply(a, dir, names[i]);
	return ex;
}

static int
cmd_seed(void)
{
	const char	*password = getenv("TW_ADMIN_PASSWORD");
	int		 loaded;
	enum tw_err	 rc;

	if (password == NULL || strlen(password) < TW_PASSWORD_MIN) {
		fprintf(stderr, "ticketwerk-admin: set TW_ADMIN_PASSWORD "
		    "(at least %d characters)\n", TW_PASSWORD_MIN);
		return EX_USAGE;
	}
	if ((rc = tw_seed_demo(password, &loaded)) != TW_OK) {
		fprintf(stderr, "ticketwerk-admin: seed failed: %s (%s)\n",
		    tw_err_str(rc), tw_db_error());
		return EX_SOFTWARE;
	}
	printf(loaded ? "demo data loaded\n" :
	    "demo data present; admin password set\n");
	return EX_OK;
}

/* Reads one line from standard input, without its newline. */
static int
read_password(char *buf, size_t n)
{
	size_t	len;

	if (fgets(buf, (int)n, stdin) == NULL)
		return -1;
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 0;
}

static int
cmd_user_add(int argc, char **argv)
{
	char		 password[TW_PASSWORD_MAX + 2];
	const char	*name = option(argc, argv, "--name");
	enum tw_err	 rc;

	if (argc < 1 || argv[0][0] == '-')
		return usage();
	if (name == NULL)
		name = argv[0];
	if (read_password(password, sizeof(password)) == -1) {
		fprintf(stderr, "ticketwerk-admin: no password on stdin\n");
		return EX_USAGE;
	}
	rc = tw_user_add(argv[0], name, option(argc, argv, "--email"),
	    password, has_flag(argc, argv, "--admin"), NULL);
	if (rc == TW_ERR_INVALID) {
		fprintf(stderr, "ticketwerk-admin: the login must be 1-64 of "
		    "a-z 0-9 . _ - and the password 8-1024 bytes\n");
		return EX_DATAERR;
	}
	if (rc == TW_ERR_CONFLICT) {
		fprintf(stderr, "ticketwerk-admin: %s exists\n", argv[0]);
		return EX_DATAERR;
	}
	if (rc != TW_OK) {
		fprintf(stderr, "ticketwerk-admin: %s\n", tw_db_error());
		return EX_SOFTWARE;
	}
	printf("added %s\n", argv[0]);
	return EX_OK;
}

static int
cmd_token_create(struct tw_arena *a, int argc, char **argv)
{
	const char	*login = option(argc, argv, "--user");
	const char	*label = option(argc, argv, "--name");
	char		 token[TW_TOKEN_HEX + 1];
	long long	 id;
	enum tw_err	 rc;

	if (login == NULL)
		return usage();
	if ((rc = tw_user_id(a, login, &id)) != TW_OK) {
		fprintf(stderr, "ticketwerk-admin: no user %s\n", login);
		return rc == TW_ERR_NOTFOUND ? EX_NOUSER : EX_UNAVAILABLE;
	}
	if (tw_auth_token_create(id, label != NULL ? label : "", token) !=
	    TW_OK) {
		fprintf(stderr, "ticketwerk-admin: %s\n", tw_db_error());
		return EX_SOFTWARE;
	}
	printf("%s\n", token);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	struct tw_arena	*a;
	int		 ex;

	tw_log_init("admin");
	if (argc < 2)
		return usage();
	if (tw_conf_load(NULL) != TW_OK)
		return EX_CONFIG;
	if (tw_db_open() != TW_OK) {
		fprintf(stderr, "ticketwerk-admin: cannot connect: %s\n",
		    tw_db_error());
		return EX_UNAVAILABLE;
	}

	a = tw_arena_new();
	if (strcmp(argv[1], "migrate") == 0)
		ex = cmd_migrate(a);
	else if (strcmp(argv[1], "seed") == 0)
		ex = cmd_seed();
	else if (argc >= 3 && strcmp(argv[1], "user") == 0 &&
	    strcmp(argv[2], "add") == 0)
		ex = cmd_user_add(argc - 3, argv + 3);
	else if (argc >= 3 && strcmp(argv[1], "token") == 0 &&
	    strcmp(argv[2], "create") == 0)
		ex = cmd_token_create(a, argc - 3, argv + 3);
	else
		ex = usage();

	tw_arena_free(a);
	tw_db_close();
	return ex;
}
