/* brig ls [-a] [-v] [--json]: the running jails; with -a every configured
 * jail, running or stopped, and why a stopped one is not running; with
 * -v each running jail's memory, pids and disk use (core/usage.h: its
 * cgroup files, read only then, so that brig ls stays as fast). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe.h"
#include "cli/human.h"
#include "core/core.h"
#include "core/usage.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* "a,b" of the jail's addresses, "-" if none. */
static char *addrs(const struct core_jail *j)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < j->nip4 + j->nip6; i++) {
		if (i)
			sb_addc(&sb, ',');
		sb_adds(&sb, i < j->nip4 ? j->ip4[i] : j->ip6[i - j->nip4]);
	}
	return sb.len ? sb_steal(&sb) : xstrdup("-");
}

/* The usage of each of v[0..n) (-v), every field -1 when it cannot be
 * read (it ended since it was listed). */
static struct jail_usage *usages(const struct core_jail *v, size_t n)
{
	struct jail_usage *u = xcalloc(n + 1, sizeof(*u));
	struct brig_err e;

	for (size_t i = 0; i < n; i++)
		core_usage(&v[i], &u[i], &e);
	return u;
}

/* A container of brig-oci's (its model says meta = oci). */
static bool is_oci(const struct core_jail *j)
{
	const char *m = kp_recorded(j, JP_META);

	return m && strcmp(m, "oci") == 0;
}

/* brig ls --json: an array of objects (u: with -v, their usage). */
static void print_json(const struct core_jail *v, size_t n, const struct jail_usage *u)
{
	struct strbuf sb = STRBUF_INIT;
	struct json js;

	json_init(&js, &sb, true);
	json_arr_begin(&js);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(&js);
		json_key(&js, "jid");
		json_int(&js, v[i].jid);
		json_key(&js, "name");
		json_str(&js, v[i].name);
		json_key(&js, "hostname");
		json_str(&js, v[i].hostname);
		json_key(&js, "path");
		json_str(&js, v[i].path);
		json_key(&js, "ip4");
		json_arr_begin(&js);
		for (size_t k = 0; k < v[i].nip4; k++)
			json_str(&js, v[i].ip4[k]);
		json_arr_end(&js);
		json_key(&js, "ip6");
		json_arr_begin(&js);
		for (size_t k = 0; k < v[i].nip6; k++)
			json_str(&js, v[i].ip6[k]);
		json_arr_end(&js);
		json_key(&js, "state");
		json_str(&js, v[i].state);
		json_key(&js, "init_pid");
		json_int(&js, v[i].init_pid);
		json_key(&js, "oci");
		json_bool(&js, is_oci(&v[i]));
		if (u) {
			json_key_count(&js, "memory_current", u[i].mem_current);
			json_key_count(&js, "memory_limit", u[i].mem_limit);
			json_key_count(&js, "pids_current", u[i].pids_current);
			json_key_count(&js, "pids_limit", u[i].pids_limit);
			json_key_count(&js, "disk_used", u[i].disk_used);
		}
		json_obj_end(&js);
	}
	json_arr_end(&js);
	printf("%s\n", sb.s);
	sb_free(&sb);
}

/* brig ls -v's columns of one jail: memory, pids, disk. */
static void usage_cols(const struct jail_usage *u, char *buf, size_t size)
{
	char mem[32], disk[32], pids[24] = "-";

	human_bytes(mem, sizeof(mem), u->mem_current);
	human_bytes(disk, sizeof(disk), u->disk_used);
	if (u->pids_current >= 0)
		snprintf(pids, sizeof(pids), "%lld", u->pids_current);
	snprintf(buf, size, "  %-9s  %-5s  %s", mem, pids, disk);
}

