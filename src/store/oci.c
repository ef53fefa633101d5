/* Templates from container images: `oci:DIR[:REF]` (an OCI image layout,
 * as skopeo, umoci and podman write it) and `docker-archive:FILE` (what
 * docker save and podman save write; plain, gzip or zstd).
 *
 * An image is hostile input. Every blob is checked against what refers to
 * it before it is used: an OCI blob's size and sha256 against its
 * descriptor (index -> manifest -> config and layers), a docker-archive's
 * config against the digest in its name and each layer's uncompressed
 * sha256 against the config's rootfs.diff_ids. Layers are copied (OCI) or
 * unpacked (docker-archive) into the template's work directory while they
 * are hashed, and applied from that copy, which nobody else can change
 * meanwhile. Everything happens in the store's tmp/: a failure leaves no
 * template. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "store/archive.h"
#include "store/internal.h"
#include "store/oci.h"
#include "util/beneath.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/writefile.h"

#define OCI_PREFIX "oci:"
#define DOCKER_PREFIX "docker-archive:"
/* Nested indexes followed at most (an index of indexes is already rare). */
#define INDEX_DEPTH 4
/* Members of a docker-archive kept (a few per layer). */
#define DOCKER_MEMBERS_MAX 100000

/* ---- sha256 ---- */

struct hash {
	struct sha256_ctx ctx;
	unsigned long long len;
};

static void hash_init(struct hash *h)
{
	sha256_init(&h->ctx);
	h->len = 0;
}

static void hash_add(struct hash *h, const void *data, size_t len)
{
	sha256_update(&h->ctx, len, data);
	h->len += len;
}

/* "sha256:HEX" of what was added. */
static void hash_digest(struct hash *h, char out[7 + 64 + 1])
{
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_digest(&h->ctx, sizeof(d), d);
	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", d[i]);
}

/* Is the data of h what the descriptor says (size, when known, and digest)? */
static int hash_check(struct hash *h, const char *digest, long long size, const char *what,
		      const char *blob, struct brig_err *e)
{
	char got[7 + 64 + 1];

	if (size >= 0 && h->len != (unsigned long long)size)
		return brig_err_set(e, 0, "%s: blob %s has %llu bytes, its descriptor says %lld "
				    "(truncated or replaced); refusing the image", what, blob, h->len, size);
	hash_digest(h, got);
	if (strcmp(got, digest))
		return brig_err_set(e, 0, "%s: blob %s has digest %s, its descriptor says %s; "
				    "refusing the image", what, blob, got, digest);
	return 0;
}

/* What a copy into the store may still write: its free space less 1/32 of
 * its filesystem, as archive.c leaves for the host. */
static int room(int fd, unsigned long long *left, const char *what, struct brig_err *e)
{
	struct statvfs st;
	unsigned long long keep, avail;

	if (fstatvfs(fd, &st) < 0)
		return brig_err_set(e, errno, "%s: examining the store's filesystem", what);
	keep = (unsigned long long)st.f_blocks * st.f_frsize / 32;
	avail = (unsigned long long)st.f_bavail * st.f_frsize;
	*left = avail > keep ? avail - keep : 0;
	return 0;
}

static int no_room(const char *what, struct brig_err *e)
{
	return brig_err_set(e, 0, "%s: the image holds more data than the store has room for "
			    "(1/32 of its filesystem is kept free); refusing it", what);
}

/* ---- the host's platform, as OCI names it ---- */

static const char *host_arch(const char **variant)
{
	static const struct {
		const char *uname, *arch, *variant;
	} map[] = {
		{ "x86_64", "amd64", NULL }, { "aarch64", "arm64", "v8" }, { "armv7l", "arm", "v7" },
		{ "armv6l", "arm", "v6" }, { "i686", "386", NULL }, { "i386", "386", NULL },
		{ "ppc64le", "ppc64le", NULL }, { "s390x", "s390x", NULL },
		{ "riscv64", "riscv64", NULL }, { "loongarch64", "loong64", NULL },
	};
	static struct utsname u;

	*variant = NULL;
	if (uname(&u) < 0)
		return "amd64";
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(u.machine, map[i].uname)) {
			*variant = map[i].variant;
			return map[i].arch;
		}
	return u.machine;
}

