/* brig-oci's commands but create (cli/fe_oci.c): start, state, kill,
 * delete, list, ps, exec, pause, resume, run, features, spec. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe_oci.h"
#include "core/core.h"
#include "sys/cgroup.h"
#include "sys/proc.h"
#include "sys/spawn.h"
#include "util/io.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/strbuf.h"
#include "util/writefile.h"

/* The jail's cgroup v2 directory, or NULL (none on this host). */
static char *v2_dir(const char *id)
{
	cleanup_free char *group = core_cgroup_group(id);
	struct cgroup_hier *h = NULL;
	struct brig_err e = { 0 };
	char *dir = NULL;
	size_t n = 0;

	if (cgroup_hiers(group, &h, &n, &e) < 0)
		return NULL;
	for (size_t i = 0; i < n && !dir; i++)
		if (h[i].kind & CGROUP_V2)
			dir = xstrdup(h[i].dir);
	cgroup_hiers_free(h, n);
	return dir;
}

bool oci_frozen(const char *id)
{
	cleanup_free char *dir = v2_dir(id);
	cleanup_free char *path = dir ? xasprintf("%s/cgroup.freeze", dir) : NULL;
	cleanup_free char *text = NULL;
	struct brig_err e = { 0 };

	return path && read_bounded(AT_FDCWD, path, READ_AT, 64, &text, NULL, &e) == 0 && text[0] == '1';
}

static int oc_create(int argc, char **argv)
{
	const char *bundle = NULL, *pid_file = NULL, *console = NULL, *id, *fds = NULL;
	bool no_pivot = false, no_keyring = false;
	const struct oci_arg spec[] = {
		OPT_STR("bundle", "b", &bundle), OPT_STR("pid-file", NULL, &pid_file),
		OPT_STR("console-socket", NULL, &console), OPT_STR("preserve-fds", NULL, &fds),
		OPT_FLAG("no-pivot", NULL, &no_pivot), OPT_FLAG("no-new-keyring", NULL, &no_keyring),
		OPT_END,
	};
	struct brig_err e = { 0 };
	pid_t pid;
	int first;

	if (oci_args(argc, argv, spec, &first, &e) < 0 || oci_one_id(argc, argv, first, &id, &e) < 0)
		return oci_fail(&e);
	if (fds && strcmp(fds, "0") != 0) {
		brig_err_set(&e, 0, "--preserve-fds %s: not supported by brig", fds);
		return oci_fail(&e);
	}
	if (no_pivot)
		oci_log("warning", "--no-pivot: brig always uses pivot_root");
	if (oci_create(id, bundle, pid_file, console, &pid, &e) < 0)
		return oci_fail(&e);
	return 0;
}

static int oc_start(int argc, char **argv)
{
	const struct oci_arg spec[] = { OPT_END };
	struct brig_err e = { 0 };
	struct oci_state st;
	struct oci_spec s;
	struct strbuf js = STRBUF_INIT;
	enum oci_status status;
	cleanup_free char *dir = NULL;
	cleanup_free char *fifo = NULL;
	const char *id;
	int first, fd, rc = 1;

	if (oci_args(argc, argv, spec, &first, &e) < 0 || oci_one_id(argc, argv, first, &id, &e) < 0 ||
	    oci_load(id, &st, &status, &e) < 0)
		return oci_fail(&e);
	if (status != OCI_CREATED) {
		brig_err_set(&e, 0, "container \"%s\" is %s, not created: cannot start it", id,
			     oci_status_name(status));
		oci_state_free(&st);
		return oci_fail(&e);
	}
	dir = oci_dir(oci_g.root, id);
	fifo = xasprintf("%s/exec.fifo", dir);
	/* "0" and the state, one line (the startContainer hooks' stdin);
	 * then the process executes (or ends): the fifo has no reader. */
	sb_addc(&js, '0');
	oci_state_json(&st, OCI_CREATED, &js);
	sb_addc(&js, '\n');
	signal(SIGPIPE, SIG_IGN);
	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fcntl(fd, F_SETFL, 0) < 0 || write_all(fd, js.s, js.len) < 0) {
		brig_err_set(&e, errno, "container \"%s\": its process is not waiting", id);
		if (fd >= 0)
			close(fd);
		sb_free(&js);
		oci_state_free(&st);
		return oci_fail(&e);
	}
	sb_free(&js);
	{
		struct pollfd p = { .fd = fd, .events = 0 };
		char c = 0;
		int rd;

		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
		/* No reader left: the process executed, or ended. A failed
		 * startContainer hook left a byte in the fifo (kept by our
		 * end): the start fails, and the container stops (its holder
		 * takes the jail down when the process ends). */
		rd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (rd >= 0 && read(rd, &c, 1) == 1 && c == OCI_FIFO_HOOK_FAILED[0])
			brig_err_set(&e, 0, "container \"%s\": a startContainer hook failed: the "
				     "process did not start", id);
		if (rd >= 0)
			close(rd);
	}
	unlink(fifo);
	close(fd);
	if (e.msg[0]) {
		oci_state_free(&st);
		return oci_fail(&e);
	}
	/* poststart: after the process has been told to start. */
	if (oci_spec_load(dir, st.bundle, id, &s, &e) == 0 &&
	    oci_hooks(&s, OCI_HOOK_POSTSTART, &st, OCI_RUNNING, &e) == 0)
		rc = 0;
	if (rc)
		oci_log("warning", "%s: %s", id, e.msg);
	rc = 0;
	oci_spec_free(&s);
	oci_state_free(&st);
	return rc;
}

