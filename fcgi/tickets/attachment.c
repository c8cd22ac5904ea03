/*
 * attachment.c: uploads on the item and new-ticket forms, downloads,
 * and moving or copying items between tickets.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "attachment.h"
#include "buf.h"
#include "channel.h"
#include "conf.h"
#include "db.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "item_move.h"
#include "request.h"
#include "route.h"
#include "response.h"
#include "ticket.h"
#include "valid.h"
#include "view.h"

#define FILE_MAX_DEFAULT	(10 * 1024 * 1024)

/* The catalog text for key with {size} replaced by size. */
static const char *
with_size(struct tw_request *req, const char *key, const char *size)
{
	const char	*text = tw_t(req->lang, key);
	const char	*at = strstr(text, "{size}");
	struct tw_buf	 b;

	if (at == NULL)
		return text;
	tw_buf_init(&b, req->arena);
	tw_buf_append(&b, text, (size_t)(at - text));
	tw_buf_puts(&b, size);
	tw_buf_puts(&b, at + strlen("{size}"));
	return b.data;
}

/* The catalog text for key with {number} replaced by "#number". */
static const char *
with_number(struct tw_request *req, const char *key, long long number)
{
	const char	*text = tw_t(req->lang, key);
	const char	*at = strstr(text, "{number}");

	if (at == NULL)
		return text;
	return tw_arena_printf(req->arena, "%.*s#%lld%s", (int)(at - text),
	    text, number, at + strlen("{number}"));
}

/*
 * Whether the user may add an item to ticket number, or open a ticket in
 * channel: TW_OK, or the code the write itself would fail with.
 */
static enum tw_err
may_write(struct tw_request *req, long long number, long long channel)
{
	struct tw_rows	*ticket, *items;
	enum tw_err	 rc;

	if (channel > 0)
		return tw_channel_check_handles(req->arena, req->user->id,
		    channel);
	rc = tw_ticket_get(req->arena, req->user, number, &ticket, &items);
	if (rc == TW_OK && strcmp(tw_rows_str(ticket, 0, "my_role"),
	    "handles") != 0)
		rc = TW_ERR_FORBIDDEN;
	return rc;
}

enum tw_err
read_attachments(struct tw_request *req, long long number,
    long long channel, struct tw_attachment_ref **refs, size_t *n)
{
	const struct tw_form	*f = &req->form;
	struct tw_attachment_ref *r;
	size_t			 max, i;
	enum tw_err		 rc;

	*refs = NULL;
	*n = 0;
	if (f->nuploads == 0)
		return TW_OK;
	if ((rc = may_write(req, number, channel)) != TW_OK)
		return channel > 0 && rc == TW_ERR_NOTFOUND ? TW_OK : rc;

	/* Every file is checked before any is stored. */
	max = (size_t)tw_conf_int("attachments", "file_max",
	    FILE_MAX_DEFAULT);
	for (i = 0; i < f->nuploads; i++)
		if (f->uploads[i].len > max)
			return tw_fail(req, TW_ERR_TOOBIG, "attachment",
			    with_size(req, "error_attachment_size",
			    tw_size_text(req->arena, max)));

	r = tw_arena_calloc(req->arena, f->nuploads, sizeof(*r));
	for (i = 0; i < f->nuploads; i++) {
		rc = tw_attachment_store(req->arena, f->uploads[i].data,
		    f->uploads[i].len, f->uploads[i].type, &r[i].id);
		if (rc != TW_OK)
			return rc;
		r[i].filename = tw_attachment_filename(req->arena,
		    f->uploads[i].filename);
	}
	*refs = r;
	*n = f->nuploads;
	return TW_OK;
}

/* The download address of attachment row i of ticket number. */
static const char *
attachment_url(struct tw_request *req, const struct tw_rows *rows,
    size_t i, long long number)
{
	const char	*name = tw_rows_str(rows, i, "filename");
	struct tw_buf	 url;

	tw_buf_init(&url, req->arena);
	tw_buf_printf(&url, "/tickets/%lld/attachments/%s/", number,
	    tw_rows_str(rows, i, "id"));
	tw_buf_urlenc(&url, name, strlen(name));
	return url.data;
}

/* One attachment row as the view shows it, with its download address. */
static struct json_object *
attachment_view(struct tw_request *req, const struct tw_rows *rows,
    size_t i, long long number)
{
	struct json_object	*o = tw_rows_json(rows, i);
	char			 size[32];

	tw_json_set(o, "url", json_object_new_string(
	    attachment_url(req, rows, i, number)));
	tw_i18n_number(req->lang, tw_rows_int(rows, i, "size", 0), size,
	    sizeof(size));
	tw_json_set(o, "size_text", json_object_new_string(
	    tw_arena_printf(req->arena, "%s B", size)));
	return o;
}

