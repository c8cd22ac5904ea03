/*
 * seed.c: demo organisations, people, channels and tickets.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "contact.h"
#include "db.h"
#include "seed.h"
#include "user.h"

static const char *const orgs[][3] = {
	{ "Heyer Plan AG", "K-10001", "heyer-plan.example" },
	{ "Nordlicht Logistik GmbH", "K-10002", "nordlicht.example" },
	{ "Stadtwerke Talheim", "K-10003", "sw-talheim.example" },
};

static const char *const contacts[][4] = {
	/* organisation, name, email, phone */
	{ "K-10001", "Jana Heyer", "jana.heyer@heyer-plan.example",
	    "+4930123456701" },
	{ "K-10001", "Olaf Brandt", "o.brandt@heyer-plan.example",
	    "+4930123456702" },
	{ "K-10002", "Mira Kowalski", "mira@nordlicht.example",
	    "+4940987654301" },
	{ "K-10003", "Peter Lindqvist", "p.lindqvist@sw-talheim.example",
	    "+497131555001" },
};

static const char *const agents[][3] = {
	{ "ksturm", "K. Sturm", "k.sturm@ticketwerk.example" },
	{ "mroth", "M. Roth", "m.roth@ticketwerk.example" },
	{ "lweber", "L. Weber", "l.weber@ticketwerk.example" },
};

static const char *const channels[][2] = {
	{ "Support", "support@ticketwerk.example" },
	{ "Sales", "sales@ticketwerk.example" },
	{ "Internal", NULL },
	{ "Accounting", "billing@ticketwerk.example" },
};

/* login, channel, role */
static const char *const members[][3] = {
	{ "admin", "Support", "handles" },
	{ "admin", "Sales", "handles" },
	{ "admin", "Internal", "handles" },
	{ "admin", "Accounting", "handles" },
	{ "ksturm", "Support", "handles" },
	{ "ksturm", "Internal", "reads" },
	{ "mroth", "Sales", "handles" },
	{ "mroth", "Support", "reads" },
	{ "lweber", "Accounting", "handles" },
};

/* channel, customer number, contact email, type, status, priority,
 * subject, first item, minutes ago */
static const struct {
	const char	*channel, *org, *contact, *type, *status;
	int		 priority;
	const char	*subject, *body;
	int		 ago;
} tickets[] = {
	{ "Support", "K-10001", "jana.heyer@heyer-plan.example", "email",
	  "new", 3, "Anbindung Schnittstelle",
	  "Seit heute früh schlägt der Export an die Buchhaltung fehl.", 35 },
	{ "Support", "K-10002", "mira@nordlicht.example", "on_behalf",
	  "in_progress", 2, "VPN drops every 20 minutes",
	  "Customer called: the VPN tunnel to the depot drops repeatedly.",
	  180 },
	{ "Support", "K-10003", "p.lindqvist@sw-talheim.example", "email",
	  "answered", 5, "Drucker im 2. OG druckt nur leere Seiten",
	  "Toner wurde bereits getauscht, Problem besteht weiter.", 1440 },
	{ "Sales", "K-10001", "o.brandt@heyer-plan.example", "email", "new",
	  5, "Angebot für 25 zusätzliche Lizenzen",
	  "Bitte um ein Angebot inklusive Staffelpreisen.", 300 },
	{ "Internal", NULL, NULL, "internal", "in_progress", 4,
	  "Zertifikate der Kundenportale erneuern",
	  "Die Zertifikate laufen Ende des Monats ab.", 2900 },
	{ "Accounting", "K-10002", "mira@nordlicht.example", "email", "new",
	  6, "Rechnung 2026-0042: Rückfrage zur Position 3",
	  "Position 3 scheint doppelt berechnet zu sein.", 60 },
	{ "Support", "K-10001", "jana.heyer@heyer-plan.example", "email",
	  "closed", 7, "Passwort-Reset für neuen Mitarbeiter",
	  "Erledigt, Zugang wurde eingerichtet.", 10080 },
};

