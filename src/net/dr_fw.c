/* brig doctor JAIL, the firewalls: brig's own tables (the bridge's rules,
 * the jail's rdr rules and its ports' filters, as brig would make them
 * now) and every other table's base chains that drop what the jail sends
 * or receives (a policy drop, an unconditional drop: Docker's FORWARD
 * policy, a host firewall's input), with br_netfilter's part in it. One
 * listing of the ruleset (libnftables, JSON), read with jansson. */
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/dr.h"
#include "sys/nft.h"
#include "sys/nsrun.h"
#include "sys/sysctl_net.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The object of kind ("table", "chain", "rule", "set", "map") in item. */
static json_t *obj(json_t *item, const char *kind)
{
	return json_object_get(item, kind);
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool in_table(json_t *o, const char *family, const char *table)
{
	const char *f = str(o, "family"), *t = str(o, "table");

	return f && t && !strcmp(f, family) && !strcmp(t, table);
}

/* A rule's signature: "CHAIN|dport|ADDR:PORT" (what an rdr rule is about);
 * for other rules "CHAIN". */
static char *rule_sig(json_t *rule)
{
	json_t *ex = json_object_get(rule, "expr"), *e;
	size_t i;
	long long dport = 0, port = 0;
	const char *addr = NULL;

	json_array_foreach(ex, i, e) {
		json_t *m = json_object_get(e, "match"), *d = json_object_get(e, "dnat");
		const char *field = m ? json_string_value(json_object_get(
			json_object_get(json_object_get(m, "left"), "payload"), "field")) : NULL;

		if (field && !strcmp(field, "dport") && json_is_integer(json_object_get(m, "right")))
			dport = json_integer_value(json_object_get(m, "right"));
		if (d) {
			addr = str(d, "addr");
			port = json_integer_value(json_object_get(d, "port"));
		}
	}
	if (addr)
		return xasprintf("%s|%lld|%s:%lld", str(rule, "chain"), dport, addr, port);
	return xstrdup(str(rule, "chain"));
}

/* The signature of one expected "add rule inet brig CHAIN ..." line. */
static char *line_sig(const char *line)
{
	char chain[64];
	const char *p;
	long long dport = 0;
	char to[80] = "";

	if (sscanf(line, "add rule inet brig %63s", chain) != 1)
		return NULL;
	if ((p = strstr(line, " dport ")))
		dport = strtoll(p + 7, NULL, 10);
	if ((p = strstr(line, " to ")) && strstr(line, " dnat ")) {
		size_t k = 0;

		for (p += 4; *p && *p != ' ' && k + 1 < sizeof(to); p++)
			if (*p != '[' && *p != ']')
				to[k++] = *p;
		to[k] = '\0';
		return xasprintf("%s|%lld|%s", chain, dport, to);
	}
	return xstrdup(chain);
}

/* Compare the rules tagged tag with what brig would write (cmds): every
 * expected signature matched once, nothing more. 0: as brig made them;
 * else the counts in *want, *have. */
static int compare_tag(json_t *all, const char *tag, const char *cmds, size_t *want, size_t *have)
{
	char **sig = NULL;
	size_t n = 0, cap = 0, miss = 0, extra = 0;
	json_t *item;
	size_t i;

	for (const char *p = cmds; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		char *s = line_sig(line);

		free(line);
		p += nl ? len + 1 : len;
		if (!s)
			continue;
		sig = xgrow(sig, &cap, n, sizeof(*sig));
		sig[n++] = s;
	}
	*want = n;
	*have = 0;
	json_array_foreach(all, i, item) {
		json_t *r = obj(item, "rule");
		const char *cm;

		if (!r || !in_table(r, "inet", "brig") || !(cm = str(r, "comment")) || strcmp(cm, tag))
			continue;
		(*have)++;
		char *s = rule_sig(r);
		bool found = false;

		for (size_t k = 0; k < n && !found; k++)
			if (sig[k] && !strcmp(sig[k], s)) {
				free(sig[k]);
				sig[k] = NULL;
				found = true;
			}
		extra += !found;
		free(s);
	}
	for (size_t k = 0; k < n; k++) {
		miss += sig[k] != NULL;
		free(sig[k]);
	}
	free(sig);
	return miss || extra ? -1 : 0;
}

/* Whether set/map name of table FAMILY brig has element key. */
static bool has_elem(json_t *all, const char *kind, const char *family, const char *name,
		     const char *key)
{
	json_t *item, *el;
	size_t i, k;

	json_array_foreach(all, i, item) {
		json_t *s = obj(item, kind);

		if (!s || !in_table(s, family, "brig") || strcmp(str(s, "name"), name) != 0)
			continue;
		json_array_foreach(json_object_get(s, "elem"), k, el) {
			json_t *v = json_is_array(el) ? json_array_get(el, 0) : el;

			if (json_is_string(v) && !strcmp(json_string_value(v), key))
				return true;
		}
	}
	return false;
}

static size_t count_rules(json_t *all, const char *family, const char *chain)
{
	json_t *item;
	size_t i, n = 0;

	json_array_foreach(all, i, item) {
		json_t *r = obj(item, "rule");

		n += r && in_table(r, family, "brig") && !strcmp(str(r, "chain"), chain);
	}
	return n;
}

static bool has_chain(json_t *all, const char *family, const char *chain)
{
	json_t *item;
	size_t i;

	json_array_foreach(all, i, item) {
		json_t *ch = obj(item, "chain");

		if (ch && in_table(ch, family, "brig") && !strcmp(str(ch, "name"), chain))
			return true;
	}
	return false;
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* brig's tables: the bridges' rules, the jail's rules, its ports' filters. */
static void brig_tables(struct dctx *c, json_t *all)
{
	bool need = c->m.nrdrs > 0;
	char seen[96], exp[96];

	for (size_t i = 0; i < c->m.nifs; i++)
		need = need || c->di[i].decl || (c->m.spoofcheck && c->m.ifs[i].bridge);
	if (!need)
		return;
	if (!has_chain(all, "inet", "postrouting") && (c->m.nrdrs || c->di[0].decl)) {
		dr_hop(c, "host", "nftables table inet brig", NDR_FAIL, "missing (or incomplete)",
		       "present", "brig net up BRIDGE for each bridge, then brig restart %s", c->name);
	} else {
		dr_hop(c, "host", "nftables table inet brig", NDR_OK, "present", "present", NULL);
	}
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct net_bridge *b = c->di[i].decl;
		bool dup = false;

		for (size_t k = 0; b && k < i; k++)
			dup = dup || c->di[k].decl == b;
		if (!b || dup)
			continue;
		cleanup_free char *tag = net_tag_bridge(b->name);
		cleanup_free char *cmds = net_rules_bridge(b);
		cleanup_free char *hn = xasprintf("rules of bridge %s", b->name);
		size_t want, have;
		int r = compare_tag(all, tag, cmds, &want, &have);
		bool member = has_elem(all, "set", "inet", "bridges", b->name);

		snprintf(seen, sizeof(seen), "%zu rules tagged %s%s", have, tag,
			 member ? "" : ", not in set bridges");
		snprintf(exp, sizeof(exp), "%zu rules, in set bridges", want);
		if (r < 0 || !member)
			dr_hop(c, "host", hn, NDR_FAIL, seen, exp, "brig net up %s (replaces the bridge's "
			       "rules)", b->name);
		else
			dr_hop(c, "host", hn, NDR_OK, seen, exp, NULL);
	}
	{
		/* Against the rules brig made at the start: a configuration
		 * changed since is not a fault here (the services section
		 * warns of it, with the restart that applies it). */
		struct net_jail m0 = { 0 };
		struct brig_err pe = { 0 };
		bool m0_ok = c->j->started && net_jail_parse(c->j->started, &m0, &pe) == 0;
		cleanup_free char *tag = net_tag_jail(c->name);
		cleanup_free char *cmds = net_rules_jail(m0_ok ? &m0 : &c->m);
		size_t want, have;
		int r = compare_tag(all, tag, cmds, &want, &have);

		if (m0_ok)
			net_jail_free(&m0);

		snprintf(seen, sizeof(seen), "%zu rules tagged %s", have, tag);
		snprintf(exp, sizeof(exp), "%zu rules (rdr)", want);
		if (r < 0)
			dr_hop(c, "host", "rules of the jail", NDR_FAIL, seen, exp, "brig restart %s "
			       "(replaces the jail's rules)", c->name);
		else if (want)
			dr_hop(c, "host", "rules of the jail", NDR_OK, seen, exp, NULL);
	}
	for (size_t i = 0; i < c->m.nifs; i++) {
		cleanup_free char *rules = net_spoof_rules(&c->m, i);
		const char *h = c->m.ifs[i].hname;
		char chain[64];

		if (!rules)
			continue;
		nft_port_chain(h, chain, sizeof(chain));
		cleanup_free char *hn = xasprintf("filter of port %s", h);
		size_t want = lines(rules) + (rules[0] && rules[strlen(rules) - 1] != '\n');
		size_t have = count_rules(all, "bridge", chain);
		bool member = has_elem(all, "map", "bridge", "ports", h);

		snprintf(seen, sizeof(seen), "%s: %zu rules%s", chain, have, member ? "" : ", not in map ports");
		snprintf(exp, sizeof(exp), "%zu rules, in map ports", want);
		if (have != want || !member)
			dr_hop(c, "host", hn, NDR_FAIL, seen, exp, "brig restart %s (remakes the port's "
			       "filter)", c->name);
		else
			dr_hop(c, "host", hn, NDR_OK, seen, exp, NULL);
	}
}

/* Whether text (a rule's expressions, JSON) names one of the jail's
 * bridges, ports, addresses or subnets: then its verdict is about the
 * jail. */
static bool names_jail(struct dctx *c, const char *text)
{
	char q[80], t[64];

	for (size_t f = 0; f < c->m.nifs; f++) {
		const char *names[] = { c->m.ifs[f].bridge, c->m.ifs[f].hname, c->m.ifs[f].jname };

		for (size_t x = 0; x < 3; x++) {
			snprintf(q, sizeof(q), "\"%s\"", names[x] ? names[x] : "");
			if (names[x] && strstr(text, q))
				return true;
		}
	}
	for (size_t i = 0; i < c->m.nips; i++) {
		snprintf(q, sizeof(q), "\"%s\"", dr_fmt(&c->m.ips[i].a, false, t, sizeof(t)));
		if (strstr(text, q))
			return true;
		net_addr_fmt(&c->m.ips[i].a, false, true, t, sizeof(t));
		snprintf(q, sizeof(q), "\"%s\"", t);
		if (strstr(text, q))
			return true;
	}
	return false;
}

/* Whether chain ch (a base chain of another table) drops everything it
 * does not accept: policy drop, or an unconditional drop/reject rule.
 * *allows: one of its rules accepts (or jumps) naming the jail's bridge,
 * ports, addresses. *targets: a drop or reject rule names them. */
static bool drops(struct dctx *c, json_t *all, json_t *ch, bool *allows, bool *targets)
{
	const char *pol = str(ch, "policy");
	bool d = pol && !strcmp(pol, "drop");
	json_t *item;
	size_t i;

	*allows = *targets = false;
	json_array_foreach(all, i, item) {
		json_t *r = obj(item, "rule"), *ex, *e;
		size_t k, n = 0;
		bool verdict_drop = false;

		if (!r || strcmp(str(r, "family"), str(ch, "family")) ||
		    strcmp(str(r, "table"), str(ch, "table")) || strcmp(str(r, "chain"), str(ch, "name")))
			continue;
		ex = json_object_get(r, "expr");
		json_array_foreach(ex, k, e) {
			if (json_object_get(e, "counter"))
				continue;
			n++;
			verdict_drop = verdict_drop || json_object_get(e, "drop") ||
				       json_object_get(e, "reject");
		}
		if (verdict_drop && n == 1)
			d = true;
		char *text = json_dumps(ex, JSON_COMPACT);

		if (text && names_jail(c, text)) {
			if (verdict_drop)
				*targets = true;
			else if (strstr(text, "\"accept\"") || strstr(text, "\"jump\""))
				*allows = true;
		}
		free(text);
	}
	return d;
}

/* Every base chain of the other tables (section "host"), or of the jail's
 * own (section "jail"), that drops on a hook the jail's traffic passes. */
static void foreign(struct dctx *c, json_t *all, const char *section)
{
	bool any = false, in_jail = !strcmp(section, "jail");
	bool v4 = net_jail_ip(&c->m, AF_INET) != NULL, v6 = net_jail_ip(&c->m, AF_INET6) != NULL;
	json_t *item;
	size_t i;

	json_array_foreach(all, i, item) {
		json_t *ch = obj(item, "chain");
		const char *fam, *hook, *table;
		bool allows, targets, fwd, in, pol;

		if (!ch || !(hook = str(ch, "hook")) || !(fam = str(ch, "family")) ||
		    !(table = str(ch, "table")) || (!in_jail && !strcmp(table, "brig")))
			continue;
		fwd = !strcmp(hook, "forward") || (in_jail && !strcmp(hook, "output"));
		in = !strcmp(hook, "input");
		if (!strcmp(fam, "bridge") && !in_jail)
			fwd = true;
		else if (!fwd && !in && strcmp(hook, "prerouting") != 0 &&
			 (!in_jail || strcmp(hook, "postrouting") != 0))
			continue;
		if ((!strcmp(fam, "ip") && !v4) || (!strcmp(fam, "ip6") && !v6) ||
		    !strcmp(fam, "arp") || !strcmp(fam, "netdev"))
			continue;
		pol = drops(c, all, ch, &allows, &targets);
		if (!pol && !targets)
			continue;
		any = true;
		cleanup_free char *hn = xasprintf("firewall %s %s %s", fam, table, str(ch, "name"));
		cleanup_free char *seen = targets ? xasprintf("hook %s, a drop rule names the jail's "
							      "interface, address or subnet", hook)
						  : xasprintf("hook %s, drops what it does not accept%s", hook,
							      allows ? " (has rules for the jail's bridge)" : "");
		if (fwd && (targets || !allows)) {
			if (strcmp(fam, "ip6"))
				c->fwd_drop[0] = true;
			if (strcmp(fam, "ip"))
				c->fwd_drop[1] = true;
		}
		const char *br = c->m.nifs && c->m.ifs[0].bridge ? c->m.ifs[0].bridge : "BRIDGE";
		if (in_jail && (targets || !allows))
			dr_hop(c, "jail", hn, in && !targets ? NDR_WARN : NDR_FAIL, seen,
			       "no drop of the jail's own traffic", "the jail's own firewall: check "
			       "it in the jail (`brig exec %s nft list ruleset`)%s", c->name,
			       in && !targets ? "; an input policy drop needs `ct state "
						"established,related accept` for replies" : "");
		else if (allows && !targets)
			dr_hop(c, section, hn, NDR_WARN, seen, "no drop of the jail's traffic", "check "
			       "that its rules accept %s both ways", br);
		else
			dr_hop(c, section, hn, NDR_FAIL, seen, "no drop of the jail's traffic",
			       "%s: `nft insert rule %s %s %s iifname %s accept` and `... oifname %s "
			       "accept`%s (brig never changes another table)",
			       targets ? "remove the drop rule that names the jail, or accept brig's "
					 "bridge before it" : "accept brig's bridge there",
			       fam, table, str(ch, "name"), br, br,
			       !strcmp(str(ch, "name"), "FORWARD")
				       ? "; for Docker: iptables -I DOCKER-USER -i BRIDGE -j ACCEPT and "
					 "-o BRIDGE -j ACCEPT" : "");
	}
	if (!any && !in_jail)
		dr_hop(c, "host", "other firewalls", NDR_OK, "no other table drops the jail's traffic",
		       NULL, NULL);
}

/* br_netfilter: with bridge-nf-call-iptables, frames between jails of a
 * bridge go through the IP forward hooks too, and another table's drop
 * there cuts jail from jail. */
static void br_netfilter(struct dctx *c)
{
	static const char *const keys[2] = { "bridge/bridge-nf-call-iptables",
					      "bridge/bridge-nf-call-ip6tables" };
	char v[2][16];
	bool on[2];

	for (int k = 0; k < 2; k++)
		on[k] = sysctl_net_read(keys[k], v[k], sizeof(v[k])) == 0 && !strcmp(v[k], "1");
	if (sysctl_net_read(keys[0], v[0], sizeof(v[0])) < 0) {
		dr_hop(c, "host", "br_netfilter", NDR_OK, "not loaded", NULL, NULL);
		return;
	}
	cleanup_free char *seen = xasprintf("loaded, call-iptables %d, call-ip6tables %d", on[0], on[1]);
	if ((on[0] && c->fwd_drop[0]) || (on[1] && c->fwd_drop[1]))
		dr_hop(c, "host", "br_netfilter", NDR_FAIL, seen, "bridged frames not dropped",
		       "frames between jails of the same bridge pass the forward hook that drops "
		       "(above): accept the bridge there, or set net.bridge.bridge-nf-call-iptables "
		       "(and -ip6tables) to 0");
	else
		dr_hop(c, "host", "br_netfilter", NDR_OK, seen, NULL, NULL);
}

/* Tables of the legacy iptables (x_tables) are not nftables: unseen. */
static void legacy(struct dctx *c)
{
	char buf[256] = "";
	FILE *f = fopen("/proc/net/ip_tables_names", "re");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = *(p + 1) ? ' ' : '\0';
	if (n)
		dr_hop(c, "host", "legacy iptables", NDR_WARN, buf, "none",
		       "brig cannot read legacy iptables tables: check `iptables-legacy -S` for "
		       "drops on FORWARD/INPUT");
}

void dr_firewall(struct dctx *c)
{
	struct brig_err e = { 0 };
	cleanup_free char *text = nft_ruleset_json(&e);
	json_error_t je;
	json_t *root, *all;

	if (!text) {
		dr_hop(c, "host", "nftables", NDR_FAIL, e.msg, NULL, NULL);
		return;
	}
	root = json_loads(text, 0, &je);
	all = json_object_get(root, "nftables");
	if (!json_is_array(all)) {
		dr_hop(c, "host", "nftables", NDR_FAIL, "unreadable listing", NULL, NULL);
		json_decref(root);
		return;
	}
	brig_tables(c, all);
	foreign(c, all, "host");
	br_netfilter(c);
	legacy(c);
	json_decref(root);
}

/* The listing of the jail's own ruleset, inside its namespace. */
struct jail_list {
	char *text;
};

static int list_here(void *arg, struct brig_err *e)
{
	struct jail_list *l = arg;

	l->text = nft_ruleset_json(e);
	return l->text ? 0 : -1;
}

void dr_firewall_jail(struct dctx *c)
{
	struct brig_err e = { 0 };
	struct jail_list l = { NULL };
	json_error_t je;
	json_t *root;

	if (c->nsfd < 0 ||
	    ns_run(c->nsfd, CLONE_NEWNET, "the jail's network namespace", list_here, &l, &e) < 0) {
		dr_hop(c, "jail", "firewall", NDR_SKIP, e.msg[0] ? e.msg : "not read", NULL, NULL);
		return;
	}
	root = json_loads(l.text, 0, &je);
	if (json_is_array(json_object_get(root, "nftables")))
		foreign(c, json_object_get(root, "nftables"), "jail");
	json_decref(root);
	free(l.text);
}
