/* A configuration from an untrusted source: the jail.conf of an export
 * archive today, an image's or a compose file's tomorrow. Such a file must
 * not decide anything for the host: which host commands run (exec.prestart
 * and the other host hooks, exec.consolelog), which host files are mounted
 * or read (mount, mount.fstab, .include), where the root is (path), which
 * host networks, interfaces, ports or devices the jail gets, which other
 * jails exist (extra blocks, wildcards, statements outside the block).
 *
 * What may be taken is an allow-list, the CONF_PF_UNTRUSTED mark of the
 * parameter table: a parameter added later stays out until someone decides
 * it acts only inside the jail. Dropping narrows and never widens: brig's
 * defaults are the closed ones (own network, UTS and IPC namespaces, no
 * extra capability, no mount but /dev, /proc and /sys), and a JAILSYS
 * parameter is taken only as new or disable.
 *
 * The text is parsed once; its one block becomes a list of statements (the
 * kept ones, variables included, in file order), resolved as any jail is,
 * with the caller's trusted parameters (path) applied last. */
#include "conf/cf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

/* A warning naming what is dropped, at its place. */
__attribute__((format(printf, 3, 4)))
static void dropped(struct cf_ctx *ctx, const struct cf_loc *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_vdiag(ctx, DIAG_WARNING, at, fmt, ap);
	va_end(ap);
}

/* A statement inside the jail's block: kept when it may be. */
static void take_stmt(struct cf_ctx *ctx, struct cf_block *b, const struct cf_stmt *st)
{
	const struct conf_pdef *d = st->def;

	if (st->flags & CF_S_VAR) {
		/* Only substituted into kept values, which are checked. */
		cf_block_add(ctx, b, st);
		return;
	}
	/* path and name are the importer's: rewritten, never taken. */
	if (!d || !strcmp(d->name, "path") || !strcmp(d->name, "name"))
		return;
	if (d->flags & CONF_PF_UNTRUSTED) {
		cf_block_add(ctx, b, st);
		return;
	}
	dropped(ctx, &st->loc, "%s dropped: %s; not taken from an archive", d->name, d->doc);
}

/* The items of the jail's block. */
static void take_block(struct cf_ctx *ctx, struct cf_block *b, const struct cf_node *blk)
{
	for (size_t i = 0; i < blk->block.n; i++) {
		const struct cf_node *n = blk->block.items[i];

		switch (n->kind) {
		case CF_N_STMT:
			take_stmt(ctx, b, &n->stmt);
			break;
		case CF_N_BLOCK:
			dropped(ctx, &n->block.loc, "block %s dropped: another jail (an archive holds one)",
				cf_q(ctx, n->block.name));
			break;
		case CF_N_INCLUDE:
		default:
			dropped(ctx, &n->include.loc, ".include dropped: it reads files of the host");
			break;
		}
	}
}

/* Walk the file's top level: the one block of the jail, and what else is
 * there, dropped. NULL (an error in d) when the block is missing. */
static struct cf_block *reduce(struct cf_ctx *ctx, const struct cf_file *f,
			       const struct conf_untrusted *u)
{
	const char *name = u->name ? u->name : u->jail;
	struct cf_block *b = NULL;

	for (size_t i = 0; i < f->nitems; i++) {
		const struct cf_node *n = f->items[i];

		switch (n->kind) {
		case CF_N_STMT:
			dropped(ctx, &n->stmt.loc, "%s%s dropped: a statement outside the jail's block "
				"(it would apply to every jail)", n->stmt.flags & CF_S_VAR ? "$" : "",
				n->stmt.name->s);
			break;
		case CF_N_BLOCK:
			if (!b && !strcmp(n->block.name, u->jail)) {
				b = cf_block_new(ctx, name, strlen(name), &n->block.loc, NULL, NULL);
				take_block(ctx, b, n);
			} else if (cf_wild_name(n->block.name)) {
				dropped(ctx, &n->block.loc, "block %s dropped: a wildcard (it would apply "
					"to other jails)", cf_q(ctx, n->block.name));
			} else {
				dropped(ctx, &n->block.loc, "block %s dropped: another jail (an archive holds "
					"one)", cf_q(ctx, n->block.name));
			}
			break;
		case CF_N_INCLUDE:
		default:
			dropped(ctx, &n->include.loc, ".include dropped: it reads files of the host");
			break;
		}
	}
	if (!b) {
		struct cf_loc at = { f->path, 0, 0 };

		cf_diag(ctx, DIAG_ERROR, &at, "no block %s (the archive's jail)", cf_q(ctx, u->jail));
	}
	return b;
}

/* After substitution: a JAILSYS parameter that would share what the host
 * has (inherit) is dropped; so is, belt and braces, anything from the file
 * without the mark (the label's name excepted). */
static void check_values(struct cf_ctx *ctx, struct conf_jail *j)
{
	size_t k = 0;

	for (size_t i = 0; i < j->nparams; i++) {
		struct conf_param *p = &j->params[i];
		const char *last = p->nvalues ? p->values[p->nvalues - 1] : "";
		struct cf_loc at = { p->file, (uint32_t)p->line, (uint32_t)p->col };
		bool keep = !p->file || (p->def->flags & CONF_PF_IMMUTABLE) ||
			    (p->def->flags & CONF_PF_UNTRUSTED);

		if (keep && p->file && (p->def->flags & CONF_PF_JAILSYS) && !strcasecmp(last, "inherit")) {
			dropped(ctx, &at, "%s = inherit dropped: the jail would share the host's own; "
				"only new or disable are taken from an archive", p->name);
			keep = false;
		} else if (!keep) {
			dropped(ctx, &at, "%s dropped: not taken from an archive", p->name);
		}
		if (keep)
			j->params[k++] = *p;
	}
	j->nparams = k;
}

int conf_load_untrusted(const struct conf_untrusted *u, struct conf **out, struct diag *d)
{
	struct conf_memfile mf = { u->path, u->text, u->len };
	struct conf_source src = {
		.schema = CONF_SCHEMA_JAILS, .mem = &mf, .nmem = 1,
		.cmdline = u->trusted, .ncmdline = u->ntrusted,
	};
	struct cf_ctx *ctx = xcalloc(1, sizeof(*ctx));
	struct conf *c = xcalloc(1, sizeof(*c));
	size_t errors = d->nerrors;
	struct cf_block *trusted;
	struct cf_file *f;

	ctx->src = &src;
	ctx->schema = src.schema;
	ctx->d = d;
	c->priv = ctx;
	trusted = cf_cmdline_block(ctx);
	/* Parsed only: its .include patterns are never expanded. */
	f = cf_load_root(ctx, u->path);
	if (f && d->nerrors == errors && reduce(ctx, f, u)) {
		ctx->cmdline = trusted->n ? trusted : NULL;
		cf_resolve(ctx, c);
		cf_check_all(ctx, c);
	}
	cf_ctx_trim(ctx);
	ctx->src = NULL;
	if (d->nerrors > errors || c->njails != 1) {
		conf_free(c);
		*out = NULL;
		return -1;
	}
	check_values(ctx, &c->jails[0]);
	*out = c;
	return 0;
}