static int oc_state(int argc, char **argv)
{
	const struct oci_arg spec[] = { OPT_END };
	struct brig_err e = { 0 };
	struct strbuf sb = STRBUF_INIT;
	struct oci_state st;
	enum oci_status status;
	const char *id;
	int first;

	if (oci_args(argc, argv, spec, &first, &e) < 0 || oci_one_id(argc, argv, first, &id, &e) < 0 ||
	    oci_load(id, &st, &status, &e) < 0)
		return oci_fail(&e);
	oci_state_json(&st, status, &sb);
	printf("%s\n", sb.s);
	sb_free(&sb);
	oci_state_free(&st);
	return 0;
}

/* A signal by number or name ("TERM", "SIGTERM", "15"). */
static int signal_number(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *a = sigabbrev_np(i);

		if (a && strcmp(a, s) == 0)
			return i;
	}
	return -1;
}

static int oc_kill(int argc, char **argv)
{
	bool all = false;
	const struct oci_arg spec[] = { OPT_FLAG("all", "a", &all), OPT_END };
	struct brig_err e = { 0 };
	struct oci_state st;
	struct core_jail j = { 0 };
	enum oci_status status;
	pid_t *pids = NULL;
	size_t n = 0;
	int first, sig = SIGTERM;

	if (oci_args(argc, argv, spec, &first, &e) < 0)
		return oci_fail(&e);
	if (first >= argc || first + 2 < argc) {
		brig_err_set(&e, 0, "kill: usage: kill [--all] ID [SIGNAL]");
		return oci_fail(&e);
	}
	if (first + 1 < argc && (sig = signal_number(argv[first + 1])) < 0) {
		brig_err_set(&e, 0, "kill: unknown signal \"%s\"", argv[first + 1]);
		return oci_fail(&e);
	}
	if (oci_load(argv[first], &st, &status, &e) < 0)
		return oci_fail(&e);
	if (status != OCI_CREATED && status != OCI_RUNNING && status != OCI_PAUSED) {
		brig_err_set(&e, 0, "container \"%s\" is %s: nothing to signal", st.id, oci_status_name(status));
		oci_state_free(&st);
		return oci_fail(&e);
	}
	/* The container's process (runc's kill); --all: every process of
	 * the jail but its init. */
	if (!all || status == OCI_CREATED) {
		int fd = proc_pidfd(st.pid, st.pid_start, &e);

		if (fd < 0 || pidfd_send_signal(fd, sig, NULL, 0) < 0) {
			if (fd >= 0)
				brig_err_set(&e, errno, "container \"%s\": signal", st.id);
			if (fd >= 0)
				close(fd);
			oci_state_free(&st);
			return oci_fail(&e);
		}
		close(fd);
		oci_state_free(&st);
		return 0;
	}
	if (core_find(st.id, &j, &e) < 0 || oci_jail_pids(j.init_pid, false, &pids, &n, &e) < 0) {
		core_jail_free(&j);
		oci_state_free(&st);
		return oci_fail(&e);
	}
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	core_jail_free(&j);
	oci_state_free(&st);
	return 0;
}