/* ---- OCI image layouts ---- */

/* blobs/sha256/HEX of a checked digest. */
static char *blob_path(const char *digest)
{
	return xasprintf("blobs/sha256/%s", digest + 7);
}

/* A JSON blob of the layout, verified; *out NUL-ended. */
static int read_json_blob(int layoutfd, const struct oci_desc *d, const char *what, char **out,
			  size_t *len, struct brig_err *e)
{
	cleanup_free char *path = blob_path(d->digest);
	struct hash h;

	if (d->size > OCI_JSON_MAX)
		return brig_err_set(e, 0, "%s: blob %s claims %lld bytes, more than the %u a JSON "
				    "document of an image may have; refusing the image", what, d->digest,
				    d->size, OCI_JSON_MAX);
	if (read_bounded(layoutfd, path, READ_BENEATH, OCI_JSON_MAX, out, len, e) < 0)
		return brig_err_wrap(e, "%s", what);
	hash_init(&h);
	hash_add(&h, *out, *len);
	if (hash_check(&h, d->digest, d->size, what, d->digest, e) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Copy a layer blob to tmpfd/name while hashing it; the copy, verified,
 * opened for reading (and removed from the directory). */
static int copy_layer(int layoutfd, const struct oci_desc *d, int tmpfd, const char *what,
		      struct brig_err *e)
{
	cleanup_free char *path = blob_path(d->digest);
	/* O_NONBLOCK: a FIFO in its place is refused, not waited for. */
	cleanup_close int in = beneath_open(layoutfd, path, O_RDONLY | O_NONBLOCK, e);
	char buf[128 * 1024];
	unsigned long long left;
	struct stat st;
	struct hash h;
	int out;

	if (in < 0)
		return brig_err_wrap(e, "%s: blob %s", what, d->digest);
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode))
		return brig_err_set(e, 0, "%s: blob %s is not a regular file", what, d->digest);
	if (room(tmpfd, &left, what, e) < 0)
		return -1;
	if ((unsigned long long)d->size > left)
		return no_room(what, e);
	out = openat(tmpfd, "layer", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0)
		return brig_err_set(e, errno, "%s: a copy of blob %s", what, d->digest);
	unlinkat(tmpfd, "layer", 0);
	hash_init(&h);
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			brig_err_set(e, errno, "%s: reading blob %s", what, d->digest);
			goto fail;
		}
		if (n == 0)
			break;
		/* Never more than the descriptor says (a blob growing meanwhile). */
		if (h.len + (unsigned long long)n > (unsigned long long)d->size) {
			hash_add(&h, buf, (size_t)n);
			break;
		}
		hash_add(&h, buf, (size_t)n);
		if (write_all(out, buf, (size_t)n) < 0) {
			brig_err_set(e, errno, "%s: copying blob %s into the store", what, d->digest);
			goto fail;
		}
	}
	if (hash_check(&h, d->digest, d->size, what, d->digest, e) < 0)
		goto fail;
	return out;
fail:
	close(out);
	return -1;
}

/* The manifest descriptor to use: from index.json, through nested indexes. */
static int find_manifest(int layoutfd, const char *ref, const char *what, struct oci_desc *out,
			 struct brig_err *e)
{
	const char *variant, *arch = host_arch(&variant);
	cleanup_free char *json = NULL;
	struct oci_descs ds;
	size_t len;
	int i;

