/* Container images as templates: OCI image layouts and docker-archives.
 *
 * oci_json.c parses what an image says about itself (index, manifests,
 * configs, docker-archive's manifest.json: hostile JSON, pure code,
 * fuzzed by fuzz/fuzz_oci.c); oci_layer.c applies a layer tarball with its
 * whiteouts through the tarball extraction of archive.c; oci.c finds and
 * verifies the blobs and builds the template. */
#ifndef BRIG_STORE_OCI_H
#define BRIG_STORE_OCI_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

/* No JSON document of an image is larger (configs with long histories are
 * a few hundred KiB). */
#define OCI_JSON_MAX (4U << 20)

/* A content descriptor: what a blob is, its digest and size. */
struct oci_desc {
	char *media_type;	/* "" when absent */
	char *digest;		/* "sha256:" and 64 lowercase hex digits, checked */
	long long size;		/* -1 when absent (docker-archive) */
	char *ref;		/* org.opencontainers.image.ref.name, or NULL */
	char *os, *arch, *variant;	/* platform, or NULL */
};

struct oci_descs {
	struct oci_desc *v;
	size_t n;
};

void oci_descs_free(struct oci_descs *d);
void oci_desc_free(struct oci_desc *d);

/* Is d "sha256:" followed by 64 lowercase hex digits? */
bool oci_digest_valid(const char *d);
/* Is this media type an image index (or a docker manifest list)? */
bool oci_is_index(const char *media_type);

/* The manifests an index (index.json, or an index blob) lists. */
int oci_parse_index(const char *json, size_t len, struct oci_descs *out, const char *what,
		    struct brig_err *e);
/* The one to use: ref (NULL: any) matched against the ref names, then the
 * platform linux/arch (variant preferred when given). Its index, or -1. */
int oci_pick(const struct oci_descs *d, const char *ref, const char *arch, const char *variant,
	     const char *what, struct brig_err *e);
/* A manifest's config and layers. */
int oci_parse_manifest(const char *json, size_t len, struct oci_desc *config,
		       struct oci_descs *layers, const char *what, struct brig_err *e);
/* docker-archive's manifest.json: the config's and the layers' member
 * names of its one image. */
int docker_parse_manifest(const char *json, size_t len, char **config, char ***layers,
			  size_t *nlayers, const char *what, struct brig_err *e);

/* What an image's config says about running it (the fields brig maps). */
struct image_config {
	char **entrypoint, **cmd, **env, **ports, **volumes, **labels;	/* labels: "K=V" */
	size_t nentrypoint, ncmd, nenv, nports, nvolumes, nlabels;
	char *workdir, *user, *stop_signal;	/* NULL when absent or empty */
	char **diff_ids;	/* rootfs.diff_ids, checked digests */
	size_t ndiff_ids;
};

/* Is an Env entry NAME=value (what exec.env takes; others are left out)? */
bool image_env_ok(const char *var);
size_t image_env_count(const struct image_config *c);
/* exec.jail_user of an image's User: "www:staff" -> "www" (a name of the
 * jail's /etc/passwd, with its groups); "1000" and "1000:1000" as they are
 * (numeric ids need no passwd entry). malloc'd. */
char *image_user(const char *user);

int image_config_parse(const char *json, size_t len, struct image_config *c, const char *what,
		       struct brig_err *e);
void image_config_free(struct image_config *c);

/* A member path of a layer: OCI_WH_NONE, or a whiteout of *target (the
 * path it removes, allocated) or an opaque directory *target ("" for the
 * top); -1 for a whiteout name that names nothing removable (".wh.",
 * ".wh..", ".wh...", other ".wh..wh." markers are OCI_WH_META). */
enum { OCI_WH_NONE, OCI_WH_FILE, OCI_WH_OPAQUE, OCI_WH_META };
int oci_whiteout(const char *path, char **target);

/* Apply the layer tarball at fd (compressed or not) to rootfd: its
 * whiteouts first (they remove what lower layers made), then its members
 * with the defences of tarball templates (archive.c). */
int oci_layer_apply(int fd, int rootfd, const char *what, struct store_devices *dev,
		    const struct store_progress *p, struct brig_err *e);

/* Is source "oci:..." or "docker-archive:..."? */
bool oci_is_source(const char *source);
/* "oci:DIR[:REF]" or "docker-archive:FILE": fill rootfd (in the template's
 * work directory tmpfd) and write tmpfd/image.json (the verified config);
 * *recorded: the source as brig template ls shows it. */
int oci_template_fill(const char *source, int tmpfd, int rootfd, char **recorded,
		      struct store_devices *dev, const struct store_progress *p, struct brig_err *e);

#define IMAGE_CONFIG_FILE "image.json"

#endif
