/*
 * test_attachments.c: files on items over HTTP: uploads through the API
 * and the forms, downloads with the same bytes, one stored copy per
 * content, the size limit, hostile file names and types, the channel
 * check on downloads, and moving and copying items with their files.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <check.h>
#include <json-c/json.h>

#include "conf.h"
#include "crypto.h"
#include "http.h"
#include "suites.h"

/* Adds a note with one file to ticket number; returns the item id. */
static long long
add_file(const char *token, long long number, const char *disposition,
    const char *type, const char *data, size_t len)
{
	struct fx_part		 p[] = {
		{ "body", NULL, NULL, "with a file", 11 },
		{ "attachment", disposition, type, data, len },
	};
	struct http_resp	*r;
	struct json_object	*o;
	char			*path;
	long long		 id;

	path = fx_printf("/tickets/%lld/items", number);
	r = fx_post_parts(token, NULL, path, p, 2);
	ck_assert_msg(r->status == 201, "POST %s: %ld %s", path, r->status,
	    r->body);
	o = http_json(r);
	id = http_json_int(o, "id", 0);
	ck_assert_int_gt(id, 0);
	json_object_put(o);
	http_resp_free(r);
	free(path);
	return id;
}

/* The link id and download address of the first file of item_id. */
static long long
file_of(long long item_id, char **url, long long number)
{
	long long	id;
	const char	*name;
	char		*enc;

	id = fx_db_int("SELECT id FROM item_attachments WHERE item_id = ? "
	    "ORDER BY id LIMIT 1", 0, TW_ARGS(TW_I(item_id)));
	ck_assert_msg(id > 0, "item %lld has no attachment", item_id);
	name = fx_db_str("SELECT filename FROM item_attachments "
	    "WHERE id = ?", NULL, TW_ARGS(TW_I(id)));
	enc = http_urlenc(name);
	*url = fx_printf("/tickets/%lld/attachments/%lld/%s", number, id,
	    enc);
	free(enc);
	return id;
}

static struct http_resp *
get_token(const char *token, const char *path)
{
	char			*auth = fx_bearer(token);
	const char		*h[] = { auth, NULL };
	struct http_resp	*r;

	r = http_request(NULL, "GET", path, h, NULL, 0);
	free(auth);
	return r;
}

/* Random bytes, NULs and CRLFs included, so nothing text-only passes. */
static char *
random_bytes(size_t n)
{
	char	*b = malloc(n);
	size_t	 i;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(tw_random(b, n), TW_OK);
	for (i = 0; i + 4 < n; i += 997)
		memcpy(b + i, "\0\r\n-", 4);
	return b;
}

/* Asserts the headers every download carries. */
static void
assert_download_headers(const struct http_resp *r, const char *ctype)
{
	char	*v;

	/* nginx adds a charset to text types. */
	v = http_header(r, "Content-Type", 0);
	ck_assert_msg(v != NULL && strncmp(v, ctype, strlen(ctype)) == 0 &&
	    (v[strlen(ctype)] == '\0' || v[strlen(ctype)] == ';'),
	    "Content-Type %s, want %s", v, ctype);
	free(v);
	v = http_header(r, "Content-Disposition", 0);
	ck_assert_msg(v != NULL && strncmp(v, "attachment;", 11) == 0,
	    "Content-Disposition: %s", v);
	free(v);
	v = http_header(r, "X-Content-Type-Options", 0);
	ck_assert_str_eq(v, "nosniff");
	free(v);
	v = http_header(r, "Content-Security-Policy", 0);
	ck_assert_msg(v != NULL && strstr(v, "sandbox") != NULL, "CSP: %s",
	    v);
	free(v);
}

