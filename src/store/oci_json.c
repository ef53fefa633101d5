/* What an image says about itself: OCI index, manifest and config, and
 * docker-archive's manifest.json. Hostile input: every field is checked
 * for its type, digests for their form (they become file names), and
 * nothing is trusted to be small but the bound of the caller's read. */
#include <jansson.h>
#include <string.h>

#include "store/oci.h"
#include "util/mem.h"

#define REF_NAME "org.opencontainers.image.ref.name"

bool oci_digest_valid(const char *d)
{
	if (!d || strncmp(d, "sha256:", 7) != 0 || strlen(d) != 7 + 64)
		return false;
	for (d += 7; *d; d++)
		if (!((*d >= '0' && *d <= '9') || (*d >= 'a' && *d <= 'f')))
			return false;
	return true;
}

bool oci_is_index(const char *mt)
{
	return mt && (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
		      !strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"));
}

void oci_desc_free(struct oci_desc *d)
{
	free(d->media_type);
	free(d->digest);
	free(d->ref);
	free(d->os);
	free(d->arch);
	free(d->variant);
	*d = (struct oci_desc){ 0 };
}

void oci_descs_free(struct oci_descs *d)
{
	for (size_t i = 0; i < d->n; i++)
		oci_desc_free(&d->v[i]);
	free(d->v);
	*d = (struct oci_descs){ 0 };
}

static json_t *load(const char *json, size_t len, const char *what, struct brig_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);

	if (!root)
		brig_err_set(e, 0, "%s: not JSON: %s (line %d, column %d)", what, je.text, je.line,
			     je.column);
	else if (!json_is_object(root) && !json_is_array(root)) {
		brig_err_set(e, 0, "%s: not a JSON object", what);
		json_decref(root);
		return NULL;
	}
	return root;
}

/* A string member of o, or NULL when absent; -1 when it is not a string. */
static int get_str(const json_t *o, const char *key, char **out, const char *what,
		   struct brig_err *e)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return brig_err_set(e, 0, "%s: \"%s\" is not a string", what, key);
	*out = xstrndup(json_string_value(v), json_string_length(v));
	if (strlen(*out) != json_string_length(v)) {
		free(*out);
		*out = NULL;
		return brig_err_set(e, 0, "%s: \"%s\" holds a NUL byte", what, key);
	}
	return 0;
}

/* One descriptor object. */
static int parse_desc(const json_t *o, struct oci_desc *d, const char *what, struct brig_err *e)
{
	json_t *size = json_object_get(o, "size"), *plat = json_object_get(o, "platform");
	json_t *ann = json_object_get(o, "annotations"), *urls = json_object_get(o, "urls");
	const char *ref;

	*d = (struct oci_desc){ .size = -1 };
	if (!json_is_object(o))
		return brig_err_set(e, 0, "%s: a descriptor is not an object", what);
	if (get_str(o, "mediaType", &d->media_type, what, e) < 0 ||
	    get_str(o, "digest", &d->digest, what, e) < 0)
		goto fail;
	if (!d->media_type)
		d->media_type = xstrdup("");
	if (!oci_digest_valid(d->digest)) {
		brig_err_set(e, 0, "%s: digest `%s` is not sha256:<64 hex digits> (the only one brig verifies)",
			     what, d->digest ? d->digest : "");
		goto fail;
	}
	if (!json_is_integer(size) || json_integer_value(size) < 0) {
		brig_err_set(e, 0, "%s: descriptor %s has no valid size", what, d->digest);
		goto fail;
	}
	d->size = json_integer_value(size);
	if (urls && !(json_is_array(urls) && json_array_size(urls) == 0)) {
		brig_err_set(e, 0, "%s: blob %s is to be fetched from URLs (a foreign layer); "
			     "brig reads images from files only", what, d->digest);
		goto fail;
	}
	if (json_is_object(ann) && (ref = json_string_value(json_object_get(ann, REF_NAME))))
		d->ref = xstrdup(ref);
	if (json_is_object(plat) &&
	    (get_str(plat, "os", &d->os, what, e) < 0 || get_str(plat, "architecture", &d->arch, what, e) < 0 ||
	     get_str(plat, "variant", &d->variant, what, e) < 0))
		goto fail;
	return 0;
fail:
	oci_desc_free(d);
	return -1;
}

static int parse_descs(const json_t *a, struct oci_descs *out, const char *key, const char *what,
		       struct brig_err *e)
{
	size_t i;
	json_t *o;

	*out = (struct oci_descs){ 0 };
	if (!json_is_array(a))
		return brig_err_set(e, 0, "%s: no \"%s\" array", what, key);
	out->v = xcalloc(json_array_size(a) + 1, sizeof(*out->v));
	json_array_foreach(a, i, o) {
		if (parse_desc(o, &out->v[i], what, e) < 0) {
			oci_descs_free(out);
			return -1;
		}
		out->n++;
	}
	return 0;
}

