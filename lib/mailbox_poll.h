/*
 * mailbox_poll.h: the "imap" task of ticketwerk-jobs, which takes the
 * mail of the configured mailboxes into tickets.
 *
 * A turn claims one mailbox that is due by writing a lease on its row,
 * so runners side by side never poll one mailbox at once, and a lease
 * left by a runner that died runs out.  It selects the folder, lists the
 * UIDs above the last one taken (starting from 0 when the folder's
 * UIDVALIDITY changed), and for each message in turn: fetches it without
 * marking it, takes it in (tw_ingest_from), then records its UID and
 * marks it \Seen, in that order.  A crash before the ticket's commit
 * fetches the message again next time; a crash after it meets a known
 * Message-ID, which is dropped.  A message that can never be taken in
 * (too large, not a message, refused by the database poll after poll)
 * is logged, counted, left unmarked and passed over.  Failures of the
 * connection, the login or the database are written on the mailbox and
 * tried again after its interval.
 *
 * Settings: [mail] key (to open the passwords), ca_file (trusted CAs
 * for the servers' certificates, the system's when empty), message_max
 * (bytes, at most TW_MAIL_MAX), lease_seconds, timeout_seconds,
 * attempts_max.
 */
#ifndef TW_MAILBOX_POLL_H
#define TW_MAILBOX_POLL_H

#include "err.h"

struct tw_arena;

/*
 * Polls one due mailbox, if there is one; *more when one was polled (so
 * another may be due, or this one has more waiting).  Failures of the
 * mailbox are recorded on it and are not the task's: the result is a
 * code only when the database itself fails.
 */
enum tw_err	tw_mailbox_poll(struct tw_arena *, int *more);

#endif
