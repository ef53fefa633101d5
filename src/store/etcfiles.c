/* What every template gets in /etc: the host's resolv.conf and localtime
 * (as the seed copies them), and FreeBSD-style rc scripts when it has none. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/readfile.h"
#include "util/writefile.h"

#define HOST_FILE_MAX (1024 * 1024)

/* Shell functions shared by rc, rc.shutdown and init scripts. */
static const char rc_subr[] =
	"# /etc/rc.subr: shell functions for /etc/rc, /etc/rc.shutdown and the\n"
	"# service scripts in /etc/init.d (written by brig; edit freely).\n"
	"\n"
	"PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin\n"
	"export PATH\n"
	"\n"
	"# load_rc_config: read /etc/rc.conf, then /etc/rc.conf.local.\n"
	"load_rc_config() {\n"
	"\t[ -r /etc/rc.conf ] && . /etc/rc.conf\n"
	"\t[ -r /etc/rc.conf.local ] && . /etc/rc.conf.local\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"# checkyesno VAR: is $VAR YES (or TRUE, ON, 1, any case)?\n"
	"checkyesno() {\n"
	"\teval \"_v=\\${$1:-}\"\n"
	"\tcase \"$_v\" in\n"
	"\t[Yy][Ee][Ss] | [Tt][Rr][Uu][Ee] | [Oo][Nn] | 1) return 0 ;;\n"
	"\t*) return 1 ;;\n"
	"\tesac\n"
	"}\n"
	"\n"
	"# rc_enabled_list: the enabled services in start order: those named in\n"
	"# $rc_order first, then the others in the order of their NAME_enable\n"
	"# lines in rc.conf and rc.conf.local.\n"
	"rc_enabled_list() {\n"
	"\t_seen=' '\n"
	"\tfor _n in ${rc_order:-} $(sed -n 's/^[[:space:]]*\\([A-Za-z_][A-Za-z0-9_]*\\)_enable=.*/\\1/p' \\\n"
	"\t\t/etc/rc.conf /etc/rc.conf.local 2>/dev/null); do\n"
	"\t\tcase \"$_n\" in '' | *[!A-Za-z0-9_]*) continue ;; esac\n"
	"\t\tcase \"$_seen\" in *\" $_n \"*) continue ;; esac\n"
	"\t\t_seen=\"$_seen$_n \"\n"
	"\t\tcheckyesno \"${_n}_enable\" && echo \"$_n\"\n"
	"\tdone\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"# rc_service NAME ACTION: run the service's own script: /etc/rc.d/NAME,\n"
	"# else /etc/init.d/NAME (each also tried with '_' read as '-').\n"
	"rc_service() {\n"
	"\t_d=$(echo \"$1\" | tr _ -)\n"
	"\tfor _s in \"/etc/rc.d/$1\" \"/etc/init.d/$1\" \"/etc/rc.d/$_d\" \"/etc/init.d/$_d\"; do\n"
	"\t\tif [ -x \"$_s\" ]; then \"$_s\" \"$2\"; return; fi\n"
	"\t\tif [ -f \"$_s\" ]; then /bin/sh \"$_s\" \"$2\"; return; fi\n"
	"\tdone\n"
	"\techo \"$1: no /etc/rc.d/$1 or /etc/init.d/$1 script\" >&2\n"
	"\treturn 1\n"
	"}\n"
	"\n"
	"# run_rc_command ACTION: start, stop, restart or status the daemon that a\n"
	"# script in /etc/init.d describes with $name, $command (which must stay\n"
	"# in the foreground), $command_args and ${name}_flags from rc.conf. It\n"
	"# runs under start-stop-daemon, its pid in /var/run/$name.pid, its\n"
	"# output (stdout, stderr) where rc's goes: the jail's console log.\n"
	"run_rc_command() {\n"
	"\tload_rc_config\n"
	"\teval \"_flags=\\${${name}_flags:-}\"\n"
	"\t_pidfile=${pidfile:-/var/run/$name.pid}\n"
	"\tmkdir -p /var/run\n"
	"\tcase \"$1\" in\n"
	"\tstart)\n"
	"\t\tif start-stop-daemon -K -t -p \"$_pidfile\" >/dev/null 2>&1; then\n"
	"\t\t\techo \"$name is already running.\"\n"
	"\t\t\treturn 1\n"
	"\t\tfi\n"
	"\t\t# In the background, but not through -b, which would send its\n"
	"\t\t# output to /dev/null: it keeps rc's, the jail's console log.\n"
	"\t\t# -m writes start-stop-daemon's own pid, which the daemon becomes.\n"
	"\t\t# shellcheck disable=SC2086\n"
	"\t\tstart-stop-daemon -S -m -p \"$_pidfile\" -x \"$command\" -- $command_args $_flags \\\n"
	"\t\t\t</dev/null &\n"
	"\t\t;;\n"
	"\tstop)\n"
	"\t\tstart-stop-daemon -K -p \"$_pidfile\" >/dev/null && rm -f \"$_pidfile\" ;;\n"
	"\trestart)\n"
	"\t\trun_rc_command stop\n"
	"\t\trun_rc_command start ;;\n"
	"\tstatus)\n"
	"\t\tif start-stop-daemon -K -t -p \"$_pidfile\" >/dev/null 2>&1; then\n"
	"\t\t\techo \"$name is running as pid $(cat \"$_pidfile\").\"\n"
	"\t\telse\n"
	"\t\t\techo \"$name is not running.\"\n"
	"\t\t\treturn 1\n"
	"\t\tfi ;;\n"
	"\t*)\n"
	"\t\techo \"usage: $0 start|stop|restart|status\" >&2\n"
	"\t\treturn 2 ;;\n"
	"\tesac\n"
	"}\n";

