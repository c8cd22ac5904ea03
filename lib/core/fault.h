/*
 * fault.h: deterministic crash points for the crash tests.
 *
 * A program that must survive being killed at a certain step calls
 * tw_fault_point("name") there.  Nothing happens unless the environment
 * variable TW_JOBS_FAULT holds exactly that name: then the process logs
 * the point and kills itself with SIGKILL, as a power cut or the OOM
 * killer would, leaving no chance to clean up.  Only tests set it.
 */
#ifndef TW_FAULT_H
#define TW_FAULT_H

/* Dies by SIGKILL when TW_JOBS_FAULT names point. */
void	tw_fault_point(const char *point);

#endif
