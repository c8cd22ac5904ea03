/*
 * test_mustache.c: the Mustache renderer, against the test files of the
 * Mustache specification and against cases of our own.
 *
 * The specification's JSON files are read at run time from
 * $TW_SHARED_DATA/mustache-spec, or else from shared/data/mustache-spec
 * one to three directories above the current one.  Without them the spec
 * test prints a SKIP line and passes; the cases of our own always run.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "mustache.h"
#include "suites.h"

/* The core modules of the specification: every case must pass. */
static const char *const core_files[] = {
	"comments.json",
	"delimiters.json",
	"interpolation.json",
	"inverted.json",
	"partials.json",
	"sections.json",
};

/* The optional modules, which we do not implement. */
static const struct {
	const char	*file;
	const char	*why;
} optional_files[] = {
	{ "~lambdas.json", "lambdas are not supported" },
	{ "~inheritance.json", "template inheritance is not supported" },
	{ "~dynamic-names.json", "dynamic partial names are not supported" },
};

#define PARTIALS_MAX	16

/* The partials of one test, looked up by name. */
struct partials {
	const char		*name[PARTIALS_MAX];
	struct tw_mustache	*tpl[PARTIALS_MAX];
	size_t			 n;
};

static const struct tw_mustache *
find_partial(void *ctx, const char *name)
{
	const struct partials	*p = ctx;
	size_t			 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->tpl[i];
	return NULL;
}

static void
free_partials(struct partials *p)
{
	while (p->n > 0)
		tw_mustache_free(p->tpl[--p->n]);
}

/* The "tests" array of one spec file, or NULL; *root is to be put. */
static struct json_object *
load_spec(const char *dir, const char *file, struct json_object **root)
{
	char			 path[4096];
	struct json_object	*tests;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if ((*root = json_object_from_file(path)) == NULL)
		return NULL;
	if (!json_object_object_get_ex(*root, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_array))
		return NULL;
	return tests;
}

/* A string member of a test case; "" when it has none. */
static const char *
member(struct json_object *tc, const char *key, size_t *len)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(tc, key, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		*len = 0;
		return "";
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

/* Prints s as a C string literal, so whitespace differences show. */
static void
print_quoted(const char *label, const char *s, size_t n)
{
	size_t	 i;

	fprintf(stderr, "  %s \"", label);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			fputs("\\n", stderr);
		else if (s[i] == '\r')
			fputs("\\r", stderr);
		else if (s[i] == '\t')
			fputs("\\t", stderr);
		else if (s[i] == '"' || s[i] == '\\')
			fprintf(stderr, "\\%c", s[i]);
		else if ((unsigned char)s[i] < 0x20)
			fprintf(stderr, "\\x%02x", (unsigned char)s[i]);
		else
			fputc(s[i], stderr);
	}
	fputs("\"\n", stderr);
}

/* Compiles the case's partials; returns 0, or -1 with why written. */
static int
compile_partials(struct json_object *tc, struct partials *p, char *why,
    size_t whylen)
{
	struct json_object	*obj;
	char			 err[256];

	if (!json_object_object_get_ex(tc, "partials", &obj))
		return 0;
	json_object_object_foreach(obj, key, val) {
		if (p->n == PARTIALS_MAX) {
			snprintf(why, whylen, "more than %d partials",
			    PARTIALS_MAX);
			return -1;
		}
		p->tpl[p->n] = tw_mustache_compile(json_object_get_string(val),
		    (size_t)json_object_get_string_len(val), err, sizeof err);
		if (p->tpl[p->n] == NULL) {
			snprintf(why, whylen, "partial %s: %s", key, err);
			return -1;
		}
		p->name[p->n++] = key;
	}
	return 0;
}

/*
 * Runs one test case of the specification.  Returns 1 when the output is
 * byte for byte the expected one; else 0 with the reason in why.
 */