/* How long delete waits for a container's holder to end (its stop waits
 * for the jail's lock up to 30 s by default: core/lock.c). */
#define HOLDER_WAIT_MS 35000

/* Stop container id's jail if it is running. */
static void stop_jail(const char *id)
{
	char *names[] = { (char *)id };
	struct brig_err e = { 0 };

	if (core_is_running(id, &e) == 1 && core_stop(NULL, names, 1, &(struct core_ops){ .quiet = true }) != 0)
		oci_log("warning", "%s: stopping its jail failed", id);
}

static int oc_delete(int argc, char **argv)
{
	bool force = false;
	const struct oci_arg spec[] = { OPT_FLAG("force", "f", &force), OPT_END };
	struct brig_err e = { 0 };
	struct oci_state st;
	struct oci_spec s;
	enum oci_status status;
	cleanup_free char *dir = NULL;
	const char *id;
	int first;

	if (oci_args(argc, argv, spec, &first, &e) < 0 || oci_one_id(argc, argv, first, &id, &e) < 0)
		return oci_fail(&e);
	if (oci_load(id, &st, &status, &e) < 0)
		return force ? 0 : oci_fail(&e);
	if ((status == OCI_RUNNING || status == OCI_PAUSED) && !force) {
		brig_err_set(&e, 0, "container \"%s\" is %s: cannot delete it (stop it first, or --force)", id,
			     oci_status_name(status));
		oci_state_free(&st);
		return oci_fail(&e);
	}
	/* The jail, unless its holder is taking it down already (the
	 * container's process has ended), then the holder: it ends once the
	 * process has, its own stop finding nothing left. A holder is never
	 * killed in the middle of its stop, which would leave the jail half
	 * stopped (and a stale state.brig-PID beside its state); one that
	 * was killed before it stopped anything leaves the jail to us. */
	if (status != OCI_STOPPED)
		stop_jail(id);
	if (st.holder > 0) {
		int fd = proc_pidfd(st.holder, st.holder_start, &e);

		if (fd >= 0 && proc_wait_exit(fd, HOLDER_WAIT_MS) != 1) {
			oci_log("warning", "%s: its holder (pid %d) did not end: killed", id, (int)st.holder);
			proc_kill_wait(fd);
		}
		if (fd >= 0)
			close(fd);
		brig_err_clear(&e);
	}
	stop_jail(id);
	dir = oci_dir(oci_g.root, id);
	if (oci_spec_load(dir, st.bundle, id, &s, &e) == 0 &&
	    oci_hooks(&s, OCI_HOOK_POSTSTOP, &st, OCI_STOPPED, &e) < 0)
		oci_log("warning", "%s: %s", id, e.msg);
	oci_spec_free(&s);
	oci_forget(id);
	oci_state_free(&st);
	return 0;
}

static int oc_list(int argc, char **argv)
{
	const char *format = "table";
	bool quiet = false;
	const struct oci_arg spec[] = { OPT_STR("format", "f", &format), OPT_FLAG("quiet", "q", &quiet), OPT_END };
	struct brig_err e = { 0 };
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	size_t n;
	char **ids;
	int first;

	if (oci_args(argc, argv, spec, &first, &e) < 0)
		return oci_fail(&e);
	ids = oci_list(oci_g.root, &n);
	json_init(&j, &sb, false);
	if (strcmp(format, "json") == 0)
		json_arr_begin(&j);
	else if (!quiet)
		printf("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (size_t i = 0; i < n; i++) {
		struct oci_state st;
		enum oci_status status;

		if (oci_load(ids[i], &st, &status, &e) < 0) {
			brig_err_clear(&e);
			free(ids[i]);
			continue;
		}
		if (strcmp(format, "json") == 0)
			oci_state_json_into(&st, status, &j);
		else if (quiet)
			printf("%s\n", st.id);
		else
			printf("%-12s %-8d %-10s %-40s %-30s %s\n", st.id,
			       status == OCI_STOPPED ? 0 : (int)st.pid, oci_status_name(status), st.bundle,
			       st.created, "root");
		oci_state_free(&st);
		free(ids[i]);
	}
	free(ids);
	if (strcmp(format, "json") == 0) {
		json_arr_end(&j);
		printf("%s\n", sb.s);
	}
	sb_free(&sb);
	return 0;
}

