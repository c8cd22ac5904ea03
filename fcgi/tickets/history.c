/*
 * history.c: system items (what happened to a ticket) as sentences.
 *
 * A system item's body is a small JSON object.  Events between tickets
 * look like {"event":"merged_into","number":1234}: their sentence comes
 * from the catalog key history_<event>, with {number} filled in, so it
 * reads in the viewer's language.  Changes of a field
 * ({"field":"status",...}) are worded by change.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "view.h"

/* Replaces the first {name} in text with value. */
static const char *
fill(struct tw_request *req, const char *text, const char *name,
    const char *value)
{
	const char	*at;
	struct tw_buf	 b;
	char		 tag[40];

	snprintf(tag, sizeof(tag), "{%s}", name);
	if ((at = strstr(text, tag)) == NULL)
		return text;
	tw_buf_init(&b, req->arena);
	tw_buf_append(&b, text, (size_t)(at - text));
	tw_buf_puts(&b, value);
	tw_buf_puts(&b, at + strlen(tag));
	return b.data;
}

void
history_view(struct tw_request *req, struct json_object *item,
    const char *body)
{
	struct json_object	*o, *v;
	const char		*event, *text;

	/* Changes of a field ({"field": ...}) are worded by change.c; they
	 * show as the same one-line events. */
	o = json_tokener_parse(body != NULL ? body : "");
	if (o != NULL && json_object_object_get_ex(o, "field", NULL))
		tw_json_set(item, "system",
		    json_object_new_boolean(1));
	if (o == NULL || !json_object_object_get_ex(o, "event", &v)) {
		json_object_put(o);
		return;
	}
	event = json_object_get_string(v);

	text = tw_t(req->lang, tw_arena_concat(req->arena, "history_",
	    event));
	if (json_object_object_get_ex(o, "number", &v))
		text = fill(req, text, "number", json_object_get_string(v));
	tw_json_set(item, "system", json_object_new_boolean(1));
	tw_json_set(item, "event_text",
	    json_object_new_string(text));
	json_object_put(o);
}
