/*
 * handlers.h: the handlers of tw-tickets, one file per resource.
 */
#ifndef TW_TICKETS_HANDLERS_H
#define TW_TICKETS_HANDLERS_H

#include <stddef.h>

#include "err.h"

struct json_object;
struct tw_attachment_ref;
struct tw_request;
struct tw_rows;

/* signin.c */
enum tw_err	signin_form(struct tw_request *);
enum tw_err	signin_submit(struct tw_request *);
enum tw_err	signout_submit(struct tw_request *);

/* queue.c */
enum tw_err	home(struct tw_request *);
enum tw_err	queue_list(struct tw_request *);

/* queue_filter.c */
struct tw_queue_choices;
struct tw_queue_filter;

/*
 * Reads the queue's query parameters into f, checking each against the
 * choices c; a value the queue does not know fails the request (422).
 */
enum tw_err	queue_filter_read(struct tw_request *,
		    const struct tw_queue_choices *c,
		    struct tw_queue_filter *f);

/*
 * Adds the count ("1-50 of 123", or "of more than 200" when more is set)
 * and the pager links, filters kept.
 */
void		queue_add_pager(struct tw_request *, struct json_object *,
		    long long page, size_t nrows, long long total, int more);

/* Adds the filter form's values and choices and the saved views. */
void		queue_add_form(struct tw_request *, struct json_object *,
		    const struct tw_queue_choices *c,
		    const struct tw_queue_filter *f);

/* options.c */
struct tw_buf;

/*
 * A list of options a form offers, rendered once per worker, language
 * and copy of the reference data.  key names the list among those kept,
 * so it carries all the items depend on (the channel, the language);
 * items makes them, a JSON array of objects whose keys are string
 * literals (the objects outlive the request); partial renders one item;
 * id names the field a chosen value is compared with.
 */
struct options_list {
	const char	*key;
	const char	*partial;
	const char	*id;
	struct json_object *(*items)(struct tw_request *, void *ctx);
	void		*ctx;
};

/*
 * Appends the list's HTML to out, with the item whose id is chosen (when
 * not NULL) marked selected; *found tells whether one was.
 */
enum tw_err	options_html(struct tw_request *,
		    const struct options_list *, const char *chosen,
		    struct tw_buf *out, int *found);

/* Appends item rendered through partial to out, and puts the item. */
enum tw_err	options_item(const char *partial, struct json_object *item,
		    struct tw_buf *out);

/* bulk.c */
enum tw_err	queue_bulk(struct tw_request *);

/* ticket.c */
/* The ticket number of the route, "4319" or "#4319"; 0 when malformed. */
long long	ticket_route_number(const struct tw_request *);
enum tw_err	ticket_new_form(struct tw_request *);
enum tw_err	ticket_create(struct tw_request *);
enum tw_err	ticket_show(struct tw_request *);
enum tw_err	ticket_add_item(struct tw_request *);

/* The ticket number of the route, "4319" or "#4319"; 0 when malformed. */

/* Answers with the ticket page (or JSON) and status, showing any fail. */
enum tw_err	ticket_page(struct tw_request *, long long number, int status);

/* reply.c: mail to the customer, as the ticket page writes and shows it */
struct tw_item_new;

/*
 * Reads what a mail item on ticket number needs: the address in "to"
 * (the ticket contact's when empty), checked as SMTP wants it, into
 * it->to; 422 naming the field when it is missing or malformed, or when
 * the ticket's channel has no address to send from.
 */
enum tw_err	reply_read(struct tw_request *, long long number,
		    struct tw_item_new *it);

/*
 * Adds to the ticket page's model m the reply form's addresses ("reply",
 * answering all from the item rows, oldest first) and to each item
 * object in list the state of its outgoing mail ("mails": queued with
 * the next attempt, sent with the time, or failed with the reason).
 */
void		reply_view(struct tw_request *, struct json_object *m,
		    const struct tw_rows *ticket, const struct tw_rows *items,
		    struct json_object *list);

/* change.c */
struct tw_ticket_change;
enum tw_err	ticket_update(struct tw_request *);

/*
 * Reads the change fields of a request (version, status, owner, assignee,
 * priority, category, colour, channel) into ch.  version is required
 * unless lenient, in which case it is checked only when a field changes.
 */
enum tw_err	change_read(struct tw_request *, struct tw_ticket_change *,
		    int lenient);

/*
 * Answers for a change the library refused with rc: 409 with what
 * changed meanwhile, 422 naming the field (and the permitted statuses),
 * as the ticket page or JSON.  Other codes are returned as they are.
 */
enum tw_err	change_refused(struct tw_request *, long long number,
		    struct tw_ticket_change *, enum tw_err rc);

/*
 * Adds to the ticket page's model m what changing needs: the ticket's
 * colour, category and people, the edit form's choices, each system
 * item in words, and for a 409 the changes the stale form missed.
 */
void		change_page(struct tw_request *, struct json_object *m,
		    const struct tw_rows *ticket, int status);

/* admin_workflow.c */
enum tw_err	admin_statuses(struct tw_request *);
enum tw_err	admin_status_add(struct tw_request *);
enum tw_err	admin_status_rename(struct tw_request *);
enum tw_err	admin_workflows(struct tw_request *);
enum tw_err	admin_workflow(struct tw_request *);
enum tw_err	admin_workflow_save(struct tw_request *);
enum tw_err	admin_category_add(struct tw_request *);
enum tw_err	admin_category_rename(struct tw_request *);
enum tw_err	admin_category_remove(struct tw_request *);
/* admin_forms.c */
enum tw_err	admin_forms(struct tw_request *);
enum tw_err	admin_form_add(struct tw_request *);
enum tw_err	admin_form(struct tw_request *);
enum tw_err	admin_form_update(struct tw_request *);

