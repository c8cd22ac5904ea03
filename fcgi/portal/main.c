/*
 * main.c: tw-portal, the FastCGI program for what customers reach
 * without an agent's sign-in: for now the web forms that raise tickets.
 */
#include "config.h"

#include "app.h"
#include "handlers.h"

static const struct tw_route routes[] = {
	{ "GET",  "/healthz", tw_app_healthz, TW_ROUTE_PUBLIC },
	{ "GET",  "/forms/{key}", webform_show, TW_ROUTE_ANON },
	{ "POST", "/forms/{key}", webform_post, TW_ROUTE_ANON },
	{ "GET",  "/forms/{key}/thanks", webform_thanks, TW_ROUTE_ANON },
};

int
main(void)
{
	static const struct tw_app app = {
		"portal", routes, sizeof(routes) / sizeof(routes[0])
	};

	return tw_app_run(&app);
}