START_TEST(test_upload_download_identical)
{
	struct http_resp	*r;
	char			*token = fx_token("admin"), *subject, *data;
	char			*url, *path = NULL, sent[65], got[65];
	const char		*stored;
	long long		 number, item;
	size_t			 n = 300 * 1024 + 7;

	subject = fx_marker("att-bytes");
	number = fx_ticket_new(token, subject, fx_channel("Support"));
	data = random_bytes(n);
	tw_sha256_hex(data, n, sent);
	item = add_file(token, number, "filename=\"scan.png\"", "image/png",
	    data, n);
	file_of(item, &url, number);

	r = get_token(token, url);
	ck_assert_int_eq(r->status, 200);
	ck_assert_uint_eq(r->len, n);
	tw_sha256_hex(r->body, r->len, got);
	ck_assert_str_eq(got, sent);
	assert_download_headers(r, "image/png");
	http_resp_free(r);

	/* Stored under its hash, with its size. */
	stored = fx_db_str("SELECT a.sha256 FROM attachments a "
	    "JOIN item_attachments ia ON ia.attachment_id = a.id "
	    "WHERE ia.item_id = ?", NULL, TW_ARGS(TW_I(item)));
	ck_assert_str_eq(stored, sent);
	ck_assert_int_eq(fx_db_int("SELECT size FROM attachments "
	    "WHERE sha256 = ?", -1, TW_ARGS(TW_S(sent))), (long long)n);

	/* A part of it, as a resumed download asks. */
	{
		char			*auth = fx_bearer(token);
		const char		*h[] = { auth, "Range: bytes=100-199",
					    NULL };

		r = http_request(NULL, "GET", url, h, NULL, 0);
		ck_assert_int_eq(r->status, 206);
		ck_assert_uint_eq(r->len, 100);
		ck_assert(memcmp(r->body, data + 100, 100) == 0);
		http_resp_free(r);
		free(auth);
	}

	/* The store itself cannot be asked for, with or without a token. */
	free(path);
	path = fx_printf("/_files/%.2s/%s", sent, sent + 2);
	r = get_token(token, path);
	ck_assert_int_eq(r->status, 404);
	ck_assert_uint_ne(r->len, n);
	http_resp_free(r);

	/* The ticket lists the file with its address. */
	free(url);
	url = fx_printf("/tickets/%lld", number);
	r = get_token(token, url);
	ck_assert_msg(http_body_has(r, "\"filename\":\"scan.png\""),
	    "the ticket lacks the file: %s", r->body);
	http_resp_free(r);

	free(path);
	free(url);
	free(data);
	free(subject);
	free(token);
}
END_TEST

START_TEST(test_same_file_stored_once)
{
	char		*token = fx_token("admin"), *subject, *data, *path;
	char		 sha[65];
	long long	 number;
	size_t		 n = 4096;
	struct stat	 st;

	subject = fx_marker("att-dedupe");
	number = fx_ticket_new(token, subject, fx_channel("Support"));
	data = random_bytes(n);
	tw_sha256_hex(data, n, sha);
	add_file(token, number, "filename=\"one.bin\"", NULL, data, n);
	add_file(token, number, "filename=\"two.bin\"",
	    "application/octet-stream", data, n);

	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM attachments "
	    "WHERE sha256 = ?", -1, TW_ARGS(TW_S(sha))), 1);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM item_attachments ia "
	    "JOIN attachments a ON a.id = ia.attachment_id "
	    "WHERE a.sha256 = ?", -1, TW_ARGS(TW_S(sha))), 2);

	/* One file on disk, under the hash. */
	path = fx_printf("%s/data/attachments/%.2s/%s",
	    tw_conf_str("paths", "var", "var"), sha, sha + 2);
	ck_assert_msg(stat(path, &st) == 0 && (size_t)st.st_size == n,
	    "no file of %zu bytes at %s", n, path);

	free(path);
	free(data);
	free(subject);
	free(token);
}
END_TEST

