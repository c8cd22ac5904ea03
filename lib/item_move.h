/*
 * item_move.h: moving or copying an item to another ticket.
 *
 * The user must handle the channels of both tickets.  A moved item keeps
 * its id, author and time; a copy is a new item with the same author,
 * time, kind, visibility and text.  Attachments go along by reference:
 * the stored files are shared, never copied.
 */
#ifndef TW_ITEM_MOVE_H
#define TW_ITEM_MOVE_H

#include "err.h"

struct tw_arena;
struct tw_user;

enum tw_item_move_mode {
	TW_ITEM_MOVE,
	TW_ITEM_COPY,
	TW_ITEM_MOVE__MAX
};

/*
 * Moves or copies item_id of ticket number to ticket target in one
 * transaction and bumps both tickets' versions.  note_from and note_to
 * (either may be NULL) become system items on the ticket the item left
 * and on the target, saying what happened.  *new_id (may be NULL)
 * gets the item's id on the target.  TW_ERR_NOTFOUND when either ticket
 * is not visible or the item is not on the first; TW_ERR_FORBIDDEN when
 * the user only reads along in either; TW_ERR_INVALID when both are the
 * same ticket.
 */
enum tw_err	tw_item_move(struct tw_arena *, const struct tw_user *,
		    long long number, long long item_id, long long target,
		    enum tw_item_move_mode, const char *note_from,
		    const char *note_to, long long *new_id);

#endif
