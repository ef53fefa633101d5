/* rctl(8): FreeBSD's resource-limits front-end, chosen by argv[0].
 *
 *   rctl [-h] [-n] [FILTER...]     the rules of the running jails
 *   rctl -l [-h] [-n] FILTER...    the same
 *   rctl -a [-h] [-n] RULE...      add (or replace) a rule of a running jail
 *   rctl -r [-h] [-n] FILTER...    remove the rules a filter matches
 *   rctl -u [-h] [-n] FILTER       a jail's usage (fe_rctl_usage.c)
 *
 * A rule is jail:NAME:RESOURCE:ACTION=AMOUNT[/PER]; a filter leaves
 * parts out ("jail:web", "jail::memoryuse", ":"). Changes go to the
 * running jail and to the model its state records (core_modify, as
 * jail -m rctl=...): rctl.conf and jail.conf are not touched, so a
 * restart starts it with the files' rules again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe.h"
#include "conf/rctl.h"
#include "util/mem.h"

static void usage(void)
{
	fprintf(stderr, "usage: rctl [-h] [-n] [filter ...]\n"
			"       rctl -a [-h] [-n] rule ...\n"
			"       rctl -l [-h] [-n] filter ...\n"
			"       rctl -r [-h] [-n] filter ...\n"
			"       rctl -u [-h] [-n] filter ...\n");
}

/* An amount as rctl -h prints it: 512M, 1G, 1.5K (powers of 1024 for
 * bytes and rates), else the number. */
static void amount(char *buf, size_t len, const struct rctl_rule *r, bool human)
{
	static const char sfx[] = "KMGTPE";
	enum rctl_unit u = rctl_res(r->res)->unit;
	double v = (double)r->amount;
	int k = -1;

	if (!human || (u != RCTL_U_BYTES && u != RCTL_U_RATE) || r->amount < 1024) {
		snprintf(buf, len, "%llu", r->amount);
		return;
	}
	while (v >= 1024 && k < 5) {
		v /= 1024;
		k++;
	}
	if (v == (double)(long long)v)
		snprintf(buf, len, "%lld%c", (long long)v, sfx[k]);
	else
		snprintf(buf, len, "%.1f%c", v, sfx[k]);
}

/* One rule as rctl prints it: jail:NAME:RESOURCE:ACTION=AMOUNT[/process]. */
static void print_rule(const char *jail, const struct rctl_rule *r, bool human)
{
	char a[32];

	amount(a, sizeof(a), r, human);
	printf("jail:%s:%s:%s=%s%s\n", jail, rctl_res(r->res)->name, r->actname, a,
	       r->per_process ? "/process" : "");
}

static int by_jid(const void *a, const void *b)
{
	return ((const struct core_jail *)a)->jid - ((const struct core_jail *)b)->jid;
}