static int oc_ps(int argc, char **argv)
{
	const char *format = "table";
	const struct oci_arg spec[] = { OPT_STR("format", "f", &format), OPT_END };
	struct brig_err e = { 0 };
	struct core_jail j = { 0 };
	struct oci_state st;
	enum oci_status status;
	pid_t *pids = NULL;
	size_t n = 0;
	int first;

	if (oci_args(argc, argv, spec, &first, &e) < 0 || first >= argc ||
	    oci_load(argv[first], &st, &status, &e) < 0) {
		if (!e.msg[0])
			brig_err_set(&e, 0, "ps: a container id is needed");
		return oci_fail(&e);
	}
	if (status == OCI_STOPPED || core_find(st.id, &j, &e) < 0 ||
	    oci_jail_pids(j.init_pid, false, &pids, &n, &e) < 0) {
		if (!e.msg[0])
			brig_err_set(&e, 0, "container \"%s\" is not running", st.id);
		core_jail_free(&j);
		oci_state_free(&st);
		return oci_fail(&e);
	}
	if (strcmp(format, "json") == 0) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
	} else {
		printf("%-8s %s\n", "PID", "CMD");
		for (size_t i = 0; i < n; i++) {
			cleanup_free char *path = xasprintf("/proc/%d/comm", (int)pids[i]);
			cleanup_free char *comm = NULL;
			struct brig_err ce = { 0 };

			if (read_bounded(AT_FDCWD, path, READ_AT, 64, &comm, NULL, &ce) < 0)
				continue;
			comm[strcspn(comm, "\n")] = '\0';
			printf("%-8d %s\n", (int)pids[i], comm);
		}
	}
	free(pids);
	core_jail_free(&j);
	oci_state_free(&st);
	return 0;
}

static int set_frozen(int argc, char **argv, bool freeze)
{
	const struct oci_arg spec[] = { OPT_END };
	struct brig_err e = { 0 };
	struct oci_state st;
	enum oci_status status;
	cleanup_free char *dir = NULL;
	cleanup_free char *path = NULL;
	const char *id;
	int first;

	if (oci_args(argc, argv, spec, &first, &e) < 0 || oci_one_id(argc, argv, first, &id, &e) < 0 ||
	    oci_load(id, &st, &status, &e) < 0)
		return oci_fail(&e);
	oci_state_free(&st);
	if (status != (freeze ? OCI_RUNNING : OCI_PAUSED)) {
		brig_err_set(&e, 0, "container \"%s\" is %s, not %s", id, oci_status_name(status),
			     freeze ? "running" : "paused");
		return oci_fail(&e);
	}
	dir = v2_dir(id);
	if (!dir) {
		brig_err_set(&e, 0, "container \"%s\": %s needs a cgroup v2 group (the freezer of cgroup v1 "
			     "is not supported)", id, freeze ? "pause" : "resume");
		return oci_fail(&e);
	}
	path = xasprintf("%s/cgroup.freeze", dir);
	{
		int fd = open(path, O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, freeze ? "1" : "0", 1) != 1) {
			brig_err_set(&e, errno, "%s", path);
			if (fd >= 0)
				close(fd);
			return oci_fail(&e);
		}
		close(fd);
	}
	return 0;
}

static int oc_pause(int argc, char **argv)
{
	return set_frozen(argc, argv, true);
}

static int oc_resume(int argc, char **argv)
{
	return set_frozen(argc, argv, false);
}

/* The resource of an rctl rule: "memoryuse" of "memoryuse:deny=1". */
static bool same_resource(const char *a, const char *b)
{
	size_t la = strcspn(a, ":"), lb = strcspn(b, ":");

	return la == lb && strncmp(a, b, la) == 0;
}

/* update: the running jail's limits (its rctl rules, changed live by
 * core_modify as rctl -a does), from --resources FILE (linux.resources
 * JSON, - for stdin) or runc's flags. */