static int
run_case(struct json_object *tc, char *why, size_t whylen)
{
	struct partials		 parts = { .n = 0 };
	struct tw_mustache	*t = NULL;
	struct tw_arena		*a = tw_arena_new();
	struct tw_buf		 out;
	struct json_object	*data = NULL;
	const char		*src, *expected;
	size_t			 srclen, explen;
	char			 err[256];
	enum tw_err		 e;
	int			 ok = 0;

	src = member(tc, "template", &srclen);
	expected = member(tc, "expected", &explen);
	json_object_object_get_ex(tc, "data", &data);
	tw_buf_init(&out, a);

	if (compile_partials(tc, &parts, why, whylen) != 0)
		goto cleanup;
	if ((t = tw_mustache_compile(src, srclen, err, sizeof err)) == NULL) {
		snprintf(why, whylen, "compile: %s", err);
		goto cleanup;
	}
	if ((e = tw_mustache_render(t, data, find_partial, &parts,
	    &out)) != TW_OK) {
		snprintf(why, whylen, "render: %s", tw_err_str(e));
		goto cleanup;
	}
	if (out.len != explen || memcmp(out.data, expected, explen) != 0) {
		snprintf(why, whylen, "output differs");
		print_quoted("template", src, srclen);
		print_quoted("expected", expected, explen);
		print_quoted("got     ", out.data, out.len);
		goto cleanup;
	}
	ok = 1;

cleanup:
	tw_mustache_free(t);
	free_partials(&parts);
	tw_arena_free(a);
	return ok;
}

START_TEST(test_spec_core)
{
	const char		*file = core_files[_i];
	struct json_object	*root = NULL, *tests, *tc;
	char			 dir[4096], why[512], first[256] = "";
	const char		*name;
	size_t			 i, n, failed = 0, len;

	if (!tw_test_data_dir("mustache-spec", dir, sizeof dir)) {
		if (_i == 0)
			printf("SKIP mustache spec: data not found\n");
		return;
	}
	if ((tests = load_spec(dir, file, &root)) == NULL) {
		json_object_put(root);
		ck_abort_msg("mustache spec: cannot read %s/%s", dir, file);
	}

	n = json_object_array_length(tests);
	for (i = 0; i < n; i++) {
		tc = json_object_array_get_idx(tests, i);
		name = member(tc, "name", &len);
		if (run_case(tc, why, sizeof why))
			continue;
		fprintf(stderr, "mustache spec: %s: \"%s\" failed: %s\n",
		    file, name, why);
		if (failed++ == 0)
			snprintf(first, sizeof first, "%s", name);
	}
	printf("mustache spec: %s %zu/%zu passed\n", file, n - failed, n);
	fflush(stdout);
	json_object_put(root);

	ck_assert_uint_gt(n, 0);
	ck_assert_msg(failed == 0, "mustache spec: %s: %zu of %zu cases "
	    "failed, the first \"%s\"", file, failed, n, first);
}
END_TEST

START_TEST(test_spec_optional)
{
	struct json_object	*root = NULL, *tests;
	char			 dir[4096];
	size_t			 i;

	if (!tw_test_data_dir("mustache-spec", dir, sizeof dir))
		return;
	for (i = 0; i < sizeof optional_files / sizeof optional_files[0];
	    i++) {
		if ((tests = load_spec(dir, optional_files[i].file,
		    &root)) != NULL)
			printf("SKIP mustache spec: %s (%zu cases: %s)\n",
			    optional_files[i].file,
			    json_object_array_length(tests),
			    optional_files[i].why);
		json_object_put(root);
		root = NULL;
	}
	fflush(stdout);
}
END_TEST

/*
 * Renders src over the JSON text data (NULL for null) with no partials
 * into a buffer of arena a; fails the test on a compile or render error.
 */
