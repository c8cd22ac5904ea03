/*
 * data.c: where the unit tests find the shared test data (the Mustache
 * specification, the mail corpus), which is read, never copied here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "suites.h"

int
tw_test_data_dir(const char *sub, char *dir, size_t len)
{
	static const char *const up[] = {
		"../shared/data", "../../shared/data", "../../../shared/data"
	};
	const char	*env = getenv("TW_SHARED_DATA");
	struct stat	 st;
	size_t		 i;

	if (env != NULL && env[0] != '\0') {
		snprintf(dir, len, "%s/%s", env, sub);
		return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	}
	for (i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		snprintf(dir, len, "%s/%s", up[i], sub);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return 1;
	}
	return 0;
}
