/*
 * view.c: the template cache and the choice between JSON and HTML.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "log.h"
#include "mustache.h"
#include "request.h"
#include "response.h"
#include "text.h"
#include "view.h"

#define TEMPLATES_MAX	128
#define TEMPLATE_MAX	(1024 * 1024)	/* bytes of one template */

struct template {
	char			*name;
	struct tw_mustache	*compiled;
};

static struct template	templates[TEMPLATES_MAX];
static size_t		ntemplates;
static tw_view_layout_fn layout_hook;

static const struct tw_mustache *
find(void *ctx, const char *name)
{
	size_t	i;

	(void)ctx;
	for (i = 0; i < ntemplates; i++)
		if (strcmp(templates[i].name, name) == 0)
			return templates[i].compiled;
	return NULL;
}

static enum tw_err
compile_file(const char *dir, const char *file)
{
	char		 path[1024], err[256];
	char		*text;
	size_t		 len, n = strlen(file) - strlen(".mustache");
	struct tw_mustache *t;

	if (ntemplates == TEMPLATES_MAX)
		return TW_ERR_INTERNAL;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((text = tw_file_read(path, TEMPLATE_MAX, &len)) == NULL)
		return TW_ERR_IO;
	t = tw_mustache_compile(text, len, err, sizeof(err));
	free(text);
	if (t == NULL) {
		tw_log(TW_LOG_ERROR, "template_invalid", "path", path,
		    "error", err, (char *)NULL);
		return TW_ERR_INTERNAL;
	}
	templates[ntemplates].name = strndup(file, n);
	templates[ntemplates].compiled = t;
	ntemplates++;
	return TW_OK;
}

enum tw_err
tw_view_init(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 n;
	enum tw_err	 rc = TW_OK;

	if ((d = opendir(dir)) == NULL) {
		tw_log(TW_LOG_ERROR, "templates_open", "path", dir,
		    (char *)NULL);
		return TW_ERR_IO;
	}
	while (rc == TW_OK && (e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n > 9 && strcmp(e->d_name + n - 9, ".mustache") == 0)
			rc = compile_file(dir, e->d_name);
	}
	closedir(d);
	return rc;
}

void
tw_view_free(void)
{
	size_t	i;

	for (i = 0; i < ntemplates; i++) {
		free(templates[i].name);
		tw_mustache_free(templates[i].compiled);
	}
	ntemplates = 0;
}

static void
put_json(void *o)
{
	json_object_put(o);
}

static enum tw_err
send_json(struct tw_request *req, int status, struct json_object *model)
{
	size_t		 len;
	const char	*s;

	s = json_object_to_json_string_length(model,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	return tw_resp_send(req, status, "application/json", s, len);
}

/* The keys every page's layout reads. */
static void
add_layout(struct tw_request *req, const char *page, struct json_object *m)
{
	struct json_object	*me;

	if (!json_object_object_get_ex(m, "title", NULL))
		tw_json_set(m, "title", json_object_new_string(
		    tw_t(req->lang, tw_arena_concat(req->arena, "title_",
		    page))));
	tw_json_set(m, tw_arena_concat(req->arena, "nav_", page),
	    json_object_new_boolean(1));

	tw_json_set(m, "t",
	    json_object_get(tw_i18n_catalog(req->lang)));
	tw_json_set(m, "lang", json_object_new_string(req->lang));
	tw_json_set(m, "csrf",
	    json_object_new_string(tw_auth_csrf(req)));
	if (req->user != NULL) {
		me = json_object_new_object();
		tw_json_set(me, "login",
		    json_object_new_string(req->user->login));
		tw_json_set(me, "name",
		    json_object_new_string(req->user->name));
		tw_json_set(me, "is_admin",
		    json_object_new_boolean(req->user->is_admin));
		tw_json_set(m, "me", me);
		if (layout_hook != NULL)
			layout_hook(req, m);
	}
}

void
tw_view_set_layout_hook(tw_view_layout_fn fn)
{
	layout_hook = fn;
}

static enum tw_err
send_html(struct tw_request *req, int status, const char *page,
    struct json_object *model)
{
	const struct tw_mustache *t;
	struct tw_buf		 out;
	enum tw_err		 rc;

	if ((t = find(NULL, page)) == NULL) {
		tw_log(TW_LOG_ERROR, "template_missing", "page", page,
		    (char *)NULL);
		return TW_ERR_INTERNAL;
	}
	add_layout(req, page, model);

	tw_buf_init(&out, req->arena);
	if ((rc = tw_mustache_render(t, model, find, NULL, &out)) != TW_OK)
		return rc;
	return tw_resp_send(req, status, "text/html; charset=utf-8",
	    out.data, out.len);
}

enum tw_err
tw_view_render(const char *name, struct json_object *ctx, struct tw_buf *out)
{
	const struct tw_mustache *t;

	if ((t = find(NULL, name)) == NULL) {
		tw_log(TW_LOG_ERROR, "template_missing", "page", name,
		    (char *)NULL);
		return TW_ERR_INTERNAL;
	}
	return tw_mustache_render(t, ctx, find, NULL, out);
}

enum tw_err
tw_view(struct tw_request *req, int status, const char *page,
    struct json_object *model)
{
	tw_arena_cleanup(req->arena, put_json, model);
	if (req->wants_json)
		return send_json(req, status, model);
	return send_html(req, status, page, model);
}

void
tw_view_error(struct tw_request *req, int status, struct json_object *m)
{
	struct json_object	*wrap;

	if (req->wants_json) {
		wrap = json_object_new_object();
		tw_json_set(wrap, "error", m);
		tw_arena_cleanup(req->arena, put_json, wrap);
		send_json(req, status, wrap);
		return;
	}

	tw_arena_cleanup(req->arena, put_json, m);
	if (send_html(req, status, "error", m) != TW_OK) {
		/* Without a template there is still a sentence to give. */
		static const char plain[] = "The request could not be "
		    "answered; the error page itself failed.\n";

		tw_resp_send(req, status, "text/plain; charset=utf-8", plain,
		    sizeof(plain) - 1);
	}
}

int
tw_json_set(struct json_object *o, const char *key, struct json_object *v)
{
	return json_object_object_add_ex(o, key, v,
	    JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

void
tw_view_add_error(struct tw_request *req, struct json_object *m)
{
	if (req->fail_message == NULL)
		return;
	tw_json_set(m, "error",
	    json_object_new_string(req->fail_message));
	if (req->fail_field != NULL)
		tw_json_set(m, "error_field",
		    json_object_new_string(req->fail_field));
}
