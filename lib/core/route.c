/*
 * route.c: matching a request path against the route table.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "request.h"
#include "response.h"
#include "route.h"

/*
 * Matches path against pattern segment by segment; on success stores the
 * {name} segments in params (in the arena) and returns their count, else
 * returns -1.
 */
static int
match(struct tw_arena *a, const char *pattern, const char *path,
    const char **params)
{
	const char	*p = pattern, *s = path, *seg_end;
	int		 n = 0;

	while (*p != '\0' && *s != '\0') {
		if (*p == '{') {
			if ((p = strchr(p, '}')) == NULL)
				return -1;
			p++;
			seg_end = strchr(s, '/');
			if (seg_end == NULL)
				seg_end = s + strlen(s);
			if (seg_end == s || n == TW_ROUTE_PARAMS)
				return -1;
			params[n++] = tw_arena_strndup(a, s,
			    (size_t)(seg_end - s));
			s = seg_end;
			continue;
		}
		if (*p != *s)
			return -1;
		p++;
		s++;
	}
	return (*p == '\0' && *s == '\0') ? n : -1;
}

const struct tw_route *
tw_route_match(const struct tw_route *table, size_t n,
    struct tw_request *req, enum tw_err *rc)
{
	const char	*params[TW_ROUTE_PARAMS];
	const char	*method = req->method;
	struct tw_buf	 allow;
	size_t		 i;
	int		 got, path_known = 0;

	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	tw_buf_init(&allow, req->arena);

	for (i = 0; i < n; i++) {
		got = match(req->arena, table[i].pattern, req->path, params);
		if (got < 0)
			continue;
		if (strcmp(table[i].method, method) != 0) {
			path_known = 1;
			tw_buf_printf(&allow, "%s%s", allow.len ? ", " : "",
			    table[i].method);
			continue;
		}
		memcpy(req->route_params, params, sizeof(params));
		req->nroute_params = (size_t)got;
		*rc = TW_OK;
		return &table[i];
	}

	*rc = path_known ? TW_ERR_METHOD : TW_ERR_NOTFOUND;
	if (path_known)
		tw_resp_header(req, "Allow", allow.data);
	return NULL;
}

long long
tw_route_id(const struct tw_request *req, size_t i)
{
	const char	*s;
	long long	 n = 0;

	if (i >= req->nroute_params || (s = req->route_params[i]) == NULL ||
	    *s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n;
}