static const char rc_script[] =
	"#!/bin/sh\n"
	"# /etc/rc: start this jail's services (written by brig; edit freely).\n"
	"#\n"
	"# A service NAME is enabled by NAME_enable=\"YES\" in /etc/rc.conf (or\n"
	"# /etc/rc.conf.local). Enabled services start in the order given by\n"
	"# rc_order=\"NAME ...\" when it is set, the others after them in the order\n"
	"# of their NAME_enable lines; each with its own script, called as\n"
	"# `/etc/rc.d/NAME start`, else `/etc/init.d/NAME start`.\n"
	"# /etc/rc.shutdown stops them in the reverse order.\n"
	"\n"
	". /etc/rc.subr\n"
	"umask 022\n"
	"cd /\n"
	"load_rc_config\n"
	"for svc in $(rc_enabled_list); do\n"
	"\techo \"Starting $svc.\"\n"
	"\trc_service \"$svc\" start || echo \"rc: $svc: start failed\" >&2\n"
	"done\n"
	"exit 0\n";

static const char rc_shutdown[] =
	"#!/bin/sh\n"
	"# /etc/rc.shutdown: stop this jail's services in the reverse of the order\n"
	"# /etc/rc starts them (written by brig; edit freely).\n"
	"\n"
	". /etc/rc.subr\n"
	"cd /\n"
	"load_rc_config\n"
	"rev=\n"
	"for svc in $(rc_enabled_list); do\n"
	"\trev=\"$svc $rev\"\n"
	"done\n"
	"for svc in $rev; do\n"
	"\techo \"Stopping $svc.\"\n"
	"\trc_service \"$svc\" stop || echo \"rc.shutdown: $svc: stop failed\" >&2\n"
	"done\n"
	"exit 0\n";

/* Copy the host's file at path (following the host's own symlinks) into
 * etcfd/name, replacing whatever is there without following it. A host
 * without the file is fine. */
static int copy_host_file(const char *path, int etcfd, const char *name, struct brig_err *e)
{
	cleanup_free char *real = realpath(path, NULL);
	cleanup_free char *data = NULL;
	struct brig_err ignored;
	size_t len;

	if (!real || read_bounded(AT_FDCWD, real, READ_AT, HOST_FILE_MAX, &data, &len, &ignored) < 0)
		return 0;
	if (write_atomic_at(etcfd, name, data, len, 0644, true, e) < 0)
		return brig_err_wrap(e, "etc");
	return 0;
}

/* Write etcfd/name unless the root has one. */
static int write_if_missing(int etcfd, const char *name, const char *text, mode_t mode,
			    struct brig_err *e)
{
	int rc = fs_exists(etcfd, name, e);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (write_atomic_at(etcfd, name, text, strlen(text), mode, true, e) < 0)
		return brig_err_wrap(e, "etc");
	return 0;
}

/* resolv.conf and localtime from the host; rc and rc.shutdown if missing. */
int etc_install(int rootfd, struct brig_err *e)
{
	cleanup_close int etcfd = mkdirp_open(rootfd, "etc", 0755, MKDIRP_BENEATH, e);
	int rc;

	if (etcfd < 0)
		return -1;
	if (copy_host_file("/etc/resolv.conf", etcfd, "resolv.conf", e) < 0 ||
	    copy_host_file("/etc/localtime", etcfd, "localtime", e) < 0)
		return -1;
	rc = fs_exists(etcfd, "rc", e);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (write_if_missing(etcfd, "rc.subr", rc_subr, 0644, e) < 0 ||
	    write_if_missing(etcfd, "rc", rc_script, 0755, e) < 0 ||
	    write_if_missing(etcfd, "rc.shutdown", rc_shutdown, 0755, e) < 0)
		return -1;
	return 0;
}

