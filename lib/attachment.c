/*
 * attachment.c: storing files by their SHA-256, linking them to items,
 * and finding them again for a download.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "attachment.h"
#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "valid.h"

#define EXT_MAX		16	/* characters of an extension kept on cutting */
#define COLLECT_BATCH	100	/* orphans deleted per transaction */

enum {
	SQL_TOUCH,
	SQL_INSERT,
	SQL_ID,
	SQL_ID_LOCKED,
	SQL_ORPHANS,
	SQL_DROP,
	SQL_LINK,
	SQL_GET,
	SQL_LIST,
	SQL_OF_ITEM,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_TOUCH] =
	    "UPDATE attachments SET stored_at = UTC_TIMESTAMP(6) "
	    "WHERE sha256 = ?",
	/* Locked, so that a request storing the same file waits and then
	 * finds it gone, or finds it touched and keeps it. */
	[SQL_ORPHANS] =
	    "SELECT a.id, a.sha256 FROM attachments a "
	    "WHERE a.stored_at < UTC_TIMESTAMP(6) - INTERVAL ? HOUR "
	    "AND NOT EXISTS (SELECT 1 FROM item_attachments ia "
	    "WHERE ia.attachment_id = a.id) "
	    "ORDER BY a.stored_at LIMIT ? FOR UPDATE",
	[SQL_DROP] =
	    "DELETE FROM attachments WHERE id = ?",
	[SQL_INSERT] =
	    "INSERT IGNORE INTO attachments (sha256, size, type) "
	    "VALUES (?, ?, ?)",
	[SQL_ID] =
	    "SELECT id FROM attachments WHERE sha256 = ?",
	/* A locking read sees a row another transaction has just added,
	 * which a plain read inside a transaction would not.  Only for a
	 * row known to exist: on a missing one it would lock the gap, and
	 * two transactions adding files there would deadlock. */
	[SQL_ID_LOCKED] =
	    "SELECT id FROM attachments WHERE sha256 = ? LOCK IN SHARE MODE",
	[SQL_LINK] =
	    "INSERT INTO item_attachments (item_id, attachment_id, filename, "
	    "content_id) VALUES (?, ?, ?, ?)",
	/* Visibility is the join on channel_members, as everywhere. */
	[SQL_GET] =
	    "SELECT ia.filename, a.sha256, a.size, a.type "
	    "FROM item_attachments ia "
	    "JOIN attachments a ON a.id = ia.attachment_id "
	    "JOIN items i ON i.id = ia.item_id "
	    "JOIN tickets t ON t.id = i.ticket_id "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? "
	    "WHERE t.number = ? AND ia.id = ?",
	[SQL_LIST] =
	    "SELECT ia.id, ia.item_id, ia.filename, a.size, a.type, "
	    "ia.content_id FROM item_attachments ia "
	    "JOIN attachments a ON a.id = ia.attachment_id "
	    "JOIN items i ON i.id = ia.item_id "
	    "WHERE i.ticket_id = ? ORDER BY ia.item_id, ia.id",
	[SQL_OF_ITEM] =
	    "SELECT ia.filename, a.sha256, a.size, a.type "
	    "FROM item_attachments ia "
	    "JOIN attachments a ON a.id = ia.attachment_id "
	    "WHERE ia.item_id = ? ORDER BY ia.id",
};

/* Types a browser shows but cannot run as a page or a script. */
static const char *const serve_types[] = {
	"application/gzip", "application/msword", "application/pdf",
	"application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/zip", "audio/mpeg", "audio/ogg", "image/gif",
	"image/jpeg", "image/png", "image/webp", "text/csv", "text/plain",
	"video/mp4",
};

/* Families of office documents, by prefix. */
static const char *const serve_prefixes[] = {
	"application/vnd.oasis.opendocument.",
	"application/vnd.openxmlformats-officedocument.",
};

/* INSTANCE/data/attachments, in the arena. */
static const char *
store_dir(struct tw_arena *a)
{
	return tw_arena_printf(a, "%s/data/attachments",
	    tw_conf_str("paths", "var", "var"));
}

static const char *
file_path(struct tw_arena *a, const char *sha256)
{
	return tw_arena_printf(a, "%s/%.2s/%s", store_dir(a), sha256,
	    sha256 + 2);
}

static int
make_dir(const char *path)
{
	return mkdir(path, 0750) == 0 || errno == EEXIST;
}

/* Writes all of data to fd; 0 on success. */
static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, data, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Puts the file at its hash's path by way of a temporary file in the
 * same directory, so the rename is atomic.  A file already there with
 * the right size is kept: the same hash is the same content.
 */