/* brig ls: one aligned line per jail (u: with -v, their usage). */
static void print_table(const struct core_jail *v, size_t n, const struct jail_usage *u)
{
	int wn = 4, wh = 8, wp = 4, wa = 2;
	char **ips = xcalloc(n + 1, sizeof(*ips));

	for (size_t i = 0; i < n; i++) {
		ips[i] = addrs(&v[i]);
		wn = wn > (int)strlen(v[i].name) ? wn : (int)strlen(v[i].name);
		wh = wh > (int)strlen(v[i].hostname) ? wh : (int)strlen(v[i].hostname);
		wp = wp > (int)strlen(v[i].path) ? wp : (int)strlen(v[i].path);
		wa = wa > (int)strlen(ips[i]) ? wa : (int)strlen(ips[i]);
	}
	printf("%4s  %-*s  %-*s  %-*s  %-*s  %-8s  %-*s%s\n", "JID", wn, "NAME", wh, "HOSTNAME", wp,
	       "PATH", wa, "IP", "STATE", u ? 7 : 0, "PID", u ? "  MEM        PIDS   DISK" : "");
	for (size_t i = 0; i < n; i++) {
		char cols[96] = "";

		if (u)
			usage_cols(&u[i], cols, sizeof(cols));
		printf("%4d  %-*s  %-*s  %-*s  %-*s  %-8s  %-*d%s%s\n", v[i].jid, wn, v[i].name, wh,
		       v[i].hostname, wp, v[i].path, wa, ips[i], v[i].state, u ? 7 : 0,
		       (int)v[i].init_pid, cols, is_oci(&v[i]) ? "  (oci)" : "");
		free(ips[i]);
	}
	free(ips);
}

/* One jail of brig ls -a. */
struct row {
	const char *name;
	const struct core_jail *run;	/* NULL: not running */
	const char *error;		/* its configuration's first error */
	struct core_last last;
	bool has_last;
	struct core_restart restart;	/* exec.restart: count, next attempt */
};

/* "2024-05-01 12:00:00", local time. */
static void fmt_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "@%lld", t);
}

/* Why a stopped jail is not running, in words. */
static char *why_stopped(const struct row *r)
{
	char when[64];

	if (r->run)
		return xstrdup("-");
	if (r->error)
		return xasprintf("configuration error: %s", r->error);
	if (!r->has_last)
		return xstrdup("never started");
	fmt_time(r->last.time, when, sizeof(when));
	if (!strcmp(r->last.event, "failed"))
		return xasprintf("failed at step %s at %s: %s", r->last.step ? r->last.step : "?", when,
				 r->last.message ? r->last.message : "");
	if (!strcmp(r->last.event, "stopped"))
		return xasprintf("stopped by brig stop at %s", when);
	if (r->last.status >= 0)
		return xasprintf("ended at %s with status %d", when, r->last.status);
	return xasprintf("ended at %s", when);
}

/* Why a stopped jail is not running, in words; and its restarts
 * (exec.restart): how many, and when the next one comes. */
static char *why(const struct row *r)
{
	long n = r->restart.count;
	cleanup_free char *w = NULL;
	char when[64];

	if (r->run)
		return n > 0 ? xasprintf("restarted %ld time%s", n, n > 1 ? "s" : "") : xstrdup("-");
	w = why_stopped(r);
	if (r->restart.next > 0) {
		fmt_time(r->restart.next, when, sizeof(when));
		return xasprintf("%s; restart %ld at %s", w, n + 1, when);
	}
	if (n > 0)
		return xasprintf("%s; after %ld restart%s", w, n, n > 1 ? "s" : "");
	return xstrdup(w);
}

/* brig ls -a: one line per jail. */
static void print_all_table(const struct row *rows, size_t n)
{
	int wn = 4;

	for (size_t i = 0; i < n; i++)
		wn = wn > (int)strlen(rows[i].name) ? wn : (int)strlen(rows[i].name);
	printf("%-*s  %-8s  %-4s  %s\n", wn, "NAME", "STATE", "JID", "WHY");
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *w = why(&rows[i]);
		char jid[16] = "-";

		if (rows[i].run)
			snprintf(jid, sizeof(jid), "%d", rows[i].run->jid);
		printf("%-*s  %-8s  %-4s  %s\n", wn, rows[i].name,
		       rows[i].run ? rows[i].run->state : "stopped", jid, w);
	}
}

