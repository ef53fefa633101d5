/* brig-oci exec: another process in a container's jail, as runc's exec:
 * from --process FILE (a config.json process object) or the command
 * line; --detach leaves it running, its pid in --pid-file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/fe_oci.h"
#include "core/core.h"
#include "oci/seccomp.h"
#include "sys/passwd.h"
#include "sys/proc.h"
#include "sys/spawn.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/writefile.h"

struct exec_run {
	const char *id;
	struct core_exec_opts o;
};

static int exec_process(struct exec_run *x, struct brig_err *e)
{
	struct core_jail j = { 0 };
	int rc;

	if (core_find(x->id, &j, e) < 0)
		return -1;
	rc = core_exec(&j, &x->o, e);
	core_jail_free(&j);
	return rc;
}

/* exec --detach's hold (sys/enter.h): none, execute at once. */
static int hold_none(void *ctx, struct brig_err *e)
{
	(void)ctx;
	(void)e;
	return 0;
}

/* "UID[:GID]" */
static int parse_user(const char *s, struct oci_spec *p, struct brig_err *e)
{
	char *end;
	unsigned long uid = strtoul(s, &end, 10), gid = 0;

	if (end == s || (*end && *end != ':'))
		return brig_err_set(e, 0, "--user %s: UID[:GID] as numbers", s);
	if (*end == ':') {
		const char *g = end + 1;

		gid = strtoul(g, &end, 10);
		if (end == g || *end)
			return brig_err_set(e, 0, "--user %s: UID[:GID] as numbers", s);
	}
	p->uid = (uid_t)uid;
	p->gid = (gid_t)gid;
	return 0;
}