START_TEST(test_over_limit)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*token = fx_token("admin"), *subject, *data;
	char			*path;
	const char		*msg;
	long long		 number, before;
	size_t			 n = 10 * 1024 * 1024 + 1;
	struct fx_part		 p[] = {
		{ "body", NULL, NULL, "too big", 7 },
		{ "attachment", "filename=\"big.bin\"", NULL, NULL, 0 },
	};

	subject = fx_marker("att-big");
	number = fx_ticket_new(token, subject, fx_channel("Support"));
	data = calloc(1, n);
	ck_assert_ptr_nonnull(data);
	p[1].data = data;
	p[1].len = n;
	before = fx_db_int("SELECT COUNT(*) FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number)));

	path = fx_printf("/tickets/%lld/items", number);
	r = fx_post_parts(token, NULL, path, p, 2);
	ck_assert_msg(r->status == 413, "status %ld", r->status);
	o = http_json(r);
	msg = http_json_str(o, "error.message");
	ck_assert_msg(msg != NULL && strstr(msg, "larger than") != NULL &&
	    strstr(msg, "MiB") != NULL && msg[strlen(msg) - 1] == '.',
	    "message: %s", r->body);
	json_object_put(o);
	http_resp_free(r);

	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items i JOIN "
	    "tickets t ON t.id = i.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number))), before);

	/* A form without files is held to the smaller body limit. */
	{
		char		*auth = fx_bearer(token), *form;
		const char	*h[] = { auth, "Accept: application/json",
		    "Content-Type: application/x-www-form-urlencoded", NULL };

		form = malloc(2 * 1024 * 1024);
		ck_assert_ptr_nonnull(form);
		memcpy(form, "body=", 5);
		memset(form + 5, 'a', 2 * 1024 * 1024 - 5);
		r = http_request(NULL, "POST", path, h, form,
		    2 * 1024 * 1024);
		ck_assert_int_eq(r->status, 413);
		http_resp_free(r);
		free(form);
		free(auth);
	}
	free(path);
	free(data);
	free(subject);
	free(token);
}
END_TEST

/* Uploads a file under disposition; returns the stored file name. */
static const char *
stored_name(const char *token, long long number, const char *disposition,
    const char *type, const char *data, long long *item)
{
	*item = add_file(token, number, disposition, type, data,
	    strlen(data));
	return fx_db_str("SELECT filename FROM item_attachments "
	    "WHERE item_id = ?", NULL, TW_ARGS(TW_I(*item)));
}

/* Downloads the first file of item and returns the disposition header. */
static char *
disposition_of(const char *token, long long number, long long item,
    const char *ctype)
{
	struct http_resp	*r;
	char			*url, *v;

	file_of(item, &url, number);
	r = get_token(token, url);
	ck_assert_msg(r->status == 200, "GET %s: %ld", url, r->status);
	assert_download_headers(r, ctype);
	v = http_header(r, "Content-Disposition", 0);
	http_resp_free(r);
	free(url);
	return v;
}