	if (read_bounded(layoutfd, "index.json", READ_BENEATH, OCI_JSON_MAX, &json, &len, e) < 0)
		return brig_err_wrap(e, "%s: not an OCI image layout", what);
	for (int depth = 0;; depth++) {
		if (oci_parse_index(json, len, &ds, what, e) < 0)
			return -1;
		i = oci_pick(&ds, depth ? NULL : ref, arch, variant, what, e);
		if (i < 0) {
			oci_descs_free(&ds);
			return -1;
		}
		*out = ds.v[i];
		ds.v[i] = (struct oci_desc){ 0 };
		oci_descs_free(&ds);
		if (!oci_is_index(out->media_type))
			return 0;
		if (depth == INDEX_DEPTH) {
			oci_desc_free(out);
			return brig_err_set(e, 0, "%s: indexes nested deeper than %d", what, INDEX_DEPTH);
		}
		free(json);
		json = NULL;
		if (read_json_blob(layoutfd, out, what, &json, &len, e) < 0) {
			oci_desc_free(out);
			return -1;
		}
		oci_desc_free(out);
	}
}

/* Check the config and keep it as the template's image.json. */
static int keep_config(int tmpfd, const char *json, size_t len, const char *what,
		       struct image_config *c, struct brig_err *e)
{
	if (image_config_parse(json, len, c, what, e) < 0)
		return -1;
	return write_atomic_at(tmpfd, IMAGE_CONFIG_FILE, json, len, 0644, false, e);
}

/* A layer of a container image (tar, plain or compressed), not another
 * artifact's blob (a Helm chart, a signature) that a layout may hold. */
static bool layer_type_ok(const char *mt)
{
	return !*mt || !strncmp(mt, "application/vnd.oci.image.layer.", 32) ||
	       !strncmp(mt, "application/vnd.docker.image.rootfs.", 36);
}

static int fill_oci(const char *dir, const char *ref, int tmpfd, int rootfd,
		    struct store_devices *dev, const struct store_progress *p, struct brig_err *e)
{
	cleanup_close int layoutfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_free char *mjson = NULL, *cjson = NULL;
	struct oci_desc man = { 0 }, cfg = { 0 };
	struct oci_descs layers = { 0 };
	struct image_config c = { 0 };
	size_t mlen, clen;
	int rc = -1;

	if (layoutfd < 0)
		return brig_err_set(e, errno, "opening `%s`", dir);
	if (find_manifest(layoutfd, ref, dir, &man, e) < 0)
		return -1;
	if (read_json_blob(layoutfd, &man, dir, &mjson, &mlen, e) < 0 ||
	    oci_parse_manifest(mjson, mlen, &cfg, &layers, dir, e) < 0 ||
	    read_json_blob(layoutfd, &cfg, dir, &cjson, &clen, e) < 0 ||
	    keep_config(tmpfd, cjson, clen, dir, &c, e) < 0)
		goto out;
	if (c.ndiff_ids && c.ndiff_ids != layers.n) {
		brig_err_set(e, 0, "%s: the manifest has %zu layers, the config %zu diff_ids", dir,
			     layers.n, c.ndiff_ids);
		goto out;
	}
	for (size_t i = 0; i < layers.n; i++)
		if (!layer_type_ok(layers.v[i].media_type)) {
			brig_err_set(e, 0, "%s: layer %zu is a `%s`, not a container image's layer",
				     dir, i + 1, layers.v[i].media_type);
			goto out;
		}
	for (size_t i = 0; i < layers.n; i++) {
		cleanup_free char *what = xasprintf("%s: layer %zu (%s)", dir, i + 1, layers.v[i].digest);
		int fd = copy_layer(layoutfd, &layers.v[i], tmpfd, dir, e), r;

		if (fd < 0)
			goto out;
		r = oci_layer_apply(fd, rootfd, what, dev, p, e);
		close(fd);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	oci_desc_free(&man);
	oci_desc_free(&cfg);
	oci_descs_free(&layers);
	image_config_free(&c);
	return rc;
}

/* ---- docker-archive ---- */

/* A member of the archive unpacked into the work directory (regular
 * files), or a symlink to another member (docker save links identical
 * layers). */
struct member {
	char *name;
	char *link;		/* cleaned target, or NULL */
	int file;		/* staging file number */
	char digest[7 + 64 + 1];
};

struct staging {
	int dirfd;
	struct member *v;
	size_t n;
};

static void staging_free(struct staging *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].link);
	}
	free(s->v);
	if (s->dirfd >= 0)
		close(s->dirfd);
}