static enum tw_err
write_file(struct tw_arena *a, const char *sha256, const void *data,
    size_t len)
{
	const char	*path = file_path(a, sha256);
	char		*tmp;
	struct stat	 st;
	int		 fd;

	if (stat(path, &st) == 0 && (size_t)st.st_size == len)
		return TW_OK;
	if (!make_dir(store_dir(a)) || !make_dir(tw_arena_printf(a,
	    "%s/%.2s", store_dir(a), sha256)))
		goto failed;

	tmp = tw_arena_printf(a, "%s/%.2s/.tmp-XXXXXX", store_dir(a), sha256);
	if ((fd = mkstemp(tmp)) < 0)
		goto failed;
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		goto failed;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		goto failed;
	}
	return TW_OK;

failed:
	tw_log(TW_LOG_ERROR, "attachment_write_failed", "sha256", sha256,
	    "error", strerror(errno), (char *)NULL);
	return TW_ERR_IO;
}

enum tw_err
tw_attachment_write(struct tw_arena *a, const void *data, size_t len,
    char sha256[65])
{
	enum tw_err	rc;

	tw_sha256_hex(data, len, sha256);

	/* Touched first: from now on tw_attachment_collect() keeps it. */
	if ((rc = tw_db_exec(sql[SQL_TOUCH], NULL, NULL,
	    TW_ARGS(TW_S(sha256)))) != TW_OK)
		return rc;
	return write_file(a, sha256, data, len);
}

/* The id of the row of sha256 in *id by the query which, or 0. */
static enum tw_err
find_row(struct tw_arena *a, int which, const char *sha256, long long *id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[which], &r, TW_ARGS(TW_S(sha256)));
	*id = rc == TW_OK ? tw_rows_int(r, 0, "id", 0) : 0;
	return rc;
}

enum tw_err
tw_attachment_record(struct tw_arena *a, const char *sha256, size_t len,
    const char *type, long long *id)
{
	unsigned long long	added = 0, row = 0;
	enum tw_err		rc;

	/* A file seen before costs one look; a new one one insert, and a
	 * second look only when another request added it meanwhile. */
	if ((rc = find_row(a, SQL_ID, sha256, id)) != TW_OK || *id > 0)
		return rc;
	rc = tw_db_exec(sql[SQL_INSERT], &added, &row, TW_ARGS(TW_S(sha256),
	    TW_I((long long)len), TW_S(tw_attachment_type(a, type))));
	if (rc != TW_OK)
		return rc;
	*id = (long long)row;
	if (added == 0 && (rc = find_row(a, SQL_ID_LOCKED, sha256,
	    id)) != TW_OK)
		return rc;
	return *id > 0 ? TW_OK : TW_ERR_DB;
}

enum tw_err
tw_attachment_store(struct tw_arena *a, const void *data, size_t len,
    const char *type, long long *id)
{
	char		sha[65];
	enum tw_err	rc;

	*id = 0;
	if ((rc = tw_attachment_write(a, data, len, sha)) != TW_OK)
		return rc;
	return tw_attachment_record(a, sha, len, type, id);
}

enum tw_err
tw_attachment_link(long long item_id, const struct tw_attachment_ref *refs,
    size_t n)
{
	enum tw_err	rc = TW_OK;
	size_t		i;

	for (i = 0; rc == TW_OK && i < n; i++)
		rc = tw_db_exec(sql[SQL_LINK], NULL, NULL, TW_ARGS(
		    TW_I(item_id), TW_I(refs[i].id),
		    TW_S(refs[i].filename), TW_S(refs[i].content_id)));
	return rc;
}

/*
 * The length of a bidirectional formatting character at s (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), or 0.
 */
static size_t
bidi_len(const unsigned char *s)
{
	if (s[0] == 0xd8 && s[1] == 0x9c)
		return 2;
	if (s[0] != 0xe2)
		return 0;
	if (s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f ||
	    (s[2] >= 0xaa && s[2] <= 0xae)))
		return 3;
	if (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return 3;
	return 0;
}

/* The byte offset after the first n characters of UTF-8 s. */
static size_t
chars_bytes(const char *s, size_t n)
{
	size_t	i = 0;

	while (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n-- == 0)
			break;
		i++;
	}
	return i;
}

const char *
tw_attachment_filename(struct tw_arena *a, const char *name)
{
	struct tw_buf	 b;
	const char	*ext;
	size_t		 chars, extchars, skip;

	tw_buf_init(&b, a);
	for (; *name != '\0'; name += skip > 0 ? skip : 1)
		if ((skip = bidi_len((const unsigned char *)name)) == 0)
			tw_buf_putc(&b, *name);

	chars = tw_utf8_chars(b.data, b.len);
	if (chars > TW_ATTACHMENT_NAME_MAX) {
		ext = strrchr(b.data, '.');
		extchars = ext != NULL ? tw_utf8_chars(ext, strlen(ext)) : 0;
		if (ext == NULL || ext == b.data || extchars > EXT_MAX)
			tw_buf_truncate(&b, chars_bytes(b.data,
			    TW_ATTACHMENT_NAME_MAX));
		else {
			ext = tw_arena_strdup(a, ext);
			tw_buf_truncate(&b, chars_bytes(b.data,
			    TW_ATTACHMENT_NAME_MAX - extchars));
			tw_buf_puts(&b, ext);
		}
	}

	if (b.len == 0 || strcmp(b.data, ".") == 0 ||
	    strcmp(b.data, "..") == 0)
		return "attachment";
	return b.data;
}