START_TEST(test_hostile_names)
{
	char		*token = fx_token("admin"), *subject, *cd, *longname;
	char		*disp;
	const char	*name;
	long long	 number, item;
	size_t		 i;

	subject = fx_marker("att-names");
	number = fx_ticket_new(token, subject, fx_channel("Support"));

	/* A path is cut to its last part: a name, never a place. */
	name = stored_name(token, number, "filename=\"../../x\"", NULL,
	    "path", &item);
	ck_assert_str_eq(name, "x");
	cd = disposition_of(token, number, item, "application/octet-stream");
	ck_assert_str_eq(cd, "attachment; filename=\"x\"; filename*=UTF-8''x");
	free(cd);

	/* A quote in the name stays metadata and is encoded when sent. */
	name = stored_name(token, number, "filename*=UTF-8''a%22b.html",
	    "text/html", "<script>alert(1)</script>", &item);
	ck_assert_str_eq(name, "a\"b.html");
	cd = disposition_of(token, number, item, "application/octet-stream");
	ck_assert_str_eq(cd, "attachment; filename=\"a_b.html\"; "
	    "filename*=UTF-8''a%22b.html");
	free(cd);

	/* Sent raw, a backslash-escaped quote is what browsers never send
	 * (they send %22): the part is refused, and nothing is stored. */
	{
		struct fx_part		 q[] = {
			{ "body", NULL, NULL, "raw quote", 9 },
			{ "attachment", "filename=\"a\\\"b.html\"",
			    "text/html", "<b>", 3 },
		};
		char			*path;
		struct http_resp	*r;

		path = fx_printf("/tickets/%lld/items", number);
		r = fx_post_parts(token, NULL, path, q, 2);

		ck_assert_int_eq(r->status, 400);
		ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items "
		    "WHERE body = 'raw quote'", -1, TW_NOARGS), 0);
		http_resp_free(r);
		free(path);
	}

	/* A backslash ends the name as a path separator would. */
	name = stored_name(token, number, "filename=\"a\\\\b.txt\"", NULL,
	    "bs", &item);
	ck_assert_str_eq(name, "b.txt");

	/* 300 characters: cut to 255, keeping the extension. */
	longname = malloc(301);
	for (i = 0; i < 296; i++)
		longname[i] = (char)('a' + i % 26);
	strcpy(longname + 296, ".txt");
	disp = fx_printf("filename=\"%s\"", longname);
	name = stored_name(token, number, disp, "text/plain", "long", &item);
	ck_assert_uint_eq(strlen(name), 255);
	ck_assert_int_eq(strncmp(name, longname, 251), 0);
	ck_assert_str_eq(name + 251, ".txt");
	cd = disposition_of(token, number, item, "text/plain");
	ck_assert(strstr(cd, ".txt\"; filename*=UTF-8''") != NULL);
	free(cd);
	free(disp);

	/* A right-to-left override would show "gnp.exe" as "exe.png". */
	name = stored_name(token, number,
	    "filename*=UTF-8''invoice%E2%80%AEgnp.exe", NULL, "rtl", &item);
	ck_assert_str_eq(name, "invoicegnp.exe");
	cd = disposition_of(token, number, item, "application/octet-stream");
	ck_assert(strstr(cd, "%E2%80%AE") == NULL);
	free(cd);

	/* Whatever the name, the page shows it escaped. */
	free(subject);
	subject = fx_printf("/tickets/%lld", number);
	{
		struct http_agent	*a = fx_signin("admin", fx_password());
		struct http_resp	*r = http_get(a, subject);

		ck_assert_int_eq(r->status, 200);
		ck_assert(!http_body_has(r, "a\"b.html"));
		ck_assert(http_body_has(r, "a&quot;b.html") ||
		    http_body_has(r, "a&#34;b.html"));
		ck_assert(http_body_has(r, "/attachments/"));
		http_resp_free(r);
		http_agent_free(a);
	}

	free(longname);
	free(subject);
	free(token);
}
END_TEST

START_TEST(test_active_types_served_as_downloads)
{
	char		*token = fx_token("admin"), *subject, *cd;
	long long	 number, item;
	const char	*svg = "<svg xmlns=\"http://www.w3.org/2000/svg\">"
	    "<script>alert(1)</script></svg>";

	subject = fx_marker("att-types");
	number = fx_ticket_new(token, subject, fx_channel("Support"));

	item = add_file(token, number, "filename=\"p.svg\"", "image/svg+xml",
	    svg, strlen(svg));
	cd = disposition_of(token, number, item, "application/octet-stream");
	free(cd);
	item = add_file(token, number, "filename=\"p.html\"",
	    "text/html; charset=utf-8", "<b>x</b>", 8);
	cd = disposition_of(token, number, item, "application/octet-stream");
	free(cd);
	item = add_file(token, number, "filename=\"p.xhtml\"",
	    "application/xhtml+xml", "<b>y</b>", 8);
	cd = disposition_of(token, number, item, "application/octet-stream");
	free(cd);
	/* A harmless type keeps its own. */
	item = add_file(token, number, "filename=\"r.pdf\"",
	    "Application/PDF", "%PDF-1.4", 8);
	cd = disposition_of(token, number, item, "application/pdf");
	free(cd);

	free(subject);
	free(token);
}
END_TEST