/* A member by name, following member symlinks (a few). */
static const struct member *staged(const struct staging *s, const char *name)
{
	for (int hops = 0; hops < 8; hops++) {
		const struct member *m = NULL;

		for (size_t i = 0; i < s->n && !m; i++)
			if (!strcmp(s->v[i].name, name))
				m = &s->v[i];
		if (!m || !m->link)
			return m;
		name = m->link;
	}
	return NULL;
}

/* A symlink member's target, as a member name: resolved lexically ("" when
 * it leaves the archive). Only a key of the member table, never a path. */
static char *link_target(const char *member, const char *target)
{
	const char *slash = strrchr(member, '/');
	cleanup_free char *joined = target[0] == '/' ? NULL :
				    xasprintf("%.*s%s", slash ? (int)(slash - member + 1) : 0, member, target);
	char *out = xcalloc(1, joined ? strlen(joined) + 1 : 1);
	size_t len = 0;

	for (char *p = joined, *c; p && (c = strsep(&p, "/"));) {
		if (!*c || !strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			if (len == 0) {
				out[0] = '\0';
				return out;
			}
			while (len > 0 && out[len - 1] != '/')
				len--;
			len = len > 0 ? len - 1 : 0;
			out[len] = '\0';
			continue;
		}
		len += (size_t)sprintf(out + len, "%s%s", len ? "/" : "", c);
	}
	return out;
}

/* Unpack the archive's regular files into tmpfd/blobs, hashing them. */
static int stage(const char *file, int tmpfd, struct staging *s, struct brig_err *e)
{
	cleanup_close int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct archive *a;
	char buf[128 * 1024];
	unsigned long long left;
	int rc = 0;

	if (fd < 0)
		return brig_err_set(e, errno, "opening `%s`", file);
	if (room(tmpfd, &left, file, e) < 0)
		return -1;
	if (mkdirat(tmpfd, "blobs", 0700) < 0)
		return brig_err_set(e, errno, "%s: a work directory", file);
	s->dirfd = openat(tmpfd, "blobs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->dirfd < 0)
		return brig_err_set(e, errno, "%s: a work directory", file);
	a = archive_open_read(fd, file, e);
	if (!a)
		return -1;
	while (rc == 0) {
		struct archive_entry *ent;
		const char *why = NULL;
		cleanup_free char *name = NULL;
		struct member m = { .file = -1 };
		int r = archive_next(a, &ent, file, e);

		if (r != 0) {
			rc = r < 0 ? -1 : 0;
			break;
		}
		if (archive_entry_filetype(ent) != AE_IFREG && archive_entry_filetype(ent) != AE_IFLNK)
			continue;
		name = path_member_clean(archive_entry_pathname(ent), &why);
		if (!name || !*name) {
			rc = brig_err_set(e, 0, "%s: member `%s` %s; refusing the archive", file,
					  archive_entry_pathname(ent), why ? why : "is the top");
			break;
		}
		if (s->n == DOCKER_MEMBERS_MAX) {
			rc = brig_err_set(e, 0, "%s: more than %d members; refusing the archive", file,
					  DOCKER_MEMBERS_MAX);
			break;
		}
		m.name = TAKE_PTR(name);
		if (archive_entry_filetype(ent) == AE_IFLNK) {
			m.link = link_target(m.name, archive_entry_symlink(ent) ? archive_entry_symlink(ent) : "");
		} else {
			cleanup_free char *fname = xasprintf("%zu", s->n);
			cleanup_close int out = openat(s->dirfd, fname, O_WRONLY | O_CREAT | O_EXCL |
						       O_NOFOLLOW | O_CLOEXEC, 0600);
			struct hash h;
			la_ssize_t n;

			m.file = (int)s->n;
			if (out < 0)
				rc = brig_err_set(e, errno, "%s: unpacking `%s`", file, m.name);
			hash_init(&h);
			while (rc == 0 && (n = archive_read_data(a, buf, sizeof(buf))) != 0) {
				if (n < 0)
					rc = brig_err_set(e, 0, "%s: corrupt or truncated archive: %s", file,
							  archive_error_string(a));
				else if ((unsigned long long)n > left)
					rc = no_room(file, e);
				else if (write_all(out, buf, (size_t)n) < 0)
					rc = brig_err_set(e, errno, "%s: unpacking `%s`", file, m.name);
				else {
					left -= (unsigned long long)n;
					hash_add(&h, buf, (size_t)n);
				}
			}
			hash_digest(&h, m.digest);
		}
		s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n++] = m;
	}
	archive_read_free(a);
	return rc;
}