static struct tw_buf
render(struct tw_arena *a, const char *src, const char *data)
{
	struct tw_mustache	*t;
	struct json_object	*d = NULL;
	struct tw_buf		 out;
	char			 err[256];
	enum tw_err		 e;

	tw_buf_init(&out, a);
	t = tw_mustache_compile(src, strlen(src), err, sizeof err);
	ck_assert_msg(t != NULL, "compile \"%s\": %s", src, err);
	if (data != NULL) {
		d = json_tokener_parse(data);
		ck_assert_ptr_nonnull(d);
	}
	e = tw_mustache_render(t, d, NULL, NULL, &out);
	json_object_put(d);
	tw_mustache_free(t);
	ck_assert_int_eq(e, TW_OK);
	return out;
}

START_TEST(test_compile_errors)
{
	static const struct {
		const char	*src;
		const char	*msg;
	} bad[] = {
		{ "a\nb\n c {{oops\n", "The tag on line 3 is not closed." },
		{ "{{#a}}\n\n{{/b}}", "The closing tag 'b' on line 3 does "
		    "not match the section 'a' opened on line 1." },
		{ "x\n\n  {{#list}}\n{{.}}\n", "The section 'list' opened "
		    "on line 3 is not closed." },
		{ "\n{{/a}}", "The closing tag 'a' on line 2 has no open "
		    "section." },
		{ "\n\n{{=<%=}}", "The delimiter change on line 3 is "
		    "malformed." },
		{ "{{= a b c =}}", "The delimiter change on line 1 is "
		    "malformed." },
		{ "x {{}}", "The tag on line 1 has no valid name." },
		{ "\n{{a b}}", "The tag on line 2 has no valid name." },
		{ "\n{{>}}", "The tag on line 2 has no valid name." },
		{ "{{a..b}}", "The name 'a..b' on line 1 has an empty part." },
		{ "{{#.a}}{{/.a}}", "The name '.a' on line 1 has an empty "
		    "part." },
		{ "{{{a}}", "The tag on line 1 is not closed." },
		{ "{{=<% %>=}}\n<%#a%>\n{{/a}}\n<%/b%>",
		    "The closing tag 'b' on line 4 does not match the "
		    "section 'a' opened on line 2." },
	};
	struct tw_mustache	*t;
	char			 err[256], tiny[8];
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(err, "unchanged");
		t = tw_mustache_compile(bad[i].src, strlen(bad[i].src), err,
		    sizeof err);
		ck_assert_msg(t == NULL, "\"%s\" compiled", bad[i].src);
		ck_assert_str_eq(err, bad[i].msg);
	}

	/* The message is cut to the buffer, and the buffer is optional. */
	ck_assert_ptr_null(tw_mustache_compile("{{#a}}", 6, tiny,
	    sizeof tiny));
	ck_assert_str_eq(tiny, "The sec");
	ck_assert_ptr_null(tw_mustache_compile("{{", 2, NULL, 0));

	/* A good template leaves err empty. */
	t = tw_mustache_compile("{{a}}", 5, err, sizeof err);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(err, "");
	tw_mustache_free(t);
}
END_TEST