/* A new agent who handles Support and nothing else; returns a token. */
static char *
support_agent(char **login)
{
	*login = fx_user_new("att");
	fx_db_exec("INSERT INTO channel_members (channel_id, user_id, role) "
	    "SELECT ?, id, 'handles' FROM users WHERE login = ?",
	    TW_ARGS(TW_I(fx_channel("Support")), TW_S(*login)));
	return fx_token(*login);
}

START_TEST(test_other_channel_404)
{
	struct http_resp	*r;
	char			*admin = fx_token("admin"), *login, *token;
	char			*subject, *url, *wrong;
	long long		 secret, visible, item, link;

	subject = fx_marker("att-secret");
	secret = fx_ticket_new(admin, subject, fx_channel("Accounting"));
	visible = fx_ticket_new(admin, subject, fx_channel("Support"));
	item = add_file(admin, secret, "filename=\"salaries.csv\"",
	    "text/csv", "name,salary\n", 12);
	link = file_of(item, &url, secret);

	token = support_agent(&login);
	r = get_token(token, url);
	ck_assert_int_eq(r->status, 404);
	ck_assert(!http_body_has(r, "salary"));
	http_resp_free(r);

	/* Nor through a ticket the agent can see. */
	wrong = fx_printf("/tickets/%lld/attachments/%lld/salaries.csv",
	    visible, link);
	r = get_token(token, wrong);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);

	r = get_token(admin, url);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);

	/* Uploading to a ticket one cannot write to stores nothing: 404
	 * for another channel, 403 for one the agent only reads. */
	{
		char		*data = random_bytes(64), sha[65];
		struct fx_part	 p[] = {
			{ "body", NULL, NULL, "sneaky", 6 },
			{ "attachment", "filename=\"s.bin\"", NULL, data, 64 },
		};
		char		*path;

		path = fx_printf("/tickets/%lld/items", secret);
		tw_sha256_hex(data, 64, sha);
		r = fx_post_parts(token, NULL, path, p, 2);
		ck_assert_int_eq(r->status, 404);
		http_resp_free(r);
		fx_db_exec("INSERT INTO channel_members (channel_id, user_id, "
		    "role) SELECT ?, id, 'reads' FROM users WHERE login = ?",
		    TW_ARGS(TW_I(fx_channel("Accounting")), TW_S(login)));
		r = fx_post_parts(token, NULL, path, p, 2);
		ck_assert_int_eq(r->status, 403);
		http_resp_free(r);
		ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM attachments "
		    "WHERE sha256 = ?", -1, TW_ARGS(TW_S(sha))), 0);
		free(path);
		free(data);
	}

	free(wrong);
	free(url);
	free(subject);
	free(token);
	free(login);
	free(admin);
}
END_TEST

static long long
items_with(const char *body, long long number)
{
	return fx_db_int("SELECT COUNT(*) FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE i.body = ? AND t.number = ?", -1,
	    TW_ARGS(TW_S(body), TW_I(number)));
}

/* System items on ticket number that name ticket other. */
static long long
notes_naming(long long number, long long other)
{
	char		*pattern = fx_printf("%%#%lld%%", other);
	long long	 n;

	n = fx_db_int("SELECT COUNT(*) FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE i.kind = 'system' "
	    "AND t.number = ? AND i.body LIKE ?", -1,
	    TW_ARGS(TW_I(number), TW_S(pattern)));
	free(pattern);
	return n;
}