/* The digest a docker-archive's config member is named after:
 * "HEX.json" (docker save, skopeo) or "blobs/sha256/HEX" (docker 25). */
static char *config_digest(const char *name)
{
	const char *base = strrchr(name, '/');
	cleanup_free char *d = NULL;

	base = base ? base + 1 : name;
	if (!strncmp(name, "blobs/sha256/", 13) && !strchr(name + 13, '/'))
		d = xasprintf("sha256:%s", name + 13);
	else if (!strchr(name, '/') && strlen(base) == 64 + 5 && !strcmp(base + 64, ".json"))
		d = xasprintf("sha256:%.64s", base);
	return d && oci_digest_valid(d) ? TAKE_PTR(d) : NULL;
}

/* Read a staged member whole (JSON). */
static int staged_json(const struct staging *s, const char *name, const char *what, char **out,
		       size_t *len, const struct member **mp, struct brig_err *e)
{
	const struct member *m = staged(s, name);
	cleanup_free char *fname = NULL;

	if (!m)
		return brig_err_set(e, 0, "%s: no member `%s`", what, name);
	fname = xasprintf("%d", m->file);
	if (read_bounded(s->dirfd, fname, READ_AT, OCI_JSON_MAX, out, len, e) < 0)
		return brig_err_wrap(e, "%s: member `%s`", what, name);
	if (mp)
		*mp = m;
	return 0;
}

/* The sha256 of a layer's uncompressed tar (its diff_id). */
static int diff_id_check(int fd, const char *want, const char *what, struct brig_err *e)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	char buf[128 * 1024], got[7 + 64 + 1];
	struct hash h;
	la_ssize_t n;
	int rc = 0;

	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_format_raw(a);
	hash_init(&h);
	if (lseek(fd, 0, SEEK_SET) < 0 || archive_read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK ||
	    archive_read_next_header(a, &ent) != ARCHIVE_OK)
		rc = brig_err_set(e, 0, "%s: unreadable: %s", what, archive_error_string(a));
	while (rc == 0 && (n = archive_read_data(a, buf, sizeof(buf))) != 0) {
		if (n < 0)
			rc = brig_err_set(e, 0, "%s: corrupt or truncated: %s", what, archive_error_string(a));
		else
			hash_add(&h, buf, (size_t)n);
	}
	archive_read_free(a);
	if (rc < 0)
		return -1;
	hash_digest(&h, got);
	if (strcmp(got, want))
		return brig_err_set(e, 0, "%s: its content has digest %s, the image's config says %s; "
				    "refusing the image", what, got, want);
	return 0;
}

