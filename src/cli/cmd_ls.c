/* brig ls [--json]: the running jails. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "core/core.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* "a,b" of the jail's addresses, "-" if none. */
static char *addrs(const struct core_jail *j)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < j->nip4 + j->nip6; i++) {
		if (i)
			sb_addc(&sb, ',');
		sb_adds(&sb, i < j->nip4 ? j->ip4[i] : j->ip6[i - j->nip4]);
	}
	return sb.len ? sb_steal(&sb) : xstrdup("-");
}

static void print_json(const struct core_jail *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct json js;

	json_init(&js, &sb, true);
	json_arr_begin(&js);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(&js);
		json_key(&js, "jid");
		json_int(&js, v[i].jid);
		json_key(&js, "name");
		json_str(&js, v[i].name);
		json_key(&js, "hostname");
		json_str(&js, v[i].hostname);
		json_key(&js, "path");
		json_str(&js, v[i].path);
		json_key(&js, "ip4");
		json_arr_begin(&js);
		for (size_t k = 0; k < v[i].nip4; k++)
			json_str(&js, v[i].ip4[k]);
		json_arr_end(&js);
		json_key(&js, "ip6");
		json_arr_begin(&js);
		for (size_t k = 0; k < v[i].nip6; k++)
			json_str(&js, v[i].ip6[k]);
		json_arr_end(&js);
		json_key(&js, "state");
		json_str(&js, v[i].state);
		json_key(&js, "init_pid");
		json_int(&js, v[i].init_pid);
		json_obj_end(&js);
	}
	json_arr_end(&js);
	printf("%s\n", sb.s);
	sb_free(&sb);
}

static void print_table(const struct core_jail *v, size_t n)
{
	int wn = 4, wh = 8, wp = 4, wa = 2;
	char **ips = xcalloc(n + 1, sizeof(*ips));

	for (size_t i = 0; i < n; i++) {
		ips[i] = addrs(&v[i]);
		wn = wn > (int)strlen(v[i].name) ? wn : (int)strlen(v[i].name);
		wh = wh > (int)strlen(v[i].hostname) ? wh : (int)strlen(v[i].hostname);
		wp = wp > (int)strlen(v[i].path) ? wp : (int)strlen(v[i].path);
		wa = wa > (int)strlen(ips[i]) ? wa : (int)strlen(ips[i]);
	}
	printf("%4s  %-*s  %-*s  %-*s  %-*s  %-8s  %s\n", "JID", wn, "NAME", wh, "HOSTNAME", wp, "PATH",
	       wa, "IP", "STATE", "PID");
	for (size_t i = 0; i < n; i++) {
		printf("%4d  %-*s  %-*s  %-*s  %-*s  %-8s  %d\n", v[i].jid, wn, v[i].name, wh,
		       v[i].hostname, wp, v[i].path, wa, ips[i], v[i].state, (int)v[i].init_pid);
		free(ips[i]);
	}
	free(ips);
}

int cmd_ls(int argc, char **argv)
{
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
	struct brig_err e = { 0 };
	struct core_jail *v;
	size_t n;

	if (argc > 2 || (argc == 2 && !json)) {
		cli_error("usage: brig ls [--json]");
		return 2;
	}
	if (core_list(&v, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (json)
		print_json(v, n);
	else
		print_table(v, n);
	core_list_free(v, n);
	return 0;
}
