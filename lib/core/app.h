/*
 * app.h: the request loop every FastCGI program runs.
 *
 * A program names itself and hands over its route table; tw_app_run()
 * loads the configuration, catalogs and templates once, then accepts
 * requests until it is told to stop.  Per request: read the parameters,
 * find the route, read and parse the body (unless the route takes it
 * raw), identify the user, check sign-in, admin and CSRF as the route's
 * flags demand, call the handler, answer errors, write one log
 * line and reset the arena.
 */
#ifndef TW_APP_H
#define TW_APP_H

#include <stddef.h>

#include "route.h"

struct tw_app {
	const char		*name;		/* "tickets", "portal", ... */
	const struct tw_route	*routes;
	size_t			 nroutes;
};

/* Serves requests on the FastCGI socket (fd 0); returns an exit code. */
int		tw_app_run(const struct tw_app *);

/* The handler every program mounts at GET /healthz. */
enum tw_err	tw_app_healthz(struct tw_request *);

#endif