static struct http_resp *
transfer(const char *token, long long number, long long item,
    const char *how, long long target)
{
	char			*path, *body, *auth = fx_bearer(token);
	const char		*h[] = { auth, "Accept: application/json",
	    NULL };
	struct http_resp	*r;

	path = fx_printf("/tickets/%lld/items/%lld/%s", number, item, how);
	body = fx_printf("target=%lld", target);
	r = http_request(NULL, "POST", path, h, body, strlen(body));
	free(path);
	free(body);
	free(auth);
	return r;
}

START_TEST(test_move_and_copy)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*admin = fx_token("admin"), *subject, *note;
	char			*login, *token;
	long long		 a, b, other, item, copy, links;
	struct fx_part		 p[] = {
		{ "body", NULL, NULL, NULL, 0 },
		{ "attachment", "filename=\"log.txt\"", "text/plain", NULL, 0 },
	};

	subject = fx_marker("att-move");
	note = fx_marker("att-note");
	a = fx_ticket_new(admin, subject, fx_channel("Support"));
	b = fx_ticket_new(admin, subject, fx_channel("Support"));
	other = fx_ticket_new(admin, subject, fx_channel("Accounting"));
	p[0].data = note;
	p[0].len = strlen(note);
	p[1].data = note;
	p[1].len = strlen(note);
	{
		char *path = fx_printf("/tickets/%lld/items", a);

		r = fx_post_parts(admin, NULL, path, p, 2);
		ck_assert_int_eq(r->status, 201);
		o = http_json(r);
		item = http_json_int(o, "id", 0);
		json_object_put(o);
		http_resp_free(r);
		free(path);
	}

	/* Copy: once on each ticket, the file shared. */
	r = transfer(admin, a, item, "copy", b);
	ck_assert_msg(r->status == 200, "copy: %ld %s", r->status, r->body);
	o = http_json(r);
	copy = http_json_int(o, "id", 0);
	ck_assert_int_gt(copy, 0);
	ck_assert_int_ne(copy, item);
	json_object_put(o);
	http_resp_free(r);
	ck_assert_int_eq(items_with(note, a), 1);
	ck_assert_int_eq(items_with(note, b), 1);
	links = fx_db_int("SELECT COUNT(*) FROM item_attachments "
	    "WHERE item_id IN (?, ?)", -1, TW_ARGS(TW_I(item), TW_I(copy)));
	ck_assert_int_eq(links, 2);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(DISTINCT attachment_id) "
	    "FROM item_attachments WHERE item_id IN (?, ?)", -1,
	    TW_ARGS(TW_I(item), TW_I(copy))), 1);
	ck_assert_int_eq(notes_naming(b, a), 1);
	ck_assert_int_eq(notes_naming(a, b), 0);

	/* Move: the same item, now only on b. */
	r = transfer(admin, a, item, "move", b);
	ck_assert_msg(r->status == 200, "move: %ld %s", r->status, r->body);
	http_resp_free(r);
	ck_assert_int_eq(items_with(note, a), 0);
	ck_assert_int_eq(items_with(note, b), 2);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items WHERE id = ?",
	    -1, TW_ARGS(TW_I(item))), 1);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM item_attachments "
	    "WHERE item_id = ?", -1, TW_ARGS(TW_I(item))), 1);
	/* A note on each side says where the item went. */
	ck_assert_int_eq(notes_naming(b, a), 2);
	ck_assert_int_eq(notes_naming(a, b), 1);

	/* The item is no longer on a: moving it from there is 404. */
	r = transfer(admin, a, item, "move", b);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	/* To its own ticket, or to none: 422, nothing changes. */
	r = transfer(admin, b, item, "move", b);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	r = transfer(admin, b, item, "copy", 999999999);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);

	/* An agent of Support only cannot move into Accounting. */
	token = support_agent(&login);
	r = transfer(token, b, item, "move", other);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	r = transfer(token, other, item, "move", b);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	ck_assert_int_eq(items_with(note, b), 2);
	ck_assert_int_eq(items_with(note, other), 0);
	ck_assert_int_eq(notes_naming(other, b), 0);

	free(token);
	free(login);
	free(note);
	free(subject);
	free(admin);
}
END_TEST

