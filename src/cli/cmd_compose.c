/* brig compose import FILE [-p PROJECT] [--images DIR] [--dry-run]
 * brig compose up|down|ps PROJECT
 *
 * import writes what compose/compose.h maps a compose file to: each file
 * is written only when its bytes change ("unchanged", "updated",
 * "created"), and the files of an earlier import of the project that are
 * no longer made are removed; then the list of what was not mapped,
 * with file:line and why. up, down and ps are start, stop and ls of the
 * project's jails (the jail.conf.d files an import made). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/compose_etc.h"
#include "compose/compose.h"
#include "conf/conf.h"
#include "core/core.h"
#include "net/net.h"
#include "store/oci.h"
#include "store/store.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"
#include "util/readfile.h"
#include "util/writefile.h"

#define MARK "# Made by `brig compose import` from "

static const char *env_lookup(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static int usage(void)
{
	cli_error("usage: brig compose import FILE [-p PROJECT] [--images DIR] [--profile P]... "
		  "[--dry-run]\n"
		  "       brig compose up|down|ps PROJECT");
	return 2;
}

/* The content of confdir/rel, or NULL when it does not exist. */
static char *current(const char *rel)
{
	cleanup_free char *path = xasprintf("%s/%s", brig_confdir(), rel);
	struct brig_err e = { 0 };
	char *text = NULL;
	size_t len;

	if (read_bounded(AT_FDCWD, path, READ_AT, 16 << 20, &text, &len, &e) < 0)
		return NULL;
	return text;
}

/* The jail.conf.d files an import made for project: "P_*.conf" starting
 * with MARK. */
static void project_files(const char *project, char ***v, size_t *n)
{
	cleanup_free char *dir = xasprintf("%s/jail.conf.d", brig_confdir());
	cleanup_free char *prefix = xasprintf("%s_", project);
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (strncmp(de->d_name, prefix, strlen(prefix)) || l < 6 ||
		    strcmp(de->d_name + l - 5, ".conf"))
			continue;
		cleanup_free char *rel = xasprintf("jail.conf.d/%s", de->d_name);
		cleanup_free char *text = current(rel);

		if (text && !strncmp(text, MARK, strlen(MARK))) {
			*v = xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[(*n)++] = xstrndup(de->d_name, l - 5);
		}
	}
	if (d)
		closedir(d);
}

/* The bridges networks.conf.d/PROJECT.conf declares, if an import wrote
 * that file. */
static void project_bridges(const char *project, char ***v, size_t *n)
{
	cleanup_free char *rel = xasprintf("networks.conf.d/%s.conf", project);
	cleanup_free char *text = current(rel);
	cleanup_free char *path = xasprintf("%s/%s", brig_confdir(), rel);
	struct conf_source src = { .schema = CONF_SCHEMA_NETWORKS, .file = path };
	struct diag d = { 0 };
	struct conf *c = NULL;

	if (text && !strncmp(text, MARK, strlen(MARK)) && conf_load(&src, &c, &d) == 0) {
		for (size_t i = 0; i < c->njails; i++) {
			*v = xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[(*n)++] = xstrdup(c->jails[i].name);
		}
	}
	if (c)
		conf_free(c);
	diag_free(&d);
}