START_TEST(test_nesting_limit_at_compile)
{
	char			 src[2048], err[256];
	struct tw_mustache	*t;
	size_t			 i, n = 0;

	/* 64 nested sections compile, the 65th does not. */
	for (i = 0; i < TW_MUSTACHE_DEPTH_MAX; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{#a}}");
	for (i = 0; i < TW_MUSTACHE_DEPTH_MAX; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{/a}}");
	t = tw_mustache_compile(src, n, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	tw_mustache_free(t);

	n = 0;
	for (i = 0; i <= TW_MUSTACHE_DEPTH_MAX; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{#a}}\n");
	ck_assert_ptr_null(tw_mustache_compile(src, n, err, sizeof err));
	ck_assert_str_eq(err, "Sections are nested more than 64 deep on "
	    "line 65.");
}
END_TEST

START_TEST(test_escapes_hostile_data)
{
	struct tw_arena	*a = tw_arena_new();
	struct tw_buf	 out;

	out = render(a, "<p title=\"{{x}}\">{{x}}</p>|{{{x}}}|{{& x }}",
	    "{\"x\": \"<script>alert('1')</script> & \\\"q\\\" `b` a=b\"}");
	ck_assert_str_eq(out.data,
	    "<p title=\"&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; "
	    "&amp; &quot;q&quot; &#96;b&#96; a&#61;b\">"
	    "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; "
	    "&amp; &quot;q&quot; &#96;b&#96; a&#61;b</p>|"
	    "<script>alert('1')</script> & \"q\" `b` a=b|"
	    "<script>alert('1')</script> & \"q\" `b` a=b");

	/* Tags in data are text, never template. */
	out = render(a, "{{x}}", "{\"x\": \"{{y}}\", \"y\": \"no\"}");
	ck_assert_str_eq(out.data, "{{y}}");
	tw_arena_free(a);
}
END_TEST

START_TEST(test_nul_bytes)
{
	static const char	 want[] = "[a\0&lt;b][a\0<b](yes)t\0x";
	static const char	 src[] = "[{{x}}][{{{x}}}]{{#x}}(yes){{/x}}"
				    "t\0x";
	struct tw_arena		*a = tw_arena_new();
	struct tw_mustache	*t;
	struct json_object	*d;
	struct tw_buf		 out;

	d = json_object_new_object();
	json_object_object_add(d, "x", json_object_new_string_len("a\0<b",
	    4));
	t = tw_mustache_compile(src, sizeof src - 1, NULL, 0);
	ck_assert_ptr_nonnull(t);
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(t, d, NULL, NULL, &out), TW_OK);
	ck_assert_uint_eq(out.len, sizeof want - 1);
	ck_assert_int_eq(memcmp(out.data, want, sizeof want - 1), 0);

	/* A NUL byte inside a name is an error, not a shorter name. */
	ck_assert_ptr_null(tw_mustache_compile("{{a\0b}}", 7, NULL, 0));

	tw_mustache_free(t);
	json_object_put(d);
	tw_arena_free(a);
}
END_TEST

/* The partials of the recursion tests: "self" and "node". */
static const struct tw_mustache *
recursive_partial(void *ctx, const char *name)
{
	struct tw_mustache *const *p = ctx;

	if (strcmp(name, "self") == 0)
		return p[0];
	if (strcmp(name, "node") == 0)
		return p[1];
	return NULL;
}

/* A chain of depth nodes, each {"n": level, "kids": [next]}. */
static struct json_object *
make_chain(int depth)
{
	struct json_object	*node = NULL, *kids;
	int			 i;

	for (i = depth; i > 0; i--) {
		kids = json_object_new_array();
		if (node != NULL)
			json_object_array_add(kids, node);
		node = json_object_new_object();
		json_object_object_add(node, "n", json_object_new_int(i));
		json_object_object_add(node, "kids", kids);
	}
	return node;
}

START_TEST(test_recursion_limit)
{
	static const char	 self[] = "x{{>self}}";
	static const char	 node[] = "{{n}}({{#kids}}{{>node}}{{/kids}})";
	struct tw_mustache	*p[2], *top;
	struct tw_arena		*a = tw_arena_new();
	struct json_object	*d;
	struct tw_buf		 out;

	p[0] = tw_mustache_compile(self, sizeof self - 1, NULL, 0);
	p[1] = tw_mustache_compile(node, sizeof node - 1, NULL, 0);
	top = tw_mustache_compile("{{>node}}", 9, NULL, 0);
	ck_assert(p[0] != NULL && p[1] != NULL && top != NULL);

	/* A partial that includes itself stops at the limit. */
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(p[0], NULL, recursive_partial,
	    p, &out), TW_ERR_INTERNAL);
	ck_assert_uint_eq(out.len, TW_MUSTACHE_DEPTH_MAX + 1);

	/* Each level is a section and a partial: 5 levels fit. */
	d = make_chain(5);
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(top, d, recursive_partial, p,
	    &out), TW_OK);
	ck_assert_str_eq(out.data, "1(2(3(4(5()))))");
	json_object_put(d);

	/* 32 levels take 63 of 64 steps, 33 levels are too deep. */
	d = make_chain(32);
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(top, d, recursive_partial, p,
	    &out), TW_OK);
	json_object_put(d);
	d = make_chain(33);
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(top, d, recursive_partial, p,
	    &out), TW_ERR_INTERNAL);
	json_object_put(d);

	tw_mustache_free(top);
	tw_mustache_free(p[0]);
	tw_mustache_free(p[1]);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_deep_dotted_names)
{
	struct tw_arena		*a = tw_arena_new();
	struct json_object	*d, *inner;
	struct tw_mustache	*t;
	struct tw_buf		 out;
	char			 src[1024];
	size_t			 n = 0;
	int			 i;

	/* {"a": {"a": ... {"v": "deep"} ... }}, 100 levels. */
	d = json_object_new_object();
	json_object_object_add(d, "v", json_object_new_string("deep"));
	for (i = 0; i < 100; i++) {
		inner = d;
		d = json_object_new_object();
		json_object_object_add(d, "a", inner);
	}
	n += (size_t)snprintf(src + n, sizeof src - n, "{{");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "a.");
	n += (size_t)snprintf(src + n, sizeof src - n,
	    "v}}|{{a.a.b.v}}|{{a.a.a.a}}|{{#a.a}}{{a.v}}{{/a.a}}|{{a.v.x}}");

	t = tw_mustache_compile(src, n, NULL, 0);
	ck_assert_ptr_nonnull(t);
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(t, d, NULL, NULL, &out), TW_OK);
	ck_assert_str_eq(out.data, "deep||||");

	tw_mustache_free(t);
	json_object_put(d);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_values)
{
	struct tw_arena	*a = tw_arena_new();
	struct tw_buf	 out;

	out = render(a, "{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}|{{g}}|{{h}}|"
	    "{{i}}|{{t}}|{{n}}|{{o}}|{{l}}",
	    "{\"a\": 1.210, \"b\": 2.0, \"c\": -7, "
	    "\"d\": 18446744073709551615, \"e\": 9223372036854775807, "
	    "\"f\": -9223372036854775808, \"g\": 0.1, \"h\": 1e300, "
	    "\"i\": 1.5e-7, \"t\": true, \"n\": null, \"o\": {\"x\": 1}, "
	    "\"l\": [1, 2]}");
	ck_assert_str_eq(out.data, "1.21|2|-7|18446744073709551615|"
	    "9223372036854775807|-9223372036854775808|0.1|1e+300|1.5e-07|"
	    "true|||");

	/* What counts as false: see mustache.h. */
	out = render(a, "{{#s}}S{{/s}}{{^s}}-s{{/s}}{{#z}}Z{{/z}}"
	    "{{#o}}O{{/o}}{{^f}}-f{{/f}}{{^n}}-n{{/n}}{{^l}}-l{{/l}}"
	    "{{^m}}-m{{/m}}{{#sp}}SP{{/sp}}",
	    "{\"s\": \"\", \"z\": 0, \"o\": {}, \"f\": false, \"n\": null, "
	    "\"l\": [], \"sp\": \" \"}");
	ck_assert_str_eq(out.data, "-sZO-f-n-l-mSP");

	/* Null data renders as an empty context. */
	out = render(a, "[{{a}}{{.}}{{#.}}x{{/.}}]", NULL);
	ck_assert_str_eq(out.data, "[]");
	tw_arena_free(a);
}
END_TEST

