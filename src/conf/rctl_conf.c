/* rctl.conf beside jail.conf: FreeBSD's rctl.conf(5), one rule a line
 * (jail:NAME:RESOURCE:ACTION=AMOUNT[/PER], `#` comments), then each
 * rctl.conf.d/\*.conf in name order. Each rule becomes `rctl += "..."`
 * in its jail, applied after the jail's own blocks and wildcards (so it
 * replaces a rule of theirs for the same resource and action), before
 * the command line's parameters. A bad rule, or one for a jail that is
 * not defined, is an error at its FILE:LINE:COL. */
#include "conf/cf.h"
#include "conf/model.h"
#include "conf/rctl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/readfile.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rules of one file. */
static void load_file(struct cf_ctx *ctx, const char *path, bool must)
{
	struct cf_name *canon = cf_name_param(ctx, cf_name_get(ctx, "rctl", 4));
	struct brig_err e = { 0 };
	char *text = NULL;
	const char *file;
	uint32_t line = 0;

	if (read_bounded(AT_FDCWD, path, READ_PATH, CF_FILE_MAX, &text, NULL, &e) < 0) {
		if (must || e.errnum != ENOENT)
			cf_diag(ctx, DIAG_ERROR, &(struct cf_loc){ path, 0, 0 }, "%s", e.msg);
		return;
	}
	file = cf_strndup(&ctx->arena, path, strlen(path));
	for (char *p = text, *nl; p && *p; p = nl) {
		char *s = p, *end, msg[256];
		struct rctl_rule r;
		size_t at;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		line++;
		if ((end = strchr(s, '#')))
			*end = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			*--end = '\0';
		if (!*s)
			continue;
		if (rctl_parse(s, true, &r, msg, sizeof(msg), &at) < 0) {
			cf_diag(ctx, DIAG_ERROR, &(struct cf_loc){ file, line, (uint32_t)(s - p + at + 1) },
				"%s", msg);
			continue;
		}
		{
			struct cf_str *v = cf_zalloc(&ctx->arena, sizeof(*v));
			const char *body = r.jail + r.jlen + 1;
			struct cf_rctl *cr;

			v->s = cf_strndup(&ctx->arena, body, strlen(body));
			v->len = (uint32_t)strlen(body);
			for (const unsigned char *c = (const unsigned char *)body; *c; c++)
				ctx->raw_bytes |= *c >= 0x80;
			ctx->rctl = xgrow(ctx->rctl, &ctx->caprctl, ctx->nrctl + 1, sizeof(*ctx->rctl));
			cr = &ctx->rctl[ctx->nrctl++];
			*cr = (struct cf_rctl){
				.jail = cf_name_get(ctx, r.jail, r.jlen),
				.st = { .name = canon, .def = conf_jparam(JP_RCTL), .flags = CF_S_APPEND,
					.nvals = 1, .vals = v,
					.loc = { file, line, (uint32_t)(s - p + 1) } },
			};
		}
	}
	free(text);
}

void cf_rctl_load(struct cf_ctx *ctx, const char *dir)
{
	char *path = xasprintf("%s/rctl.conf", dir);
	char *ddir = xasprintf("%s/rctl.conf.d", dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d;

	load_file(ctx, path, false);
	free(path);
	d = opendir(ddir);
	if (d) {
		struct dirent *de;

		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);

			if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0)
				continue;
			names = xgrow(names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
		closedir(d);
	}
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		path = xasprintf("%s/%s", ddir, names[i]);
		load_file(ctx, path, true);
		free(path);
		free(names[i]);
	}
	free(names);
	free(ddir);
}

void cf_rctl_check(struct cf_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nrctl; i++)
		if (ctx->rctl[i].jail->jail < 0) {
			struct cf_loc at = ctx->rctl[i].st.loc;

			at.col += 5;	/* the name, after "jail:" */
			cf_diag(ctx, DIAG_ERROR, &at, "jail \"%s\": not defined (rctl rule %s)",
				ctx->rctl[i].jail->s, ctx->rctl[i].st.vals[0].s);
		}
}
