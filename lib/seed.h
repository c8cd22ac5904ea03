/*
 * seed.h: the demo data `ticketwerk up` loads.
 */
#ifndef TW_SEED_H
#define TW_SEED_H

#include "err.h"

/*
 * Loads organisations, contacts, agents, the four standard channels and
 * some tickets, unless the channels exist already.  The admin (login
 * "admin") and the demo agents get password; for an existing admin only
 * the password is set.  *loaded tells whether data was added.
 */
enum tw_err	tw_seed_demo(const char *password, int *loaded);

#endif
