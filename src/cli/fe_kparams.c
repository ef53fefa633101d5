/* The jail parameters jls(8) knows, and the value brig reports for each.
 *
 * FreeBSD's jls asks the kernel; a brig jail records every parameter it was
 * started with. The kernel parameters are the rows of conf's table marked
 * KERN (conf/params_jail.def), with their type, read-only flag and the
 * default reported when the jail did not set one: FreeBSD 15's, except
 * where Linux says otherwise (a brig jail always has its own UTS and IPC
 * namespaces, so host and sysv* are "new"). A few values come from the
 * running jail instead (kp_value). */
#include "cli/fe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "util/mem.h"

/* The kernel parameters in jls's "all" order: top-level parameters first,
 * then dotted ones, each group sorted by name (FreeBSD's sort_param). */
static enum jparam order[JP__COUNT];
static size_t norder;

static int jls_cmp(const void *a, const void *b)
{
	const char *x = jd_name(*(const enum jparam *)a), *y = jd_name(*(const enum jparam *)b);
	bool dx = strchr(x, '.') != NULL, dy = strchr(y, '.') != NULL;

	return dx != dy ? (int)dx - (int)dy : strcmp(x, y);
}

static void sort_params(void)
{
	if (norder)
		return;
	for (size_t id = 0; id < JP__COUNT; id++)
		if (conf_jparam((enum jparam)id)->flags & CONF_PF_KERNEL)
			order[norder++] = (enum jparam)id;
	qsort(order, norder, sizeof(*order), jls_cmp);
}

size_t kp_count(void)
{
	sort_params();
	return norder;
}

enum jparam kp_id(size_t i)
{
	sort_params();
	return order[i];
}

const char *kp_name(size_t i)
{
	return jd_name(kp_id(i));
}

int kp_find(const char *name)
{
	const struct conf_pdef *r = conf_pdef_find(CONF_SCHEMA_JAILS, name);

	return r ? (int)(r - conf_jparam(0)) : -1;
}

bool kp_readonly(enum jparam id)
{
	return conf_jparam(id)->flags & CONF_PF_READONLY;
}

char *kp_noname(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return xasprintf("no%s", name);
	return xasprintf("%.*s.no%s", (int)(dot - name), name, dot + 1);
}

/* Today core's names and values, lists joined with ",". */
const char *kp_recorded(const struct core_jail *j, enum jparam id)
{
	const struct jval *v = j->def ? jd_val(j->def, id) : NULL;

	return v && v->set ? (v->s ? v->s : "") : NULL;
}

/* ip4 / ip6 when the jail did not say: FreeBSD implies "new" from an
 * address list; a vnet jail has a stack of its own ("inherit" inside it);
 * otherwise brig gives the jail a network namespace without addresses,
 * which is FreeBSD's "disable". */
static const char *ip_sys(const struct core_jail *j, size_t naddr)
{
	const char *vnet = kp_recorded(j, JP_VNET);

	if (naddr > 0)
		return "new";
	if (vnet && strcmp(vnet, "new") == 0)
		return "inherit";
	return "disable";
}

/* The host's kernel release: a jail shares the host kernel. */
static const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u) < 0)
		return "";
	return u.release;
}

/* Values that come from the running jail rather than its parameters. */
static bool state_value(const struct core_jail *j, enum jparam id, struct kp_value *out)
{
	switch (id) {
	case JP_JID:
		snprintf(out->buf, sizeof(out->buf), "%d", j->jid);
		out->str = out->buf;
		return true;
	case JP_NAME:
		out->str = j->name ? j->name : "";
		return true;
	case JP_PARENT:
	case JP_CHILDREN_CUR:
		snprintf(out->buf, sizeof(out->buf), "%d", id == JP_PARENT ? j->parent : j->children);
		out->str = out->buf;
		return true;
	case JP_PATH:
		out->str = j->path ? j->path : "";
		return true;
	case JP_HOST_HOSTNAME:
		out->str = j->hostname ? j->hostname : "";
		return true;
	case JP_IP4_ADDR:
		out->list = j->ip4;
		out->nlist = j->nip4;
		return true;
	case JP_IP6_ADDR:
		out->list = j->ip6;
		out->nlist = j->nip6;
		return true;
	default:
		return false;
	}
}

/* What jls calls the row's type. */
static enum kp_type kp_type(const struct conf_pdef *r)
{
	switch (r->type) {
	case CONF_BOOL:
		return KP_BOOL;
	case CONF_INT:
		return KP_INT;
	case CONF_LIST:
		return KP_IPLIST;	/* ip4.addr, ip6.addr */
	case CONF_STRING:
	default:
		return r->flags & CONF_PF_JAILSYS ? KP_SYS : KP_STR;
	}
}

/* A computed default (the row has none). */
static const char *computed(const struct core_jail *j, enum jparam id)
{
	switch (id) {
	case JP_IP4:
		return ip_sys(j, j->nip4);
	case JP_IP6:
		return ip_sys(j, j->nip6);
	case JP_OSRELEASE:
	case JP_LINUX_OSRELEASE:
		return kernel_release();
	default:
		return "";
	}
}

bool kp_value(const struct core_jail *j, enum jparam id, struct kp_value *out)
{
	const struct conf_pdef *r = conf_jparam(id);
	const char *rec = kp_recorded(j, id);

	memset(out, 0, sizeof(*out));
	out->str = "";
	if (!(r->flags & CONF_PF_KERNEL)) {
		/* A jail.conf parameter the kernel does not know (exec.start,
		 * mount.devfs, ...): brig shows what the jail recorded. */
		if (!rec)
			return false;
		out->type = KP_STR;
		out->str = rec;
		return true;
	}
	out->type = kp_type(r);
	if (state_value(j, id, out))
		return true;
	if (rec) {
		/* Typed in the model: true/false, new/inherit/disable. */
		out->str = rec;
		return true;
	}
	out->str = r->dflt ? r->dflt : computed(j, id);
	return true;
}
