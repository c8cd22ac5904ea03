/*
 * attachment.h: files attached to items.
 *
 * A file is stored once, named by its SHA-256, under the instance's
 * [paths] var + "/data/attachments/ab/cdef…" (the first two hex digits
 * make the directory); the attachments table holds its size and the type
 * it came with.  Items refer to a file under the name it was sent with,
 * which is metadata only and never part of a path.  Moving or copying an
 * item takes its references along; the file itself is never copied.
 *
 * Reading checks the ticket's channel like every other read: an
 * attachment of a ticket the user cannot see is not found.
 */
#ifndef TW_ATTACHMENT_H
#define TW_ATTACHMENT_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

#define TW_ATTACHMENT_NAME_MAX	255	/* characters of a file name */
#define TW_ATTACHMENT_TYPE_MAX	100	/* bytes of a media type */

/* A stored file and the name an item gives it. */
struct tw_attachment_ref {
	long long	 id;		/* in attachments */
	const char	*filename;	/* from tw_attachment_filename() */
	const char	*content_id;	/* of an inline part of mail, or NULL */
};

/*
 * Stores len bytes unless a file with the same SHA-256 is there, and
 * records it in the attachments table (once per hash: the type of the
 * first upload stays).  Written to a temporary file that is renamed into
 * place, so a reader never sees half a file.  *id gets the row's id.
 * TW_ERR_IO when the file cannot be written.
 *
 * This runs before the transaction that links the file, so a request
 * that fails afterwards leaves a file nothing refers to, until
 * tw_attachment_collect() deletes it.
 */
enum tw_err	tw_attachment_store(struct tw_arena *, const void *data,
		    size_t len, const char *type, long long *id);

/*
 * The two halves of tw_attachment_store(), for a caller that records the
 * file in a transaction of its own: tw_attachment_write() marks the
 * file's row (if there is one) as stored now, so that the collector
 * leaves it alone, puts the file in place unless it is there already,
 * and writes its SHA-256 to sha256 (TW_ERR_IO when it cannot);
 * tw_attachment_record() adds its
 * row, unless it is there already, and gives its id.
 */
enum tw_err	tw_attachment_write(struct tw_arena *, const void *data,
		    size_t len, char sha256[65]);
enum tw_err	tw_attachment_record(struct tw_arena *, const char *sha256,
		    size_t len, const char *type, long long *id);

/*
 * Links the files to an item; called inside the transaction that writes
 * the item.
 */
enum tw_err	tw_attachment_link(long long item_id,
		    const struct tw_attachment_ref *, size_t n);

/*
 * A file name made fit to keep: bidirectional formatting characters
 * removed (they can make "txt.exe" read as "exe.txt"), cut to
 * TW_ATTACHMENT_NAME_MAX characters keeping a short extension, and
 * "attachment" for what is left empty or is "." or "..".  In the arena.
 */
const char	*tw_attachment_filename(struct tw_arena *, const char *name);

/*
 * A media type made fit to keep: type/subtype of token characters in
 * lower case without parameters, else "application/octet-stream".
 */
const char	*tw_attachment_type(struct tw_arena *, const char *type);

/*
 * The type to serve a stored type as: itself when it is on the list of
 * types a browser cannot run as a page, else "application/octet-stream".
 */
const char	*tw_attachment_serve_type(const char *type);

/*
 * The attachment link id of a ticket the user can see: filename, sha256,
 * size, type.  TW_ERR_NOTFOUND otherwise.
 */
enum tw_err	tw_attachment_get(struct tw_arena *, const struct tw_user *,
		    long long number, long long link_id, struct tw_rows **out);

/*
 * Reads the stored file of sha256 (size bytes) into the arena.  TW_ERR_IO
 * when it is missing or has another size.
 */
enum tw_err	tw_attachment_read(struct tw_arena *, const char *sha256,
		    size_t size, const char **data);

/*
 * Where nginx finds the stored file sha256 under its internal location
 * /_files/ (the store's layout below INSTANCE/data/attachments); NULL
 * for a string that is no SHA-256.
 */
const char	*tw_attachment_accel_uri(struct tw_arena *, const char *sha256);

/*
 * Every attachment of a ticket's items, by item and order of linking:
 * id (the link), item_id, filename, size, type, content_id.
 */
enum tw_err	tw_attachment_list(struct tw_arena *, long long ticket_id,
		    struct tw_rows **out);

/*
 * Deletes files no item refers to that no request has stored for
 * [attachments] orphan_hours (24): their rows and then the files, a
 * batch per call; *more says the batch was full.  A task of
 * ticketwerk-jobs.
 */
enum tw_err	tw_attachment_collect(struct tw_arena *, int *more);

/*
 * The files of one item, in the order they were linked: filename,
 * sha256, size, type.  No access check: for senders and jobs, which act
 * for no user.
 */
enum tw_err	tw_attachment_of_item(struct tw_arena *, long long item_id,
		    struct tw_rows **out);

#endif