/* ---- the busybox root's services ---- */

/* An init script: name, the applet's path, arguments that keep it in the
 * foreground, default ${name}_flags. */
struct service {
	const char *name;
	const char *command;
	const char *args;
	const char *flags;
	const char *what;
};

static const struct service busybox_services[] = {
	{ "httpd", "/usr/sbin/httpd", "-f", "-p 80 -h /var/www", "busybox httpd: serves /var/www" },
	{ "nc", "/usr/bin/nc", "-ll", "-p 7 -e /bin/cat",
	  "a TCP listener (busybox nc): runs a program for every connection; the default echoes" },
	{ "syslogd", "/sbin/syslogd", "-n", "-O /var/log/messages",
	  "busybox syslogd: logs to the jail's /var/log/messages" },
	{ "crond", "/usr/sbin/crond", "-f", "-c /var/spool/cron/crontabs",
	  "busybox crond: runs the crontabs of /var/spool/cron/crontabs (crontab -e)" },
	{ "udhcpd", "/usr/sbin/udhcpd", "-f", "/etc/udhcpd.conf",
	  "busybox udhcpd, a DHCP server (UDP 67): the one UDP server busybox-static has" },
};

static const char rc_conf[] =
	"# /etc/rc.conf: the services this jail's /etc/rc starts, in this order.\n"
	"# Enable one with NAME_enable=\"YES\"; NAME_flags replaces its default\n"
	"# arguments. Scripts are in /etc/init.d (see /etc/rc.subr to add one).\n"
	"# Their output goes to the jail's console log (brig logs JAIL).\n"
	"#\n"
	"# On by default, as on FreeBSD: set them to \"NO\" to turn them off (a\n"
	"# jail ends when its last process does, unless it has persist).\n"
	"syslogd_enable=\"YES\"\n"
	"#syslogd_flags=\"-O /var/log/messages\"\n"
	"crond_enable=\"YES\"\n"
	"#crond_flags=\"-c /var/spool/cron/crontabs\"\n"
	"#\n"
	"#httpd_enable=\"YES\"\n"
	"#httpd_flags=\"-p 80 -h /var/www\"\n"
	"#nc_enable=\"YES\"\n"
	"#nc_flags=\"-p 5432 -e /bin/cat\"\n"
	"#udhcpd_enable=\"YES\"\n";

/* The text of one init script. */
static char *service_script(const struct service *s)
{
	return xasprintf("#!/bin/sh\n"
			 "# /etc/init.d/%s: %s.\n"
			 "# rc.conf: %s_enable=\"YES\"; %s_flags (default \"%s\").\n"
			 "name=%s\n"
			 "command=%s\n"
			 "command_args=\"%s\"\n"
			 ". /etc/rc.subr\n"
			 "load_rc_config\n"
			 ": \"${%s_flags=%s}\"\n"
			 "run_rc_command \"$1\"\n",
			 s->name, s->what, s->name, s->name, s->flags, s->name, s->command,
			 s->args, s->name, s->flags);
}

/* The busybox root's rc.subr, rc.conf and init.d scripts. */
int etc_install_busybox(int rootfd, struct brig_err *e)
{
	cleanup_close int etcfd = mkdirp_open(rootfd, "etc", 0755, MKDIRP_BENEATH, e);
	cleanup_close int initfd = -1;

	if (etcfd < 0)
		return -1;
	initfd = mkdirp_open(etcfd, "init.d", 0755, MKDIRP_BENEATH, e);
	if (initfd < 0)
		return -1;
	if (write_atomic_at(etcfd, "rc.subr", rc_subr, strlen(rc_subr), 0644, true, e) < 0 ||
	    write_atomic_at(etcfd, "rc.conf", rc_conf, strlen(rc_conf), 0644, true, e) < 0)
		return brig_err_wrap(e, "etc");
	for (size_t i = 0; i < ARRAY_SIZE(busybox_services); i++) {
		cleanup_free char *text = service_script(&busybox_services[i]);

		if (write_atomic_at(initfd, busybox_services[i].name, text, strlen(text), 0755, true, e) < 0)
			return brig_err_wrap(e, "etc/init.d");
	}
	return 0;
}
