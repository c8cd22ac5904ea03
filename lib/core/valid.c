/*
 * valid.c: field validators and their messages.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "i18n.h"
#include "request.h"
#include "valid.h"

/* The catalog text for key with {field} replaced by the field's label. */
static const char *
message(struct tw_request *req, const char *key, const char *field)
{
	const char	*text = tw_t(req->lang, key);
	const char	*at = strstr(text, "{field}");
	const char	*label;
	struct tw_buf	 b;

	if (req->label_field != NULL && strcmp(req->label_field, field) == 0)
		label = tw_t(req->lang, req->label_key);
	else
		label = tw_t(req->lang, tw_arena_printf(req->arena,
		    "field_%s", field));
	if (at == NULL)
		return text;
	tw_buf_init(&b, req->arena);
	tw_buf_append(&b, text, (size_t)(at - text));
	tw_buf_puts(&b, label);
	tw_buf_puts(&b, at + strlen("{field}"));
	return b.data;
}

static enum tw_err
invalid(struct tw_request *req, const char *key, const char *field)
{
	return tw_fail(req, TW_ERR_INVALID, field, message(req, key, field));
}

/*
 * The field's single value from the JSON body, or from the form body and
 * the query together; 400 when it was sent more than once.
 */
static enum tw_err
single(struct tw_request *req, const char *field, const char **out)
{
	struct json_object	*v;

	if (req->json != NULL) {
		/* Present with another type is an error, not an absence. */
		if (json_object_object_get_ex(req->json, field, &v) &&
		    v != NULL && !json_object_is_type(v, json_type_string) &&
		    !json_object_is_type(v, json_type_int))
			return invalid(req, "error_type", field);
		*out = tw_req_field(req, field);
		return TW_OK;
	}
	if (tw_form_count(&req->form, field) +
	    tw_form_count(&req->query, field) > 1)
		return tw_fail(req, TW_ERR_BADREQ, field,
		    message(req, "error_duplicate", field));
	*out = tw_req_param(req, field);
	return TW_OK;
}

void
tw_valid_label(struct tw_request *req, const char *field, const char *key)
{
	req->label_field = field;
	req->label_key = key;
}

size_t
tw_utf8_chars(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

const char *
tw_utf8_cut(struct tw_arena *a, const char *s, size_t max)
{
	size_t	i, chars = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max)
			return tw_arena_strndup(a, s, i);
	}
	return s;
}

static int
control_free(const char *s, size_t len, int multiline)
{
	size_t		i;
	unsigned char	c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == 0x7f)
			return 0;
		if (c >= 0x20)
			continue;
		if (!multiline || (c != '\t' && c != '\n' && c != '\r'))
			return 0;
	}
	return 1;
}

enum tw_err
tw_valid_text(struct tw_request *req, const char *field, size_t min,
    size_t max, unsigned flags, const char **out)
{
	const char	*v;
	size_t		 len, chars;
	enum tw_err	 rc;

	if ((rc = single(req, field, &v)) != TW_OK)
		return rc;
	if (v == NULL)
		v = "";
	while (!(flags & TW_TEXT_AS_TYPED) && isspace((unsigned char)*v))
		v++;
	len = strlen(v);
	while (!(flags & TW_TEXT_AS_TYPED) && len > 0 &&
	    isspace((unsigned char)v[len - 1]))
		len--;

	if (len == 0) {
		if (flags & TW_TEXT_OPTIONAL) {
			*out = "";
			return TW_OK;
		}
		return invalid(req, "error_required", field);
	}
	if (!tw_utf8_valid(v, len))
		return invalid(req, "error_utf8", field);
	if (!control_free(v, len, !(flags & TW_TEXT_LINE)))
		return invalid(req, "error_control", field);
	chars = tw_utf8_chars(v, len);
	if (chars < min)
		return invalid(req, "error_too_short", field);
	if (chars > max)
		return invalid(req, "error_too_long", field);

	*out = tw_arena_strndup(req->arena, v, len);
	return TW_OK;
}

static enum tw_err
parse_int(struct tw_request *req, const char *field, const char *v,
    long long min, long long max, long long *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || isspace((unsigned
	    char)*v))
		return invalid(req, "error_number", field);
	if (n < min || n > max)
		return invalid(req, "error_range", field);
	*out = n;
	return TW_OK;
}

enum tw_err
tw_valid_int(struct tw_request *req, const char *field, long long min,
    long long max, long long def, long long *out)
{
	const char	*v;
	enum tw_err	 rc;

	if ((rc = single(req, field, &v)) != TW_OK)
		return rc;
	if (v == NULL || *v == '\0') {
		*out = def;
		return TW_OK;
	}
	return parse_int(req, field, v, min, max, out);
}

enum tw_err
tw_valid_int_required(struct tw_request *req, const char *field,
    long long min, long long max, long long *out)
{
	const char	*v;
	enum tw_err	 rc;

	if ((rc = single(req, field, &v)) != TW_OK)
		return rc;
	if (v == NULL || *v == '\0')
		return invalid(req, "error_required", field);
	return parse_int(req, field, v, min, max, out);
}

enum tw_err
tw_valid_bool(struct tw_request *req, const char *field, int *out)
{
	static const char *const yes[] = { "1", "on", "true" };
	static const char *const no[] = { "", "0", "off", "false" };
	struct json_object	*j;
	const char		*v;
	size_t			 i;
	enum tw_err		 rc;

	/* JSON clients may send true and false as such. */
	if (req->json != NULL && json_object_object_get_ex(req->json, field,
	    &j) && json_object_is_type(j, json_type_boolean)) {
		*out = json_object_get_boolean(j);
		return TW_OK;
	}
	if ((rc = single(req, field, &v)) != TW_OK)
		return rc;
	*out = 0;
	if (v == NULL)
		return TW_OK;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcmp(v, yes[i]) == 0) {
			*out = 1;
			return TW_OK;
		}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcmp(v, no[i]) == 0)
			return TW_OK;
	return invalid(req, "error_bool", field);
}

enum tw_err
tw_valid_email(struct tw_request *req, const char *field, const char **out)
{
	const char	*v, *at, *dot;
	char		*copy, *p;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, field, 0, 254, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &v)) != TW_OK)
		return rc;
	*out = v;
	if (*v == '\0')
		return TW_OK;

	at = strchr(v, '@');
	if (at == NULL || at == v || strchr(at + 1, '@') != NULL ||
	    strpbrk(v, " \t<>()[],;:\\\"") != NULL ||
	    (dot = strrchr(at + 1, '.')) == NULL || dot == at + 1 ||
	    dot[1] == '\0')
		return invalid(req, "error_email", field);

	copy = tw_arena_strdup(req->arena, v);
	for (p = copy + (at - v) + 1; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	*out = copy;
	return TW_OK;
}
