/*
 * fuzz_form.c: libFuzzer harness for the request input parsers.
 *
 * The input's first line is taken as a Content-Type (and as a Cookie
 * header), the rest as the body.  Every parser runs over it with a fresh
 * arena, and what a parser returns is checked against its promises: text
 * values are UTF-8 without NUL and as long as said, uploads point inside
 * the body, file names carry no directory, failures leave a message and
 * an unchanged form.  The body is also parsed as multipart with a fixed
 * one-letter boundary, so the fuzzer reaches the parts without first
 * having to guess a Content-Type.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "form.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Small limits, so the fuzzer reaches them. */
static const struct tw_form_limits limits = { 8, 16, 64, 3, 256 };

static void
check_form(const struct tw_form *f, enum tw_err rc, size_t nparams,
    size_t nuploads, const char *body, size_t len)
{
	const struct tw_param	*p;
	const struct tw_upload	*u;
	size_t			 i;

	if (rc != TW_OK) {
		if (f->error == NULL || f->nparams != nparams ||
		    f->nuploads != nuploads)
			abort();
		return;
	}
	if (f->error != NULL || f->nparams > limits.fields_max ||
	    f->nuploads > limits.uploads_max)
		abort();

	for (i = 0; i < f->nparams; i++) {
		p = &f->params[i];
		if (strlen(p->name) == 0 || strlen(p->name) > limits.name_max ||
		    !tw_utf8_valid(p->name, strlen(p->name)) ||
		    strlen(p->value) != p->len || p->len > limits.value_max ||
		    !tw_utf8_valid(p->value, p->len) ||
		    tw_form_get(f, p->name) == NULL ||
		    tw_form_count(f, p->name) == 0)
			abort();
	}
	for (i = 0; i < f->nuploads; i++) {
		u = &f->uploads[i];
		if (u->len > limits.upload_max || u->data < body ||
		    u->len > len ||
		    u->data - body > (ptrdiff_t)(len - u->len) ||
		    strpbrk(u->filename, "/\\") != NULL ||
		    !tw_utf8_valid(u->filename, strlen(u->filename)) ||
		    strlen(u->type) == 0 || tw_form_upload(f, u->field) == NULL)
			abort();
	}
}

static void
run_forms(struct tw_arena *a, const char *ct, const char *body, size_t len)
{
	struct tw_form	 f;
	enum tw_err	 rc;
	size_t		 n;

	/* A query string, then the body into the same form. */
	memset(&f, 0, sizeof(f));
	rc = tw_form_urlencoded(a, body, len / 4, &limits, &f);
	check_form(&f, rc, 0, 0, body, len);
	n = f.nparams;
	rc = tw_form_urlencoded(a, body + len / 4, len - len / 4, &limits, &f);
	check_form(&f, rc, n, 0, body, len);

	memset(&f, 0, sizeof(f));
	rc = tw_form_cookies(a, ct, &limits, &f);
	check_form(&f, rc, 0, 0, body, len);

	memset(&f, 0, sizeof(f));
	rc = tw_form_multipart(a, ct, body, len, &limits, &f);
	check_form(&f, rc, 0, 0, body, len);

	memset(&f, 0, sizeof(f));
	rc = tw_form_multipart(a, "multipart/form-data; boundary=b", body,
	    len, NULL, &f);
	if (rc != TW_OK && f.error == NULL)
		abort();
}

static void
run_json(struct tw_arena *a, const char *body, size_t len)
{
	struct json_object	*o;
	const char		*err;
	enum tw_err		 rc;

	rc = tw_form_json(a, body, len, 8, &o, &err);
	if ((rc == TW_OK) != (err == NULL) || (rc != TW_OK && o != NULL))
		abort();
	if (rc == TW_OK && o != NULL)
		(void)json_object_to_json_string(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_arena	*a;
	const uint8_t	*nl;
	char		*ct, *body;
	size_t		 ctlen, len;

	/* Exact-size copies, so reading past either end is caught. */
	nl = memchr(data, '\n', size);
	ctlen = nl != NULL ? (size_t)(nl - data) : 0;
	len = nl != NULL ? size - ctlen - 1 : size;
	if ((ct = malloc(ctlen + 1)) == NULL ||
	    (body = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	if (len > 0)
		memcpy(body, data + size - len, len);

	a = tw_arena_new();
	(void)tw_utf8_valid(body, len);
	run_forms(a, ct, body, len);
	run_json(a, body, len);
	tw_arena_free(a);

	free(body);
	free(ct);
	return 0;
}
