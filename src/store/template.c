/* Templates: made from a source in tmp/, renamed into templates/NAME when
 * complete; listed; removed when no thin jail needs them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/archive.h"
#include "store/internal.h"
#include "store/oci.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/strbuf.h"

#define DEBOOTSTRAP_PREFIX "debootstrap:"

/* Fill rootfd from a directory: an exact copy (device nodes as dev says). */
static int fill_from_dir(const char *dir, int tmpfd, struct store_devices *dev,
			 const struct store_progress *p, struct brig_err *e)
{
	cleanup_close int src = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (src < 0)
		return brig_err_set(e, errno, "opening `%s`", dir);
	return copy_tree(src, tmpfd, "root", dev, p, e);
}

/* Fill rootfd from a tarball. */
static int fill_from_tarball(const char *file, int rootfd, struct store_devices *dev,
			     const struct store_progress *p, struct brig_err *e)
{
	cleanup_close int fd = open(file, O_RDONLY | O_CLOEXEC);
	const struct extract x = { .prefix = "", .what = file, .dev = dev, .p = p };

	if (fd < 0)
		return brig_err_set(e, errno, "opening `%s`", file);
	return archive_extract_file(fd, rootfd, &x, e);
}

/* Make tmp/.../root from source; *recorded: how the source is recorded. */
static int fill(const char *source, int tmpfd, char **recorded, struct store_devices *dev,
		const struct store_progress *p, struct brig_err *e)
{
	struct stat st;
	int rootfd, rc;

	if (!strcmp(source, "busybox") || !strncmp(source, DEBOOTSTRAP_PREFIX, strlen(DEBOOTSTRAP_PREFIX))) {
		*recorded = xstrdup(source);
	} else if (oci_is_source(source)) {
		/* oci_template_fill records it. */
	} else if (stat(source, &st) < 0) {
		return brig_err_set(e, 0, "unknown source `%s`: %s; a source is `busybox`, a directory, "
				    "a tarball (.tar, .tar.gz, .tgz, .txz, .tar.xz, .tar.zst), "
				    "debootstrap:SUITE[:PKG,...], oci:DIR[:REF] or docker-archive:FILE",
				    source, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		*recorded = realpath(source, NULL);
		if (!*recorded)
			return brig_err_set(e, errno, "resolving `%s`", source);
		/* The copy makes root itself, with the directory's owner and mode. */
		if (fs_is_btrfs(tmpfd) && btrfs_subvol_make(-1, tmpfd, "root", false, e) < 0)
			return -1;
		return fill_from_dir(*recorded, tmpfd, dev, p, e);
	} else if (!S_ISREG(st.st_mode) || !archive_is_tarball(source)) {
		return brig_err_set(e, 0, "source `%s` is neither a directory nor a tarball "
				    "(.tar, .tar.gz, .tgz, .txz, .tar.xz, .tar.zst)", source);
	} else {
		*recorded = realpath(source, NULL);
		if (!*recorded)
			return brig_err_set(e, errno, "resolving `%s`", source);
	}
	/* A btrfs store keeps each template in a subvolume: thin jails are
	 * then snapshots of it. */
	if (fs_is_btrfs(tmpfd))
		rc = btrfs_subvol_make(-1, tmpfd, "root", false, e);
	else
		rc = mkdirat(tmpfd, "root", 0755) < 0 ? brig_err_set(e, errno, "creating root") : 0;
	if (rc < 0)
		return -1;
	rootfd = openat(tmpfd, "root", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return brig_err_set(e, errno, "opening root");
	if (fchmod(rootfd, 0755) < 0)
		rc = brig_err_set(e, errno, "setting the root's mode");
	else if (!strcmp(source, "busybox"))
		rc = source_busybox(rootfd, p, e);
	else if (oci_is_source(source))
		rc = oci_template_fill(source, tmpfd, rootfd, recorded, dev, p, e);
	else if (!strncmp(source, DEBOOTSTRAP_PREFIX, strlen(DEBOOTSTRAP_PREFIX)))
		rc = source_debootstrap(rootfd, source + strlen(DEBOOTSTRAP_PREFIX), p, e) < 0 ? -1 :
		     strip_devices(rootfd, dev, e);
	else
		rc = fill_from_tarball(*recorded, rootfd, dev, p, e);
	close(rootfd);
	return rc;
}

/* Build the template in t: its root, /etc files, meta. */
static int build(const char *source, struct tmpdir *t, struct store_devices *dev,
		 const struct store_progress *p, struct brig_err *e)
{
	cleanup_free char *recorded = NULL;
	cleanup_close int rootfd = -1;
	struct meta m = { 0 };
	int rc;

	if (fill(source, t->fd, &recorded, dev, p, e) < 0)
		return -1;
	rootfd = openat(t->fd, "root", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return brig_err_set(e, errno, "opening root");
	if (etc_install(rootfd, e) < 0)
		return -1;
	meta_set(&m, "source", recorded);
	meta_set_created(&m);
	rc = meta_write(t->fd, "meta", &m, e);
	meta_free(&m);
	return rc;
}

/* SOURCE: "busybox", a directory, a tarball, or "debootstrap:SUITE[:PKG,...]". */
int store_template_create(const char *name, const char *source, struct store_devices *dev,
			  const struct store_progress *p, struct brig_err *e)
{
	const char *why = store_name_invalid(name);
	cleanup_close int storefd = -1, tmplfd = -1, lockfd = -1;
	struct store_devices none = { 0 };
	struct tmpdir t = { .fd = -1 };
	int rc;

	if (why)
		return brig_err_set(e, 0, "template `%s`: invalid name: %s", name, why);
	if (!dev)
		dev = &none;	/* left out, not counted */
	storefd = store_open(e);
	if (storefd < 0)
		return brig_err_wrap(e, "template %s", name);
	tmp_reap(storefd);
	tmplfd = openat(storefd, "templates", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tmplfd < 0)
		return brig_err_set(e, errno, "template %s: opening templates/", name);
	rc = fs_exists(tmplfd, name, e);
	if (rc != 0)
		return rc < 0 ? brig_err_wrap(e, "template %s", name)
			      : brig_err_set(e, 0, "template %s already exists", name);
	if (tmp_make(storefd, "template", name, &t, e) < 0)
		return brig_err_wrap(e, "template %s", name);
	rc = build(source, &t, dev, p, e);
	if (rc == 0) {
		lockfd = store_lock(storefd, true, e);
		rc = lockfd < 0 ? -1 : tmp_commit(storefd, &t, tmplfd, name, e);
		if (rc < 0 && (e->errnum == EEXIST || e->errnum == ENOTEMPTY))
			brig_err_set(e, 0, "template %s already exists", name);
	}
	free(none.first);
	if (rc < 0) {
		tmp_discard(storefd, &t);
		return brig_err_wrap(e, "template %s", name);
	}
	return 0;
}

int template_image_config(int storefd, const char *template, struct image_config *c,
			  struct brig_err *e)
{
	cleanup_free char *path = xasprintf("templates/%s/" IMAGE_CONFIG_FILE, template);
	cleanup_free char *json = NULL;
	size_t len;
	int rc = fs_exists(storefd, path, e);

	*c = (struct image_config){ 0 };
	if (rc <= 0)
		return rc;
	if (read_bounded(storefd, path, READ_AT, OCI_JSON_MAX, &json, &len, e) < 0 ||
	    image_config_parse(json, len, c, path, e) < 0)
		return brig_err_wrap(e, "template %s", template);
	return 1;
}

int store_template_image(const char *template, struct image_config *c, struct brig_err *e)
{
	cleanup_close int storefd = store_open(e);

	*c = (struct image_config){ 0 };
	if (storefd < 0)
		return -1;
	if (store_name_invalid(template))
		return 0;
	return template_image_config(storefd, template, c, e);
}

/* Every jail's meta, to find the thin jails of a template. */
struct jail_index {
	char **names;
	char **templates;	/* NULL for jails that do not need their template */
	size_t n;
};

static void index_free(struct jail_index *ix)
{
	for (size_t i = 0; i < ix->n; i++) {
		free(ix->names[i]);
		free(ix->templates[i]);
	}
	free(ix->names);
	free(ix->templates);
}

static int index_jails(int storefd, struct jail_index *ix, struct brig_err *e)
{
	int fd = openat(storefd, "jails", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	*ix = (struct jail_index){ 0 };
	if (fd < 0)
		return brig_err_set(e, errno, "opening jails/");
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return brig_err_set(e, errno, "reading jails/");
	}
	while ((de = readdir(d))) {
		struct jailrec r;
		struct brig_err ignored;

		if (de->d_name[0] == '.' || jailrec_open(storefd, de->d_name, &r, &ignored) < 0)
			continue;
		ix->names = xrealloc(ix->names, (ix->n + 1) * sizeof(*ix->names));
		ix->templates = xrealloc(ix->templates, (ix->n + 1) * sizeof(*ix->templates));
		ix->names[ix->n] = xstrdup(de->d_name);
		/* Btrfs snapshots and copies stand on their own. */
		ix->templates[ix->n] = r.be == &backend_overlay ? xstrdup(r.template) : NULL;
		ix->n++;
		jailrec_close(&r);
	}
	closedir(d);
	return 0;
}

/* The thin jails of template in ix. */
static char **users_of(const struct jail_index *ix, const char *template, size_t *n)
{
	char **v = NULL;

	*n = 0;
	for (size_t i = 0; i < ix->n; i++) {
		if (!ix->templates[i] || strcmp(ix->templates[i], template))
			continue;
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = xstrdup(ix->names[i]);
	}
	return v;
}

static int cmp_template(const void *a, const void *b)
{
	return strcmp(((const struct store_template *)a)->name,
		      ((const struct store_template *)b)->name);
}

int store_template_list(struct store_template **out, size_t *n, struct brig_err *e)
{
	cleanup_close int storefd = store_open(e);
	struct store_template *v = NULL;
	struct jail_index ix;
	struct dirent *de;
	size_t count = 0;
	DIR *d;
	int fd;

	if (storefd < 0)
		return -1;
	if (index_jails(storefd, &ix, e) < 0)
		return -1;
	fd = openat(storefd, "templates", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		index_free(&ix);
		return brig_err_set(e, errno, "reading templates/");
	}
	while ((de = readdir(d))) {
		cleanup_free char *metapath = xasprintf("templates/%s/meta", de->d_name);
		struct brig_err ignored;
		struct image_config img;
		struct meta m;

		if (de->d_name[0] == '.' || meta_read(storefd, metapath, &m, &ignored) < 0)
			continue;
		v = xrealloc(v, (count + 1) * sizeof(*v));
		v[count] = (struct store_template){
			.name = xstrdup(de->d_name),
			.source = xstrdup(meta_get(&m, "source") ? meta_get(&m, "source") : ""),
			.created = meta_get(&m, "created") ? atoll(meta_get(&m, "created")) : 0,
		};
		v[count].jails = users_of(&ix, de->d_name, &v[count].njails);
		if (template_image_config(storefd, de->d_name, &img, &ignored) > 0) {
			v[count].labels = TAKE_PTR(img.labels);
			v[count].nlabels = img.nlabels;
			img.nlabels = 0;
			image_config_free(&img);
		}
		count++;
		meta_free(&m);
	}
	closedir(d);
	index_free(&ix);
	if (count)
		qsort(v, count, sizeof(*v), cmp_template);
	*out = v;
	*n = count;
	return 0;
}

void store_template_list_free(struct store_template *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].source);
		for (size_t j = 0; j < v[i].njails; j++)
			free(v[i].jails[j]);
		free(v[i].jails);
		for (size_t j = 0; j < v[i].nlabels; j++)
			free(v[i].labels[j]);
		free(v[i].labels);
	}
	free(v);
}

