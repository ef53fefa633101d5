/* libFuzzer target over brig compose import's reading of a compose file
 * (compose/): libfyaml's document, interpolation, the mapping.
 *
 * Beyond "no crash, no leak": every file it writes loads as jail.conf
 * (or networks.conf) without an error, each jail file holds exactly its
 * one jail, P_SERVICE, and every unmapped entry says FILE:LINE (abort()
 * otherwise): nothing in a compose file can add a jail or break the
 * configuration that the rest of brig reads.
 *
 * Each input is parsed first in a forked child, as brig does (libfyaml
 * crashes on some invalid YAML: compose.c build), so this runs at a few
 * hundred inputs a second, not thousands; a crash of libfyaml's is then
 * an error of the import's, not a finding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "conf/conf.h"
#include "conf/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "SET") ? "v${x}\"" : NULL;
}

static void load_back(const struct compose_file *f, const char *jail)
{
	bool nets = !strncmp(f->path, "networks.conf.d/", 16);
	struct conf_memfile mem = { nets ? "networks.conf" : "jail.conf", f->text, strlen(f->text) };
	struct conf_source src = { .schema = nets ? CONF_SCHEMA_NETWORKS : CONF_SCHEMA_JAILS,
				   .mem = &mem, .nmem = 1 };
	struct diag d = { 0 };
	struct conf *conf;

	if (conf_load(&src, &conf, &d) < 0 || d.nerrors) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i].text);
		fprintf(stderr, "%s does not load:\n%s", f->path, f->text);
		abort();
	}
	if (!nets) {
		const struct jail_set *s = conf_jail_set(conf);

		if (s->n != 1 || strcmp(s->v[0]->name, jail)) {
			fprintf(stderr, "%s is not jail %s alone:\n%s", f->path, jail, f->text);
			abort();
		}
	}
	conf_free(conf);
	diag_free(&d);
}

/* An image for templates whose name starts with 'i': its words and
 * values must reach the files quoted like the compose file's own. */
static const struct compose_image *image(void *ctx, const char *template)
{
	static char *ep[] = { "/e\"${x}", "" }, *cmd[] = { "c;\n}" }, *env[] = { "A=$b\"", "B=" };
	static const struct compose_image im = {
		.entrypoint = ep, .nentrypoint = 2, .cmd = cmd, .ncmd = 1, .env = env, .nenv = 2,
		.workdir = "/w\"", .user = "u", .stop_signal = "SIGINT",
	};

	(void)ctx;
	return template[0] == 'i' ? &im : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compose_opts o = { .file = "c.yml", .project = "p", .storedir = "/s",
				  .lookup = lookup, .image = image };
	struct compose_result r;
	char err[512];

	if (compose_import_text(&o, (const char *)data, size, &r, err, sizeof(err)) < 0)
		return 0;
	for (size_t i = 0; i < r.nfiles; i++) {
		const char *jail = NULL;

		if (!strncmp(r.files[i].path, "jail.conf.d/", 12)) {
			if (i >= r.njails || strlen(r.files[i].path) != 12 + strlen(r.jails[i]) + 5 ||
			    strncmp(r.files[i].path + 12, r.jails[i], strlen(r.jails[i])))
				abort();
			jail = r.jails[i];
		}
		load_back(&r.files[i], jail);
	}
	for (char *l = r.unsupported; l && *l; l = strchr(l, '\n') + 1)
		if (strncmp(l, "c.yml:", 6) || !strchr(l, '\n'))
			abort();
	compose_result_free(&r);
	return 0;
}
