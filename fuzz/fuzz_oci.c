/* libFuzzer target over what brig reads of a container image
 * (store/oci_json.c): index, manifest, docker-archive manifest.json, image
 * config, whiteout names; and the jail.conf lines brig create writes from a
 * config (store/image_conf.c).
 *
 * Beyond "no crash, no leak": the lines written from any config that
 * parses load as jail.conf without an error, and give back exactly the
 * config's Env, WorkingDir and StopSignal (abort() otherwise): nothing an
 * image says can add a parameter or expand a variable in the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/model.h"
#include "store/internal.h"
#include "store/oci.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_str(const char *want, const char *got)
{
	if ((want == NULL) != (got == NULL) || (want && strcmp(want, got)))
		abort();
}

/* The lines of c in a block, loaded back. */
static void lines_load_back(const struct image_config *c)
{
	struct strbuf text = STRBUF_INIT;
	struct conf_memfile mem;
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .nmem = 1 };
	struct diag d = { 0 };
	const struct jail_def *jd;
	struct conf *conf;
	char *const *env, *const *svc;
	size_t n;

	sb_adds(&text, "j {\n\tpath = \"/j\";\n");
	image_conf_lines(&text, c, "t");
	sb_adds(&text, "}\n");
	mem = (struct conf_memfile){ "jail.conf", text.s, text.len };
	src.mem = &mem;
	if (conf_load(&src, &conf, &d) < 0 || d.nerrors) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i].text);
		fprintf(stderr, "the lines of an image's config do not load:\n%s", text.s);
		abort();
	}
	jd = conf_jail_set(conf)->v[0];
	env = jd_list(jd, JP_EXEC_ENV, &n);
	if (n != image_env_count(c))
		abort();
	for (size_t i = 0, k = 0; i < c->nenv; i++)
		if (image_env_ok(c->env[i]))
			same_str(c->env[i], env[k++]);
	same_str(c->workdir ? c->workdir : "/", jd_str(jd, JP_EXEC_WORKDIR));
	same_str(c->stop_signal ? c->stop_signal : "SIGTERM", jd_str(jd, JP_EXEC_STOP_SIGNAL));
	/* The service is Entrypoint then Cmd, word for word (jail.conf
	 * keeps no empty value in a list, as jail(8)). */
	svc = jd_list(jd, JP_EXEC_SERVICE, &n);
	for (size_t i = 0, k = 0; i < c->nentrypoint + c->ncmd; i++) {
		const char *w = i < c->nentrypoint ? c->entrypoint[i] : c->cmd[i - c->nentrypoint];

		if (*w && (k >= n || strcmp(w, svc[k++])))
			abort();
		if (i + 1 == c->nentrypoint + c->ncmd && k != n)
			abort();
	}
	if (jd_set(jd, JP_COMMAND))
		abort();
	conf_free(conf);
	diag_free(&d);
	sb_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	struct brig_err e = { 0 };
	struct image_config c;
	struct oci_descs ds, layers;
	struct oci_desc cfg;
	char *config, **names, *path, *target;
	size_t n;

	if (oci_parse_index(json, size, &ds, "index", &e) == 0) {
		int i = oci_pick(&ds, size & 1 ? "latest" : NULL, "amd64", "v8", "index", &e);

		if (i >= (int)ds.n || (i >= 0 && !oci_digest_valid(ds.v[i].digest)))
			abort();
		oci_descs_free(&ds);
	}
	if (oci_parse_manifest(json, size, &cfg, &layers, "manifest", &e) == 0) {
		if (!oci_digest_valid(cfg.digest))
			abort();
		for (size_t i = 0; i < layers.n; i++)
			if (!oci_digest_valid(layers.v[i].digest) || layers.v[i].size < 0)
				abort();
		oci_desc_free(&cfg);
		oci_descs_free(&layers);
	}
	if (docker_parse_manifest(json, size, &config, &names, &n, "manifest.json", &e) == 0) {
		free(config);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	if (image_config_parse(json, size, &c, "config", &e) == 0) {
		for (size_t i = 0; i < c.ndiff_ids; i++)
			if (!oci_digest_valid(c.diff_ids[i]))
				abort();
		lines_load_back(&c);
		image_config_free(&c);
	}
	/* The input's first line as a member path. */
	path = strndup(json, size < 256 ? size : 256);
	path[strcspn(path, "\n")] = '\0';
	if (oci_whiteout(path, &target) == OCI_WH_FILE) {
		const char *base = strrchr(target, '/');

		base = base ? base + 1 : target;
		if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
			abort();
	}
	free(target);
	free(path);
	return 0;
}