/* RFC 9110 tchar. */
static int
tchar(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) !=
	    NULL);
}

const char *
tw_attachment_type(struct tw_arena *a, const char *type)
{
	size_t	i, slash = 0, n;
	char	*out;

	n = type != NULL ? strcspn(type, "; ") : 0;
	if (n == 0 || n > TW_ATTACHMENT_TYPE_MAX)
		return "application/octet-stream";
	for (i = 0; i < n; i++) {
		if (type[i] == '/' && slash == 0 && i > 0)
			slash = i;
		else if (!tchar((unsigned char)type[i]))
			return "application/octet-stream";
	}
	if (slash == 0 || slash == n - 1)
		return "application/octet-stream";

	out = tw_arena_strndup(a, type, n);
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

const char *
tw_attachment_serve_type(const char *type)
{
	size_t	i;

	for (i = 0; i < sizeof(serve_types) / sizeof(serve_types[0]); i++)
		if (strcmp(type, serve_types[i]) == 0)
			return type;
	for (i = 0; i < sizeof(serve_prefixes) / sizeof(serve_prefixes[0]);
	    i++)
		if (strncmp(type, serve_prefixes[i],
		    strlen(serve_prefixes[i])) == 0)
			return type;
	return "application/octet-stream";
}

enum tw_err
tw_attachment_get(struct tw_arena *a, const struct tw_user *user,
    long long number, long long link_id, struct tw_rows **out)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_GET], out, TW_ARGS(TW_I(user->id),
	    TW_I(number), TW_I(link_id)));
	if (rc == TW_OK && (*out)->nrows == 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

enum tw_err
tw_attachment_read(struct tw_arena *a, const char *sha256, size_t size,
    const char **data)
{
	const char	*path;
	char		*buf;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

	*data = NULL;
	if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64)
		return TW_ERR_IO;
	path = file_path(a, sha256);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		goto failed;
	buf = tw_arena_alloc(a, size + 1);
	while (got <= size && (n = read(fd, buf + got, size + 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != size)
		goto failed;
	*data = buf;
	return TW_OK;

failed:
	tw_log(TW_LOG_ERROR, "attachment_read_failed", "sha256", sha256,
	    (char *)NULL);
	return TW_ERR_IO;
}

enum tw_err
tw_attachment_list(struct tw_arena *a, long long ticket_id,
    struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out,
	    TW_ARGS(TW_I(ticket_id)));
}

/* What one turn of collecting works on. */
struct collect {
	struct tw_arena	*arena;
	long long	 hours;
	size_t		 found;
};

/* Deletes one batch of orphans: rows first, then their files. */
static enum tw_err
collect_batch(void *ctx)
{
	struct collect	*c = ctx;
	struct tw_rows	*r;
	const char	*path;
	size_t		 i;
	enum tw_err	 rc;

	rc = tw_db_query(c->arena, sql[SQL_ORPHANS], &r,
	    TW_ARGS(TW_I(c->hours), TW_I(COLLECT_BATCH)));
	if (rc != TW_OK)
		return rc;
	c->found = r->nrows;
	for (i = 0; i < r->nrows; i++) {
		rc = tw_db_exec(sql[SQL_DROP], NULL, NULL,
		    TW_ARGS(TW_I(tw_rows_int(r, i, "id", 0))));
		if (rc != TW_OK)
			return rc;
		path = file_path(c->arena, tw_rows_str(r, i, "sha256"));
		if (unlink(path) != 0 && errno != ENOENT)
			tw_log(TW_LOG_ERROR, "attachment_unlink_failed",
			    "sha256", tw_rows_str(r, i, "sha256"), "error",
			    strerror(errno), (char *)NULL);
	}
	return TW_OK;
}

enum tw_err
tw_attachment_collect(struct tw_arena *a, int *more)
{
	struct collect	c = { a, 0, 0 };
	enum tw_err	rc;

	c.hours = tw_conf_int("attachments", "orphan_hours", 24);
	if (c.hours < 1)
		c.hours = 1;
	rc = tw_db_txn(collect_batch, &c);
	*more = rc == TW_OK && c.found == COLLECT_BATCH;
	if (rc == TW_OK && c.found > 0)
		tw_log(TW_LOG_INFO, "attachments_collected", "files",
		    tw_arena_printf(a, "%zu", c.found), (char *)NULL);
	return rc;
}

const char *
tw_attachment_accel_uri(struct tw_arena *a, const char *sha256)
{
	if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64)
		return NULL;
	return tw_arena_printf(a, "/_files/%.2s/%s", sha256, sha256 + 2);
}

enum tw_err
tw_attachment_of_item(struct tw_arena *a, long long item_id,
    struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_OF_ITEM], out, TW_ARGS(TW_I(item_id)));
}
