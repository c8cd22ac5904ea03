/*
 * html.h: making mail HTML safe to store and show, and its text.
 *
 * HTML from mail is parsed with libxml2's forgiving HTML parser and
 * written out again from an allow-list: a few formatting elements, links
 * to http, https, mailto and tel, images only from inline parts (cid:),
 * and no attributes beyond a handful.  Scripts, styles, event handlers,
 * forms, frames and anything that would load from elsewhere are gone.
 * Since the output is written by us, it is always well-formed.  The page
 * that shows it still carries a CSP without any script, so a missed case
 * cannot run anything.
 *
 * Images of the mail itself stay cid: addresses in what is stored; the
 * ticket page points them at the stored files when it shows them
 * (tw_html_inline_images), so a merged or moved item still finds its own.
 *
 * XXX: libxml2 stops parsing at its nesting limit (256 levels), so text
 * nested deeper than that is missing from the result; real mail does
 * not come close, and the raw message is kept with the ticket.
 */
#ifndef TW_HTML_H
#define TW_HTML_H

#include <stddef.h>

#include "err.h"

struct tw_arena;

/*
 * Sanitises len bytes of UTF-8 HTML.  *html receives the safe HTML and
 * *text the plain text a reader would see (paragraphs and line breaks
 * kept), both NUL-terminated in the arena.  Either out-parameter may be
 * NULL.  TW_ERR_INVALID when libxml2 cannot make a document of it.
 */
enum tw_err	tw_html_sanitize(struct tw_arena *, const char *in,
		    size_t len, const char **html, const char **text);

#define TW_HTML_CID_MAX	255	/* bytes of a Content-ID kept */

/*
 * A part's Content-ID as kept and matched: without angle brackets, only
 * printable ASCII without spaces, at most TW_HTML_CID_MAX bytes.  NULL
 * for NULL and for anything else.  In the arena.
 */
const char	*tw_html_content_id(struct tw_arena *, const char *cid);

/*
 * Points the images of HTML that tw_html_sanitize() wrote at stored
 * files: every src="cid:X" whose Content-ID X (entities and %-escapes
 * undone) url(ctx, X) knows becomes the address it returns; the others
 * stay as they are.  Returns html itself when it holds no cid: address,
 * else a copy in the arena.
 */
const char	*tw_html_inline_images(struct tw_arena *, const char *html,
		    const char *(*url)(void *ctx, const char *cid), void *ctx);

#endif
