/*
 * suites.h: every Check suite of the unit-test runner.  Each test_*.c file
 * exports one function that builds its suite.
 */
#ifndef TW_UNIT_SUITES_H
#define TW_UNIT_SUITES_H

#include <stddef.h>

#include <check.h>

Suite	*tw_arena_suite(void);
Suite	*tw_form_suite(void);
Suite	*tw_mustache_suite(void);
Suite	*tw_misc_suite(void);
Suite	*tw_core_suite(void);
Suite	*tw_mail_suite(void);
Suite	*tw_workflow_suite(void);

/*
 * Finds shared/data/<sub> (or $TW_SHARED_DATA/<sub>): returns 1 and
 * writes its path into dir, or returns 0 when it is not there.
 */
int	 tw_test_data_dir(const char *sub, char *dir, size_t len);
Suite	*tw_ical_suite(void);
Suite	*tw_when_suite(void);
Suite	*tw_crm_suite(void);
Suite	*tw_queue_suite(void);
Suite	*tw_outbound_suite(void);
Suite	*tw_intake_suite(void);
Suite	*tw_imap_suite(void);
Suite	*tw_secret_suite(void);

#endif
