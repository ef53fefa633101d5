/* Diagnostics: every message of a load, complete and in gcc's format,
 * "FILE:LINE:COL: error: MESSAGE". Only cli prints them. */
#include "conf/cf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

__attribute__((format(printf, 3, 0)))
static void vadd(struct diag *d, enum diag_level lvl, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	d->msgs = xgrow(d->msgs, &d->cap, d->n + 1, sizeof(*d->msgs));
	d->msgs[d->n].level = lvl;
	d->msgs[d->n].text = text;
	d->n++;
	if (lvl == DIAG_ERROR)
		d->nerrors++;
}

/* Add a complete message. */
void diag_add(struct diag *d, enum diag_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, lvl, fmt, ap);
	va_end(ap);
}

/* Free every message. */
void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i].text);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
}

static const char *const level_names[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
};

/* Where an error belongs, for isolation (conf_source.isolate): to the
 * file being read (placed on jails after the walk), to the jail being
 * resolved or checked, to the root file being opened, or to nothing
 * known (then the load fails, isolated or not). */
static void place_error(struct cf_ctx *ctx, const struct cf_loc *loc, int32_t msg)
{
	if (ctx->pfile) {
		ctx->perrs = xgrow(ctx->perrs, &ctx->capperrs, ctx->nperrs + 1, sizeof(*ctx->perrs));
		ctx->perrs[ctx->nperrs++] = (struct cf_perr){
			.file = ctx->pfile, .line = loc ? loc->line : 0, .col = loc ? loc->col : 0,
			.msg = msg, .whole = ctx->pwhole || !loc || loc->line == 0,
		};
	} else if (ctx->cur_jail >= 0 && ctx->jerr) {
		if (ctx->jerr[ctx->cur_jail] < 0)
			ctx->jerr[ctx->cur_jail] = msg;
		ctx->jnerr[ctx->cur_jail]++;
	} else if (ctx->root_pending) {
		if (ctx->root_err < 0)
			ctx->root_err = msg;
	} else {
		ctx->nglobal++;
	}
}

/* A message at loc: "FILE:LINE:COL: error: ...", up to the error cap. */
void cf_vdiag(struct cf_ctx *ctx, enum diag_level lvl, const struct cf_loc *loc,
	      const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	char *msg;

	if (ctx->too_many)
		return;
	if (lvl == DIAG_ERROR && ctx->d->nerrors >= CF_MAX_ERRORS) {
		ctx->too_many = true;
		diag_add(ctx->d, DIAG_ERROR, "error: too many errors (%u), stopping",
			 CF_MAX_ERRORS);
		return;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	if (!loc || !loc->path)
		sb_adds(&sb, "command line");
	else if (loc->line == 0)
		sb_adds(&sb, loc->path);
	else
		sb_addf(&sb, "%s:%u:%u", loc->path, loc->line, loc->col);
	diag_add(ctx->d, lvl, "%s: %s: %s", sb.s, level_names[lvl], msg);
	free(msg);
	sb_free(&sb);
	if (lvl == DIAG_ERROR)
		place_error(ctx, loc, (int32_t)(ctx->d->n - 1));
}

/* cf_vdiag with arguments. */
void cf_diag(struct cf_ctx *ctx, enum diag_level lvl, const struct cf_loc *loc,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_vdiag(ctx, lvl, loc, fmt, ap);
	va_end(ap);
}

/* An error about a jail: the message after "JAIL: " (and "WHAT: "). */
void cf_vjail_error(struct cf_ctx *ctx, const struct cf_loc *loc, const char *jail,
		    const char *what, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	cf_diag(ctx, DIAG_ERROR, loc, "%s: %s%s%s", jail, what ? what : "", what ? ": " : "", msg);
	free(msg);
}

/* s in double quotes, with '"', '\' and control characters escaped, so
 * that a message shows exactly what the file holds. The result lives until
 * the fourth next call. */
const char *cf_q(struct cf_ctx *ctx, const char *s)
{
	return cf_qn(ctx, s, SIZE_MAX);
}

const char *cf_qn(struct cf_ctx *ctx, const char *s, size_t max)
{
	struct strbuf *sb = &ctx->qbuf[ctx->qi++ % 4];
	const char *end = s + strnlen(s, max);

	/* Not in the middle of a UTF-8 sequence. */
	if (*end)
		while (end > s && ((unsigned char)*end & 0xc0) == 0x80)
			end--;
	sb_reset(sb);
	sb_addc(sb, '"');
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_addf(sb, "\\%c", c);
		else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\t')
			sb_adds(sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(sb, "\\x%02x", c);
		else
			sb_addc(sb, (char)c);
	}
	sb_addc(sb, '"');
	if (*end)
		sb_adds(sb, "...");
	return sb->s;
}
