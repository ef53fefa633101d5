/* brig net ls [--json] | up NAME | down NAME: the bridges jails plug into. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "net/net.h"
#include "util/json.h"
#include "util/strbuf.h"

static int usage(void)
{
	fprintf(stderr, "usage: brig net ls [--json]\n"
			"       brig net up NAME\n"
			"       brig net down NAME\n");
	return 2;
}

/* "up", "down" (exists, not up) or "absent". */
static const char *state(const struct net_bridge_info *b)
{
	return b->up ? "up" : b->exists ? "down" : "absent";
}

static void render_json(const struct net_bridge_info *v, size_t n, struct strbuf *out)
{
	struct json w;

	json_init(&w, out, true);
	json_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(&w);
		json_key(&w, "name");
		json_str(&w, v[i].name);
		json_key(&w, "declared");
		json_bool(&w, v[i].declared);
		json_key(&w, "state");
		json_str(&w, state(&v[i]));
		json_key(&w, "nat");
		json_bool(&w, v[i].nat);
		json_key(&w, "isolate");
		json_bool(&w, v[i].isolate);
		json_key(&w, "mtu");
		json_int(&w, v[i].mtu);
		json_key(&w, "addresses");
		json_arr_begin(&w);
		for (size_t k = 0; k < v[i].naddrs; k++)
			json_str(&w, v[i].addrs[k]);
		json_arr_end(&w);
		json_key(&w, "members");
		json_arr_begin(&w);
		for (size_t k = 0; k < v[i].nmembers; k++) {
			json_obj_begin(&w);
			json_key(&w, "interface");
			json_str(&w, v[i].members[k].interface);
			json_key(&w, "jail");
			if (v[i].members[k].jail)
				json_str(&w, v[i].members[k].jail);
			else
				json_null_value(&w);
			json_obj_end(&w);
		}
		json_arr_end(&w);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	sb_addc(out, '\n');
}

/* Members as text: jail names, or interface names of non-jail ports. */
static void members_text(const struct net_bridge_info *b, struct strbuf *out)
{
	for (size_t k = 0; k < b->nmembers; k++)
		sb_addf(out, "%s%s", k ? "," : "",
			b->members[k].jail ? b->members[k].jail : b->members[k].interface);
	if (b->nmembers == 0)
		sb_adds(out, "-");
}

static void render_text(const struct net_bridge_info *v, size_t n, struct strbuf *out)
{
	sb_addf(out, "%-15s %-6s %-4s %-7s %-5s %-31s %s\n", "NAME", "STATE", "NAT", "ISOLATE",
		"MTU", "ADDRESSES", "MEMBERS");
	for (size_t i = 0; i < n; i++) {
		struct strbuf addrs = STRBUF_INIT;

		for (size_t k = 0; k < v[i].naddrs; k++)
			sb_addf(&addrs, "%s%s", k ? "," : "", v[i].addrs[k]);
		sb_addf(out, "%-15s %-6s %-4s %-7s %-5d %-31s ", v[i].name, state(&v[i]),
			v[i].nat ? "yes" : "no", v[i].isolate ? "yes" : "no", v[i].mtu,
			addrs.len ? addrs.s : "-");
		members_text(&v[i], out);
		sb_addc(out, '\n');
		sb_free(&addrs);
	}
}

static int net_ls(int argc, char **argv)
{
	struct net_bridge_info *v;
	struct strbuf out = STRBUF_INIT;
	struct brig_err e = { 0 };
	bool json = false;
	size_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else
			return usage();
	}
	if (net_bridge_list(&v, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (json)
		render_json(v, n, &out);
	else
		render_text(v, n, &out);
	fputs(out.s ? out.s : "", stdout);
	sb_free(&out);
	net_bridge_list_free(v, n);
	return 0;
}

int cmd_net(int argc, char **argv)
{
	struct brig_err e = { 0 };
	int rc;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "ls"))
		return net_ls(argc - 1, argv + 1);
	if (strcmp(argv[1], "up") != 0 && strcmp(argv[1], "down") != 0)
		return usage();
	if (argc != 3)
		return usage();
	rc = !strcmp(argv[1], "up") ? net_bridge_up(argv[2], &e) : net_bridge_down(argv[2], &e);
	if (rc < 0) {
		cli_error("net %s: %s", argv[1], e.msg);
		return 1;
	}
	return 0;
}