/* POSTs the move page's form: target, to move or copy. */
static struct http_resp *
transfer_form(struct http_agent *a, const char *csrf, long long number,
    long long item, const char *how, const char *target)
{
	struct http_resp	*r;
	char			*path, *body, *enc = http_urlenc(target);

	path = fx_printf("/tickets/%lld/items/%lld/%s", number, item, how);
	body = fx_printf("_csrf=%s&target=%s", csrf, enc);
	r = http_post_form(a, path, body);
	free(enc);
	free(body);
	free(path);
	return r;
}

/*
 * In the browser an item is moved or copied from a page of its own, which
 * the ticket page links to from each item; a refused target shows that
 * page again with the sentence and what was typed.
 */
START_TEST(test_move_page)
{
	struct http_agent	*a = fx_signin("admin", fx_password()), *reader;
	struct http_resp	*r;
	char			*admin = fx_token("admin"), *subject, *path;
	char			*csrf, *want, *loc, *login, *anchor;
	long long		 from, to, item, system;

	subject = fx_marker("att-page");
	from = fx_ticket_new(admin, subject, fx_channel("Support"));
	to = fx_ticket_new(admin, subject, fx_channel("Support"));
	item = add_file(admin, from, "filename=\"notes.txt\"", "text/plain",
	    "page", 4);

	path = fx_printf("/tickets/%lld", from);
	r = http_get(a, path);
	want = fx_printf("href=\"/tickets/%lld/items/%lld/move\"", from,
	    item);
	ck_assert(http_body_has(r, want));
	ck_assert(!http_body_has(r, "formaction="));
	http_resp_free(r);
	free(want);
	free(path);

	path = fx_printf("/tickets/%lld/items/%lld/move", from, item);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	want = fx_printf("formaction=\"/tickets/%lld/items/%lld/copy\"",
	    from, item);
	ck_assert(http_body_has(r, want));
	ck_assert(http_body_has(r, "with a file"));
	csrf = http_csrf(r);
	http_resp_free(r);
	free(want);

	/* Refused: the page again, with the reason and the input kept. */
	r = transfer_form(a, csrf, from, item, "move", "12ab");
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "role=\"alert\""));
	ck_assert(http_body_has(r, "value=\"12ab\""));
	http_resp_free(r);
	want = fx_printf("%lld", from);
	r = transfer_form(a, csrf, from, item, "move", want);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "already on this ticket"));
	ck_assert(http_body_has(r, "action=\"/tickets/"));
	http_resp_free(r);
	free(want);

	/* Copied, then moved: each answer leads to the item on the target. */
	want = fx_printf("%lld", to);
	r = transfer_form(a, csrf, from, item, "copy", want);
	ck_assert_int_eq(r->status, 303);
	loc = http_header(r, "Location", 0);
	anchor = fx_printf("/tickets/%lld#item-", to);
	ck_assert_msg(loc != NULL && strncmp(loc, anchor,
	    strlen(anchor)) == 0, "copy went to %s", loc);
	free(anchor);
	free(loc);
	http_resp_free(r);
	r = transfer_form(a, csrf, from, item, "move", want);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id JOIN item_attachments ia "
	    "ON ia.item_id = i.id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(to))), 2);
	free(want);

	/* Gone from the source, a system note, another ticket's item: 404. */
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	free(path);
	system = fx_db_int("SELECT i.id FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE t.number = ? AND i.kind = 'system' "
	    "ORDER BY i.id LIMIT 1", 0, TW_ARGS(TW_I(from)));
	ck_assert_int_gt(system, 0);
	path = fx_printf("/tickets/%lld/items/%lld/move", from, system);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	free(path);

	/* An agent who only reads along may not. */
	login = fx_user_new("att-reader");
	fx_db_exec("INSERT INTO channel_members (channel_id, user_id, role) "
	    "SELECT ?, id, 'reads' FROM users WHERE login = ?",
	    TW_ARGS(TW_I(fx_channel("Support")), TW_S(login)));
	reader = fx_signin(login, fx_password());
	path = fx_printf("/tickets/%lld/items/%lld/move", to, item);
	r = http_get(reader, path);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);

	http_agent_free(reader);
	free(login);
	free(path);
	free(csrf);
	free(subject);
	free(admin);
	http_agent_free(a);
}
END_TEST

