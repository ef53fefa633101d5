/* What brig create writes for a template made from an image: the image's
 * config (templates/NAME/image.json) as jail.conf lines a person can read
 * and edit. Entrypoint+Cmd -> exec.service, Env -> exec.env, WorkingDir ->
 * exec.workdir, User -> exec.jail_user, StopSignal -> exec.stop.signal;
 * ExposedPorts, Volumes and Labels as comments. Every value is written
 * as a literal (no jail.conf variable expands in it). */
#include <string.h>

#include "conf/conf.h"
#include "store/internal.h"
#include "store/oci.h"
#include "util/mem.h"
#include "util/strbuf.h"


/* A value for a comment line: one line, no control characters. */
static void add_comment_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		sb_addc(sb, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

bool image_env_ok(const char *var)
{
	return var[0] && var[0] != '=' && strchr(var, '=');
}

size_t image_env_count(const struct image_config *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nenv; i++)
		n += image_env_ok(c->env[i]);
	return n;
}

char *image_user(const char *user)
{
	size_t n = strspn(user, "0123456789");

	if (n && (!user[n] || (user[n] == ':' && user[n + 1] &&
			       strspn(user + n + 1, "0123456789") == strlen(user + n + 1))))
		return xstrdup(user);
	return xstrndup(user, strcspn(user, ":"));
}

void image_conf_lines(struct strbuf *out, const struct image_config *c, const char *template)
{
	sb_addf(out, "\t# From the image's config (templates/%s/%s):\n", template, IMAGE_CONFIG_FILE);
	if (c->nentrypoint + c->ncmd) {
		sb_adds(out, "\t# its command (Entrypoint and Cmd) is the jail's service: brig start\n"
			     "\t# runs it and does not wait for it; the jail ends when it does\n"
			     "\t# unless persist is set.\n"
			     "\texec.service = ");
		for (size_t i = 0; i < c->nentrypoint + c->ncmd; i++) {
			if (i)
				sb_adds(out, ", ");
			conf_quote(out, i < c->nentrypoint ? c->entrypoint[i] : c->cmd[i - c->nentrypoint]);
		}
		sb_adds(out, ";\n");
	}
	for (size_t i = 0, n = 0; i < c->nenv; i++) {
		if (!image_env_ok(c->env[i]))
			continue;
		sb_adds(out, n++ ? ",\n\t    " : "\texec.env = ");
		conf_quote(out, c->env[i]);
		if (n == image_env_count(c))
			sb_adds(out, ";\n");
	}
	for (size_t i = 0; i < c->nenv; i++) {
		if (image_env_ok(c->env[i]))
			continue;
		sb_adds(out, "\t# Left out of the image's Env (not NAME=value): ");
		add_comment_text(out, c->env[i]);
		sb_addc(out, '\n');
	}
	if (c->workdir) {
		sb_adds(out, "\texec.workdir = ");
		conf_quote(out, c->workdir);
		sb_adds(out, ";\n");
	}
	if (c->user) {
		cleanup_free char *u = image_user(c->user);

		if (strcmp(u, c->user)) {
			sb_adds(out, "\t# The image's User is ");
			add_comment_text(out, c->user);
			sb_adds(out, "; commands run with that user's own groups.\n");
		}
		sb_adds(out, "\texec.jail_user = ");
		conf_quote(out, u);
		sb_adds(out, ";\n");
	}
	if (c->stop_signal) {
		sb_adds(out, "\texec.stop.signal = ");
		conf_quote(out, c->stop_signal);
		sb_adds(out, ";\n");
	}
	if (c->nports) {
		sb_adds(out, "\t# The image exposes");
		for (size_t i = 0; i < c->nports; i++) {
			sb_adds(out, i ? ", " : " ");
			add_comment_text(out, c->ports[i]);
		}
		sb_adds(out, ". A host port forwarded to one (vnet or ip4.addr):\n");
		for (size_t i = 0; i < c->nports; i++) {
			const char *slash = strchr(c->ports[i], '/');
			cleanup_free char *port = xstrndup(c->ports[i], strcspn(c->ports[i], "/"));

			if (!*port || strspn(port, "0123456789") != strlen(port))
				continue;
			sb_addf(out, "\t#rdr = \"%s %s %s\";\n",
				slash && !strcmp(slash + 1, "udp") ? "udp" : "tcp", port, port);
		}
	}
	if (c->nvolumes) {
		sb_adds(out, "\t# The image keeps its data in");
		for (size_t i = 0; i < c->nvolumes; i++) {
			sb_adds(out, i ? ", " : " ");
			add_comment_text(out, c->volumes[i]);
		}
		sb_adds(out, " (its Volumes): the jail's own layer keeps\n"
			     "\t# them until brig destroy; mount a host directory there (mount.fstab)\n"
			     "\t# to keep them beyond it.\n");
	}
	for (size_t i = 0; i < c->nlabels; i++) {
		sb_adds(out, i ? "\t#   " : "\t# Labels (brig template ls -v):\n\t#   ");
		add_comment_text(out, c->labels[i]);
		sb_addc(out, '\n');
	}
}