static int oc_update(int argc, char **argv)
{
	const char *res = NULL, *memory = NULL, *swap = NULL, *pids = NULL, *quota = NULL, *period = NULL;
	const struct oci_arg spec[] = {
		OPT_STR("resources", "r", &res), OPT_STR("memory", "m", &memory), OPT_STR("memory-swap", NULL, &swap),
		OPT_STR("pids-limit", NULL, &pids), OPT_STR("cpu-quota", NULL, &quota),
		OPT_STR("cpu-period", NULL, &period), OPT_END,
	};
	struct brig_err e = { 0 };
	struct strbuf json = STRBUF_INIT;
	struct core_jail j = { 0 };
	struct oci_state st;
	enum oci_status status;
	struct jail_def *with = NULL;
	const enum jparam ids[] = { JP_RCTL };
	char **rules = NULL, **names = NULL, **values = NULL;
	char *const *old;
	size_t n = 0, nold = 0, nv = 0;
	const char *id;
	int first, rc = 1;

	if (oci_args(argc, argv, spec, &first, &e) < 0 || oci_one_id(argc, argv, first, &id, &e) < 0 ||
	    oci_load(id, &st, &status, &e) < 0)
		return oci_fail(&e);
	oci_state_free(&st);
	if (status != OCI_RUNNING && status != OCI_CREATED && status != OCI_PAUSED) {
		brig_err_set(&e, 0, "container \"%s\" is %s: nothing to update", id, oci_status_name(status));
		return oci_fail(&e);
	}
	if (res && strcmp(res, "-") == 0) {
		if (read_to_end(0, &json) < 0) {
			brig_err_set(&e, errno, "update: reading the resources from stdin");
			return oci_fail(&e);
		}
	} else if (res) {
		cleanup_free char *text = NULL;
		size_t len = 0;

		if (read_bounded(AT_FDCWD, res, READ_PATH, 1 << 20, &text, &len, &e) < 0)
			return oci_fail(&e);
		sb_addn(&json, text, len);
	} else {
		/* runc's flags, as the linux.resources they stand for. */
		sb_adds(&json, "{\"memory\":{");
		if (memory)
			sb_addf(&json, "\"limit\":%s%s", memory, swap ? "," : "");
		if (swap)
			sb_addf(&json, "\"swap\":%s", swap);
		sb_adds(&json, "}");
		if (pids)
			sb_addf(&json, ",\"pids\":{\"limit\":%s}", pids);
		if (quota || period)
			sb_addf(&json, ",\"cpu\":{%s%s%s%s%s}", quota ? "\"quota\":" : "", quota ? quota : "",
				quota && period ? "," : "", period ? "\"period\":" : "", period ? period : "");
		sb_adds(&json, "}");
	}
	if (oci_resources_rules(json.s ? json.s : "{}", json.len, &rules, &n, &e) < 0 ||
	    core_find(id, &j, &e) < 0)
		goto out;
	/* The rules it has, but for the resources given now. */
	old = j.def ? jd_list(j.def, JP_RCTL, &nold) : NULL;
	names = xcalloc(nold + n + 1, sizeof(char *));
	values = xcalloc(nold + n + 1, sizeof(char *));
	for (size_t i = 0; i < nold; i++) {
		bool replaced = false;

		for (size_t k = 0; k < n && !replaced; k++)
			replaced = same_resource(old[i], rules[k]);
		if (!replaced) {
			names[nv] = (char *)jd_name(JP_RCTL);
			values[nv++] = old[i];
		}
	}
	for (size_t k = 0; k < n; k++) {
		names[nv] = (char *)jd_name(JP_RCTL);
		values[nv++] = rules[k];
	}
	with = jail_def_from_params(id, names, values, nv);
	if (nv == 0)
		brig_err_clear(&e);
	if (core_modify(with, ids, 1, &e) == 0)
		rc = 0;
out:
	if (rc)
		oci_fail(&e);
	if (with)
		jail_def_free(with);
	free(names);
	free(values);
	for (size_t k = 0; k < n; k++)
		free(rules[k]);
	free(rules);
	core_jail_free(&j);
	sb_free(&json);
	return rc;
}

