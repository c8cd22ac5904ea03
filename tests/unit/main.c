/*
 * main.c: runs every unit-test suite and ends with Check's summary line.
 * Exit status 0 only when every check passed.
 */
#include "config.h"

#include <stdlib.h>

#include "log.h"
#include "suites.h"

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* Tests provoke error lines on purpose; keep the output to results. */
	setenv("TW_LOG_LEVEL", "fatal", 1);
	tw_log_init("unit");

	sr = srunner_create(tw_arena_suite());
	srunner_add_suite(sr, tw_form_suite());
	srunner_add_suite(sr, tw_mustache_suite());
	srunner_add_suite(sr, tw_misc_suite());
	srunner_add_suite(sr, tw_core_suite());
	srunner_add_suite(sr, tw_mail_suite());
	srunner_add_suite(sr, tw_workflow_suite());
	srunner_add_suite(sr, tw_ical_suite());
	srunner_add_suite(sr, tw_when_suite());
	srunner_add_suite(sr, tw_crm_suite());
	srunner_add_suite(sr, tw_queue_suite());
	srunner_add_suite(sr, tw_outbound_suite());
	srunner_add_suite(sr, tw_intake_suite());
	srunner_add_suite(sr, tw_imap_suite());
	srunner_add_suite(sr, tw_secret_suite());

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