int oci_parse_index(const char *json, size_t len, struct oci_descs *out, const char *what,
		    struct brig_err *e)
{
	json_t *root = load(json, len, what, e);
	int rc;

	*out = (struct oci_descs){ 0 };
	if (!root)
		return -1;
	rc = parse_descs(json_object_get(root, "manifests"), out, "manifests", what, e);
	json_decref(root);
	return rc;
}

int oci_pick(const struct oci_descs *d, const char *ref, const char *arch, const char *variant,
	     const char *what, struct brig_err *e)
{
	int found = -1, candidates = 0;

	for (size_t i = 0; i < d->n; i++) {
		const struct oci_desc *m = &d->v[i];

		if (ref && (!m->ref || strcmp(m->ref, ref)))
			continue;
		/* No platform: an image for any (a single-image layout). */
		if (m->os && strcmp(m->os, "linux"))
			continue;
		if (m->arch && strcmp(m->arch, arch))
			continue;
		candidates++;
		if (found < 0 || (variant && m->variant && !strcmp(m->variant, variant) &&
				  !(d->v[found].variant && !strcmp(d->v[found].variant, variant))))
			found = (int)i;
	}
	if (found >= 0 && (candidates == 1 || ref || d->v[found].arch))
		return found;
	if (found >= 0)
		return brig_err_set(e, 0, "%s: holds %d images; name one as oci:DIR:REF", what, candidates);
	if (ref)
		return brig_err_set(e, 0, "%s: no image named `%s` (org.opencontainers.image.ref.name)",
				    what, ref);
	return brig_err_set(e, 0, "%s: no image for linux/%s", what, arch);
}

int oci_parse_manifest(const char *json, size_t len, struct oci_desc *config,
		       struct oci_descs *layers, const char *what, struct brig_err *e)
{
	json_t *root = load(json, len, what, e);
	int rc = -1;

	*config = (struct oci_desc){ 0 };
	*layers = (struct oci_descs){ 0 };
	if (!root)
		return -1;
	if (!json_is_object(json_object_get(root, "config")))
		brig_err_set(e, 0, "%s: not an image manifest (no \"config\")", what);
	else if (parse_desc(json_object_get(root, "config"), config, what, e) == 0) {
		rc = parse_descs(json_object_get(root, "layers"), layers, "layers", what, e);
		if (rc < 0)
			oci_desc_free(config);
	}
	json_decref(root);
	return rc;
}

/* A member name of a docker-archive: a relative path without "..". */
static bool member_name_ok(const char *s)
{
	return s && *s && *s != '/' && !strstr(s, "..") && strlen(s) < 4096;
}

int docker_parse_manifest(const char *json, size_t len, char **config, char ***layers,
			  size_t *nlayers, const char *what, struct brig_err *e)
{
	json_t *root = load(json, len, what, e), *img, *ls, *l;
	size_t i;

	*config = NULL;
	*layers = NULL;
	*nlayers = 0;
	if (!root)
		return -1;
	if (!json_is_array(root) || json_array_size(root) != 1) {
		json_decref(root);
		return brig_err_set(e, 0, "%s: not a list of one image (brig reads archives of one image)",
				    what);
	}
	img = json_array_get(root, 0);
	ls = json_object_get(img, "Layers");
	if (get_str(img, "Config", config, what, e) < 0)
		goto fail;
	if (!member_name_ok(*config) || !json_is_array(ls)) {
		brig_err_set(e, 0, "%s: no valid \"Config\" and \"Layers\"", what);
		goto fail;
	}
	*layers = xcalloc(json_array_size(ls) + 1, sizeof(**layers));
	json_array_foreach(ls, i, l) {
		if (!json_is_string(l) || !member_name_ok(json_string_value(l))) {
			brig_err_set(e, 0, "%s: layer %zu is not a member name", what, i + 1);
			goto fail;
		}
		(*layers)[(*nlayers)++] = xstrdup(json_string_value(l));
	}
	json_decref(root);
	return 0;
fail:
	for (i = 0; i < *nlayers; i++)
		free((*layers)[i]);
	free(*layers);
	free(*config);
	*config = NULL;
	*layers = NULL;
	*nlayers = 0;
	json_decref(root);
	return -1;
}

/* An array of strings (NULL and absent: none). */
static int get_strs(const json_t *o, const char *key, char ***out, size_t *n, const char *what,
		    struct brig_err *e)
{
	json_t *a = json_object_get(o, key), *s;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return brig_err_set(e, 0, "%s: \"%s\" is not a list of strings", what, key);
	*out = xcalloc(json_array_size(a) + 1, sizeof(**out));
	json_array_foreach(a, i, s) {
		if (!json_is_string(s) || strlen(json_string_value(s)) != json_string_length(s))
			return brig_err_set(e, 0, "%s: \"%s\" is not a list of strings", what, key);
		(*out)[(*n)++] = xstrdup(json_string_value(s));
	}
	return 0;
}

