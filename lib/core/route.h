/*
 * route.h: the route table of a FastCGI program.
 *
 * Each route is a method, a path pattern and a handler.  A pattern is a
 * path whose segments may be `{name}`, matching one non-empty segment; the
 * matched segments are handed to the handler in req->route_params in
 * order.  Routes are signed-in only unless flagged public; admin routes
 * also need an administrator.  The flags are checked before dispatch.
 * The body is read and parsed before the handler runs, except on a raw
 * route, whose handler takes it whole with tw_request_raw_body() under a
 * limit of its own.
 */
#ifndef TW_ROUTE_H
#define TW_ROUTE_H

#include <stddef.h>

#include "err.h"

struct tw_request;

#define TW_ROUTE_PUBLIC	0x1	/* no sign-in needed */
#define TW_ROUTE_ADMIN	0x2	/* administrators only */
#define TW_ROUTE_NOCSRF	0x4	/* unsafe but exempt (machine callbacks) */
#define TW_ROUTE_RAW	0x8	/* the handler reads the body itself */
#define TW_ROUTE_ANON	0x10	/* public, and served as nobody's: no
				 * session, token or CSRF token is looked
				 * at or made, so no cookie is set */
#define TW_ROUTE_JSON	0x20	/* answers JSON only, errors included:
				 * its clients are programs */

typedef enum tw_err (*tw_handler)(struct tw_request *);

struct tw_route {
	const char	*method;
	const char	*pattern;
	tw_handler	 handler;
	unsigned	 flags;
};

/*
 * The route for req's method and path, with req->route_params filled.
 * NULL when none matches: *rc is TW_ERR_NOTFOUND, or TW_ERR_METHOD when
 * the path exists for other methods (the Allow header is then set).
 * HEAD is served by GET routes.
 */
const struct tw_route *tw_route_match(const struct tw_route *, size_t n,
		    struct tw_request *, enum tw_err *rc);

/*
 * The route parameter at i as a positive id (digits only, at most 18),
 * or 0 when it is absent or anything else.
 */
long long	tw_route_id(const struct tw_request *, size_t i);

#endif