int oci_cmd_exec(int argc, char **argv)
{
	const char *process = NULL, *pid_file = NULL, *console = NULL, *cwd = NULL, *user = NULL,
		   *fds = NULL, *label = NULL, *apparmor = NULL;
	bool tty = false, detach = false, nnp = false;
	char **env = NULL, **caps = NULL;
	size_t nenv = 0, ncaps = 0;
	const struct oci_arg spec[] = {
		OPT_STR("process", "p", &process), OPT_STR("pid-file", NULL, &pid_file),
		OPT_STR("console-socket", NULL, &console), OPT_STR("cwd", NULL, &cwd), OPT_STR("user", "u", &user),
		OPT_FLAG("tty", "t", &tty), OPT_FLAG("detach", "d", &detach),
		OPT_FLAG("no-new-privs", NULL, &nnp), OPT_LIST("env", "e", &env, &nenv),
		OPT_LIST("cap", "c", &caps, &ncaps), OPT_STR("preserve-fds", NULL, &fds),
		OPT_STR("process-label", NULL, &label), OPT_STR("apparmor", NULL, &apparmor), OPT_END,
	};
	struct brig_err e = { 0 };
	struct oci_spec p = { 0 };
	struct oci_state st;
	enum oci_status status;
	struct jail_user u = { .name = (char *)"oci", .home = (char *)"/", .shell = (char *)"/bin/sh" };
	struct exec_run x = { 0 };
	struct seccomp_prog filter = { 0 };
	cleanup_free gid_t *groups = NULL;
	int first, sock = 0, rc = 1;

	if (oci_args(argc, argv, spec, &first, &e) < 0)
		goto out;
	if (first >= argc) {
		brig_err_set(&e, 0, "exec: a container id is needed");
		goto out;
	}
	x.id = argv[first];
	if (fds && strcmp(fds, "0") != 0) {
		brig_err_set(&e, 0, "exec: --preserve-fds %s: not supported by brig", fds);
		goto out;
	}
	if (ncaps) {
		brig_err_set(&e, 0, "exec: --cap: not supported by brig (the jail's set applies)");
		goto out;
	}
	if (process) {
		cleanup_free char *text = NULL;
		size_t len = 0;

		if (first + 1 < argc) {
			brig_err_set(&e, 0, "exec: --process and a command line: one or the other");
			goto out;
		}
		if (read_bounded(AT_FDCWD, process, READ_PATH, 1 << 20, &text, &len, &e) < 0 ||
		    oci_process_parse(text, len, &p, &e) < 0)
			goto out;
	} else {
		if (first + 1 >= argc) {
			brig_err_set(&e, 0, "exec: a command (or --process FILE) is needed");
			goto out;
		}
		p.args = xcalloc((size_t)(argc - first), sizeof(char *));
		for (int i = first + 1; i < argc; i++)
			p.args[i - first - 1] = xstrdup(argv[i]);
		p.env = xcalloc(nenv + 2, sizeof(char *));
		p.env[0] = xstrdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
		for (size_t i = 0; i < nenv; i++)
			p.env[i + 1] = xstrdup(env[i]);
		p.cwd = xstrdup(cwd ? cwd : "/");
		p.terminal = tty;
		p.no_new_privs = nnp;
		if (user && parse_user(user, &p, &e) < 0)
			goto out;
	}
	if (label || apparmor)
		oci_log("warning", "exec: --process-label, --apparmor: ignored (brig confines with namespaces, "
			"capabilities and seccomp)");
	if (oci_load(x.id, &st, &status, &e) < 0)
		goto out;
	oci_state_free(&st);
	if (status != OCI_RUNNING && status != OCI_CREATED) {
		brig_err_set(&e, 0, "container \"%s\" is %s: cannot exec in it", x.id, oci_status_name(status));
		goto out;
	}
	if (p.terminal && console) {
		struct core_jail j = { 0 };
		int r = core_find(x.id, &j, &e) < 0 ? -1 : oci_console(j.init_pid, console, &sock, &e);

		core_jail_free(&j);
		if (r < 0)
			goto out;
	}
	/* The container's own seccomp profile applies to what exec enters. */
	{
		cleanup_free char *dir = oci_dir(oci_g.root, x.id);
		struct oci_spec cs;

		if (oci_spec_load(dir, "/", x.id, &cs, &e) < 0) {
			oci_spec_free(&cs);
			goto out;
		}
		if (cs.seccomp && oci_seccomp_compile(cs.seccomp, &filter, &e) < 0) {
			oci_spec_free(&cs);
			goto out;
		}
		oci_spec_free(&cs);
	}
	u.uid = p.uid;
	u.gid = p.gid;
	groups = xcalloc(p.ngids + 1, sizeof(gid_t));
	groups[0] = p.gid;
	if (p.ngids)
		memcpy(groups + 1, p.gids, p.ngids * sizeof(gid_t));
	u.groups = groups;
	u.ngroups = p.ngids + 1;
	x.o = (struct core_exec_opts){ .argv = p.args, .as = &u, .dir = p.cwd, .env = p.env, .caps = p.caps,
				       .no_new_privs = p.no_new_privs, .console = sock,
				       .tty = p.terminal ? CORE_TTY_ALWAYS : CORE_TTY_AUTO,
				       .filter = filter.len ? &filter : NULL };
	if (detach) {
		pid_t pid = 0;
		char buf[24];

		/* As create's process, held for nothing: core_exec returns once
		 * it has executed, its pid (of our PID namespace) in pid; it
		 * goes on as a child of the nearest subreaper (conmon,
		 * containerd's shim), as runc's exec --detach leaves it. */
		x.o.hold = hold_none;
		x.o.hold_fd = -1;
		x.o.held = &pid;
		if (exec_process(&x, &e) < 0)
			goto out;
		snprintf(buf, sizeof(buf), "%d", (int)pid);
		if (pid_file && write_atomic(pid_file, buf, strlen(buf), false, &e) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	if (pid_file) {
		char buf[24];

		snprintf(buf, sizeof(buf), "%d", (int)getpid());
		if (write_atomic(pid_file, buf, strlen(buf), false, &e) < 0)
			goto out;
	}
	rc = exec_process(&x, &e);
	if (rc < 0)
		rc = 255;
out:
	if (e.msg[0])
		oci_fail(&e);
	if (sock > 2)
		close(sock);
	free(env);
	free(caps);
	free((void *)filter.bpf);
	oci_spec_free(&p);
	return rc;
}
