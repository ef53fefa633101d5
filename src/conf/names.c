/* Interned names. Every parameter, variable and jail name is stored once,
 * so that resolving 10,000 jails compares pointers, not strings, and each
 * name is looked up in the parameter table only once. */
#include "conf/cf.h"

#include <string.h>

#include "util/mem.h"

/* A fast hash, eight bytes at a time (names are short, but include paths
 * are not). Not meant to resist crafted collisions: the configuration is
 * the administrator's. */
static uint32_t hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* Make room for at least `more` names without growing on the way. */
void cf_names_reserve(struct cf_names *t, size_t more)
{
	size_t cap = t->cap ? t->cap : 256;
	struct cf_name **tab;

	while ((t->n + more) * 2 >= cap)
		cap *= 2;
	if (cap == t->cap)
		return;
	tab = xcalloc(cap, sizeof(*tab));
	for (size_t i = 0; i < t->cap; i++) {
		struct cf_name *n = t->tab[i];
		size_t j;

		if (!n)
			continue;
		for (j = n->hash & (cap - 1); tab[j]; j = (j + 1) & (cap - 1))
			;
		tab[j] = n;
	}
	free(t->tab);
	t->tab = tab;
	t->cap = cap;
}

/* The name s, or NULL if it was never made. */
struct cf_name *cf_name_find(const struct cf_names *t, const char *s)
{
	return cf_name_findn(t, s, strlen(s));
}

/* The name s[0..len), or NULL if it was never made. */
struct cf_name *cf_name_findn(const struct cf_names *t, const char *s, size_t len)
{
	uint32_t h = hash(s, len);
	struct cf_name *n = t->recent[h & 63];

	if (n && n->hash == h && n->len == len && memcmp(n->s, s, len) == 0)
		return n;
	if (!t->cap)
		return NULL;
	for (size_t i = h & (t->cap - 1); (n = t->tab[i]); i = (i + 1) & (t->cap - 1))
		if (n->hash == h && n->len == len && memcmp(n->s, s, len) == 0)
			return n;
	return NULL;
}

/* The one struct cf_name for s[0..len), made on first use. */
struct cf_name *cf_name_get(struct cf_ctx *ctx, const char *s, size_t len)
{
	struct cf_names *t = &ctx->names;
	uint32_t h = hash(s, len);
	struct cf_name *n = t->recent[h & 63];
	size_t i;

	if (n && n->hash == h && n->len == len && memcmp(n->s, s, len) == 0)
		return n;
	if ((t->n + 1) * 2 >= t->cap)
		cf_names_reserve(t, 1);
	for (i = h & (t->cap - 1); (n = t->tab[i]); i = (i + 1) & (t->cap - 1))
		if (n->hash == h && n->len == len && memcmp(n->s, s, len) == 0)
			break;
	if (!n) {
		n = cf_zalloc(&ctx->arena, sizeof(*n));
		n->s = cf_strndup(&ctx->arena, s, len);
		n->len = (uint32_t)len;
		n->hash = h;
		n->pslot = n->vslot = n->jail = n->wlist = -1;
		t->tab[i] = n;
		t->n++;
	}
	t->recent[h & 63] = n;
	return n;
}

/* Boolean-like parameters take a "no" prefix on their last component:
 * nopersist, allow.nomount, mount.nodevfs, novnet. */
static bool negatable(const struct conf_pdef *def)
{
	return def && (def->type == CONF_BOOL || (def->flags & CONF_PF_JAILSYS));
}

/* What n names as a parameter: the table's row, through "no" too. */
struct cf_name *cf_name_param(struct cf_ctx *ctx, struct cf_name *n)
{
	const char *last;
	size_t pre;

	if (n->param_done)
		return n->canon;
	n->param_done = true;
	n->def = cf_pdef_lookup(ctx->schema, n->s, n->len);
	if (n->def) {
		n->canon = n;
		return n;
	}
	last = strrchr(n->s, '.');
	last = last ? last + 1 : n->s;
	pre = (size_t)(last - n->s);
	if (strncmp(last, "no", 2) == 0 && last[2] != '\0') {
		char *plain = xasprintf("%.*s%s", (int)pre, n->s, last + 2);
		struct cf_name *p = cf_name_get(ctx, plain, strlen(plain));

		free(plain);
		if (cf_name_param(ctx, p) == p && negatable(p->def)) {
			n->canon = p;
			n->def = p->def;
			n->neg = true;
		}
	}
	return n->canon;
}