START_TEST(test_decimal_point_locale)
{
	struct tw_arena	*a = tw_arena_new();
	struct tw_buf	 out;

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL) {
		printf("SKIP mustache: locale de_DE.UTF-8 not installed\n");
		tw_arena_free(a);
		return;
	}
	out = render(a, "{{x}}", "{\"x\": 1.5}");
	setlocale(LC_NUMERIC, "C");
	ck_assert_str_eq(out.data, "1.5");
	tw_arena_free(a);
}
END_TEST

/* The partials of test_compile_once: p, o and q. */
static const struct tw_mustache *
indent_partial(void *ctx, const char *name)
{
	struct tw_mustache *const *p = ctx;

	if (name[1] != '\0' || name[0] < 'o' || name[0] > 'q')
		return NULL;
	return p[name[0] - 'o'];
}

START_TEST(test_compile_once)
{
	static const char *const src[] = {
		"<\n  {{>p}}\n>\n",		/* o */
		"1 {{v}}\n{{#l}}\n{{.}}\n{{/l}}\n",	/* p */
		"[{{>p}}]",			/* q: not standalone */
	};
	struct tw_mustache	*p[3], *t;
	struct tw_arena		*a = tw_arena_new();
	struct json_object	*d;
	struct tw_buf		 out;
	const char		*page = "{{>o}}\n  {{>p}}\n{{#l}}\n"
				    "\t{{>o}}\n{{/l}}\n{{>q}}";
	size_t			 i;

	for (i = 0; i < 3; i++) {
		p[i] = tw_mustache_compile(src[i], strlen(src[i]), NULL, 0);
		ck_assert_ptr_nonnull(p[i]);
	}
	t = tw_mustache_compile(page, strlen(page), NULL, 0);
	ck_assert_ptr_nonnull(t);

	/* The same compiled partials at several indentations. */
	d = json_tokener_parse("{\"v\": \"a\\nb\", \"l\": [\"x\", \"y\"]}");
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(t, d, indent_partial, p, &out),
	    TW_OK);
	ck_assert_str_eq(out.data,
	    "<\n  1 a\nb\n  x\n  y\n>\n"
	    "  1 a\nb\n  x\n  y\n"
	    "\t<\n\t  1 a\nb\n\t  x\n\t  y\n\t>\n"
	    "\t<\n\t  1 a\nb\n\t  x\n\t  y\n\t>\n"
	    "[1 a\nb\nx\ny\n]");
	json_object_put(d);

	/* Rendered again over other data: nothing of the first run stays. */
	d = json_tokener_parse("{\"v\": \"c\", \"l\": []}");
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(t, d, indent_partial, p, &out),
	    TW_OK);
	ck_assert_str_eq(out.data, "<\n  1 c\n>\n  1 c\n[1 c\n]");
	json_object_put(d);

	/* Without a partial callback partials render as nothing. */
	tw_buf_init(&out, a);
	ck_assert_int_eq(tw_mustache_render(t, NULL, NULL, NULL, &out),
	    TW_OK);
	ck_assert_str_eq(out.data, "");

	tw_mustache_free(t);
	for (i = 0; i < 3; i++)
		tw_mustache_free(p[i]);
	tw_arena_free(a);
}
END_TEST

Suite *
tw_mustache_suite(void)
{
	Suite	*s = suite_create("mustache");
	TCase	*spec = tcase_create("spec");
	TCase	*own = tcase_create("own");

	tcase_add_loop_test(spec, test_spec_core, 0,
	    (int)(sizeof core_files / sizeof core_files[0]));
	tcase_add_test(spec, test_spec_optional);
	suite_add_tcase(s, spec);

	tcase_add_test(own, test_compile_errors);
	tcase_add_test(own, test_nesting_limit_at_compile);
	tcase_add_test(own, test_escapes_hostile_data);
	tcase_add_test(own, test_nul_bytes);
	tcase_add_test(own, test_recursion_limit);
	tcase_add_test(own, test_deep_dotted_names);
	tcase_add_test(own, test_values);
	tcase_add_test(own, test_decimal_point_locale);
	tcase_add_test(own, test_compile_once);
	suite_add_tcase(s, own);
	return s;
}
