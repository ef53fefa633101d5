/* jls(8) output: the default columns, -v, parameter lists (-n, -q, -s, -h,
 * named parameters), as text or in libxo's JSON shape. Pure: jails in,
 * text out. */
#include "cli/fe.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"

/* jls's JSON version (JLS_XO_VERSION in FreeBSD's jls.c). */
#define JLS_XO_VERSION "2"

/* The parameters to print, in order, without repeats. */
struct cols {
	enum jparam *id;
	size_t n, cap;
};

static void add_col(struct cols *c, enum jparam id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->id[i] == id)
			return;
	c->id = xgrow(c->id, &c->cap, c->n + 1, sizeof(*c->id));
	c->id[c->n++] = id;
}

/* The pseudo-parameter "all": every kernel parameter. */
static void add_all(struct cols *c)
{
	for (size_t i = 0; i < kp_count(); i++)
		add_col(c, kp_id(i));
}

/* A named parameter must be a jail.conf parameter (FreeBSD: "unknown
 * parameter"). */
static int build_cols(const struct jls_opts *o, struct cols *c, struct brig_err *e)
{
	if (o->nparams == 0) {
		add_all(c);
		return 0;
	}
	for (size_t i = 0; i < o->nparams; i++) {
		int id = kp_find(o->params[i]);

		if (strcmp(o->params[i], "all") == 0) {
			add_all(c);
			continue;
		}
		if (id < 0)
			return brig_err_set(e, 0, "unknown parameter: %s", o->params[i]);
		add_col(c, (enum jparam)id);
	}
	return 0;
}

/* jls -s prints what jail(8) would take: no read-only parameters, and
 * none under a jailsys parameter that is not "new" (ip4.addr when
 * ip4=disable). */
static bool skipped(const struct core_jail *j, enum jparam id)
{
	const char *name = jd_name(id), *dot = strchr(name, '.');
	struct kp_value parent;
	char *pname;
	int k;

	if (kp_readonly(id))
		return true;
	if (!dot)
		return false;
	pname = xstrndup(name, (size_t)(dot - name));
	k = kp_find(pname);
	free(pname);
	return k >= 0 && kp_value(j, (enum jparam)k, &parent) && parent.type == KP_SYS &&
	       strcmp(parent.str, "new") != 0;
}

/* jls's quoted_print: quotes only with -q (or -s), chosen so the value
 * reads back; an empty value is always "". */
static void quoted(struct strbuf *out, unsigned pflags, const char *v)
{
	char qc;

	if (!*v) {
		sb_adds(out, "\"\"");
		return;
	}
	qc = strchr(v, '\'') ? '"' : strchr(v, '"') ? '\'' :
	     (strchr(v, ' ') || strchr(v, '\t')) ? '"' : 0;
	if (qc && (pflags & JLS_QUOTED))
		sb_addc(out, qc);
	sb_adds(out, v);
	if (qc && (pflags & JLS_QUOTED))
		sb_addc(out, qc);
}

/* One parameter as text: "name=value", "name" / "noname", or the value. */
static void text_param(struct strbuf *out, unsigned pflags, const char *name,
		       const struct kp_value *val)
{
	if (pflags & JLS_NAMEVAL) {
		if (val->type == KP_BOOL) {
			if (strcmp(val->str, "true") == 0) {
				sb_adds(out, name);
			} else {
				char *no = kp_noname(name);

				sb_adds(out, no);
				free(no);
			}
			return;
		}
		sb_addf(out, "%s=", name);
	}
	if (val->type == KP_IPLIST) {
		if (val->nlist == 0) {
			if (pflags & JLS_QUOTED)
				sb_adds(out, "\"\"");
			else if (!(pflags & JLS_NAMEVAL))
				sb_addc(out, '-');
			return;
		}
		for (size_t i = 0; i < val->nlist; i++) {
			if (i)
				sb_addc(out, ',');
			sb_adds(out, val->list[i]);
		}
		return;
	}
	quoted(out, pflags, val->str);
}

/* One parameter in JSON: a string, or a list of addresses. */
static void json_param(struct xo *x, const char *name, const struct kp_value *val)
{
	if (val->type != KP_IPLIST) {
		xo_leaf(x, name, val->str, true);
		return;
	}
	xo_open(x, name, '[');
	for (size_t i = 0; i < val->nlist; i++)
		xo_list_item(x, val->list[i]);
	xo_close(x);
}

/* A jail as a list of parameters (-n, -s, -h, named parameters). */
static void params_row(const struct jls_opts *o, const struct cols *c,
		       const struct core_jail *j, struct strbuf *out, struct xo *x)
{
	bool spc = false;

	for (size_t i = 0; i < c->n; i++) {
		const char *name = jd_name(c->id[i]);
		struct kp_value val;

		if ((o->pflags & JLS_SKIP) && skipped(j, c->id[i]))
			continue;
		if (!kp_value(j, c->id[i], &val)) {
			/* Recorded by another jail only: empty here. */
			val.type = KP_STR;
			val.str = "";
		}
		if (o->json) {
			json_param(x, name, &val);
			continue;
		}
		if (spc)
			sb_addc(out, ' ');
		spc = true;
		text_param(out, o->pflags, name, &val);
	}
	if (!o->json)
		sb_addc(out, '\n');
}

static const char *first_or_empty(char *const *v, size_t n)
{
	return n > 0 ? v[0] : "";
}