/* The running jails (each with the model it runs with), by JID. */
static int running(struct core_jail **v, size_t *n)
{
	struct brig_err e = { 0 };

	if (core_list(v, n, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	if (*n)
		qsort(*v, *n, sizeof(**v), by_jid);
	return 0;
}

/* The rules of a running jail, parsed. */
static size_t jail_rules(const struct core_jail *j, struct rctl_rule **out)
{
	size_t n = 0;
	char *const *v = j->def ? jd_list(j->def, JP_RCTL, &n) : NULL;

	return rctl_parse_list(v, n, out);
}

/* Give running jail name the rules r[0..n) (jail -m rctl=...). */
static int set_rules(const char *name, const struct rctl_rule *r, size_t n)
{
	char **params = xcalloc(n + 3, sizeof(*params));
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .cmdline = params, .ncmdline = n + 2 };
	struct diag d = { 0 };
	struct conf *c = NULL;
	struct brig_err e = { 0 };
	enum jparam id = JP_RCTL;
	int rc = 0;

	params[0] = xasprintf("name=%s", name);
	params[1] = xstrdup("rctl=");
	for (size_t i = 0; i < n; i++) {
		char buf[96];

		rctl_format(&r[i], buf, sizeof(buf));
		params[i + 2] = xasprintf("rctl+=%s", buf);
	}
	if (conf_load(&src, &c, &d) < 0) {
		cli_print_diag(&d);
		rc = -1;
	} else if (core_modify(conf_jail_set(c)->v[0], &id, 1, &e) < 0) {
		cli_print_err(&e);
		rc = -1;
	}
	conf_free(c);
	diag_free(&d);
	for (size_t i = 0; i < n + 2; i++)
		free(params[i]);
	free(params);
	return rc;
}

/* rctl -a RULE: the jail's rules with this one, replacing one for the
 * same resource and action. */
static int add(const char *text)
{
	struct rctl_rule add, *r;
	struct core_jail j = { 0 };
	struct brig_err e = { 0 };
	char msg[256], *name;
	size_t at, n, k = 0;
	int rc;

	if (rctl_parse(text, true, &add, msg, sizeof(msg), &at) < 0) {
		cli_error("%s: %s", text, msg);
		return -1;
	}
	name = xstrndup(add.jail, add.jlen);
	if (core_find_running(name, &j, &e) < 0) {
		cli_error("%s: jail \"%s\" is not running (the rules it starts with are in rctl.conf "
			  "or its rctl parameter)", text, name);
		free(name);
		return -1;
	}
	n = jail_rules(&j, &r);
	for (size_t i = 0; i < n; i++)
		if (r[i].res != add.res || strcmp(r[i].actname, add.actname) != 0)
			r[k++] = r[i];
	r[k++] = add;
	rc = set_rules(j.name, r, k);
	free(r);
	free(name);
	core_jail_free(&j);
	return rc;
}

/* rctl -r FILTER: every rule it matches, of every running jail. */
static int remove_rules(const char *text)
{
	struct rctl_filter f;
	struct core_jail *v;
	size_t nj;
	char msg[256];
	int rc = 0;

	if (rctl_filter_parse(text, &f, msg, sizeof(msg)) < 0) {
		cli_error("%s: %s", text, msg);
		return -1;
	}
	if (running(&v, &nj) < 0)
		return -1;
	for (size_t i = 0; i < nj; i++) {
		struct rctl_rule *r;
		size_t n = jail_rules(&v[i], &r), k = 0;

		for (size_t l = 0; l < n; l++)
			if (!rctl_filter_match(&f, v[i].name, &r[l]))
				r[k++] = r[l];
		if (k != n && set_rules(v[i].name, r, k) < 0)
			rc = -1;
		free(r);
	}
	core_list_free(v, nj);
	return rc;
}

/* rctl [-l] [FILTER...]: the rules of the running jails a filter matches
 * (all without one). */
static int list(char **filters, int n, bool human)
{
	struct core_jail *v;
	size_t nj;
	int rc = 0;

	if (running(&v, &nj) < 0)
		return -1;
	for (int k = 0; k < (n ? n : 1); k++) {
		struct rctl_filter f;
		char msg[256];

		if (n && rctl_filter_parse(filters[k], &f, msg, sizeof(msg)) < 0) {
			cli_error("%s: %s", filters[k], msg);
			rc = -1;
			continue;
		}
		if (!n)
			rctl_filter_parse(":", &f, msg, sizeof(msg));
		for (size_t i = 0; i < nj; i++) {
			struct rctl_rule *r;
			size_t nr = jail_rules(&v[i], &r);

			for (size_t l = 0; l < nr; l++)
				if (rctl_filter_match(&f, v[i].name, &r[l]))
					print_rule(v[i].name, &r[l], human);
			free(r);
		}
	}
	core_list_free(v, nj);
	return rc;
}

int fe_rctl(int argc, char **argv)
{
	char op = 0;
	bool human = false;
	int c, rc = 0;

	while ((c = getopt(argc, argv, "+ahlnru")) != -1) {
		switch (c) {
		case 'h':
			human = true;
			break;
		case 'n':
			break;	/* numeric ids: a jail's name is its id here */
		case 'a':
		case 'l':
		case 'r':
		case 'u':
			if (op && op != c) {
				usage();
				return 1;
			}
			op = (char)c;
			break;
		default:
			usage();
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if ((op == 'a' || op == 'r' || op == 'u' || op == 'l') && argc == 0) {
		usage();
		return 1;
	}
	switch (op) {
	case 'u':
		for (int i = 0; i < argc; i++)
			if (fe_rctl_usage(argv[i], human) != 0)
				rc = 1;
		return rc;
	case 'a':
		for (int i = 0; i < argc; i++)
			if (add(argv[i]) < 0)
				rc = 1;
		return rc;
	case 'r':
		for (int i = 0; i < argc; i++)
			if (remove_rules(argv[i]) < 0)
				rc = 1;
		return rc;
	default:
		return list(argv, argc, human) < 0 ? 1 : 0;
	}
}
