/*
 * main.c: tw-phone, the FastCGI program for the telephony callbacks.
 *
 * For now it answers only its health check; every other path is 404.
 */
#include "config.h"

#include "app.h"

static const struct tw_route routes[] = {
	{ "GET", "/healthz", tw_app_healthz, TW_ROUTE_PUBLIC },
};

int
main(void)
{
	static const struct tw_app app = {
		"phone", routes, sizeof(routes) / sizeof(routes[0])
	};

	return tw_app_run(&app);
}
