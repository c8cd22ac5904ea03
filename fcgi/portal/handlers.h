/*
 * handlers.h: the handlers of tw-portal.
 */
#ifndef TW_PORTAL_HANDLERS_H
#define TW_PORTAL_HANDLERS_H

#include "err.h"

struct tw_request;

/* forms.c: the public web form endpoints */
enum tw_err	webform_show(struct tw_request *);
enum tw_err	webform_post(struct tw_request *);
enum tw_err	webform_thanks(struct tw_request *);

#endif
