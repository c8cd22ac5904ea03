/*
 * email.h: checking e-mail addresses as people type them.
 *
 * This is the common dot-atom subset of RFC 5321/5322 that real mail
 * systems hand out, not every address the grammar allows: no quoted
 * local parts, no comments, no address literals.  Domain names are
 * case-insensitive (RFC 5321 section 2.4) and are stored lower-cased;
 * the local part is kept as typed.
 */
#ifndef TW_EMAIL_H
#define TW_EMAIL_H

#include <stddef.h>

#include "err.h"

#define TW_EMAIL_MAX		254	/* RFC 5321 path limit less <> */
#define TW_EMAIL_LOCAL_MAX	64

/*
 * Checks in and writes the stored form (domain lower-cased) to out, which
 * has room for TW_EMAIL_MAX + 1 bytes.  The local part is 1..64 of
 * letters, digits and !#$%&'*+/=?^_`{|}~- with single dots between them;
 * the domain has at least two labels of 1..63 letters, digits and inner
 * hyphens, and its last label is not all digits.  Returns TW_OK or
 * TW_ERR_INVALID (out is then "").
 */
enum tw_err	tw_email_norm(const char *in, char out[TW_EMAIL_MAX + 1]);

#endif
