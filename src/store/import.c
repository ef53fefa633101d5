/* brig import: a jail back from an archive brig export wrote. Everything is
 * checked before anything is made (the name, the template a thin layer
 * needs), built in tmp/ and renamed into place: a failure leaves nothing. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/archive.h"
#include "store/internal.h"
#include "util/mem.h"
#include "util/strbuf.h"

#define MEMBER_MAX (1024 * 1024)

/* Read the next member, which must be `want`, into memory. */
static char *read_member(struct archive *a, const char *want, const char *file,
			 struct brig_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct archive_entry *ent;
	char buf[8192];
	int r = archive_next(a, &ent, file, e);

	if (r != 0) {
		if (r > 0)
			brig_err_set(e, 0, "%s: not an archive of brig export (empty)", file);
		return NULL;
	}
	if (strcmp(archive_entry_pathname(ent), want) != 0 || archive_entry_size(ent) > MEMBER_MAX) {
		brig_err_set(e, 0, "%s: not an archive of brig export (no %s first)", file, want);
		return NULL;
	}
	for (;;) {
		la_ssize_t n = archive_read_data(a, buf, sizeof(buf));

		if (n < 0) {
			sb_free(&sb);
			brig_err_set(e, 0, "%s: corrupt or truncated archive: %s", file, archive_error_string(a));
			return NULL;
		}
		if (n == 0)
			break;
		sb_addn(&sb, buf, (size_t)n);
	}
	return sb_steal(&sb);
}

/* What the archive says about itself. */
struct header {
	struct meta meta;
	const char *name, *kind, *template, *backend;
	char *conf;
};

/* A value of the archive, fit for a message: at most 64 bytes, anything
 * but printable ASCII shown as '?'. */