enum {
	SQL_HAS_DATA,
	SQL_ORG,
	SQL_CONTACT,
	SQL_CHANNEL,
	SQL_MEMBER,
	SQL_TICKET,
	SQL_ITEM,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_HAS_DATA] =
	    "SELECT COUNT(*) AS n FROM channels",
	[SQL_ORG] =
	    "INSERT INTO organisations (name, customer_number, mail_domain) "
	    "VALUES (?, ?, ?)",
	[SQL_CONTACT] =
	    "INSERT INTO contacts (organisation_id, name, email, phone) "
	    "SELECT id, ?, ?, ? FROM organisations WHERE customer_number = ?",
	[SQL_CHANNEL] =
	    "INSERT INTO channels (name, email) VALUES (?, ?)",
	[SQL_MEMBER] =
	    "INSERT INTO channel_members (channel_id, user_id, role) "
	    "SELECT c.id, u.id, ? FROM channels c, users u "
	    "WHERE c.name = ? AND u.login = ?",
	[SQL_TICKET] =
	    "INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, priority, organisation_id, contact_id, owner_id, "
	    "created_by, created_at, updated_at) "
	    "SELECT NEXT VALUE FOR ticket_numbers, ?, ?, c.id, s.id, ?, "
	    "(SELECT id FROM organisations WHERE customer_number = ?), "
	    "(SELECT id FROM contacts WHERE email = ? LIMIT 1), "
	    "(SELECT id FROM users WHERE login = 'admin'), "
	    "(SELECT id FROM users WHERE login = 'admin'), "
	    "UTC_TIMESTAMP(6) - INTERVAL ? MINUTE, "
	    "UTC_TIMESTAMP(6) - INTERVAL ? MINUTE "
	    "FROM channels c, statuses s WHERE c.name = ? AND s.code = ?",
	[SQL_ITEM] =
	    "INSERT INTO items (ticket_id, kind, visibility, author_id, body, "
	    "created_at) SELECT ?, ?, 'customer', "
	    "(SELECT id FROM users WHERE login = 'admin'), ?, created_at "
	    "FROM tickets WHERE id = ?",
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static enum tw_err
seed_people(void)
{
	enum tw_err	rc = TW_OK;
	size_t		i;

	for (i = 0; rc == TW_OK && i < N(orgs); i++)
		rc = tw_db_exec(sql[SQL_ORG], NULL, NULL, TW_ARGS(
		    TW_S(orgs[i][0]), TW_S(orgs[i][1]), TW_S(orgs[i][2])));
	for (i = 0; rc == TW_OK && i < N(contacts); i++)
		rc = tw_db_exec(sql[SQL_CONTACT], NULL, NULL, TW_ARGS(
		    TW_S(contacts[i][1]), TW_S(contacts[i][2]),
		    TW_S(contacts[i][3]), TW_S(contacts[i][0])));
	if (rc == TW_OK)
		rc = tw_contact_adopt_legacy();
	return rc;
}

static enum tw_err
seed_channels(void)
{
	enum tw_err	rc = TW_OK;
	size_t		i;

	for (i = 0; rc == TW_OK && i < N(channels); i++)
		rc = tw_db_exec(sql[SQL_CHANNEL], NULL, NULL, TW_ARGS(
		    TW_S(channels[i][0]), TW_S(channels[i][1])));
	for (i = 0; rc == TW_OK && i < N(members); i++)
		rc = tw_db_exec(sql[SQL_MEMBER], NULL, NULL, TW_ARGS(
		    TW_S(members[i][2]), TW_S(members[i][1]),
		    TW_S(members[i][0])));
	return rc;
}

static enum tw_err
seed_tickets(void)
{
	unsigned long long	id;
	enum tw_err		rc = TW_OK;
	size_t			i;

	for (i = 0; rc == TW_OK && i < N(tickets); i++) {
		rc = tw_db_exec(sql[SQL_TICKET], NULL, &id, TW_ARGS(
		    TW_S(tickets[i].type), TW_S(tickets[i].subject),
		    TW_I(tickets[i].priority), TW_S(tickets[i].org),
		    TW_S(tickets[i].contact), TW_I(tickets[i].ago),
		    TW_I(tickets[i].ago), TW_S(tickets[i].channel),
		    TW_S(tickets[i].status)));
		if (rc != TW_OK)
			break;
		rc = tw_db_exec(sql[SQL_ITEM], NULL, NULL, TW_ARGS(
		    TW_I((long long)id), TW_S(strcmp(tickets[i].type,
		    "email") == 0 ? "email_in" : "note"),
		    TW_S(tickets[i].body), TW_I((long long)id)));
	}
	return rc;
}

static enum tw_err
seed_all(void *ctx)
{
	const char	*password = ctx;
	enum tw_err	 rc;
	size_t		 i;

	if ((rc = tw_user_add("admin", "Administrator",
	    "admin@ticketwerk.example", password, 1, NULL)) != TW_OK)
		return rc;
	for (i = 0; i < N(agents); i++)
		if ((rc = tw_user_add(agents[i][0], agents[i][1],
		    agents[i][2], password, 0, NULL)) != TW_OK)
			return rc;
	if ((rc = seed_people()) != TW_OK)
		return rc;
	if ((rc = seed_channels()) != TW_OK)
		return rc;
	return seed_tickets();
}

enum tw_err
tw_seed_demo(const char *password, int *loaded)
{
	struct tw_arena	*a = tw_arena_new();
	struct tw_rows	*r;
	enum tw_err	 rc;

	*loaded = 0;
	rc = tw_db_query(a, sql[SQL_HAS_DATA], &r, TW_NOARGS);
	if (rc == TW_OK && tw_rows_int(r, 0, "n", 0) > 0) {
		rc = tw_user_set_password("admin", password);
		goto cleanup;
	}
	if (rc != TW_OK)
		goto cleanup;

	rc = tw_db_txn(seed_all, (void *)password);
	if (rc == TW_OK)
		*loaded = 1;

cleanup:
	tw_arena_free(a);
	return rc;
}