START_TEST(test_html_form_upload)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r;
	char			*token = fx_token("admin"), *subject, *csrf;
	char			*path, *name;
	long long		 number;
	struct fx_part		 p[] = {
		{ "_csrf", NULL, NULL, NULL, 0 },
		{ "body", NULL, NULL, "", 0 },
		{ "attachment", NULL, "text/plain", "form upload", 11 },
	};

	subject = fx_marker("att-form");
	number = fx_ticket_new(token, subject, fx_channel("Support"));
	path = fx_printf("/tickets/%lld", number);
	r = http_get(a, path);
	ck_assert(http_body_has(r, "enctype=\"multipart/form-data\""));
	ck_assert(http_body_has(r, "type=\"file\""));
	csrf = http_csrf(r);
	http_resp_free(r);

	name = fx_marker("form");
	p[0].data = csrf;
	p[0].len = strlen(csrf);
	p[2].disposition = fx_printf("filename=\"%s.txt\"", name);
	free(path);
	path = fx_printf("/tickets/%lld/items", number);
	r = fx_post_parts(NULL, a, path, p, 3);
	ck_assert_msg(r->status == 303, "form upload: %ld %s", r->status,
	    r->body);
	http_resp_free(r);

	free(path);
	path = fx_printf("/tickets/%lld", number);
	r = http_get(a, path);
	ck_assert(http_body_has(r, name));
	http_resp_free(r);

	/* A new ticket with a file and no text: one item, the file on it. */
	r = http_get(a, "/tickets/new");
	ck_assert(http_body_has(r, "enctype=\"multipart/form-data\""));
	http_resp_free(r);
	{
		char		*channel = fx_printf("%lld",
		    fx_channel("Support"));
		struct fx_part	 q[] = {
			{ "subject", NULL, NULL, name, strlen(name) },
			{ "channel", NULL, NULL, channel, strlen(channel) },
			{ "attachment", "filename=\"first.txt\"", "text/plain",
			    "first file", 10 },
		};

		r = fx_post_parts(token, NULL, "/tickets/", q, 3);
		ck_assert_msg(r->status == 201, "POST /tickets/: %ld %s",
		    r->status, r->body);
		ck_assert(http_body_has(r, "\"filename\":\"first.txt\""));
		http_resp_free(r);
		ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items i "
		    "JOIN tickets t ON t.id = i.ticket_id "
		    "JOIN item_attachments ia ON ia.item_id = i.id "
		    "WHERE t.subject = ?", -1, TW_ARGS(TW_S(name))), 1);
		free(channel);
	}

	free((char *)p[2].disposition);
	free(name);
	free(path);
	free(csrf);
	free(subject);
	free(token);
	http_agent_free(a);
}
END_TEST

Suite *
tw_attachments_suite(void)
{
	Suite	*s = suite_create("attachments");
	TCase	*tc = fx_tcase("attachments", 120);

	tcase_add_test(tc, test_upload_download_identical);
	tcase_add_test(tc, test_same_file_stored_once);
	tcase_add_test(tc, test_over_limit);
	tcase_add_test(tc, test_hostile_names);
	tcase_add_test(tc, test_active_types_served_as_downloads);
	tcase_add_test(tc, test_other_channel_404);
	tcase_add_test(tc, test_move_and_copy);
	tcase_add_test(tc, test_move_page);
	tcase_add_test(tc, test_html_form_upload);
	suite_add_tcase(s, tc);
	return s;
}
