/*
 * json_body.c: the JSON body parser declared in form.h.  json-c does the
 * parsing; this file adds the checks json-c leaves out (raw control
 * bytes, "\u0000", NaN and Infinity, "1.", nesting depth, numbers out of
 * range, data after the value) and ties the result to the arena.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "form.h"

/* json-c allocates its parse stack up front, so its depth is capped. */
#define JSON_DEPTH_CAP	1000

/* The message for JSON nested deeper than depth_max, in the arena. */
static const char *
depth_text(struct tw_arena *a, size_t depth_max)
{
	return tw_arena_printf(a, "The JSON body nests arrays and objects "
	    "more than %zu deep.", depth_max);
}

/*
 * Checks what json-c lets pass in the raw body: raw control bytes (a NUL
 * among them), "\u0000" escapes, NaN and Infinity, "1." numbers, and
 * arrays and objects nested deeper than depth_max.  Outside strings a '['
 * or '{' opens a level; a malformed body that confuses the count is
 * rejected by json-c later anyway.
 */
static enum tw_err
scan_json(struct tw_arena *a, const char *s, size_t len, size_t depth_max,
    const char **error)
{
	size_t	 i, depth = 0;
	int	 instr = 0;
	char	 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (instr) {
			if ((unsigned char)c < 0x20)
				goto bad;
			if (c == '"')
				instr = 0;
			else if (c == '\\') {
				if (len - i > 5 && memcmp(s + i + 1, "u0000",
				    5) == 0) {
					*error = "The JSON body has a string "
					    "with a NUL character.";
					return TW_ERR_BADREQ;
				}
				i++;
			}
			continue;
		}

		switch (c) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > depth_max) {
				*error = depth_text(a, depth_max);
				return TW_ERR_TOOBIG;
			}
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		case '.':
			if (i == 0 || s[i - 1] < '0' || s[i - 1] > '9' ||
			    len - i < 2 || s[i + 1] < '0' || s[i + 1] > '9')
				goto bad;
			break;
		case 'N':
		case 'I':
			goto bad;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			break;
		default:
			if ((unsigned char)c < 0x20)
				goto bad;
			break;
		}
	}
	return TW_OK;

bad:
	*error = "The JSON body is not valid JSON.";
	return TW_ERR_BADREQ;
}

/*
 * Whether every number in o is finite: json-c turns "1e400" into an
 * infinity.  The recursion is bounded by the nesting depth checked before.
 */
static int
all_finite(struct json_object *o)
{
	size_t	 i, n;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return isfinite(json_object_get_double(o));
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (!all_finite(json_object_array_get_idx(o, i)))
				return 0;
		return 1;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			if (!all_finite(val))
				return 0;
		}
		return 1;
	}
	default:
		return 1;
	}
}

static void
put_json(void *o)
{
	json_object_put(o);
}

/*
 * Runs json-c over the body, copied with a NUL so that a number at the
 * end is complete, and checks that only white space follows the value.
 */
static enum tw_err
parse_json(struct tw_arena *a, const char *body, size_t len, size_t depth,
    struct json_object **out, const char **error)
{
	struct json_tokener	*tok;
	enum json_tokener_error	 jerr;
	char			*copy;
	size_t			 end;

	copy = tw_arena_memdup(a, body, len);
	if ((tok = json_tokener_new_ex((int)depth + 1)) == NULL) {
		*error = "The server ran out of memory.";
		return TW_ERR_NOMEM;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_ALLOW_TRAILING_CHARS);
	*out = json_tokener_parse_ex(tok, copy, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (jerr != json_tokener_success) {
		json_object_put(*out);
		*out = NULL;
		if (jerr == json_tokener_error_depth) {
			*error = depth_text(a, depth);
			return TW_ERR_TOOBIG;
		}
		*error = "The JSON body is not valid JSON.";
		return TW_ERR_BADREQ;
	}
	if (*out != NULL)
		tw_arena_cleanup(a, put_json, *out);

	for (; end < len; end++)
		if (strchr(" \t\r\n", copy[end]) == NULL) {
			*error = "The JSON body has data after its value.";
			return TW_ERR_BADREQ;
		}
	if (!all_finite(*out)) {
		*error = "The JSON body has a number out of range.";
		return TW_ERR_BADREQ;
	}
	return TW_OK;
}

enum tw_err
tw_form_json(struct tw_arena *a, const char *body, size_t len,
    size_t depth_max, struct json_object **out, const char **error)
{
	struct json_object	*o = NULL;
	enum tw_err		 rc;

	*out = NULL;
	*error = NULL;
	if (depth_max > JSON_DEPTH_CAP)
		depth_max = JSON_DEPTH_CAP;

	if (len > INT_MAX - 1) {
		*error = "The JSON body is too large.";
		return TW_ERR_TOOBIG;
	}
	if (len == 0) {
		*error = "The JSON body is empty.";
		return TW_ERR_BADREQ;
	}
	if ((rc = scan_json(a, body, len, depth_max, error)) != TW_OK)
		return rc;
	if (!tw_utf8_valid(body, len)) {
		*error = "The JSON body is not valid UTF-8.";
		return TW_ERR_BADREQ;
	}

	if ((rc = parse_json(a, body, len, depth_max, &o, error)) != TW_OK)
		return rc;
	*out = o;
	return TW_OK;
}
