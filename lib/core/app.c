/*
 * app.c: start-up and the FastCGI accept loop.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "epoch.h"
#include "i18n.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "view.h"

static volatile sig_atomic_t	stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static long
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

enum tw_err
tw_app_healthz(struct tw_request *req)
{
	static const char ok[] = "ok\n";

	return tw_resp_send(req, 200, "text/plain; charset=utf-8", ok,
	    sizeof(ok) - 1);
}

static enum tw_err
start(const struct tw_app *app)
{
	const char	*root;
	char		 path[1024];
	enum tw_err	 rc;

	tw_log_init(app->name);
	if ((rc = tw_conf_load(NULL)) != TW_OK)
		return rc;
	root = tw_conf_str("paths", "root", ".");

	snprintf(path, sizeof(path), "%s/htdocs/locale", root);
	if ((rc = tw_i18n_load(path)) != TW_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/htdocs/templates", root);
	if ((rc = tw_view_init(path)) != TW_OK)
		return rc;
	if ((rc = tw_auth_init()) != TW_OK)
		return rc;

	/* Connecting early is only an optimisation: a database that is not
	 * up yet is retried on the first request that needs it. */
	tw_db_open();
	return TW_OK;
}

static void
new_request_id(struct tw_request *req)
{
	unsigned char	raw[8];
	size_t		i;

	tw_random(raw, sizeof(raw));
	for (i = 0; i < sizeof(raw); i++)
		snprintf(req->id + 2 * i, 3, "%02x", raw[i]);
}

/* Checks what the route's flags demand before its handler runs. */
static enum tw_err
admit(struct tw_request *req, const struct tw_route *route)
{
	enum tw_err	rc;

	/* Anyone's request, another site's form post included: nothing
	 * it carries about who sent it is looked up, and the empty CSRF
	 * token keeps the page from setting a pre-session cookie. */
	if (route->flags & TW_ROUTE_ANON) {
		req->csrf = "";
		req->lang = tw_i18n_pick(NULL, req->accept_language);
		return TW_OK;
	}
	if ((rc = tw_auth_identify(req)) != TW_OK)
		return tw_fail(req, rc, NULL, NULL);
	req->lang = tw_i18n_pick(req->user != NULL ? req->user->lang : NULL,
	    req->accept_language);

	if (req->user == NULL && !(route->flags & TW_ROUTE_PUBLIC))
		return TW_ERR_UNAUTH;
	if ((route->flags & TW_ROUTE_ADMIN) && !req->user->is_admin)
		return TW_ERR_FORBIDDEN;
	if (tw_req_unsafe(req) && !(route->flags & TW_ROUTE_NOCSRF))
		return tw_auth_check_csrf(req);
	return TW_OK;
}

/* A page that needs sign-in sends browsers to the form, then back. */
static void
answer_unauth(struct tw_request *req)
{
	struct tw_buf	loc;

	if (req->wants_json || tw_req_unsafe(req)) {
		tw_resp_error(req, TW_ERR_UNAUTH);
		return;
	}
	tw_buf_init(&loc, req->arena);
	tw_buf_puts(&loc, "/signin?next=");
	tw_buf_urlenc(&loc, req->path, strlen(req->path));
	tw_resp_redirect(req, loc.data);
}

static void
serve(const struct tw_app *app, struct tw_request *req,
    const struct tw_request_limits *limits)
{
	const struct tw_route	*route;
	enum tw_err		 rc;

	if ((rc = tw_request_read(req, req->fcgi, limits)) != TW_OK)
		goto fail;
	if ((route = tw_route_match(app->routes, app->nroutes, req,
	    &rc)) == NULL)
		goto fail;
	if (route->flags & TW_ROUTE_JSON)
		req->wants_json = 1;
	if (!(route->flags & TW_ROUTE_RAW) &&
	    (rc = tw_request_read_body(req, limits)) != TW_OK)
		goto fail;
	if ((rc = admit(req, route)) != TW_OK)
		goto fail;
	if ((rc = route->handler(req)) == TW_OK) {
		if (!req->responded)
			tw_resp_error(req, TW_ERR_INTERNAL);
		return;
	}

fail:
	if (req->lang == NULL)
		req->lang = tw_i18n_pick(NULL, req->accept_language);
	if (rc == TW_ERR_UNAUTH && !req->responded)
		answer_unauth(req);
	else
		tw_resp_error(req, rc);
}

static void
log_request(struct tw_request *req)
{
	char	status[8], ms[24];

	snprintf(status, sizeof(status), "%d", req->status);
	snprintf(ms, sizeof(ms), "%.1f",
	    (double)(now_us() - req->started_us) / 1000.0);
	tw_log(TW_LOG_INFO, "request", "req", req->id,
	    "method", req->method, "path", req->path, "status", status,
	    "ms", ms, "user", req->user != NULL ? req->user->login : NULL,
	    (char *)NULL);
}

int
tw_app_run(const struct tw_app *app)
{
	struct tw_request_limits limits;
	struct tw_request	 req;
	struct tw_arena		*arena;
	FCGX_Request		 fcgi;
	struct sigaction	 sa;

	if (start(app) != TW_OK || FCGX_Init() != 0) {
		tw_log(TW_LOG_FATAL, "startup_failed", (char *)NULL);
		return EXIT_FAILURE;
	}
	tw_request_limits_load(&limits);
	FCGX_InitRequest(&fcgi, 0, 0);
	arena = tw_arena_new();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	tw_log(TW_LOG_INFO, "started", (char *)NULL);

	while (!stopping && FCGX_Accept_r(&fcgi) >= 0) {
		memset(&req, 0, sizeof(req));
		req.arena = arena;
		req.fcgi = &fcgi;
		req.started_us = now_us();
		req.status = 500;
		new_request_id(&req);
		tw_buf_init(&req.headers, arena);

		serve(app, &req, &limits);
		log_request(&req);	/* req points into fcgi's parameters */
		FCGX_Finish_r(&fcgi);
		tw_arena_reset(arena);
		tw_epoch_forget();
	}

	tw_arena_free(arena);
	tw_view_free();
	tw_db_close();
	tw_log(TW_LOG_INFO, "stopped", (char *)NULL);
	return EXIT_SUCCESS;
}