static int oc_run(int argc, char **argv)
{
	const char *bundle = NULL, *pid_file = NULL, *console = NULL, *id;
	bool detach = false;
	const struct oci_arg spec[] = {
		OPT_STR("bundle", "b", &bundle), OPT_STR("pid-file", NULL, &pid_file),
		OPT_STR("console-socket", NULL, &console), OPT_FLAG("detach", "d", &detach), OPT_END,
	};
	char *start_argv[] = { (char *)"start", NULL, NULL };
	char *del_argv[] = { (char *)"delete", NULL, NULL };
	struct brig_err e = { 0 };
	pid_t pid;
	int first, st;

	/* The container's process is left to the nearest subreaper: be it,
	 * to wait for it. */
	if (!detach)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (oci_args(argc, argv, spec, &first, &e) < 0 || oci_one_id(argc, argv, first, &id, &e) < 0 ||
	    oci_create(id, bundle, pid_file, console, &pid, &e) < 0)
		return oci_fail(&e);
	start_argv[1] = del_argv[1] = (char *)id;
	if (oc_start(2, start_argv) != 0)
		return 1;
	if (detach)
		return 0;
	/* The container's process is ours now (its parent has ended). */
	st = proc_waitpid(pid);
	oc_delete(2, del_argv);
	return st < 0 ? 1 : proc_exit_code(st);
}

static int oc_features(int argc, char **argv)
{
	puts("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" OCI_VERSION "\","
	     "\"hooks\":[\"prestart\",\"createRuntime\",\"createContainer\",\"startContainer\",\"poststart\",\"poststop\"],"
	     "\"mountOptions\":[\"bind\",\"rbind\",\"ro\",\"rw\",\"nosuid\",\"suid\",\"nodev\",\"noexec\","
	     "\"exec\",\"noatime\",\"nodiratime\",\"relatime\",\"strictatime\",\"private\",\"rprivate\","
	     "\"slave\",\"rslave\"],"
	     "\"linux\":{\"namespaces\":[\"pid\",\"network\",\"ipc\",\"uts\",\"mount\",\"user\",\"cgroup\"],"
	     "\"capabilities\":[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FSETID\",\"CAP_FOWNER\","
	     "\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETFCAP\",\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\","
	     "\"CAP_SYS_CHROOT\",\"CAP_KILL\",\"CAP_AUDIT_WRITE\",\"CAP_NET_RAW\",\"CAP_IPC_LOCK\","
	     "\"CAP_SYS_TIME\",\"CAP_LINUX_IMMUTABLE\"],"
	     "\"cgroup\":{\"v1\":true,\"v2\":true,\"systemd\":false,\"systemdUser\":false},"
	     "\"seccomp\":{\"enabled\":true,\"actions\":[\"SCMP_ACT_ALLOW\",\"SCMP_ACT_ERRNO\","
	     "\"SCMP_ACT_KILL\",\"SCMP_ACT_KILL_PROCESS\",\"SCMP_ACT_KILL_THREAD\",\"SCMP_ACT_LOG\","
	     "\"SCMP_ACT_TRACE\",\"SCMP_ACT_TRAP\"],\"operators\":[\"SCMP_CMP_EQ\",\"SCMP_CMP_GE\","
	     "\"SCMP_CMP_GT\",\"SCMP_CMP_LE\",\"SCMP_CMP_LT\",\"SCMP_CMP_MASKED_EQ\",\"SCMP_CMP_NE\"]},"
	     "\"apparmor\":{\"enabled\":false},"
	     "\"selinux\":{\"enabled\":false}},"
	     "\"annotations\":{\"org.opencontainers.runc.version\":\"brig-oci\"}}");
	return 0;
}

