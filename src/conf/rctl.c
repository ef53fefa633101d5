/* rctl(8) rules: the resource table (conf/rctl.def), one rule, a filter. */
#include "conf/rctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "util/mem.h"
#include "util/strdist.h"

#define BYTES RCTL_U_BYTES
#define COUNT RCTL_U_COUNT
#define PERCENT RCTL_U_PERCENT
#define SECONDS RCTL_U_SECONDS
#define RATE RCTL_U_RATE
#define A_DENY RCTL_DENY
#define A_LOG RCTL_LOG
#define A_SIG RCTL_SIG
#define A_THROTTLE RCTL_THROTTLE
#define CG RCTL_M_CG
#define RL RCTL_M_RL
#define IPC RCTL_M_IPC
#define PTY RCTL_M_PTY
#define NO RCTL_M_NO

static const struct rctl_resdef resources[] = {
#define R(id, name, unit, actions, sig, mech, v2, v1, notes) \
	{ name, unit, actions, sig, mech, v2, v1, notes },
#include "conf/rctl.def"
#undef R
};

/* FreeBSD takes deny for the rates too, as throttle. */
static bool deny_throttles(const struct rctl_resdef *d)
{
	return !(d->actions & RCTL_DENY) && (d->actions & RCTL_THROTTLE);
}

const struct rctl_resdef *rctl_res(enum rctl_res r)
{
	return &resources[r];
}

int rctl_res_find(const char *name)
{
	for (size_t i = 0; i < RCTL__COUNT; i++)
		if (strcmp(resources[i].name, name) == 0)
			return (int)i;
	return -1;
}

__attribute__((format(printf, 5, 6)))
static int fail(char *msg, size_t msglen, size_t *at, size_t pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	if (at)
		*at = pos;
	return -1;
}

