/*
 * main.c: runs every integration suite against the instance at
 * TW_TEST_URL and ends with Check's summary line.  Exit status 0 only
 * when every check passed, or when there is no instance to test.
 *
 * Check prints its summary before the list of failures; the runner also
 * logs every result to stdout as it comes, and that log closes with the
 * summary again, so the summary is the last line whatever happened.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "http.h"
#include "suites.h"

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	if (http_base() == NULL) {
		puts("SKIP integration: TW_TEST_URL not set");
		return EXIT_SUCCESS;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("tw-integration: curl_global_init failed\n", stderr);
		return EXIT_FAILURE;
	}

	sr = srunner_create(tw_auth_suite());
	srunner_add_suite(sr, tw_tickets_suite());
	srunner_add_suite(sr, tw_input_suite());
	srunner_add_suite(sr, tw_crash_suite());
	srunner_add_suite(sr, tw_merge_suite());
	srunner_add_suite(sr, tw_ingest_suite());
	srunner_add_suite(sr, tw_admin_suite());
	srunner_add_suite(sr, tw_workflow_suite());
	srunner_add_suite(sr, tw_alerts_suite());
	srunner_add_suite(sr, tw_crm_suite());
	srunner_add_suite(sr, tw_attachments_suite());
	srunner_add_suite(sr, tw_queue_suite());
	srunner_add_suite(sr, tw_jobs_suite());
	srunner_add_suite(sr, tw_outbound_suite());
	srunner_add_suite(sr, tw_mail_http_suite());
	srunner_add_suite(sr, tw_webform_suite());
	srunner_add_suite(sr, tw_imap_suite());
	srunner_set_log(sr, "-");

	srunner_run_all(sr, CK_NORMAL);
	fflush(stdout);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	curl_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
