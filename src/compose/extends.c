/* extends: a service built on another, of the same file or of another
 * file (the Compose Specification): its layers, the deepest base first,
 * each read with its own file's name (for FILE:LINE) and directory (for
 * relative paths), the service's own last. A later layer's value takes
 * the place of an earlier one's; lists (ports, volumes, environment,
 * extra_hosts, dns) add to them (services.c). Chains are bounded (a loop
 * is one that is too long). */
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/internal.h"
#include "util/mem.h"

/* The longest chain of extends. */
#define EXTENDS_MAX 8

static void push(struct cx_layer **v, size_t *n, struct fy_node *svc, const char *file,
		 const char *dir)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n] = (struct cx_layer){ svc, file, dir };
	(*n)++;
}

/* The other file's document (read once), its name and directory. */
static struct cx_doc *other(struct cx *c, struct fy_node *at, const char *where, const char *dir,
			    const char *name)
{
	cleanup_free char *path = name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", dir, name);
	char err[512];
	struct fy_document *doc;

	if (c->text_only) {
		cx_fail(c, at, where, "%s: no other file is read here", name);
		return NULL;
	}
	for (size_t i = 0; i < c->ndocs; i++)
		if (!strcmp(c->docs[i].file, path))
			return &c->docs[i];
	if (c->ndocs >= EXTENDS_MAX) {
		cx_fail(c, at, where, "more than %d files extended", EXTENDS_MAX);
		return NULL;
	}
	if (!(doc = cx_doc_load(path, err, sizeof(err)))) {
		/* Listed, and the service imported without its base (a
		 * migration's dry run over part of a tree, as the corpus's). */
		cx_unsup(c, at, where, "%s: the service is imported without what it extends", err);
		return NULL;
	}
	c->docs = xrealloc(c->docs, (c->ndocs + 1) * sizeof(*c->docs));
	c->docs[c->ndocs].doc = doc;
	c->docs[c->ndocs].file = xstrdup(path);
	char *slash = strrchr(path, '/');

	*slash = '\0';
	c->docs[c->ndocs].dir = xstrdup(*path ? path : "/");
	return &c->docs[c->ndocs++];
}

static int layers(struct cx *c, struct fy_node *services, struct fy_node *svc, const char *name,
		  const char *file, const char *dir, int depth, struct cx_layer **v, size_t *n)
{
	struct fy_node *ext = fy_node_is_mapping(svc) ?
		fy_node_mapping_lookup_by_string(svc, "extends", FY_NT) : NULL;
	cleanup_free char *where = xasprintf("services.%s.extends", name);
	cleanup_free char *base = NULL, *ofile = NULL;
	struct fy_node *bn, *sn = ext, *fn = NULL;
	const char *bfile = file, *bdir = dir;

	if (!ext) {
		push(v, n, svc, file, dir);
		return 0;
	}
	if (depth >= EXTENDS_MAX) {
		cx_fail(c, ext, where, "extends %d deep (a loop?)", depth);
		return -1;
	}
	if (fy_node_is_mapping(ext)) {
		sn = fy_node_mapping_lookup_by_string(ext, "service", FY_NT);
		fn = fy_node_mapping_lookup_by_string(ext, "file", FY_NT);
	}
	const char *saved = c->file;

	c->file = file;		/* cx_str's and cx_fail's FILE */
	base = sn ? cx_str(c, sn, where) : NULL;
	ofile = fn ? cx_str(c, fn, where) : NULL;
	if (!base || (fn && !ofile) || !*base)
		cx_fail(c, sn ? sn : ext, where, "expected a service name, or {service, file}");
	if (!c->err[0] && ofile) {
		struct cx_doc *d = other(c, fn, where, dir, ofile);
		struct fy_node *root = d ? fy_document_root(d->doc) : NULL;

		if (!d && !c->err[0]) {
			c->file = saved;
			push(v, n, svc, file, dir);
			return 0;
		}
		services = root && fy_node_is_mapping(root) ?
			fy_node_mapping_lookup_by_string(root, "services", FY_NT) : NULL;
		if (d) {
			bfile = d->file;
			bdir = d->dir;
		}
	}
	bn = !c->err[0] && services && fy_node_is_mapping(services) ?
		fy_node_mapping_lookup_by_string(services, base, FY_NT) : NULL;
	if (!c->err[0] && (!bn || !fy_node_is_mapping(bn)))
		cx_fail(c, sn, where, "no service %s in %s", base, bfile);
	c->file = saved;
	if (c->err[0])
		return -1;
	if (layers(c, services, bn, base, bfile, bdir, depth + 1, v, n) < 0)
		return -1;
	push(v, n, svc, file, dir);
	return 0;
}

int cx_extends(struct cx *c, struct fy_node *services, struct fy_node *svc, const char *name,
	       struct cx_layer **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	if (layers(c, services, svc, name, c->file, c->dir, 0, v, n) < 0) {
		free(*v);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
