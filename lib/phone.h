/*
 * phone.h: telephone numbers in E.164 form.
 *
 * People write numbers many ways ("+49 30 1234567", "0049 (30)
 * 123-4567", "030 1234567"); the database keeps one: '+', the country
 * code and the national number, digits only, at most 15 digits (ITU-T
 * E.164).  The normaliser is a pure function, so search input and stored
 * numbers meet in the same form.
 */
#ifndef TW_PHONE_H
#define TW_PHONE_H

#include <stddef.h>

#include "err.h"

#define TW_PHONE_INPUT_MAX	64	/* bytes of input accepted */
#define TW_PHONE_E164_MAX	16	/* '+' and up to 15 digits */

/*
 * Normalises in to E.164 in out (TW_PHONE_E164_MAX + 1 bytes).
 *
 * Accepted: digits with the separators space, '-', '.', '/', and one pair
 * of parentheses; an international prefix "+" or "00"; a national number
 * with a trunk '0', which gets default_cc (digits, such as "49"); and the
 * German habit "+49 (0)30 ...", whose "(0)" is dropped.  A number without
 * any prefix is refused, since its area is unknown.
 *
 * Returns TW_OK, or TW_ERR_INVALID for anything else: letters, a second
 * '+', unbalanced parentheses, a country code starting with 0, or fewer
 * than 7 or more than 15 digits in all.  out is "" on failure.
 */
enum tw_err	tw_phone_e164(const char *in, const char *default_cc,
		    char out[TW_PHONE_E164_MAX + 1]);

#endif
