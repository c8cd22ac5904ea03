#include "config.h"
#include "suites.h"
/* placeholder: replaced by the real suite */
Suite *
tw_mustache_suite(void)
{
	return suite_create("mustache");
}
