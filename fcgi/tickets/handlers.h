/*
 * handlers.h: the handlers of tw-tickets, one file per resource.
 */
#ifndef TW_TICKETS_HANDLERS_H
#define TW_TICKETS_HANDLERS_H

#include "err.h"

struct json_object;
struct tw_request;
struct tw_rows;

/* signin.c */
enum tw_err	signin_form(struct tw_request *);
enum tw_err	signin_submit(struct tw_request *);
enum tw_err	signout_submit(struct tw_request *);

/* queue.c */
enum tw_err	home(struct tw_request *);
enum tw_err	queue_list(struct tw_request *);

/* ticket.c */
/* The ticket number of the route, "4319" or "#4319"; 0 when malformed. */
long long	ticket_route_number(const struct tw_request *);
enum tw_err	ticket_new_form(struct tw_request *);
enum tw_err	ticket_create(struct tw_request *);
enum tw_err	ticket_show(struct tw_request *);
enum tw_err	ticket_add_item(struct tw_request *);

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

#endif