/* Refused while thin jails use it (the message lists them). */
int store_template_remove(const char *name, struct brig_err *e)
{
	const char *why = store_name_invalid(name);
	cleanup_close int storefd = -1, lockfd = -1, tmplfd = -1;
	struct jail_index ix;
	char **users;
	size_t nusers;
	int rc;

	if (why)
		return brig_err_set(e, 0, "template `%s`: invalid name: %s", name, why);
	storefd = store_open(e);
	if (storefd < 0)
		return brig_err_wrap(e, "template %s", name);
	lockfd = store_lock(storefd, true, e);
	if (lockfd < 0)
		return brig_err_wrap(e, "template %s", name);
	tmplfd = openat(storefd, "templates", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tmplfd < 0)
		return brig_err_set(e, errno, "template %s: opening templates/", name);
	rc = fs_exists(tmplfd, name, e);
	if (rc <= 0)
		return rc < 0 ? brig_err_wrap(e, "template %s", name)
			      : brig_err_set(e, 0, "no template `%s` (see brig template ls)", name);
	if (index_jails(storefd, &ix, e) < 0)
		return brig_err_wrap(e, "template %s", name);
	users = users_of(&ix, name, &nusers);
	index_free(&ix);
	if (nusers) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < nusers; i++) {
			sb_addf(&sb, "%s%s", i ? ", " : "", users[i]);
			free(users[i]);
		}
		free(users);
		brig_err_set(e, 0, "template %s is used by thin jail%s %s; destroy %s first",
			     name, nusers > 1 ? "s" : "", sb.s, nusers > 1 ? "them" : "it");
		sb_free(&sb);
		return -1;
	}
	if (store_remove_entry(storefd, tmplfd, name, "rm-template", e) < 0)
		return brig_err_wrap(e, "template %s", name);
	return 0;
}
