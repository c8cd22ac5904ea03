/*
 * main.c: tw-tickets, the FastCGI program for agents' ticket work:
 * sign-in, the queue, tickets and their items, in HTML and JSON.
 */
#include "config.h"

#include "app.h"
#include "handlers.h"

/* Literal paths come before patterns that would also match them. */
static const struct tw_route routes[] = {
	{ "GET",  "/healthz", tw_app_healthz, TW_ROUTE_PUBLIC },
	{ "GET",  "/", home, 0 },
	{ "GET",  "/signin", signin_form, TW_ROUTE_PUBLIC },
	{ "POST", "/signin", signin_submit, TW_ROUTE_PUBLIC },
	{ "POST", "/signout", signout_submit, 0 },
	{ "GET",  "/tickets/", queue_list, 0 },
	{ "POST", "/tickets/", ticket_create, 0 },
	{ "GET",  "/tickets/new", ticket_new_form, 0 },
	{ "POST", "/tickets/bulk", queue_bulk, 0 },
	{ "GET",  "/tickets/{number}", ticket_show, 0 },
	{ "POST", "/tickets/{number}/items", ticket_add_item, 0 },
};

int
main(void)
{
	static const struct tw_app app = {
		"tickets", routes, sizeof(routes) / sizeof(routes[0])
	};

	return tw_app_run(&app);
}
