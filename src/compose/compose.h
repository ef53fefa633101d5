/* A compose file (the Compose Specification) as brig's own files: one
 * jail.conf.d/P_SERVICE.conf per service and networks.conf.d/P.conf for
 * the project's networks, plus the list of what could not be mapped, each
 * with file:line and why. Pure: reads the compose file and the .env
 * beside it, never touches the system; the caller writes the files.
 * doc/compose.md says what maps to what. */
#ifndef BRIG_COMPOSE_COMPOSE_H
#define BRIG_COMPOSE_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

/* A variable's value, NULL when unset. */
typedef const char *(*compose_lookup_fn)(void *ctx, const char *name);

/* in with ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err},
 * ${VAR?err}, ${VAR:+alt}, ${VAR+alt}, $VAR and $$ replaced. 0 and *out
 * (malloc'd); -1 and *why (static text) on a malformed or failed one. */
int compose_interp(const char *in, compose_lookup_fn lookup, void *ctx, char **out,
		   const char **why);

/* One file the import writes, relative to the configuration directory. */
struct compose_file {
	char *path;		/* "jail.conf.d/P_web.conf" */
	char *text;
};

struct compose_result {
	char *project;
	struct compose_file *files;
	size_t nfiles;
	char **jails;		/* the project's jails, in the file's order */
	char **templates;	/* each one's template (from its image), or NULL */
	size_t njails;
	char **hosts;		/* per jail: its /etc/hosts (the services it
				 * shares a network with, its extra_hosts) */
	char **resolv;		/* per jail: its /etc/resolv.conf (dns), or
				 * NULL (the template's stays) */
	char **volumes;		/* named volumes: directories to make under the store */
	size_t nvolumes;
	char *notes;		/* what the import chose: "network back: subnet
				 * 10.89.3.0/24 allocated ...\n" lines, or NULL */
	char *unsupported;	/* "FILE:LINE: services.web.build: why\n"..., or NULL */
	size_t nunsupported;
};

/* What a service's image says about running it, for what the service
 * leaves out (Docker's rules: the service's entrypoint drops the image's
 * Cmd too; environment adds to the image's Env, a name in both is the
 * service's). env: NAME=value entries only; user: exec.jail_user's form. */
struct compose_image {
	char *const *entrypoint, *const *cmd, *const *env;
	size_t nentrypoint, ncmd, nenv;
	const char *workdir, *user, *stop_signal;
};

/* The image of template, NULL when it is not known (not made yet). */
typedef const struct compose_image *(*compose_image_fn)(void *ctx, const char *template);

/* An IPv4 subnet in use on the host: a new network's is allocated apart
 * from it; a declared one that overlaps it is refused. One named after a
 * bridge of the project's own (its earlier import) is not counted. */
struct compose_used {
	const char *owner;	/* the interface or bridge it is on */
	const char *what;	/* for the report: "interface eth0 of the host" */
	uint32_t addr;		/* host order */
	int prefix;
};

struct compose_opts {
	const char *file;	/* the compose file */
	const char *project;	/* NULL: its `name:`, else its directory's name */
	const char *images;	/* --images DIR, or NULL */
	const char *storedir;	/* where named volumes live */
	compose_lookup_fn lookup;	/* the environment (before .env) */
	void *ctx;
	compose_image_fn image;	/* NULL: images unknown */
	void *image_ctx;
	const struct compose_used *used;	/* the host's subnets */
	size_t nused;
	char *const *profiles;	/* services with `profiles:` are imported only
				 * when one of theirs is here ("*": all) */
	size_t nprofiles;
};

/* 0, or -1 with err set (file:line: why) when the file cannot be read as
 * a compose file at all. */
int compose_import(const struct compose_opts *o, struct compose_result *r, char *err,
		   size_t errlen);
/* The same from a string (the fuzzer); no .env is read. */
int compose_import_text(const struct compose_opts *o, const char *text, size_t len,
			struct compose_result *r, char *err, size_t errlen);
void compose_result_free(struct compose_result *r);

/* project sanitized: lowercase letters, digits, '_' and '-', starting
 * with a letter or digit; NULL when nothing is left. malloc'd. */
char *compose_project_name(const char *s);

#endif
