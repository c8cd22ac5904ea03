/*
 * contact.c: the address book: searching contacts, showing one with its
 * addresses, numbers and tickets, creating and changing contacts.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "conf.h"
#include "contact.h"
#include "db.h"
#include "email.h"
#include "handlers.h"
#include "i18n.h"
#include "organisation.h"
#include "phone.h"
#include "request.h"
#include "route.h"
#include "response.h"
#include "valid.h"
#include "view.h"

#define SEARCH_MAX	200	/* characters of a search */
#define DIGITS_MIN	4	/* digits that make a search a number */

struct json_object *
ticket_list_view(struct tw_request *req, const struct tw_rows *rows)
{
	struct json_object	*list;
	size_t			 i;

	list = json_object_new_array_ext((int)rows->nrows);
	for (i = 0; i < rows->nrows; i++)
		json_object_array_add(list, ticket_view(req, rows, i));
	return list;
}

/* Rows as an array of objects, each as tw_rows_json() makes it. */
static struct json_object *
rows_view(const struct tw_rows *rows)
{
	struct json_object	*list;
	size_t			 i;

	list = json_object_new_array_ext((int)rows->nrows);
	for (i = 0; i < rows->nrows; i++)
		json_object_array_add(list, tw_rows_json(rows, i));
	return list;
}

/*
 * The digits of q when q looks like (part of) a phone number: digits and
 * separators only, at least DIGITS_MIN digits.  NULL otherwise.
 */
static const char *
search_digits(struct tw_request *req, const char *q)
{
	char	*d = tw_arena_alloc(req->arena, strlen(q) + 1);
	size_t	 n = 0;

	for (; *q != '\0'; q++) {
		if (isdigit((unsigned char)*q))
			d[n++] = *q;
		else if (strchr(" +-./()", *q) == NULL)
			return NULL;
	}
	d[n] = '\0';
	return n >= DIGITS_MIN ? d : NULL;
}

const char *
phone_default_cc(void)
{
	return tw_conf_str("phone", "default_cc", "49");
}

enum tw_err
contact_list(struct tw_request *req)
{
	struct json_object	*m;
	struct tw_rows		*rows;
	char			 e164[TW_PHONE_E164_MAX + 1];
	const char		*q;
	int			 more;
	enum tw_err		 rc;

	tw_valid_label(req, "q", "field_search");
	if ((rc = tw_valid_text(req, "q", 0, SEARCH_MAX, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &q)) != TW_OK)
		return rc;

	/* One box for all: a number is also searched in E.164 form. */
	if (tw_phone_e164(q, phone_default_cc(), e164) != TW_OK)
		*e164 = '\0';
	rc = tw_contact_search(req->arena, q, *e164 != '\0' ? e164 : NULL,
	    search_digits(req, q), &rows, &more);
	if (rc != TW_OK)
		return rc;

	m = json_object_new_object();
	tw_json_set(m, "q", json_object_new_string(q));
	tw_json_set(m, "contacts", rows_view(rows));
	tw_json_set(m, "more", json_object_new_boolean(more));
	tw_json_set(m, "empty",
	    json_object_new_boolean(rows->nrows == 0));
	return tw_view(req, 200, "contacts", m);
}

/*
 * The organisations to choose from, with selected marked.  The selected
 * one (named name) is added when the list stops short of it, so saving
 * the form cannot drop it unseen.  A desk with more organisations than
 * the select lists names one by its customer number (read_org()).
 */
static struct json_object *
org_options(struct tw_request *req, long long selected, const char *name)
{
	struct json_object	*list, *o;
	struct tw_rows		*rows;
	size_t			 i;
	int			 more, found = 0;

	list = json_object_new_array();
	if (tw_org_search(req->arena, "", &rows, &more) != TW_OK)
		return list;
	for (i = 0; i < rows->nrows; i++) {
		o = tw_rows_json(rows, i);
		found |= tw_rows_int(rows, i, "id", 0) == selected;
		tw_json_set(o, "selected", json_object_new_boolean(
		    tw_rows_int(rows, i, "id", 0) == selected));
		json_object_array_add(list, o);
	}
	if (!found && selected > 0 && name != NULL) {
		o = json_object_new_object();
		tw_json_set(o, "id",
		    json_object_new_int64(selected));
		tw_json_set(o, "name", json_object_new_string(name));
		tw_json_set(o, "selected",
		    json_object_new_boolean(1));
		json_object_array_add(list, o);
	}
	return list;
}