/* The keys of an object ({"80/tcp": {}}), or its "K=V" pairs. */
static int get_keys(const json_t *o, const char *key, bool values, char ***out, size_t *n,
		    const char *what, struct brig_err *e)
{
	json_t *m = json_object_get(o, key), *v;
	const char *k;

	*out = NULL;
	*n = 0;
	if (!m || json_is_null(m))
		return 0;
	if (!json_is_object(m))
		return brig_err_set(e, 0, "%s: \"%s\" is not an object", what, key);
	*out = xcalloc(json_object_size(m) + 1, sizeof(**out));
	json_object_foreach(m, k, v) {
		if (values && !json_is_string(v))
			return brig_err_set(e, 0, "%s: label `%s` is not a string", what, k);
		(*out)[(*n)++] = values ? xasprintf("%s=%s", k, json_string_value(v)) : xstrdup(k);
	}
	return 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void image_config_free(struct image_config *c)
{
	strv_free(c->entrypoint, c->nentrypoint);
	strv_free(c->cmd, c->ncmd);
	strv_free(c->env, c->nenv);
	strv_free(c->ports, c->nports);
	strv_free(c->volumes, c->nvolumes);
	strv_free(c->labels, c->nlabels);
	strv_free(c->diff_ids, c->ndiff_ids);
	free(c->workdir);
	free(c->user);
	free(c->stop_signal);
	*c = (struct image_config){ 0 };
}

/* An empty string is no value. */
static void none_if_empty(char **s)
{
	if (*s && !**s) {
		free(*s);
		*s = NULL;
	}
}

int image_config_parse(const char *json, size_t len, struct image_config *c, const char *what,
		       struct brig_err *e)
{
	json_t *root = load(json, len, what, e), *cfg, *rootfs;
	int rc = -1;

	*c = (struct image_config){ 0 };
	if (!root)
		return -1;
	cfg = json_object_get(root, "config");
	rootfs = json_object_get(root, "rootfs");
	if (!json_is_object(root) || (cfg && !json_is_null(cfg) && !json_is_object(cfg))) {
		brig_err_set(e, 0, "%s: not an image config", what);
		goto out;
	}
	if (get_strs(rootfs, "diff_ids", &c->diff_ids, &c->ndiff_ids, what, e) < 0)
		goto out;
	for (size_t i = 0; i < c->ndiff_ids; i++)
		if (!oci_digest_valid(c->diff_ids[i])) {
			brig_err_set(e, 0, "%s: rootfs.diff_ids: `%s` is not a sha256 digest", what,
				     c->diff_ids[i]);
			goto out;
		}
	if (json_is_object(cfg) &&
	    (get_strs(cfg, "Entrypoint", &c->entrypoint, &c->nentrypoint, what, e) < 0 ||
	     get_strs(cfg, "Cmd", &c->cmd, &c->ncmd, what, e) < 0 ||
	     get_strs(cfg, "Env", &c->env, &c->nenv, what, e) < 0 ||
	     get_keys(cfg, "ExposedPorts", false, &c->ports, &c->nports, what, e) < 0 ||
	     get_keys(cfg, "Volumes", false, &c->volumes, &c->nvolumes, what, e) < 0 ||
	     get_keys(cfg, "Labels", true, &c->labels, &c->nlabels, what, e) < 0 ||
	     get_str(cfg, "WorkingDir", &c->workdir, what, e) < 0 ||
	     get_str(cfg, "User", &c->user, what, e) < 0 ||
	     get_str(cfg, "StopSignal", &c->stop_signal, what, e) < 0))
		goto out;
	none_if_empty(&c->workdir);
	none_if_empty(&c->user);
	none_if_empty(&c->stop_signal);
	rc = 0;
out:
	if (rc < 0)
		image_config_free(c);
	json_decref(root);
	return rc;
}

int oci_whiteout(const char *path, char **target)
{
	const char *base = strrchr(path, '/');
	size_t dirlen;

	base = base ? base + 1 : path;
	dirlen = (size_t)(base - path);
	*target = NULL;
	if (strncmp(base, ".wh.", 4) != 0)
		return OCI_WH_NONE;
	if (!strcmp(base, ".wh..wh..opq")) {
		*target = xstrndup(path, dirlen ? dirlen - 1 : 0);
		return OCI_WH_OPAQUE;
	}
	if (!strncmp(base, ".wh..wh.", 8))
		return OCI_WH_META;	/* aufs's own (.wh..wh.plnk, ...): not a file */
	if (!base[4] || !strcmp(base + 4, ".") || !strcmp(base + 4, ".."))
		return -1;
	*target = xasprintf("%.*s%s", (int)dirlen, path, base + 4);
	return OCI_WH_FILE;
}