/* mail.c */
enum tw_err	mail_receive(struct tw_request *);

/* contact.c */
enum tw_err	contact_list(struct tw_request *);
enum tw_err	contact_new_form(struct tw_request *);
enum tw_err	contact_create(struct tw_request *);
enum tw_err	contact_show(struct tw_request *);
enum tw_err	contact_update(struct tw_request *);

/* organisation.c */
enum tw_err	org_list(struct tw_request *);
enum tw_err	org_create(struct tw_request *);
enum tw_err	org_show(struct tw_request *);

/* A ticket listing as an array of ticket_view() objects. */
struct json_object *ticket_list_view(struct tw_request *,
		    const struct tw_rows *);

/* attachment.c */
enum tw_err	attachment_download(struct tw_request *);
enum tw_err	item_transfer_form(struct tw_request *);
enum tw_err	item_move(struct tw_request *);
enum tw_err	item_copy(struct tw_request *);

/*
 * Stores the request's uploaded files for an item on ticket number, or on
 * a new ticket in channel (the other 0), after checking every one against
 * [attachments] file_max (413 otherwise); *refs (in the arena) and *n
 * name them.  Files are written before the item's transaction, so the
 * user's right to write there is checked first: 404 or 403 as the item
 * would get, and nothing stored (n 0) for a channel the user does not
 * handle, which creating the ticket then reports.  No uploads: *n is 0.
 */
enum tw_err	read_attachments(struct tw_request *, long long number,
		    long long channel, struct tw_attachment_ref **refs,
		    size_t *n);

/*
 * Adds to every item object in items its "attachments" (id, filename,
 * size, size_text, type, url) and "has_attachments"; looks them up only
 * when any is set (the ticket has an attachment at all).
 */
void		add_attachments(struct tw_request *, long long ticket_id,
		    long long number, struct json_object *items, int any);

/* The country code for numbers written without one ([phone] default_cc). */
const char	*phone_default_cc(void);

/*
 * Row r of a ticket listing as a view object: the columns, plus the
 * display forms the pages need (label "#1001", dates in the request's
 * language).  The caller owns the object.
 */
struct json_object *ticket_view(struct tw_request *, const struct tw_rows *,
		    size_t r);

/* admin.c */
enum tw_err	admin_index(struct tw_request *);
enum tw_err	admin_agents(struct tw_request *);
enum tw_err	admin_agent_add(struct tw_request *);
enum tw_err	admin_agent(struct tw_request *);
enum tw_err	admin_agent_update(struct tw_request *);
enum tw_err	admin_channels(struct tw_request *);
enum tw_err	admin_channel_add(struct tw_request *);
enum tw_err	admin_channel(struct tw_request *);
enum tw_err	admin_member_set(struct tw_request *);
enum tw_err	admin_member_remove(struct tw_request *);
enum tw_err	settings_form(struct tw_request *);
enum tw_err	settings_update(struct tw_request *);

/* admin_ack.c: a channel's acknowledgement of receipt */
enum tw_err	admin_ack(struct tw_request *);
enum tw_err	admin_ack_save(struct tw_request *);
/* mailbox.c */
enum tw_err	admin_mailboxes(struct tw_request *);
enum tw_err	admin_mailbox_add(struct tw_request *);
enum tw_err	admin_mailbox(struct tw_request *);
enum tw_err	admin_mailbox_update(struct tw_request *);
enum tw_err	admin_mailbox_enable(struct tw_request *);
enum tw_err	admin_mailbox_delete(struct tw_request *);

/* merge.c */
enum tw_err	ticket_merge(struct tw_request *);
enum tw_err	ticket_split_form(struct tw_request *);
enum tw_err	ticket_split(struct tw_request *);

/* history.c: adds "system" and "event_text" for a system item's body. */
void		history_view(struct tw_request *, struct json_object *item,
		    const char *body);

/* Adds key_fmt, the value of column key formatted as a local date. */
void		add_datetime(struct tw_request *, struct json_object *,
		    const char *key);


/* follow.c: watchers, the follow-up reminder, the ticket page's part */
enum tw_err	watchers_add(struct tw_request *);
enum tw_err	watchers_remove(struct tw_request *);
enum tw_err	reminder_set(struct tw_request *);

/*
 * Adds to the ticket page's model m what this area shows of the ticket
 * (a visible one: ticket is its row from tw_ticket_get()): watchers,
 * the reminder, appointments, and the choices and failure of its forms.
 */
void		ticket_follow_view(struct tw_request *, struct json_object *m,
		    const struct tw_rows *ticket);

/* The answers of follow.c's changes, shared with appointments.c. */
enum tw_err	follow_done(struct tw_request *, long long number,
		    int status, const char *anchor);
enum tw_err	follow_failed(struct tw_request *, long long number,
		    enum tw_err rc);
enum tw_err	follow_when(struct tw_request *, const char *field,
		    long long *out);

/* appointments.c */
enum tw_err	appointment_create(struct tw_request *);
enum tw_err	appointment_edit_form(struct tw_request *);
enum tw_err	appointment_change(struct tw_request *);
enum tw_err	appointment_cancel(struct tw_request *);
enum tw_err	appointment_ics(struct tw_request *);

/* alerts.c: the alerts list, the due list, the navigation's counts */
enum tw_err	alerts_list(struct tw_request *);
enum tw_err	alerts_read(struct tw_request *);
enum tw_err	alerts_settings(struct tw_request *);
enum tw_err	due_list(struct tw_request *);
void		alerts_layout(struct tw_request *, struct json_object *m);

#endif