static int oc_spec(int argc, char **argv)
{
	const char *bundle = ".";
	bool rootless = false;
	const struct oci_arg spec[] = { OPT_STR("bundle", "b", &bundle), OPT_FLAG("rootless", NULL, &rootless),
					OPT_END };
	struct brig_err e = { 0 };
	cleanup_free char *path = NULL;
	cleanup_free char *text = NULL;
	int first;

	if (oci_args(argc, argv, spec, &first, &e) < 0)
		return oci_fail(&e);
	path = xasprintf("%s/config.json", bundle);
	if (access(path, F_OK) == 0) {
		brig_err_set(&e, 0, "%s exists already", path);
		return oci_fail(&e);
	}
	text = oci_spec_default(rootless);
	if (write_atomic(path, text, strlen(text), false, &e) < 0)
		return oci_fail(&e);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} oci_cmds[] = {
	{ "create", oc_create, "create [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] ID" },
	{ "start", oc_start, "start ID" },
	{ "state", oc_state, "state ID" },
	{ "kill", oc_kill, "kill [--all] ID [SIGNAL]" },
	{ "delete", oc_delete, "delete [--force] ID" },
	{ "list", oc_list, "list [--format table|json] [--quiet]" },
	{ "ps", oc_ps, "ps [--format table|json] ID" },
	{ "exec", oci_cmd_exec, "exec [--process FILE] [--tty] [--detach] [--pid-file FILE] "
				"[--console-socket SOCK] [--env K=V] [--cwd DIR] [--user UID[:GID]] ID [ARGS...]" },
	{ "update", oc_update, "update [--resources FILE|-] [--memory N] [--memory-swap N] [--pids-limit N] "
			       "[--cpu-quota N] [--cpu-period N] ID" },
	{ "pause", oc_pause, "pause ID" },
	{ "resume", oc_resume, "resume ID" },
	{ "run", oc_run, "run [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] [--detach] ID" },
	{ "features", oc_features, "features" },
	{ "spec", oc_spec, "spec [--bundle DIR] [--rootless]" },
};

static void oci_usage(FILE *f)
{
	fprintf(f, "usage: brig-oci [--root DIR] [--log FILE] [--log-format text|json] COMMAND ...\n"
		   "       (also: brig oci ...)\n\n"
		   "The OCI runtime command line (runc's) over brig's jails: a container is a jail\n"
		   "named by its id, started from its bundle's config.json; brig ls, jls and brig\n"
		   "exec see it. Records under --root (default " OCI_ROOT_DEFAULT ").\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(oci_cmds); i++)
		fprintf(f, "  %s\n", oci_cmds[i].usage);
}

int fe_oci(int argc, char **argv)
{
	const char *format = NULL, *cgroup_manager = NULL, *criu = NULL, *rootless = NULL;
	bool systemd_cgroup = false, help = false, version = false;
	const struct oci_arg globals[] = {
		OPT_STR("root", NULL, &oci_g.root), OPT_STR("log", NULL, &oci_g.log),
		OPT_STR("log-format", NULL, &format), OPT_FLAG("debug", NULL, &oci_g.debug), OPT_FLAG("systemd-cgroup", NULL, &systemd_cgroup),
		OPT_STR("cgroup-manager", NULL, &cgroup_manager), OPT_STR("criu", NULL, &criu),
		OPT_STR("rootless", NULL, &rootless), OPT_FLAG("help", "h", &help),
		OPT_FLAG("version", "v", &version), OPT_END,
	};
	struct brig_err e = { 0 };
	int first;

	cli_prog = "brig-oci";
	if (oci_args(argc, argv, globals, &first, &e) < 0)
		return oci_fail(&e);
	if (format && strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
		brig_err_set(&e, 0, "--log-format %s: text or json", format);
		return oci_fail(&e);
	}
	oci_g.log_json = format && strcmp(format, "json") == 0;
	if (version) {
		printf("brig-oci (brig)\nspec: " OCI_VERSION "\n");
		return 0;
	}
	if (help || first >= argc) {
		oci_usage(help ? stdout : stderr);
		return help ? 0 : 2;
	}
	if (systemd_cgroup || (cgroup_manager && strcmp(cgroup_manager, "cgroupfs") != 0)) {
		brig_err_set(&e, 0, "%s: not supported: brig manages the jail's cgroups itself "
			     "(use the cgroupfs manager)", systemd_cgroup ? "--systemd-cgroup" : "--cgroup-manager");
		return oci_fail(&e);
	}
	for (size_t i = 0; i < ARRAY_SIZE(oci_cmds); i++) {
		if (strcmp(argv[first], oci_cmds[i].name) != 0)
			continue;
		if (first + 1 < argc && (!strcmp(argv[first + 1], "--help") || !strcmp(argv[first + 1], "-h"))) {
			printf("usage: brig-oci %s\n", oci_cmds[i].usage);
			return 0;
		}
		return oci_cmds[i].fn(argc - first, argv + first);
	}
	brig_err_set(&e, 0, "unknown command \"%s\" (see brig-oci --help)", argv[first]);
	return oci_fail(&e);
}

/* brig oci ...: the same. */
int cmd_oci(int argc, char **argv)
{
	return fe_oci(argc, argv);
}