/* The actions a resource takes, for a message: "deny, log or sigkill". */
static void actions_text(const struct rctl_resdef *d, char *buf, size_t len)
{
	static const struct {
		unsigned a;
		const char *name;
	} names[] = { { RCTL_DENY, "deny" }, { RCTL_LOG, "log, devctl" }, { RCTL_THROTTLE, "throttle" } };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (d->actions & names[i].a)
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "", names[i].name);
	if ((d->actions & RCTL_SIG) && n < len)
		snprintf(buf + n, len - n, "%ssig%s", n ? ", " : "", d->sig + 3);
	for (char *p = buf; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

/* actions_text into buf, for a message (made only when one is). */
static const char *actions_of(const struct rctl_resdef *d, char *buf, size_t len)
{
	actions_text(d, buf, len);
	return buf;
}

/* expand_number(3): digits, then one of k m g t p e (any case, powers of
 * 1024) or b or nothing. */
static int amount(const char *s, size_t len, unsigned long long *out)
{
	static const char sfx[] = "kmgtpe";
	unsigned long long v = 0;
	size_t i = 0;

	if (len == 0 || s[0] < '0' || s[0] > '9')
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (~0ULL - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (i + 1 == len) {
		const char *p = strchr(sfx, s[i] | 0x20);

		if ((s[i] | 0x20) != 'b') {
			if (!p || !s[i])
				return -1;
			for (long k = 0; k <= p - sfx; k++) {
				if (v > (~0ULL >> 10))
					return -1;
				v <<= 10;
			}
		}
	} else if (i != len) {
		return -1;
	}
	*out = v;
	return 0;
}

/* RESOURCE:ACTION=AMOUNT[/PER] from s (pos: its offset in the rule). */
static int parse_body(const char *s, size_t pos, struct rctl_rule *r, char *msg, size_t msglen,
		      size_t *at)
{
	const char *colon = strchr(s, ':'), *eq, *act, *slash, *end;
	char name[32], acts[96];
	const struct rctl_resdef *d;
	int res;

	if (!colon)
		return fail(msg, msglen, at, pos, "\"%s\": not RESOURCE:ACTION=AMOUNT", s);
	if ((size_t)(colon - s) >= sizeof(name))
		return fail(msg, msglen, at, pos, "unknown resource \"%.*s\"", (int)(colon - s), s);
	memcpy(name, s, (size_t)(colon - s));
	name[colon - s] = '\0';
	res = rctl_res_find(name);
	if (res < 0) {
		const char *best = NULL;
		size_t bestd = str_hint_max(strlen(name)) + 1;

		for (size_t i = 0; i < RCTL__COUNT; i++) {
			size_t dd = str_distance(name, resources[i].name, bestd - 1);

			if (dd < bestd) {
				bestd = dd;
				best = resources[i].name;
			}
		}
		if (best)
			return fail(msg, msglen, at, pos, "unknown resource \"%s\" (did you mean \"%s\"?)",
				    name, best);
		return fail(msg, msglen, at, pos, "unknown resource \"%s\"", name);
	}
	d = &resources[res];
	if (!d->actions)
		return fail(msg, msglen, at, pos, "%s: refused on Linux: %s", d->name, d->notes);
	act = colon + 1;
	eq = strchr(act, '=');
	if (!eq)
		return fail(msg, msglen, at, pos + (size_t)(act - s), "%s: no amount (ACTION=AMOUNT)", d->name);
	r->res = (enum rctl_res)res;
#define IS(w) ((size_t)(eq - act) == strlen(w) && strncasecmp(act, w, strlen(w)) == 0)
	if (IS("deny")) {
		r->action = RCTL_DENY, r->actname = "deny";
	} else if (IS("log")) {
		r->action = RCTL_LOG, r->actname = "log";
	} else if (IS("devctl")) {
		r->action = RCTL_LOG, r->actname = "devctl";
	} else if (IS("throttle")) {
		r->action = RCTL_THROTTLE, r->actname = "throttle";
	} else if (eq - act > 3 && strncasecmp(act, "sig", 3) == 0) {
		r->action = RCTL_SIG, r->actname = "sig";
		if (!(d->actions & RCTL_SIG) || (size_t)(eq - act) != strlen(d->sig) ||
		    strncasecmp(act + 3, d->sig + 3, strlen(d->sig) - 3) != 0)
			return fail(msg, msglen, at, pos + (size_t)(act - s),
				    "%s: action \"%.*s\" not honoured: %s takes %s (Linux sends no other "
				    "signal by itself, and brig keeps no process to send one)", d->name,
				    (int)(eq - act), act, d->name, actions_of(d, acts, sizeof(acts)));
		r->actname = strcmp(d->sig, "SIGKILL") == 0 ? "sigkill" : "sigxcpu";
	} else {
		return fail(msg, msglen, at, pos + (size_t)(act - s),
			    "%s: unknown action \"%.*s\" (deny, log, devctl, throttle, sigNAME)", d->name,
			    (int)(eq - act), act);
	}
#undef IS
	if (r->action == RCTL_DENY && deny_throttles(d))
		r->action = RCTL_THROTTLE, r->actname = "throttle";
	if (r->action == RCTL_THROTTLE && !(d->actions & RCTL_THROTTLE) && (d->actions & RCTL_DENY))
		return fail(msg, msglen, at, pos + (size_t)(act - s),
			    "%s: throttle is for rates (readbps, writebps, readiops, writeiops, pcpu); %s takes %s",
			    d->name, d->name, actions_of(d, acts, sizeof(acts)));
	if (!(d->actions & r->action))
		return fail(msg, msglen, at, pos + (size_t)(act - s), "%s: %s not honoured on Linux: %s takes %s",
			    d->name, r->actname, d->name, actions_of(d, acts, sizeof(acts)));
	slash = strchr(eq + 1, '/');
	end = slash ? slash : eq + 1 + strlen(eq + 1);
	if (amount(eq + 1, (size_t)(end - eq - 1), &r->amount) < 0)
		return fail(msg, msglen, at, pos + (size_t)(eq + 1 - s),
			    "%s: bad amount \"%.*s\" (a number, with k, m, g, t, p or e for powers of 1024)",
			    d->name, (int)(end - eq - 1), eq + 1);
	if (d->unit == RCTL_U_PERCENT && (r->amount == 0 || r->amount > 100000))
		return fail(msg, msglen, at, pos + (size_t)(eq + 1 - s),
			    "%s: %llu%% is not a share of CPUs (1 to 100000)", d->name, r->amount);
	r->per_process = false;
	if (slash) {
		if (strcmp(slash + 1, "process") == 0 && d->mech == RCTL_M_RL)
			r->per_process = true;
		else if (strcmp(slash + 1, "jail") != 0)
			return fail(msg, msglen, at, pos + (size_t)(slash + 1 - s),
				    "%s: per \"%s\" not honoured: brig limits per jail%s", d->name, slash + 1,
				    d->mech == RCTL_M_RL ? " or, for an rlimit, per process" : "");
	}
	return 0;
}

int rctl_parse(const char *text, bool with_subject, struct rctl_rule *r, char *msg, size_t msglen,
	       size_t *at)
{
	const char *body = text;

	*r = (struct rctl_rule){ 0 };
	if (with_subject) {
		const char *c1 = strchr(text, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2)
			return fail(msg, msglen, at, 0, "\"%s\": not jail:NAME:RESOURCE:ACTION=AMOUNT", text);
		if ((size_t)(c1 - text) != 4 || strncmp(text, "jail", 4) != 0)
			return fail(msg, msglen, at, 0, "subject \"%.*s\": brig limits jails only (jail:NAME:...)",
				    (int)(c1 - text), text);
		if (c2 == c1 + 1)
			return fail(msg, msglen, at, (size_t)(c1 + 1 - text), "no jail name (jail:NAME:...)");
		r->jail = c1 + 1;
		r->jlen = (size_t)(c2 - c1 - 1);
		body = c2 + 1;
	}
	return parse_body(body, (size_t)(body - text), r, msg, msglen, at);
}

size_t rctl_parse_list(char *const *v, size_t n, struct rctl_rule **out)
{
	struct rctl_rule *r = xcalloc(n + 1, sizeof(*r));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		char msg[8];
		size_t at;

		if (rctl_parse(v[i], false, &r[k], msg, sizeof(msg), &at) == 0)
			k++;
	}
	*out = r;
	return k;
}

/* n bytes of s at buf + *o, as far as len - 1 allows (snprintf's
 * truncation); *o counts them all. */
static void emit(char *buf, size_t len, size_t *o, const char *s, size_t n)
{
	if (*o + 1 < len)
		memcpy(buf + *o, s, len - 1 - *o < n ? len - 1 - *o : n);
	*o += n;
}

/* RESOURCE:ACTION=AMOUNT[/process], as snprintf("%s:%s=%llu%s") wrote
 * it: without snprintf, which cost 1,600 instructions a rule (a check of
 * 10,000 jails formats one per rctl rule). */
void rctl_format(const struct rctl_rule *r, char *buf, size_t len)
{
	const char *name = resources[r->res].name;
	char num[24], *p = num + sizeof(num);
	unsigned long long v = r->amount;
	size_t o = 0;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	emit(buf, len, &o, name, strlen(name));
	emit(buf, len, &o, ":", 1);
	emit(buf, len, &o, r->actname, strlen(r->actname));
	emit(buf, len, &o, "=", 1);
	emit(buf, len, &o, p, (size_t)(num + sizeof(num) - p));
	if (r->per_process)
		emit(buf, len, &o, "/process", 8);
	if (len)
		buf[o < len ? o : len - 1] = '\0';
}

int rctl_filter_parse(const char *text, struct rctl_filter *f, char *msg, size_t msglen)
{
	const char *p[4] = { text, NULL, NULL, NULL };
	size_t len[4];
	size_t n = 1;

	*f = (struct rctl_filter){ .res = -1 };
	for (const char *c = strchr(text, ':'); c && n < 4; c = strchr(c + 1, ':'))
		p[n++] = c + 1;
	for (size_t i = 0; i < n; i++) {
		const char *e = i + 1 < n ? p[i + 1] - 1 : p[i] + strcspn(p[i], i == 3 ? "=" : ":");

		len[i] = (size_t)(e - p[i]);
	}
	if (len[0] && (len[0] != 4 || strncmp(text, "jail", 4) != 0))
		return fail(msg, msglen, NULL, 0, "subject \"%.*s\": brig limits jails only", (int)len[0], text);
	if (n > 1 && len[1])
		f->jail = p[1], f->jlen = len[1];
	if (n > 2 && len[2]) {
		char name[32];

		if (len[2] >= sizeof(name))
			return fail(msg, msglen, NULL, 0, "unknown resource \"%.*s\"", (int)len[2], p[2]);
		memcpy(name, p[2], len[2]);
		name[len[2]] = '\0';
		if ((f->res = rctl_res_find(name)) < 0)
			return fail(msg, msglen, NULL, 0, "unknown resource \"%s\"", name);
	}
	if (n > 3 && len[3])
		f->action = p[3], f->alen = len[3];
	return 0;
}

/* Whether filter f's action is the word w. */
static bool filter_action(const struct rctl_filter *f, const char *w)
{
	return strlen(w) == f->alen && strncasecmp(w, f->action, f->alen) == 0;
}

bool rctl_filter_match(const struct rctl_filter *f, const char *jail, const struct rctl_rule *r)
{
	if (f->jail && (strlen(jail) != f->jlen || strncmp(jail, f->jail, f->jlen) != 0))
		return false;
	if (f->res >= 0 && (int)r->res != f->res)
		return false;
	/* A rate's deny was taken as throttle (rctl_parse): a filter's deny
	 * finds it as it was written. */
	if (f->action && !filter_action(f, r->actname) &&
	    !(filter_action(f, "deny") && r->action == RCTL_THROTTLE && deny_throttles(&resources[r->res])))
		return false;
	return true;
}

int rctl_cpuset_valid(const char *s, char *msg, size_t msglen)
{
	const char *p = s;

	if (!*p)
		return fail(msg, msglen, NULL, 0, "an empty CPU list");
	while (*p) {
		char *end;
		unsigned long a, b;

		errno = 0;
		if (*p < '0' || *p > '9')
			break;
		a = b = strtoul(p, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				break;
			b = strtoul(end + 1, &end, 10);
		}
		if (errno || a > b || b >= 8192)
			return fail(msg, msglen, NULL, 0, "\"%s\": CPU range %lu-%lu out of order or above 8191",
				    s, a, b);
		p = end;
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			break;
	}
	if (*p)
		return fail(msg, msglen, NULL, 0, "\"%s\": not a CPU list like 0-3,6", s);
	return 0;
}
