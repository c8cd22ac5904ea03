#include "config.h"
#include "suites.h"
/* placeholder: replaced by the real suite */
Suite *
tw_form_suite(void)
{
	return suite_create("form");
}