static const char *shown(const char *s, char buf[static 68])
{
	size_t i = 0;

	for (; s[i] && i < 64; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (s[i])
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

/* A decimal number, as export writes created and created_ns. */
static bool decimal(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= 20 && !s[n];
}

/* Every field of meta that brig reads, checked before any is used: the
 * names are store names (a template is a directory of the store), the
 * rest one of the values export writes. */
static int check_meta(struct header *h, const char *file, struct brig_err *e)
{
	const char *fmt = meta_get(&h->meta, "format"), *why;
	const char *created = meta_get(&h->meta, "created");
	const char *created_ns = meta_get(&h->meta, "created_ns");
	const char *live = meta_get(&h->meta, "live");
	char buf[68];

	h->name = meta_get(&h->meta, "name");
	h->kind = meta_get(&h->meta, "kind");
	h->template = meta_get(&h->meta, "template");
	h->backend = meta_get(&h->meta, "backend");
	if (!fmt || strcmp(fmt, EXPORT_FORMAT) || !h->name || !h->kind || !h->template ||
	    !h->backend || (strcmp(h->kind, "layer") && strcmp(h->kind, "full")))
		return brig_err_set(e, 0, "%s: an archive of an unknown brig export format", file);
	why = store_name_invalid(h->name);
	if (why)
		return brig_err_set(e, 0, "%s: %s: name `%s`: invalid: %s", file, EXPORT_META,
				    shown(h->name, buf), why);
	why = store_name_invalid(h->template);
	if (why)
		return brig_err_set(e, 0, "%s: %s: template `%s`: invalid name: %s", file, EXPORT_META,
				    shown(h->template, buf), why);
	if (!backend_find(h->backend))
		return brig_err_set(e, 0, "%s: %s: backend `%s`: not one of brig's (overlay, btrfs, copy)",
				    file, EXPORT_META, shown(h->backend, buf));
	if (!strcmp(h->kind, "layer") && strcmp(h->backend, "overlay"))
		return brig_err_set(e, 0, "%s: %s: backend `%s`: a layer comes from an overlay jail",
				    file, EXPORT_META, h->backend);
	if ((created && !decimal(created)) || (created_ns && !decimal(created_ns)))
		return brig_err_set(e, 0, "%s: %s: created `%s`: not a number", file, EXPORT_META,
				    shown(created && !decimal(created) ? created : created_ns, buf));
	if (live && strcmp(live, "yes") && strcmp(live, "no"))
		return brig_err_set(e, 0, "%s: %s: live `%s`: not yes or no", file, EXPORT_META,
				    shown(live, buf));
	return 0;
}

static int read_header(struct archive *a, const char *file, struct header *h, struct brig_err *e)
{
	cleanup_free char *text = read_member(a, EXPORT_META, file, e);

	*h = (struct header){ 0 };
	if (!text)
		return -1;
	if (meta_parse(text, &h->meta, e) < 0)
		return brig_err_wrap(e, "%s: %s", file, EXPORT_META);
	if (check_meta(h, file, e) < 0)
		return -1;
	h->conf = read_member(a, EXPORT_CONF, file, e);
	return h->conf ? 0 : -1;
}

/* The backend of the imported jail and where its data is extracted:
 * a thin layer becomes an overlay over the same template; a full root a
 * subvolume on btrfs, a plain copy elsewhere. */
static int make_dirs(int storefd, const struct header *h, struct tmpdir *t,
		     const struct backend **be, struct brig_err *e)
{
	cleanup_free char *tmplroot = xasprintf("templates/%s/root", h->template);
	cleanup_close int tmplrootfd = -1;

	if (!strcmp(h->kind, "layer")) {
		tmplrootfd = openat(storefd, tmplroot, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (tmplrootfd < 0)
			return brig_err_set(e, 0, "the archive holds a thin jail's own layer over template "
					    "%s, which this store does not have; create it first "
					    "(brig template create %s --from ...), or export with --full",
					    h->template, h->template);
		*be = &backend_overlay;
		return backend_overlay.make(tmplrootfd, t->fd, NULL, e);
	}
	if (fs_is_btrfs(t->fd)) {
		*be = &backend_btrfs;
		return btrfs_subvol_make(-1, t->fd, "root", false, e);
	}
	*be = &backend_copy;
	return mkdirat(t->fd, "root", 0755) < 0 ? brig_err_set(e, errno, "creating root") : 0;
}

/* The jail's configuration: the archive's as it is (trust), else only
 * what acts inside the jail; renamed and with the store's path; the
 * command line's parameters added; checked against the configuration
 * (with trust, what clashes changed) before anything is written. */
static char *import_conf(struct store_import *im, const struct header *h, const char *name,
			 const char *path, const struct backend *be, struct brig_err *e)
{
	cleanup_free char *archive = NULL, *confpath = NULL;
	char *conf, *fixed = NULL;

	if (im->trust)
		archive = jailconf_rebase(h->conf, h->name, name, path, e);
	else
		archive = jailconf_untrusted(h->conf, EXPORT_CONF, h->name, name, path, h->template,
					     be->name, &im->dropped, e);
	if (!archive) {
		brig_err_wrap(e, "%s", im->file);
		return NULL;
	}
	conf = im->nparams ? jailconf_add_params(archive, name, im->params, im->nparams, e)
			   : xstrdup(archive);
	if (!conf || !im->check)
		return conf;
	confpath = jailconf_path(name);
	if (im->check(name, confpath, archive, conf, im->trust, &fixed, &im->changed, e) < 0) {
		free(conf);
		return NULL;
	}
	if (fixed) {
		free(conf);
		conf = fixed;
	}
	return conf;
}

/* Import from the open archive a (header read) as jail name. */
static int import_as(struct archive *a, struct store_import *im, const struct header *h,
		     const char *name, struct brig_err *e)
{
	cleanup_close int storefd = store_open(e), lockfd = -1, jailsfd = -1, datafd = -1;
	cleanup_free char *path = NULL, *conf = NULL, *origin = realpath(im->file, NULL);
	const struct extract x = {
		.prefix = EXPORT_ROOT, .what = im->file, .dev = &im->devices, .p = im->progress,
	};
	const struct backend *be = NULL;
	struct tmpdir t = { .fd = -1 };
	int rc = -1;

	if (storefd < 0)
		return -1;
	tmp_reap(storefd);
	lockfd = store_lock(storefd, true, e);
	jailsfd = lockfd < 0 ? -1 : store_sub(storefd, "jails", e);
	if (jailsfd < 0 || jail_name_free(jailsfd, name, e) < 0)
		return -1;
	path = jail_root_path(name, e);
	if (!path || tmp_make(storefd, "import", name, &t, e) < 0)
		return -1;
	if (make_dirs(storefd, h, &t, &be, e) < 0)
		goto done;
	conf = import_conf(im, h, name, path, be, e);
	if (!conf)
		goto done;
	datafd = openat(t.fd, be->data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (datafd < 0) {
		brig_err_set(e, errno, "opening %s", be->data);
		goto done;
	}
	if (archive_extract_rest(a, datafd, &x, e) < 0 ||
	    jail_write_meta(t.fd, h->template, be, origin ? origin : im->file, e) < 0 ||
	    jail_install(storefd, &t, name, conf, e) < 0)
		goto done;
	rc = 0;
done:
	tmp_discard(storefd, &t);
	return rc;
}

int store_import(struct store_import *im, struct brig_err *e)
{
	cleanup_close int fd = open(im->file, O_RDONLY | O_CLOEXEC);
	struct archive *a = NULL;
	struct header h = { 0 };
	const char *why, *name;
	int rc = -1;

	if (fd < 0)
		return brig_err_set(e, errno, "import: opening `%s`", im->file);
	a = archive_open_read(fd, im->file, e);
	if (!a || read_header(a, im->file, &h, e) < 0) {
		brig_err_wrap(e, "import");
		goto done;
	}
	name = im->name ? im->name : h.name;
	why = store_name_invalid(name);
	if (why) {
		brig_err_set(e, 0, "import: invalid jail name `%s`: %s", name, why);
		goto done;
	}
	rc = import_as(a, im, &h, name, e);
	if (rc < 0)
		brig_err_wrap(e, "%s: import", name);
	else
		im->made = xstrdup(name);
done:
	if (a)
		archive_read_free(a);
	meta_free(&h.meta);
	free(h.conf);
	return rc;
}

void store_import_free(struct store_import *im)
{
	free(im->made);
	free(im->devices.first);
	diag_free(&im->dropped);
	diag_free(&im->changed);
	im->made = im->devices.first = NULL;
}
