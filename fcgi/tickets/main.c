/*
 * main.c: tw-tickets, the FastCGI program for agents' ticket work:
 * sign-in, the queue, tickets and their items, in HTML and JSON.
 */
#include "config.h"

#include "alert.h"
#include "app.h"
#include "auth.h"
#include "handlers.h"
#include "view.h"

/* Literal paths come before patterns that would also match them. */
static const struct tw_route routes[] = {
	{ "GET",  "/healthz", tw_app_healthz, TW_ROUTE_PUBLIC },
	{ "GET",  "/", home, 0 },
	{ "GET",  "/signin", signin_form, TW_ROUTE_PUBLIC },
	{ "POST", "/signin", signin_submit, TW_ROUTE_PUBLIC },
	{ "POST", "/signout", signout_submit, 0 },
	{ "GET",  "/settings", settings_form, 0 },
	{ "POST", "/settings", settings_update, 0 },
	{ "GET",  "/admin/", admin_index, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/agents/", admin_agents, TW_ROUTE_ADMIN },
	{ "POST", "/admin/agents/", admin_agent_add, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/agents/{id}", admin_agent, TW_ROUTE_ADMIN },
	{ "POST", "/admin/agents/{id}", admin_agent_update, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/channels/", admin_channels, TW_ROUTE_ADMIN },
	{ "POST", "/admin/channels/", admin_channel_add, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/channels/{id}", admin_channel, TW_ROUTE_ADMIN },
	{ "POST", "/admin/channels/{id}/members", admin_member_set,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/channels/{id}/members/remove", admin_member_remove,
	    TW_ROUTE_ADMIN },
	{ "GET",  "/admin/channels/{id}/acknowledgement", admin_ack,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/channels/{id}/acknowledgement", admin_ack_save,
	    TW_ROUTE_ADMIN },
	{ "GET",  "/admin/mailboxes/", admin_mailboxes, TW_ROUTE_ADMIN },
	{ "POST", "/admin/mailboxes/", admin_mailbox_add, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/mailboxes/{id}", admin_mailbox, TW_ROUTE_ADMIN },
	{ "POST", "/admin/mailboxes/{id}", admin_mailbox_update,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/mailboxes/{id}/enable", admin_mailbox_enable,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/mailboxes/{id}/delete", admin_mailbox_delete,
	    TW_ROUTE_ADMIN },
	{ "GET",  "/tickets/", queue_list, 0 },
	{ "POST", "/tickets/", ticket_create, 0 },
	{ "GET",  "/tickets/new", ticket_new_form, 0 },
	{ "POST", "/tickets/bulk", queue_bulk, 0 },
	{ "GET",  "/tickets/{number}", ticket_show, 0 },
	{ "POST", "/tickets/{number}/items", ticket_add_item, 0 },
	{ "POST", "/tickets/{number}", ticket_update, 0 },
	{ "POST", "/tickets/{number}/merge", ticket_merge, 0 },
	{ "GET",  "/tickets/{number}/split", ticket_split_form, 0 },
	{ "POST", "/tickets/{number}/split", ticket_split, 0 },
	{ "GET",  "/admin/statuses", admin_statuses, TW_ROUTE_ADMIN },
	{ "POST", "/admin/statuses", admin_status_add, TW_ROUTE_ADMIN },
	{ "POST", "/admin/statuses/{id}", admin_status_rename, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/workflows", admin_workflows, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/channels/{id}/workflow", admin_workflow,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/channels/{id}/workflow", admin_workflow_save,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/channels/{id}/categories", admin_category_add,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/categories/{id}", admin_category_rename,
	    TW_ROUTE_ADMIN },
	{ "POST", "/admin/categories/{id}/delete", admin_category_remove,
	    TW_ROUTE_ADMIN },
	{ "POST", "/tickets/{number}/watchers", watchers_add, 0 },
	{ "POST", "/tickets/{number}/watchers/remove", watchers_remove, 0 },
	{ "POST", "/tickets/{number}/reminder", reminder_set, 0 },
	{ "POST", "/tickets/{number}/appointments", appointment_create, 0 },
	{ "GET",  "/tickets/{number}/appointments/{file}", appointment_ics, 0 },
	{ "GET",  "/tickets/{number}/appointments/{id}/edit",
	    appointment_edit_form, 0 },
	{ "POST", "/tickets/{number}/appointments/{id}", appointment_change,
	    0 },
	{ "POST", "/tickets/{number}/appointments/{id}/cancel",
	    appointment_cancel, 0 },
	{ "GET",  "/alerts/", alerts_list, 0 },
	{ "POST", "/alerts/read", alerts_read, 0 },
	{ "POST", "/alerts/settings", alerts_settings, 0 },
	{ "GET",  "/due/", due_list, 0 },
	{ "GET",  "/tickets/{number}/attachments/{id}/{filename}",
	    attachment_download, 0 },
	{ "GET",  "/tickets/{number}/items/{id}/move", item_transfer_form,
	    0 },
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
	{ "POST", "/mail", mail_receive, TW_ROUTE_RAW | TW_ROUTE_JSON },
	{ "GET",  "/admin/forms/", admin_forms, TW_ROUTE_ADMIN },
	{ "POST", "/admin/forms/", admin_form_add, TW_ROUTE_ADMIN },
	{ "GET",  "/admin/forms/{id}", admin_form, TW_ROUTE_ADMIN },
	{ "POST", "/admin/forms/{id}", admin_form_update, TW_ROUTE_ADMIN },
};

int
main(void)
{
	static const struct tw_app app = {
		"tickets", routes, sizeof(routes) / sizeof(routes[0])
	};

	tw_view_set_layout_hook(alerts_layout);
	tw_auth_session_columns(tw_alert_count_columns());
	return tw_app_run(&app);
}
