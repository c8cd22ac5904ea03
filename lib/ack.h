/*
 * ack.h: the acknowledgement of receipt a new ticket's customer gets.
 *
 * Each channel has its own, off until switched on: a subject and a text,
 * both Mustache templates over
 *
 *	number		the ticket number (4319)
 *	subject		the ticket's subject
 *	channel		the channel's name
 *	name		the customer's name ("" when unknown)
 *
 * rendered as plain text (nothing is HTML-escaped; the mail is not a
 * page).  The subject is tagged with the ticket number like a reply's,
 * and the mail carries "Auto-Submitted: auto-replied" (RFC 3834), so
 * well-behaved systems do not answer it.
 *
 * Mail intake (lib/ingest.c) queues one when a mail opens a ticket,
 * unless that mail came from a machine (an auto-reply or a bounce);
 * another intake, such as a web form, calls tw_ack_queue() itself.
 */
#ifndef TW_ACK_H
#define TW_ACK_H

#include "err.h"

struct json_object;
struct tw_arena;
struct tw_rows;

#define TW_ACK_SUBJECT_MAX	300	/* characters of the subject template */
#define TW_ACK_BODY_MAX		10000	/* characters of the text template */

/*
 * Queues the acknowledgement for ticket_id to to_address (as written by
 * the customer), inside the caller's transaction, after the ticket was
 * opened.  Nothing is queued, and TW_OK returned, when the ticket's
 * channel has acknowledgements off or no address, when to_address is
 * one of our channels' addresses or not an address at all, or when that
 * address already got [mail] ack_per_hour acknowledgements in the last
 * hour (so two systems cannot answer each other without end).  A
 * template that fails to render is logged and sends nothing.
 */
enum tw_err	tw_ack_queue(struct tw_arena *, long long ticket_id,
		    const char *to_address);

/*
 * Renders the template src (a NUL-terminated string) over data as plain
 * text into *out (in the arena).  TW_ERR_INVALID when src is not a valid
 * template; *why (may be NULL) then gets a sentence naming the line.
 */
enum tw_err	tw_ack_render(struct tw_arena *, const char *src,
		    struct json_object *data, const char **out,
		    const char **why);

/* A channel's template: ack_enabled, ack_subject, ack_body, name, email. */
enum tw_err	tw_ack_template_get(struct tw_arena *, long long channel_id,
		    struct tw_rows **out);

/*
 * Stores a channel's template; the caller has checked that the channel
 * exists and that both parts render.
 */
enum tw_err	tw_ack_template_set(long long channel_id, int enabled,
		    const char *subject, const char *body);

#endif
