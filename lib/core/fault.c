/*
 * fault.c: the crash points of fault.h.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "log.h"

void
tw_fault_point(const char *point)
{
	const char	*want = getenv("TW_JOBS_FAULT");

	if (want == NULL || strcmp(want, point) != 0)
		return;
	tw_log(TW_LOG_WARN, "fault_point", "point", point, (char *)NULL);
	raise(SIGKILL);
}