static void strv_free_(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int write_one(const struct compose_file *f, bool *changed)
{
	cleanup_free char *old = current(f->path);
	cleanup_free char *path = xasprintf("%s/%s", brig_confdir(), f->path);
	cleanup_free char *dir = xstrdup(path);
	struct brig_err e = { 0 };

	if (old && !strcmp(old, f->text)) {
		printf("unchanged %s\n", f->path);
		return 0;
	}
	if (old && strncmp(old, MARK, strlen(MARK))) {
		cli_error("compose import: %s: not written by brig compose import: left as it is "
			  "(rename the project with -p)", path);
		return -1;
	}
	*strrchr(dir, '/') = '\0';
	if (mkdirp(dir, 0755, &e) < 0 ||
	    write_atomic_at(AT_FDCWD, path, f->text, strlen(f->text), 0644, true, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	printf("%s %s\n", old ? "updated" : "created", f->path);
	*changed = true;
	return 0;
}

/* The template of an image: in the store, else made from --images DIR:
 * DIR/TEMPLATE (an OCI layout) or DIR/TEMPLATE.tar (a docker-archive). */
static int template_ensure(const char *t, const char *images)
{
	cleanup_free char *have = xasprintf("%s/templates/%s", brig_storedir(), t);
	cleanup_free char *dir = NULL, *tar = NULL, *src = NULL;
	struct store_devices dev = { 0 };
	struct brig_err e = { 0 };
	struct stat st;

	if (!lstat(have, &st))
		return 0;
	if (!images) {
		cli_error("compose import: template %s is not in the store: give the image with "
			  "--images DIR", t);
		return -1;
	}
	dir = xasprintf("%s/%s/index.json", images, t);
	tar = xasprintf("%s/%s.tar", images, t);
	if (!stat(dir, &st))
		src = xasprintf("oci:%s/%s", images, t);
	else if (!stat(tar, &st))
		src = xasprintf("docker-archive:%s", tar);
	else {
		cli_error("compose import: template %s: no %s/%s (an OCI layout) or %s", t, images, t,
			  tar);
		return -1;
	}
	if (store_template_create(t, src, &dev, NULL, &e) < 0) {
		cli_print_err(&e);
		free(dev.first);
		return -1;
	}
	free(dev.first);
	printf("created template %s from %s\n", t, src);
	return 0;
}

/* The images of a project's templates, as compose merges them into the
 * services that leave something out. */
struct images {
	struct image_of {
		char *name;
		bool have;	/* the template has an image config */
		struct image_config cfg;
		struct compose_image ci;
	} *v;
	size_t n;
};

static const struct compose_image *image_of(void *ctx, const char *template)
{
	const struct images *im = ctx;

	for (size_t i = 0; i < im->n; i++)
		if (!strcmp(im->v[i].name, template))
			return im->v[i].have ? &im->v[i].ci : NULL;
	return NULL;
}

/* Each template of r once: made from --images first unless dry (a
 * failure stops the import before anything is written), then its image
 * config read where the store has one. */
static int images_load(struct images *im, const struct compose_result *r, const char *images,
		       bool dry)
{
	for (size_t i = 0; i < r->njails; i++) {
		const char *t = r->templates[i];
		struct brig_err e = { 0 };
		struct image_of *m;
		struct image_config *c;
		bool known = false;
		int got;

		for (size_t j = 0; t && j < im->n; j++)
			known |= !strcmp(im->v[j].name, t);
		if (!t || known)
			continue;
		if (!dry && template_ensure(t, images) < 0)
			return -1;
		im->v = xrealloc(im->v, (im->n + 1) * sizeof(*im->v));
		m = &im->v[im->n++];
		*m = (struct image_of){ .name = xstrdup(t) };
		c = &m->cfg;
		got = store_template_image(t, c, &e);
		if (got < 0) {
			cli_print_err(&e);
			return -1;
		}
		if (!got)
			continue;
		m->have = true;
		/* The Env entries exec.env takes, first (the others are left
		 * out, as brig create does). */
		for (size_t j = 0; j < c->nenv; j++)
			if (image_env_ok(c->env[j])) {
				char *v = c->env[j];

				c->env[j] = c->env[m->ci.nenv];
				c->env[m->ci.nenv++] = v;
			}
		if (c->user) {
			char *u = image_user(c->user);

			free(c->user);
			c->user = u;
		}
		m->ci.env = c->env;
		m->ci.entrypoint = c->entrypoint;
		m->ci.nentrypoint = c->nentrypoint;
		m->ci.cmd = c->cmd;
		m->ci.ncmd = c->ncmd;
		m->ci.workdir = c->workdir;
		m->ci.user = c->user;
		m->ci.stop_signal = c->stop_signal;
	}
	return 0;
}

static void images_free(struct images *im)
{
	for (size_t i = 0; i < im->n; i++) {
		free(im->v[i].name);
		if (im->v[i].have)
			image_config_free(&im->v[i].cfg);
	}
	free(im->v);
}

/* A jail the store does not have yet: its root from its template, and
 * its file as the import made it. */
static int jail_create(const struct compose_result *r, size_t i, const char *images,
		       const struct compose_file *f)
{
	struct store_create sc = { .name = r->jails[i], .template = r->templates[i],
				   .conf_text = f->text };
	struct brig_err e = { 0 };
	cleanup_free char *old = current(f->path);

	if (!r->templates[i]) {
		cli_error("compose import: jail %s: its service has no image: no template", r->jails[i]);
		return -1;
	}
	if (template_ensure(r->templates[i], images) < 0)
		return -1;
	/* A file an earlier import wrote for a jail it could not make. */
	if (old && !strncmp(old, MARK, strlen(MARK))) {
		cleanup_free char *path = xasprintf("%s/%s", brig_confdir(), f->path);

		unlink(path);
	}
	if (store_jail_create(&sc, NULL, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	printf("created jail %s (template %s) and %s\n", r->jails[i], r->templates[i], f->path);
	return 0;
}

/* The host's IPv4 subnets (its links', networks.conf's) for the import
 * to allocate around; none, with a warning, when they cannot be read. */
static struct compose_used *host_subnets(struct net_used **nu, size_t *n)
{
	struct brig_err e = { 0 };
	struct compose_used *u;

	if (net_subnets_used(nu, n, &e) < 0) {
		cli_warn("compose import: the host's subnets are not known (%s): new networks' "
			 "subnets are chosen apart from the file's only", e.msg);
		return NULL;
	}
	u = xcalloc(*n ? *n : 1, sizeof(*u));
	for (size_t i = 0; i < *n; i++)
		u[i] = (struct compose_used){ (*nu)[i].owner, (*nu)[i].what, (*nu)[i].addr,
					      (*nu)[i].plen };
	return u;
}

static int import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "images", required_argument, NULL, 'i' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "project", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	char **profiles = NULL;
	size_t nprofiles = 0;
	struct compose_opts o = { .lookup = env_lookup, .storedir = brig_storedir() };
	struct images im = { 0 };
	struct compose_result r;
	struct net_used *nu = NULL;
	struct compose_used *nu_c = NULL;
	bool dry = false, changed = false;
	char err[1024];
	int c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o.project = optarg; break;
		case 'i': o.images = optarg; break;
		case 'n': dry = true; break;
		case 'P':
			profiles = xrealloc(profiles, (nprofiles + 1) * sizeof(*profiles));
			profiles[nprofiles++] = xstrdup(optarg);
			break;
		default: strv_free_(profiles, nprofiles); return usage();
		}
	}
	/* No --profile: COMPOSE_PROFILES, as docker compose reads it. */
	const char *env = getenv("COMPOSE_PROFILES");

	if (!nprofiles && env) {
		cleanup_free char *dup = xstrdup(env);
		char *save = NULL;

		for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			profiles = xrealloc(profiles, (nprofiles + 1) * sizeof(*profiles));
			profiles[nprofiles++] = xstrdup(t);
		}
	}
	o.profiles = profiles;
	o.nprofiles = nprofiles;
	if (optind != argc - 1) {
		strv_free_(profiles, nprofiles);
		return usage();
	}
	o.file = argv[optind];
	nu_c = host_subnets(&nu, &o.nused);
	o.used = nu_c;
	if (compose_import(&o, &r, err, sizeof(err)) < 0) {
		cli_error("compose import: %s", err);
		net_used_free(nu, o.nused);
		free(nu_c);
		strv_free_(profiles, nprofiles);
		return 1;
	}
	/* Again with what the services' images say (their templates first). */
	if (images_load(&im, &r, o.images, dry) < 0) {
		compose_result_free(&r);
		images_free(&im);
		net_used_free(nu, o.nused);
		free(nu_c);
		strv_free_(profiles, nprofiles);
		return 1;
	}
	compose_result_free(&r);
	o.image = image_of;
	o.image_ctx = &im;
	rc = compose_import(&o, &r, err, sizeof(err));
	net_used_free(nu, o.nused);
	free(nu_c);
	if (rc < 0) {
		cli_error("compose import: %s", err);
		images_free(&im);
		strv_free_(profiles, nprofiles);
		return 1;
	}
	if (dry) {
		for (size_t i = 0; i < r.nfiles; i++)
			printf("==> %s/%s <==\n%s\n", brig_confdir(), r.files[i].path, r.files[i].text);
		for (size_t i = 0; i < r.nvolumes; i++)
			printf("volume directory %s\n", r.volumes[i]);
	} else {
		char **old = NULL;
		size_t nold = 0;

		for (size_t i = 0; i < r.nfiles && !rc; i++) {
			cleanup_free char *jroot = i < r.njails ?
				xasprintf("%s/jails/%s", brig_storedir(), r.jails[i]) : NULL;
			struct stat st;

			if (jroot && lstat(jroot, &st) < 0 && errno == ENOENT) {
				rc = jail_create(&r, i, o.images, &r.files[i]);
				changed = true;
			} else {
				rc = write_one(&r.files[i], &changed);
			}
		}
		for (size_t i = 0; i < r.njails && !rc; i++) {
			rc = compose_etc(r.jails[i], "hosts", r.hosts[i], &changed);
			if (!rc)
				rc = compose_etc(r.jails[i], "resolv.conf", r.resolv[i], &changed);
		}
		for (size_t i = 0; i < r.nvolumes && !rc; i++) {
			struct brig_err e = { 0 };

			if (mkdirp(r.volumes[i], 0755, &e) < 0) {
				cli_print_err(&e);
				rc = -1;
			}
		}
		/* An earlier import's jails that the file no longer has. */
		project_files(r.project, &old, &nold);
		for (size_t i = 0; i < nold && !rc; i++) {
			bool keep = false;

			for (size_t j = 0; j < r.njails; j++)
				keep |= !strcmp(old[i], r.jails[j]);
			if (keep)
				continue;
			cleanup_free char *path = xasprintf("%s/jail.conf.d/%s.conf", brig_confdir(),
							    old[i]);

			if (unlink(path) < 0) {
				cli_error("compose import: %s: %s", path, strerror(errno));
				rc = -1;
			} else {
				printf("removed jail.conf.d/%s.conf\n", old[i]);
				changed = true;
			}
		}
		strv_free_(old, nold);
		if (!rc)
			printf("project %s: %zu jails, %s\n", r.project, r.njails,
			       changed ? "updated" : "unchanged");
	}
	if (r.notes)
		fputs(r.notes, stdout);
	if (r.unsupported) {
		fprintf(stdout, "not mapped (%zu):\n%s", r.nunsupported, r.unsupported);
		fflush(stdout);
	}
	compose_result_free(&r);
	images_free(&im);
	strv_free_(profiles, nprofiles);
	return rc ? 1 : 0;
}

/* brig start|stop|ls over the project's jails. */
static int project_verb(const char *verb, const char *project)
{
	char **v = NULL;
	size_t n = 0;
	int rc;

	project_files(project, &v, &n);
	if (!n) {
		cli_error("compose %s: no jails of project %s in %s/jail.conf.d", verb, project,
			  brig_confdir());
		return 1;
	}
	if (!strcmp(verb, "ps")) {
		for (size_t i = 0; i < n; i++) {
			struct brig_err e = { 0 };
			int run = core_is_running(v[i], &e);

			printf("%-24s %s\n", v[i], run > 0 ? "running" : run == 0 ? "stopped" : "?");
		}
		strv_free_(v, n);
		return 0;
	}
	char **args = xcalloc(n + 2, sizeof(*args));

	args[0] = (char *)(!strcmp(verb, "up") ? "start" : "stop");
	memcpy(args + 1, v, n * sizeof(*v));
	rc = !strcmp(verb, "up") ? cmd_start((int)n + 1, args) : cmd_stop((int)n + 1, args);
	free(args);
	strv_free_(v, n);
	/* down, as Docker's: the project's networks go with its jails
	 * (brig net down: its bridges and their rules; one another jail
	 * still uses is kept, and said). */
	if (!strcmp(verb, "down") && !rc) {
		v = NULL;
		n = 0;
		project_bridges(project, &v, &n);
		for (size_t i = 0; i < n; i++) {
			struct brig_err e = { 0 };

			if (net_bridge_down(v[i], &e) < 0) {
				cli_print_err(&e);
				rc = 1;
			}
		}
		strv_free_(v, n);
	}
	return rc;
}

int cmd_compose(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "import"))
		return import(argc - 1, argv + 1);
	if ((!strcmp(argv[1], "up") || !strcmp(argv[1], "down") || !strcmp(argv[1], "ps")) &&
	    argc == 3)
		return project_verb(argv[1], argv[2]);
	return usage();
}
