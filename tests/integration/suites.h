/*
 * suites.h: the integration runner's suites, and the fixture they share
 * (test_fixture.c): the instance's environment, its database, the admin
 * command and signed-in agents.
 *
 * Check runs every test in a child process of its own, so each test
 * opens its own database connection; the fixture's functions end the
 * test with a failed assertion when the instance does not cooperate.
 */
#ifndef TW_INTEG_SUITES_H
#define TW_INTEG_SUITES_H

#include <stddef.h>

#include <check.h>

struct json_object;
struct http_resp;

#include "db.h"

struct http_agent;

Suite		*tw_auth_suite(void);
Suite		*tw_tickets_suite(void);
Suite		*tw_input_suite(void);
Suite		*tw_crash_suite(void);
Suite		*tw_merge_suite(void);
Suite		*tw_ingest_suite(void);
Suite		*tw_admin_suite(void);
Suite		*tw_workflow_suite(void);
Suite		*tw_alerts_suite(void);
Suite		*tw_crm_suite(void);
Suite		*tw_attachments_suite(void);
Suite		*tw_queue_suite(void);
Suite		*tw_jobs_suite(void);
Suite		*tw_outbound_suite(void);
Suite		*tw_mail_http_suite(void);
Suite		*tw_webform_suite(void);
Suite		*tw_imap_suite(void);

/* A formatted string; the caller frees it. */
char		*fx_printf(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

/* The demo admin's password, from TW_ADMIN_PASSWORD. */
const char	*fx_password(void);

/*
 * A unique marker for subjects and logins: tag, '-', 16 random hex
 * digits.  Never holds '_' or '%', so it can start a LIKE pattern.
 */
char		*fx_marker(const char *tag);

/*
 * The first cell of the first row of a query on the instance's database
 * (opened on first use from TW_CONFIG), as a number; def when there is
 * no row or the cell is NULL.  sql must be a string constant.
 */
long long	 fx_db_int(const char *sql, long long def, size_t nargs,
		    const struct tw_dbarg *args);

/* The same as a string in the fixture's arena, or NULL; *len its bytes. */
const char	*fx_db_str(const char *sql, size_t *len, size_t nargs,
		    const struct tw_dbarg *args);

/* Runs INSERT, UPDATE or DELETE; returns the rows affected. */
unsigned long long fx_db_exec(const char *sql, size_t nargs,
		    const struct tw_dbarg *args);

/* The id of the channel called name. */
long long	 fx_channel(const char *name);

/*
 * Runs ticketwerk-admin (TW_ADMIN, else build/cli/ticketwerk-admin under
 * TW_ROOT or the working directory) with the NULL-terminated arguments,
 * input on its stdin.  Returns its output
 * without the final newline, or NULL when it failed.
 */
char		*fx_admin(const char *input, const char *const *argv);

/*
 * Runs the program name of the build's cli/ (found beside TW_ADMIN, or
 * under TW_ROOT) with the NULL-terminated arguments and len bytes of
 * input; *status gets its exit code.  Returns its output (to free).
 */
char		*fx_run(const char *name, const char *input, size_t len,
		    const char *const *argv, int *status);

/* Hands a raw message to ticketwerk-mailgate; returns its exit code. */
int		 fx_mailgate(const char *channel, const char *raw);
/*
 * A plain text/plain message from from with subject and Message-ID <id>;
 * extra holds more header lines ("Name: value\r\n"), or "".  The
 * caller frees it.
 */
char		*fx_message(const char *from, const char *subject,
		    const char *id, const char *extra, const char *body);

/* Adds an agent with the admin's password; returns its login. */
char		*fx_user_new(const char *tag);

/* Creates an API token for login and returns it. */
char		*fx_token(const char *login);

/* "Authorization: Bearer token", for a header list. */
char		*fx_bearer(const char *token);

/* A new agent signed in through the form as login. */
struct http_agent *fx_signin(const char *login, const char *password);

/*
 * Opens a ticket through the JSON API with token: subject in channel.
 * Returns its number after asserting the 201.
 */
long long	 fx_ticket_new(const char *token, const char *subject,
		    long long channel);

/*
 * A JSON request with the bearer token (body may be NULL); the caller
 * frees the response.
 */
struct http_resp *fx_api(const char *token, const char *method,
		    const char *path, const char *body);

/* The id of the agent login, or 0. */
long long	 fx_user_id(const char *login);

/* Whether the array at key of o holds an object with this "number". */
int		 fx_json_lists(struct json_object *o, const char *key,
		    long long number);

/* One part of a multipart/form-data body. */
struct fx_part {
	const char	*name;
	const char	*disposition;	/* e.g. filename="a.txt"; NULL: text */
	const char	*type;		/* NULL: none sent */
	const char	*data;
	size_t		 len;
};

/*
 * POSTs the parts as multipart/form-data to path: as an API client with
 * token (asking for JSON), or when token is NULL as agent a (asking for
 * a page).  The caller frees the response.
 */
struct http_resp *fx_post_parts(const char *token, struct http_agent *a,
		    const char *path, const struct fx_part *parts, size_t n);

/* A Check test case with a timeout of seconds. */
TCase		*fx_tcase(const char *name, double seconds);

#endif
