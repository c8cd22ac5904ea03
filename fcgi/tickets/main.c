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
	{ "GET",  "/tickets/{number}", ticket_show, 0 },
	{ "POST", "/tickets/{number}/items", ticket_add_item, 0 },
	{ "GET",  "/tickets/{number}/attachments/{id}/{filename}",
	    attachment_download, 0 },
	{ "POST", "/tickets/{number}/items/{id}/move", item_move, 0 },
	{ "POST", "/tickets/{number}/items/{id}/copy", item_copy, 0 },
	{ "GET",  "/contacts/", contact_list, 0 },
	{ "POST", "/contacts/", contact_create, 0 },
	{ "GET",  "/contacts/new", contact_new_form, 0 },
	{ "GET",  "/contacts/{id}", contact_show, 0 },
	{ "POST", "/contacts/{id}", contact_update, 0 },
	{ "GET",  "/organisations/", org_list, 0 },
	{ "POST", "/organisations/", org_create, 0 },
	{ "GET",  "/organisations/{id}", org_show, 0 },
};

int
main(void)
{
	static const struct tw_app app = {
		"tickets", routes, sizeof(routes) / sizeof(routes[0])
	};

	return tw_app_run(&app);
}
