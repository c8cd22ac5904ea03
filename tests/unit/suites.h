/*
 * suites.h: every Check suite of the unit-test runner.  Each test_*.c file
 * exports one function that builds its suite.
 */
#ifndef TW_UNIT_SUITES_H
#define TW_UNIT_SUITES_H

#include <check.h>

Suite	*tw_arena_suite(void);
Suite	*tw_form_suite(void);
Suite	*tw_mustache_suite(void);
Suite	*tw_misc_suite(void);
Suite	*tw_core_suite(void);
Suite	*tw_queue_suite(void);

#endif
