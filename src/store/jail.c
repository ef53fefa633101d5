/* Jails made from templates: created in tmp/ and renamed into jails/NAME,
 * with their jail.conf.d file; destroyed without leaving the store. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/internal.h"
#include "store/oci.h"
#include "util/mem.h"
#include "util/paths.h"

/* Open the store's directory sub (templates, jails). */
int store_sub(int storefd, const char *sub, struct brig_err *e)
{
	int fd = openat(storefd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		brig_err_set(e, errno, "opening %s/%s", brig_storedir(), sub);
	return fd;
}

/* Is the name free: no jail in the store, no jail.conf.d file? */
int jail_name_free(int jailsfd, const char *name, struct brig_err *e)
{
	cleanup_free char *conf = jailconf_path(name);
	int rc = fs_exists(jailsfd, name, e);

	if (rc != 0)
		return rc < 0 ? -1 : brig_err_set(e, 0, "a jail named %s exists already", name);
	rc = fs_exists(AT_FDCWD, conf, e);
	if (rc != 0)
		return rc < 0 ? -1 : brig_err_set(e, 0, "%s exists already", conf);
	return 0;
}

/* Write the jail's meta in its directory. */
int jail_write_meta(int dirfd, const char *template, const struct backend *be,
		      const char *origin, struct brig_err *e)
{
	struct meta m = { 0 };
	int rc;

	meta_set(&m, "template", template);
	meta_set(&m, "backend", be->name);
	meta_set_created(&m);
	if (origin)
		meta_set(&m, "imported_from", origin);
	rc = meta_write(dirfd, "meta", &m, e);
	meta_free(&m);
	return rc;
}

/* Take a finished jail directory t into jails/NAME, write its jail.conf.d
 * file and mount its root; undo all of it on failure. */
int jail_install(int storefd, struct tmpdir *t, const char *name, const char *conftext,
		 struct brig_err *e)
{
	cleanup_close int jailsfd = store_sub(storefd, "jails", e);
	cleanup_free char *conf = jailconf_path(name);
	struct jailrec r;

	if (jailsfd < 0)
		return -1;
	if (tmp_commit(storefd, t, jailsfd, name, e) < 0)
		return -1;
	if (jailconf_write(name, conftext, e) < 0)
		goto undo_dir;
	if (jailrec_open(storefd, name, &r, e) < 0)
		goto undo_conf;
	if (jailrec_mount(&r, name, e) < 0) {
		jailrec_close(&r);
		goto undo_conf;
	}
	jailrec_close(&r);
	return 0;
undo_conf:
	unlink(conf);
undo_dir:;
	struct brig_err ignored;

	store_remove_entry(storefd, jailsfd, name, "undo-jail", &ignored);
	return -1;
}

/* The jail's root, as jail.conf's path names it. */
char *jail_root_path(const char *name, struct brig_err *e)
{
	cleanup_free char *abs = store_abs(e);

	return abs ? xasprintf("%s/jails/%s/root", abs, name) : NULL;
}

/* Make the root and write jail.conf.d/NAME.conf; *conf_out: that file. */
int store_jail_create(const struct store_create *c, char **conf_out, struct brig_err *e)
{
	const char *why = store_name_invalid(c->name);
	cleanup_close int storefd = -1, lockfd = -1, jailsfd = -1, tmplrootfd = -1;
	cleanup_free char *path = NULL, *text = NULL, *tmplroot = NULL;
	const struct backend *be;
	struct tmpdir t = { .fd = -1 };
	struct image_config img = { 0 };
	int image;

	if (why)
		return brig_err_set(e, 0, "jail `%s`: invalid name: %s", c->name, why);
	why = store_name_invalid(c->template);
	if (why)
		return brig_err_set(e, 0, "%s: create: template `%s`: invalid name: %s", c->name,
				    c->template, why);
	storefd = store_open(e);
	if (storefd < 0)
		goto fail;
	tmp_reap(storefd);
	lockfd = store_lock(storefd, true, e);
	jailsfd = lockfd < 0 ? -1 : store_sub(storefd, "jails", e);
	if (jailsfd < 0 || jail_name_free(jailsfd, c->name, e) < 0)
		goto fail;
	tmplroot = xasprintf("templates/%s/root", c->template);
	tmplrootfd = openat(storefd, tmplroot, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tmplrootfd < 0) {
		brig_err_set(e, errno == ENOENT ? 0 : errno, "unknown template `%s` (see brig template ls)",
			     c->template);
		goto fail;
	}
	be = backend_choose(tmplrootfd, c->thick);
	path = jail_root_path(c->name, e);
	if (!path)
		goto fail;
	image = template_image_config(storefd, c->template, &img, e);
	if (image < 0)
		goto fail;
	text = c->conf_text ? xstrdup(c->conf_text) :
		jailconf_render(c->name, path, c->template, be->name, image ? &img : NULL,
				c->params, c->nparams, e);
	image_config_free(&img);
	if (!text)
		goto fail;
	if (c->check) {
		cleanup_free char *confpath = jailconf_path(c->name);

		if (jailconf_dir_make(e) < 0 || c->check(c->name, confpath, text, e) < 0)
			goto fail;
	}
	if (tmp_make(storefd, "jail", c->name, &t, e) < 0)
		goto fail;
	if (be->make(tmplrootfd, t.fd, c->progress, e) < 0 ||
	    jail_write_meta(t.fd, c->template, be, NULL, e) < 0 ||
	    jail_install(storefd, &t, c->name, text, e) < 0) {
		tmp_discard(storefd, &t);
		goto fail;
	}
	if (conf_out)
		*conf_out = jailconf_path(c->name);
	return 0;
fail:
	return brig_err_wrap(e, "%s: create", c->name);
}

/* The store's record of a jail; -1 with "no jail" when it has none. */
int store_jail_get(const char *name, struct store_jail *out, struct brig_err *e)
{
	cleanup_close int storefd = store_open(e);
	struct jailrec r;

	*out = (struct store_jail){ 0 };
	if (storefd < 0 || jailrec_open(storefd, name, &r, e) < 0)
		return -1;
	out->path = jail_root_path(name, e);
	if (!out->path) {
		jailrec_close(&r);
		return -1;
	}
	out->name = xstrdup(name);
	out->template = xstrdup(r.template);
	out->backend = xstrdup(r.be->name);
	out->conf = jailconf_path(name);
	jailrec_close(&r);
	return 0;
}

void store_jail_free(struct store_jail *j)
{
	free(j->name);
	free(j->template);
	free(j->backend);
	free(j->path);
	free(j->conf);
	*j = (struct store_jail){ 0 };
}

/* Remove the jail's storage and jail.conf.d file (the jail must be stopped). */
int store_jail_destroy(const char *name, struct brig_err *e)
{
	cleanup_close int storefd = store_open(e);
	cleanup_close int lockfd = -1, jailsfd = -1;
	cleanup_free char *conf = jailconf_path(name);
	cleanup_free char *abs = NULL, *jaildir = NULL, *rootdir = NULL, *mounted = NULL;
	struct jailrec r;

	if (storefd < 0)
		goto fail;
	lockfd = store_lock(storefd, true, e);
	if (lockfd < 0 || jailrec_open(storefd, name, &r, e) < 0)
		goto fail;
	/* Removal never crosses into a mount: find one before anything is
	 * removed rather than stop half-way. The root's own overlay is
	 * unmounted first. */
	abs = store_abs(e);
	if (!abs)
		goto fail_rec;
	jaildir = xasprintf("%s/jails/%s", abs, name);
	rootdir = xasprintf("%s/root", jaildir);
	brig_err_clear(e);
	mounted = fs_mount_below(jaildir, rootdir, e);
	if (mounted || e->msg[0]) {
		if (mounted)
			brig_err_set(e, 0, "`%s` is mounted inside the jail's storage; unmount it first",
				     mounted);
		goto fail_rec;
	}
	if (quota_clear(storefd, &r, name, e) < 0 || jailrec_unmount(&r, name, e) < 0)
		goto fail_rec;
	jailrec_close(&r);
	jailsfd = store_sub(storefd, "jails", e);
	if (jailsfd < 0 || store_remove_entry(storefd, jailsfd, name, "destroy", e) < 0)
		goto fail;
	if (unlink(conf) < 0 && errno != ENOENT) {
		brig_err_set(e, errno, "removing %s", conf);
		goto fail;
	}
	return 0;
fail_rec:
	jailrec_close(&r);
fail:
	return brig_err_wrap(e, "%s: destroy", name);
}