static enum tw_err
render_new(struct tw_request *req, int status)
{
	struct json_object	*m = json_object_new_object();
	const char		*v;
	static const char *const keep[] = { "name", "email", "phone" };
	size_t			 i;

	v = tw_req_param(req, "organisation");
	tw_json_set(m, "organisations",
	    org_options(req, v != NULL ? atoll(v) : 0, NULL));
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if ((v = tw_req_field(req, keep[i])) != NULL)
			json_object_object_add(m, keep[i],
			    json_object_new_string(v));
	if ((v = tw_req_field(req, "customer_number")) != NULL)
		json_object_object_add(m, "customer_number_typed",
		    json_object_new_string(v));
	tw_view_add_error(req, m);
	return tw_view(req, status, "contact_new", m);
}

enum tw_err
contact_new_form(struct tw_request *req)
{
	return render_new(req, 200);
}

/* Reads an optional address field into *out (NULL when empty). */
static enum tw_err
read_email(struct tw_request *req, const char *field, const char **out)
{
	char		 norm[TW_EMAIL_MAX + 1];
	const char	*v;
	enum tw_err	 rc;

	*out = NULL;
	tw_valid_label(req, field, "field_email");
	if ((rc = tw_valid_text(req, field, 0, TW_EMAIL_MAX, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &v)) != TW_OK || *v == '\0')
		return rc;
	if (tw_email_norm(v, norm) != TW_OK)
		return tw_fail(req, TW_ERR_INVALID, field,
		    tw_t(req->lang, "error_email"));
	*out = tw_arena_strdup(req->arena, norm);
	return TW_OK;
}

/* Reads an optional phone field into *out in E.164 (NULL when empty). */
static enum tw_err
read_phone(struct tw_request *req, const char *field, const char **out)
{
	char		 e164[TW_PHONE_E164_MAX + 1];
	const char	*v;
	enum tw_err	 rc;

	*out = NULL;
	tw_valid_label(req, field, "field_phone");
	if ((rc = tw_valid_text(req, field, 0, TW_PHONE_INPUT_MAX,
	    TW_TEXT_LINE | TW_TEXT_OPTIONAL, &v)) != TW_OK || *v == '\0')
		return rc;
	if (tw_phone_e164(v, phone_default_cc(), e164) != TW_OK)
		return tw_fail(req, TW_ERR_INVALID, field,
		    tw_t(req->lang, "error_phone"));
	*out = tw_arena_strdup(req->arena, e164);
	return TW_OK;
}

/*
 * The organisation a contact form names: by customer number when that
 * field is filled in, else the select's id.  *id stays as it is when
 * neither is sent.
 */
static enum tw_err
read_org(struct tw_request *req, long long *id)
{
	const char	*number;
	enum tw_err	 rc;

	tw_valid_label(req, "customer_number", "field_org_number");
	if ((rc = tw_valid_text(req, "customer_number", 0, 40, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &number)) != TW_OK)
		return rc;
	if (*number == '\0') {
		if (tw_req_field(req, "organisation") == NULL)
			return TW_OK;
		return tw_valid_int(req, "organisation", 0, LLONG_MAX, 0, id);
	}
	rc = tw_org_by_number(req->arena, number, id);
	if (rc == TW_ERR_NOTFOUND)
		rc = tw_fail(req, TW_ERR_INVALID, "customer_number",
		    tw_t(req->lang, "error_org_number"));
	return rc;
}

static enum tw_err
read_new_contact(struct tw_request *req, struct tw_contact_edit *c)
{
	enum tw_err	rc;

	if ((rc = tw_valid_text(req, "name", 1, TW_CONTACT_NAME_MAX,
	    TW_TEXT_LINE, &c->name)) != TW_OK)
		return rc;
	c->organisation_id = 0;
	if ((rc = read_org(req, &c->organisation_id)) != TW_OK)
		return rc;
	if ((rc = read_email(req, "email", &c->add_email)) != TW_OK)
		return rc;
	return read_phone(req, "phone", &c->add_phone);
}