/* The default four columns (or with -N the name instead of the JID). */
static void default_row(const struct jls_opts *o, const struct core_jail *j,
			struct strbuf *out, struct xo *x)
{
	const char *ip = first_or_empty(j->ip4, j->nip4);
	const char *host = j->hostname ? j->hostname : "";
	const char *path = j->path ? j->path : "";

	if (o->json) {
		if (o->pflags & JLS_JAIL_NAME) {
			xo_leaf(x, "name", j->name, true);
		} else {
			char jid[16];

			snprintf(jid, sizeof(jid), "%d", j->jid);
			xo_leaf(x, "jid", jid, false);
		}
		xo_leaf(x, "ipv4", ip, true);
		xo_leaf(x, "hostname", host, true);
		xo_leaf(x, "path", path, true);
		return;
	}
	if (o->pflags & JLS_JAIL_NAME)
		sb_addf(out, " %-15s ", j->name);
	else
		sb_addf(out, "%6d  ", j->jid);
	sb_addf(out, "%-15.15s %-29.29s %.74s\n", ip, host, path);
}

/* Addresses under -v: one per line, or a JSON list. */
static void verbose_addrs(const struct jls_opts *o, const char *list, char *const *v,
			  size_t n, struct strbuf *out, struct xo *x)
{
	if (o->json)
		xo_open(x, list, '[');
	for (size_t i = 0; i < n; i++) {
		if (o->json)
			xo_list_item(x, v[i]);
		else
			sb_addf(out, "        %s\n", v[i]);
	}
	if (o->json)
		xo_close(x);
}

/* jls -v: the multi-line summary. */
static void verbose_row(const struct jls_opts *o, const struct core_jail *j,
			struct strbuf *out, struct xo *x)
{
	const char *host = j->hostname ? j->hostname : "";
	const char *path = j->path ? j->path : "";
	struct kp_value cpuset;

	kp_value(j, JP_CPUSET_ID, &cpuset);
	if (o->json) {
		char jid[16];

		snprintf(jid, sizeof(jid), "%d", j->jid);
		xo_leaf(x, "jid", jid, false);
		xo_leaf(x, "hostname", host, true);
		xo_leaf(x, "path", path, true);
		xo_leaf(x, "name", j->name, true);
		xo_leaf(x, "state", "ACTIVE", true);
		xo_leaf(x, "cpusetid", cpuset.str, false);
	} else {
		sb_addf(out, "%6d  %-29.29s %.74s\n", j->jid, host, path);
		sb_addf(out, "        %-29.29s %.74s\n", j->name, "ACTIVE");
		sb_addf(out, "        %s\n", cpuset.str);
	}
	verbose_addrs(o, "ipv4_addrs", j->ip4, j->nip4, out, x);
	verbose_addrs(o, "ipv6_addrs", j->ip6, j->nip6, out, x);
}

/* The header line of the text output. */
static void header(const struct jls_opts *o, const struct cols *c, struct strbuf *out)
{
	if (o->pflags & JLS_VERBOSE) {
		sb_adds(out, "   JID  Hostname                      Path\n"
			     "        Name                          State\n"
			     "        CPUSetID\n"
			     "        IP Address(es)\n");
	} else if (o->pflags & JLS_DEFAULT) {
		if (o->pflags & JLS_JAIL_NAME)
			sb_adds(out, " JID             IP Address      "
				     "Hostname                      Path\n");
		else
			sb_adds(out, "   JID  IP Address      "
				     "Hostname                      Path\n");
	} else if (o->pflags & JLS_HEADER) {
		for (size_t i = 0; i < c->n; i++) {
			if (i)
				sb_addc(out, ' ');
			sb_adds(out, jd_name(c->id[i]));
		}
		sb_addc(out, '\n');
	}
}

int jls_format(const struct jls_opts *o, const struct core_jail *v, size_t n,
	       struct strbuf *out, struct brig_err *e)
{
	struct jls_opts eff = *o;
	struct cols c = { 0 };
	struct xo x;

	/* jls(8): no parameters and none of -h, -n, -s, -v: the default
	 * columns; named parameters turn -v off. */
	if (eff.nparams > 0)
		eff.pflags &= ~JLS_VERBOSE;
	else if (!(eff.pflags & (JLS_HEADER | JLS_NAMEVAL | JLS_VERBOSE)))
		eff.pflags |= JLS_DEFAULT;
	if (!(eff.pflags & (JLS_DEFAULT | JLS_VERBOSE)) && build_cols(&eff, &c, e) < 0) {
		free(c.id);
		return -1;
	}
	if (eff.json) {
		xo_begin(&x, out, eff.pretty, JLS_XO_VERSION);
		xo_open(&x, "jail-information", '{');
		xo_open(&x, "jail", '[');
	} else {
		header(&eff, &c, out);
	}
	for (size_t i = 0; i < n; i++) {
		if (eff.json)
			xo_open(&x, NULL, '{');
		if (eff.pflags & JLS_VERBOSE)
			verbose_row(&eff, &v[i], out, &x);
		else if (eff.pflags & JLS_DEFAULT)
			default_row(&eff, &v[i], out, &x);
		else
			params_row(&eff, &c, &v[i], out, &x);
		if (eff.json)
			xo_close(&x);
	}
	if (eff.json)
		xo_end(&x);
	free(c.id);
	return 0;
}