/* What an item's inline images are looked up in. */
struct inline_images {
	struct tw_request	*req;
	const struct tw_rows	*rows;
	long long		 item_id;
	long long		 number;
};

/* The address of the item's file sent with Content-ID cid, or NULL. */
static const char *
inline_url(void *ctx, const char *cid)
{
	struct inline_images	*in = ctx;
	const char		*have;
	size_t			 i;

	for (i = 0; i < in->rows->nrows; i++) {
		have = tw_rows_str(in->rows, i, "content_id");
		if (tw_rows_int(in->rows, i, "item_id", 0) == in->item_id &&
		    have != NULL && strcmp(have, cid) == 0)
			return attachment_url(in->req, in->rows, i,
			    in->number);
	}
	return NULL;
}

/* Points the cid: images of item's mail HTML at its stored files. */
static void
show_inline_images(struct inline_images *in, struct json_object *item)
{
	struct json_object	*html;
	const char		*was, *now;

	if (!json_object_object_get_ex(item, "body_html", &html) ||
	    (was = json_object_get_string(html)) == NULL)
		return;
	now = tw_html_inline_images(in->req->arena, was, inline_url, in);
	if (now != was)
		json_object_object_add(item, "body_html",
		    json_object_new_string(now));
}

void
add_attachments(struct tw_request *req, long long ticket_id,
    long long number, struct json_object *items, int any)
{
	struct inline_images	 in = { req, NULL, 0, number };
	struct json_object	*item, *list;
	struct tw_rows		*rows = NULL;
	long long		 id;
	size_t			 i, j;

	if (any && tw_attachment_list(req->arena, ticket_id, &rows) != TW_OK)
		rows = NULL;
	for (i = 0; i < json_object_array_length(items); i++) {
		item = json_object_array_get_idx(items, i);
		id = json_object_get_int64(json_object_object_get(item, "id"));
		list = json_object_new_array();
		for (j = 0; rows != NULL && j < rows->nrows; j++)
			if (tw_rows_int(rows, j, "item_id", 0) == id)
				json_object_array_add(list,
				    attachment_view(req, rows, j, number));
		tw_json_set(item, "has_attachments",
		    json_object_new_boolean(
		    json_object_array_length(list) > 0));
		tw_json_set(item, "attachments", list);
		if (rows != NULL && json_object_array_length(list) > 0) {
			in.rows = rows;
			in.item_id = id;
			show_inline_images(&in, item);
		}
	}
}

/*
 * A file of a ticket the user can see.  The name in the address is
 * decoration; the stored one counts.  Behind nginx ([attachments]
 * x_accel, on by default) nginx sends the bytes from its internal
 * location; otherwise they are read here and sent whole.
 */
enum tw_err
attachment_download(struct tw_request *req)
{
	struct tw_rows	*r;
	const char	*data, *sha, *type, *name, *uri;
	long long	 number = tw_route_id(req, 0), id = tw_route_id(req, 1);
	enum tw_err	 rc;

	if (number <= 0 || id <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_attachment_get(req->arena, req->user, number, id,
	    &r)) != TW_OK)
		return rc;
	sha = tw_rows_str(r, 0, "sha256");
	type = tw_attachment_serve_type(tw_rows_str(r, 0, "type"));
	name = tw_rows_str(r, 0, "filename");

	if (tw_conf_int("attachments", "x_accel", 1) != 0) {
		if ((uri = tw_attachment_accel_uri(req->arena, sha)) == NULL)
			return TW_ERR_IO;
		return tw_resp_download_accel(req, type, name, uri);
	}
	if ((rc = tw_attachment_read(req->arena, sha,
	    (size_t)tw_rows_int(r, 0, "size", 0), &data)) != TW_OK)
		return rc;
	return tw_resp_download(req, type, name, data,
	    (size_t)tw_rows_int(r, 0, "size", 0));
}

/* The row of item id among items, or -1. */
static long
item_row(const struct tw_rows *items, long long id)
{
	size_t	i;

	for (i = 0; i < items->nrows; i++)
		if (tw_rows_int(items, i, "id", 0) == id)
			return (long)i;
	return -1;
}