/* The contact page or object, with an error of the last step if any. */
static enum tw_err
show(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *c;
	struct tw_rows		*contact, *emails, *phones, *tickets;
	enum tw_err		 rc;

	rc = tw_contact_get(req->arena, id, &contact, &emails, &phones);
	if (rc != TW_OK)
		return rc;
	if ((rc = tw_contact_tickets(req->arena, req->user, id,
	    &tickets)) != TW_OK)
		return rc;

	m = json_object_new_object();
	c = tw_rows_json(contact, 0);
	add_datetime(req, c, "created_at");
	tw_json_set(c, "emails", rows_view(emails));
	tw_json_set(c, "phones", rows_view(phones));
	tw_json_set(m, "title", json_object_new_string(
	    tw_rows_str(contact, 0, "name")));
	tw_json_set(m, "contact", c);
	tw_json_set(m, "tickets", ticket_list_view(req, tickets));
	tw_json_set(m, "has_tickets",
	    json_object_new_boolean(tickets->nrows > 0));
	if (!req->wants_json)
		tw_json_set(m, "organisations", org_options(req,
		    tw_rows_int(contact, 0, "organisation_id", 0),
		    tw_rows_str(contact, 0, "organisation")));
	tw_view_add_error(req, m);
	return tw_view(req, status, "contact", m);
}

enum tw_err
contact_create(struct tw_request *req)
{
	struct tw_contact_edit	c;
	long long		id = 0;
	enum tw_err		rc;

	memset(&c, 0, sizeof(c));
	if ((rc = read_new_contact(req, &c)) != TW_OK) {
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return render_new(req, 422);
	}

	rc = tw_contact_create(req->arena, &c, &id);
	if (rc == TW_ERR_INVALID) {
		rc = tw_fail(req, TW_ERR_INVALID, "organisation",
		    tw_t(req->lang, "error_organisation"));
		return req->wants_json ? rc : render_new(req, 422);
	}
	if (rc != TW_OK)
		return rc;

	tw_resp_header(req, "Location",
	    tw_arena_printf(req->arena, "/contacts/%lld", id));
	if (req->wants_json)
		return show(req, id, 201);
	return tw_resp_redirect(req,
	    tw_arena_printf(req->arena, "/contacts/%lld", id));
}

enum tw_err
contact_show(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	return id > 0 ? show(req, id, 200) : TW_ERR_NOTFOUND;
}

/*
 * The changes a POST to a contact asks for; each field is optional, so
 * one form can send only what it changes.
 */
static enum tw_err
read_edit(struct tw_request *req, struct tw_contact_edit *c)
{
	enum tw_err	rc;

	c->organisation_id = -1;
	if (tw_req_field(req, "name") != NULL && (rc = tw_valid_text(req,
	    "name", 1, TW_CONTACT_NAME_MAX, TW_TEXT_LINE, &c->name)) != TW_OK)
		return rc;
	if ((rc = read_org(req, &c->organisation_id)) != TW_OK)
		return rc;
	if ((rc = read_email(req, "add_email", &c->add_email)) != TW_OK)
		return rc;
	if ((rc = read_phone(req, "add_phone", &c->add_phone)) != TW_OK)
		return rc;
	if ((rc = tw_valid_int(req, "remove_email", 1, LLONG_MAX, 0,
	    &c->remove_email)) != TW_OK)
		return rc;
	return tw_valid_int(req, "remove_phone", 1, LLONG_MAX, 0,
	    &c->remove_phone);
}

enum tw_err
contact_update(struct tw_request *req)
{
	struct tw_contact_edit	c;
	long long		id = tw_route_id(req, 0);
	enum tw_err		rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	memset(&c, 0, sizeof(c));
	if ((rc = read_edit(req, &c)) != TW_OK)
		goto failed;

	rc = tw_contact_update(req->arena, id, &c);
	if (rc == TW_ERR_CONFLICT)
		rc = tw_fail(req, TW_ERR_INVALID, c.add_email != NULL ?
		    "add_email" : "add_phone", tw_t(req->lang,
		    c.add_email != NULL ? "error_email_taken" :
		    "error_phone_taken"));
	else if (rc == TW_ERR_INVALID)
		rc = tw_fail(req, TW_ERR_INVALID, "organisation",
		    tw_t(req->lang, "error_organisation"));
	if (rc != TW_OK)
		goto failed;

	if (req->wants_json)
		return show(req, id, 200);
	return tw_resp_redirect(req,
	    tw_arena_printf(req->arena, "/contacts/%lld", id));

failed:
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return show(req, id, 422);
}
