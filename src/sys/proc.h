/* Processes: identity (pid + start time), pidfds, waiting. */
#ifndef BRIG_SYS_PROC_H
#define BRIG_SYS_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* Start time (field 22 of /proc/PID/stat, clock ticks since boot) and
 * state letter of a process. -1 if it does not exist. */
int proc_stat(pid_t pid, unsigned long long *start, char *state);
/* True if pid is alive (not a zombie) and started at `start`. */
bool proc_alive(pid_t pid, unsigned long long start);
/* A pidfd for pid, checked to still be the process that started at `start`
 * (so a recycled pid is never signalled). -1 with e set otherwise. */
int proc_pidfd(pid_t pid, unsigned long long start, struct brig_err *e);
/* Wait up to timeout_ms (-1: forever) for the process behind pidfd to
 * exit. 1 if it exited, 0 on timeout. */
int proc_wait_exit(int pidfd, int timeout_ms);
/* SIGKILL the process behind pidfd and wait for it to go. */
void proc_kill_wait(int pidfd);
/* waitpid() that retries on EINTR; returns the raw status or -1. */
int proc_waitpid(pid_t pid);
/* A child that may not have ended yet and whose end nobody waits for (a
 * detached worker, sys/nft.c; a helper that has reported, core/
 * vnet_early.c): reaped now if it has ended, else at a later call once it
 * has (a few are kept; with no room, waited for here), else by whoever
 * inherits it when we exit. */
void proc_reap_later(pid_t pid);
/* Exit status as a shell reports it: code, or 128+signal. */
int proc_exit_code(int status);
/* The exit status (proc_exit_code) of the process behind pidfd, which
 * has exited, for a caller that is not its parent: 1 and *code once its
 * parent has reaped it (waited for up to timeout_ms), 0 if it cannot be
 * told (Linux before 6.15 has no PIDFD_INFO_EXIT). */
int proc_exit_info(int pidfd, int timeout_ms, int *code);

/* Deferring the signals that end a command (SIGINT, SIGTERM, SIGHUP)
 * while brig builds something that it must take down again if asked to
 * stop (a jail start): they stay blocked; proc_deferred() says whether
 * one came (0, or its number), proc_wait_deferred() waits that may last
 * long (hooks) end early when one comes, and proc_defer_end() lets it
 * take effect (the process ends by it, as if it came then). Inherited by
 * forked workers, each of which sees the signals sent to itself. */
void proc_defer_begin(void);
int proc_deferred(void);
/* proc_wait_exit() that also ends, returning -1, when a deferred signal
 * comes. */
int proc_wait_deferred(int pidfd, int timeout_ms);
/* The descriptor that becomes readable when a deferred signal comes (-1
 * when not deferring), for poll loops. */
int proc_defer_fd(void);
void proc_defer_end(void);

/* Close every descriptor above 2 except those in keep (order any,
 * negative entries ignored). keep is sorted in place. */
void close_fds_except(int *keep, size_t n);

/* Children that share their parent's memory until they execute
 * (clone(CLONE_VM), as posix_spawn makes them): on a VM, copying brig's
 * address space for a process that is about to execute something else
 * costs more than the rest of its work (fork's page tables and the
 * copy-on-write faults after it on both sides: ~0.25 ms in the parent and
 * ~0.7 ms before the child first runs, against ~0.03 ms). The parent must
 * not run while the child does (CLONE_VFORK, or a protocol that makes them
 * take turns, sys/jailproc.h): they share malloc's state and errno.
 *
 * proc_stack_new: a stack for such a child, PROC_STACK bytes above a guard
 * page; the child starts at proc_stack_top(). proc_stack_free: once the
 * child no longer runs on it (it executed, or was waited for). */
#define PROC_STACK (256u * 1024)
void *proc_stack_new(struct brig_err *e);
void *proc_stack_top(void *stack);
void proc_stack_free(void *stack);
/* How such a child ends when it cannot execute: exit_group, without the
 * noreturn _exit() that AddressSanitizer instruments (it resets what it
 * knows of the stack of the thread the child shares with its parent,
 * warning on stderr). */
void proc_child_exit(int code);

#endif
