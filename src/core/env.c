/* Environments of the commands brig runs. */
#include <stdlib.h>
#include <string.h>

#include "core/jail.h"
#include "util/mem.h"

extern char **environ;

/* The caller's variables a command in a jail may see (no exec.clean):
 * terminal and locale only; nothing that names host paths or secrets. */
static const char *const jail_allow[] = { "TERM", "LANG", "LC_", "TZ" };

#define JAIL_PATH "/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"

static void push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

/* True if the variable "NAME=..." is allowed by a list entry (a trailing
 * '_' in the entry makes it a prefix). */
static bool allowed(const char *var, bool clean)
{
	size_t n = clean ? 1 : ARRAY_SIZE(jail_allow);

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(jail_allow[i]);

		if (strncmp(var, jail_allow[i], l) == 0 &&
		    (jail_allow[i][l - 1] == '_' || var[l] == '='))
			return true;
	}
	return false;
}

/* Set "NAME=value" in v, replacing a variable of that name. */
static void set_var(char ***v, size_t *n, const char *var)
{
	size_t len = strcspn(var, "=");

	for (size_t i = 0; i < *n; i++)
		if (!strncmp((*v)[i], var, len) && (*v)[i][len] == '=') {
			free((*v)[i]);
			(*v)[i] = xstrdup(var);
			return;
		}
	push(v, n, xstrdup(var));
}

char **env_jail(bool clean, const struct jail_def *d)
{
	char *const *add = NULL;
	char **v = NULL;
	size_t n = 0, nadd = 0;

	push(&v, &n, xstrdup("PATH=" JAIL_PATH));
	for (char **e = environ; e && *e; e++)
		if (allowed(*e, clean))
			push(&v, &n, xstrdup(*e));
	/* exec.env last, whatever exec.clean says: it is the jail's own
	 * (an image's Env), not the caller's. spec_build checked each is
	 * NAME=value. */
	if (d)
		add = jd_list(d, JP_EXEC_ENV, &nadd);
	for (size_t i = 0; i < nadd; i++)
		if (strchr(add[i], '=') && add[i][0] != '=')
			set_var(&v, &n, add[i]);
	return v;
}

char **env_host(bool clean, int jid, const char *name, const char *path)
{
	static const char *const jvars[] = { "JID=", "JNAME=", "JPATH=" };
	static const char *const places[] = { "BRIG_RUNDIR", "BRIG_CONFDIR", "BRIG_STOREDIR",
					      "BRIG_LOGDIR" };
	const char *term = getenv("TERM");
	char **v = NULL;
	size_t n = 0;

	if (clean) {
		/* root's login class on FreeBSD (login.conf's default path) */
		push(&v, &n, xstrdup("PATH=" JAIL_PATH));
		if (term)
			push(&v, &n, xasprintf("TERM=%s", term));
		/* brig's own places (util/paths.h): a hook's jexec or jls must
		 * find the jails of the brig that runs it. */
		for (size_t i = 0; i < ARRAY_SIZE(places); i++) {
			const char *p = getenv(places[i]);

			if (p)
				push(&v, &n, xasprintf("%s=%s", places[i], p));
		}
	} else {
		for (char **e = environ; e && *e; e++) {
			bool ours = false;

			for (size_t i = 0; i < ARRAY_SIZE(jvars); i++)
				ours |= strncmp(*e, jvars[i], strlen(jvars[i])) == 0;
			if (!ours)
				push(&v, &n, xstrdup(*e));
		}
	}
	if (jid > 0)	/* exec.prepare runs before there is one */
		push(&v, &n, xasprintf("JID=%d", jid));
	push(&v, &n, xasprintf("JNAME=%s", name));
	push(&v, &n, xasprintf("JPATH=%s", path ? path : ""));
	return v;
}

void env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}