/*
 * The page that moves or copies one item, with the error of a try that
 * failed.  It is a page of its own so that the ticket page need not
 * carry a form in every item.
 */
static enum tw_err
render_transfer(struct tw_request *req, const struct tw_rows *ticket,
    const struct tw_rows *items, long long number, long long item,
    int status)
{
	struct json_object	*m, *o;
	const char		*target = tw_req_field(req, "target");
	long			 row;

	if ((row = item_row(items, item)) < 0 ||
	    strcmp(tw_rows_str(items, (size_t)row, "kind"), "system") == 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(ticket, 0, "my_role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;

	m = json_object_new_object();
	tw_json_set(m, "ticket", ticket_view(req, ticket, 0));
	tw_json_set(m, "number", json_object_new_int64(number));
	o = tw_rows_json(items, (size_t)row);
	add_datetime(req, o, "created_at");
	tw_json_set(o, "kind_label", json_object_new_string(
	    tw_t(req->lang, tw_arena_concat(req->arena, "kind_",
	    tw_rows_str(items, (size_t)row, "kind")))));
	tw_json_set(m, "item", o);
	if (target != NULL)
		tw_json_set(m, "target", json_object_new_string(target));
	tw_view_add_error(req, m);
	return tw_view(req, status, "item_move", m);
}

/*
 * The ticket and item the path names (/tickets/N/items/ID/...), the
 * ticket read with its items; TW_ERR_NOTFOUND unless the user sees the
 * ticket and the item is on it.
 */
static enum tw_err
route_item(struct tw_request *req, long long *number, long long *item,
    struct tw_rows **ticket, struct tw_rows **items)
{
	enum tw_err	rc;

	*number = tw_route_id(req, 0);
	*item = tw_route_id(req, 1);
	if (*number <= 0 || *item <= 0)
		return TW_ERR_NOTFOUND;
	rc = tw_ticket_get(req->arena, req->user, *number, ticket, items);
	if (rc == TW_OK && item_row(*items, *item) < 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

enum tw_err
item_transfer_form(struct tw_request *req)
{
	struct tw_rows	*ticket, *items;
	long long	 number, item;
	enum tw_err	 rc;

	if ((rc = route_item(req, &number, &item, &ticket, &items)) != TW_OK)
		return rc;
	return render_transfer(req, ticket, items, number, item, 200);
}

static enum tw_err
transfer(struct tw_request *req, enum tw_item_move_mode mode)
{
	struct json_object	*m;
	struct tw_rows		*ticket, *items;
	long long		 number, item, target, id = 0;
	enum tw_err		 rc;

	if ((rc = route_item(req, &number, &item, &ticket, &items)) != TW_OK)
		return rc;
	tw_valid_label(req, "target", "field_target");
	if ((rc = tw_valid_int_required(req, "target", 1, LLONG_MAX,
	    &target)) != TW_OK)
		goto refused;

	/* The source is visible and holds the item: what is not found
	 * now is the target. */
	rc = tw_item_move(req->arena, req->user, number, item, target, mode,
	    mode == TW_ITEM_MOVE ? with_number(req, "note_moved_to", target) :
	    NULL, with_number(req, mode == TW_ITEM_MOVE ? "note_moved_from" :
	    "note_copied_from", number), &id);
	if (rc == TW_ERR_INVALID)
		rc = tw_fail(req, rc, "target",
		    tw_t(req->lang, "error_move_same"));
	else if (rc == TW_ERR_NOTFOUND)
		rc = tw_fail(req, TW_ERR_INVALID, "target",
		    tw_t(req->lang, "error_move_target"));
	if (rc != TW_OK)
		goto refused;

	if (req->wants_json) {
		m = json_object_new_object();
		tw_json_set(m, "id", json_object_new_int64(id));
		tw_json_set(m, "ticket",
		    json_object_new_int64(target));
		tw_json_set(m, "from",
		    json_object_new_int64(number));
		tw_json_set(m, "mode", json_object_new_string(
		    mode == TW_ITEM_COPY ? "copy" : "move"));
		return tw_view(req, 200, "ticket", m);
	}
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/tickets/%lld#item-%lld", target, id));

refused:
	if (rc != TW_ERR_INVALID || req->wants_json)
		return rc;
	return render_transfer(req, ticket, items, number, item, 422);
}

enum tw_err
item_move(struct tw_request *req)
{
	return transfer(req, TW_ITEM_MOVE);
}

enum tw_err
item_copy(struct tw_request *req)
{
	return transfer(req, TW_ITEM_COPY);
}