static int fill_docker(const char *file, int tmpfd, int rootfd, struct store_devices *dev,
		       const struct store_progress *p, struct brig_err *e)
{
	struct staging s = { .dirfd = -1 };
	cleanup_free char *mjson = NULL, *cjson = NULL, *cname = NULL, *want = NULL;
	char **layers = NULL;
	size_t nlayers = 0, mlen, clen;
	const struct member *cm;
	struct image_config c = { 0 };
	int rc = -1;

	if (stage(file, tmpfd, &s, e) < 0 ||
	    staged_json(&s, "manifest.json", file, &mjson, &mlen, NULL, e) < 0 ||
	    docker_parse_manifest(mjson, mlen, &cname, &layers, &nlayers, file, e) < 0 ||
	    staged_json(&s, cname, file, &cjson, &clen, &cm, e) < 0)
		goto out;
	want = config_digest(cname);
	if (!want) {
		brig_err_set(e, 0, "%s: config `%s` is not named after its digest; brig cannot verify it",
			     file, cname);
		goto out;
	}
	if (strcmp(want, cm->digest)) {
		brig_err_set(e, 0, "%s: config `%s` has digest %s; refusing the image", file, cname,
			     cm->digest);
		goto out;
	}
	if (keep_config(tmpfd, cjson, clen, file, &c, e) < 0)
		goto out;
	if (c.ndiff_ids != nlayers) {
		brig_err_set(e, 0, "%s: manifest.json names %zu layers, the config %zu diff_ids", file,
			     nlayers, c.ndiff_ids);
		goto out;
	}
	for (size_t i = 0; i < nlayers; i++) {
		const struct member *m = staged(&s, layers[i]);
		cleanup_free char *what = xasprintf("%s: layer %zu (%s)", file, i + 1, layers[i]);
		cleanup_free char *fname = NULL;
		cleanup_close int fd = -1;

		if (!m) {
			brig_err_set(e, 0, "%s: no such member", what);
			goto out;
		}
		fname = xasprintf("%d", m->file);
		fd = openat(s.dirfd, fname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			brig_err_set(e, errno, "%s", what);
			goto out;
		}
		if (diff_id_check(fd, c.diff_ids[i], what, e) < 0 ||
		    oci_layer_apply(fd, rootfd, what, dev, p, e) < 0)
			goto out;
	}
	rc = fs_rm_tree(tmpfd, "blobs", e);
out:
	for (size_t i = 0; i < nlayers; i++)
		free(layers[i]);
	free(layers);
	staging_free(&s);
	image_config_free(&c);
	return rc;
}

/* ---- the source ---- */

bool oci_is_source(const char *source)
{
	return !strncmp(source, OCI_PREFIX, strlen(OCI_PREFIX)) ||
	       !strncmp(source, DOCKER_PREFIX, strlen(DOCKER_PREFIX));
}

/* "DIR[:REF]": the whole when it is a directory, else split at the last ':'. */
static void split_ref(const char *spec, char **dir, char **ref)
{
	const char *colon = strrchr(spec, ':');
	struct stat st;

	*ref = NULL;
	if (!colon || (stat(spec, &st) == 0 && S_ISDIR(st.st_mode))) {
		*dir = xstrdup(spec);
		return;
	}
	*dir = xstrndup(spec, (size_t)(colon - spec));
	*ref = xstrdup(colon + 1);
}

int oci_template_fill(const char *source, int tmpfd, int rootfd, char **recorded,
		      struct store_devices *dev, const struct store_progress *p, struct brig_err *e)
{
	cleanup_free char *dir = NULL, *ref = NULL, *abs = NULL;

	if (!strncmp(source, DOCKER_PREFIX, strlen(DOCKER_PREFIX))) {
		abs = realpath(source + strlen(DOCKER_PREFIX), NULL);
		if (!abs)
			return brig_err_set(e, errno, "`%s`", source + strlen(DOCKER_PREFIX));
		*recorded = xasprintf(DOCKER_PREFIX "%s", abs);
		return fill_docker(abs, tmpfd, rootfd, dev, p, e);
	}
	split_ref(source + strlen(OCI_PREFIX), &dir, &ref);
	abs = realpath(dir, NULL);
	if (!abs)
		return brig_err_set(e, errno, "`%s`", dir);
	*recorded = ref ? xasprintf(OCI_PREFIX "%s:%s", abs, ref) : xasprintf(OCI_PREFIX "%s", abs);
	return fill_oci(abs, ref && *ref ? ref : NULL, tmpfd, rootfd, dev, p, e);
}