/* brig ls -a --json: an array of {name, state, jid, error, restarts,
 * next_restart, last}. */
static void print_all_json(const struct row *rows, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct json js;

	json_init(&js, &sb, true);
	json_arr_begin(&js);
	for (size_t i = 0; i < n; i++) {
		const struct core_last *l = &rows[i].last;

		json_obj_begin(&js);
		json_key(&js, "name");
		json_str(&js, rows[i].name);
		json_key(&js, "state");
		json_str(&js, rows[i].run ? rows[i].run->state : "stopped");
		json_key(&js, "jid");
		if (rows[i].run)
			json_int(&js, rows[i].run->jid);
		else
			json_null_value(&js);
		json_key(&js, "error");
		if (rows[i].error)
			json_str(&js, rows[i].error);
		else
			json_null_value(&js);
		json_key(&js, "restarts");
		json_int(&js, rows[i].restart.count);
		json_key(&js, "next_restart");
		if (rows[i].restart.next > 0)
			json_int(&js, rows[i].restart.next);
		else
			json_null_value(&js);
		json_key(&js, "last");
		if (rows[i].has_last) {
			json_obj_begin(&js);
			json_key(&js, "event");
			json_str(&js, l->event);
			json_key(&js, "time");
			json_int(&js, l->time);
			json_key(&js, "status");
			if (l->status >= 0)
				json_int(&js, l->status);
			else
				json_null_value(&js);
			json_key(&js, "step");
			if (l->step)
				json_str(&js, l->step);
			else
				json_null_value(&js);
			json_key(&js, "message");
			if (l->message)
				json_str(&js, l->message);
			else
				json_null_value(&js);
			json_obj_end(&js);
		} else {
			json_null_value(&js);
		}
		json_obj_end(&js);
	}
	json_arr_end(&js);
	printf("%s\n", sb.s);
	sb_free(&sb);
}

/* The running jail called name, or NULL. */
static const struct core_jail *running(const struct core_jail *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

/* brig ls -a: the configured jails in definition order, then those that
 * run without being configured (any more). */
static void list_all(const struct core_jail *v, size_t n, bool json)
{
	struct conf *c = cli_load_conf_quiet(NULL, true);
	size_t nc = c ? c->njails : 0, k = 0;
	struct row *rows = xcalloc(nc + n + 1, sizeof(*rows));

	for (size_t i = 0; i < nc; i++)
		rows[k++] = (struct row){ .name = c->jails[i].name, .error = c->jails[i].error,
					  .run = running(v, n, c->jails[i].name) };
	for (size_t i = 0; i < n; i++)
		if (!c || !conf_jail(c, v[i].name))
			rows[k++] = (struct row){ .name = v[i].name, .run = &v[i] };
	for (size_t i = 0; i < k; i++) {
		rows[i].has_last = !rows[i].run && core_last_read(rows[i].name, &rows[i].last) == 1;
		core_restart_info(rows[i].name, &rows[i].restart);
	}
	if (json)
		print_all_json(rows, k);
	else
		print_all_table(rows, k);
	for (size_t i = 0; i < k; i++)
		if (rows[i].has_last)
			core_last_free(&rows[i].last);
	free(rows);
	conf_free(c);
}

int cmd_ls(int argc, char **argv)
{
	bool json = false, all = false, verbose = false;
	struct jail_usage *u = NULL;
	struct brig_err e = { 0 };
	struct core_jail *v;
	size_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all")) {
			all = true;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else {
			cli_error("usage: brig ls [-a] [-v] [--json]");
			return 2;
		}
	}
	if (core_list(&v, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (verbose && !all)
		u = usages(v, n);
	if (all)
		list_all(v, n, json);
	else if (json)
		print_json(v, n, u);
	else
		print_table(v, n, u);
	free(u);
	core_list_free(v, n);
	return 0;
}
