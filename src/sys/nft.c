/* nftables: brig's table, rules added and removed by tag. */
#include "sys/nft.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <linux/netfilter.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/nft_raw.h"
#include "sys/proc.h"
#include "util/io.h"
#include "sys/spawn.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The table and its base chains. `add` leaves existing ones alone, so this
 * runs before every change; the set holds the bridges brig manages (for
 * isolation rules). Chains accept by default: brig only adds NAT and drops
 * traffic between isolated bridges. */
static const char table_layout[] =
	"add table " NFT_TABLE "\n"
	"add set " NFT_TABLE " bridges { type ifname; }\n"
	"add chain " NFT_TABLE " prerouting { type nat hook prerouting priority dstnat; policy accept; }\n"
	"add chain " NFT_TABLE " output { type nat hook output priority -100; policy accept; }\n"
	"add chain " NFT_TABLE " postrouting { type nat hook postrouting priority srcnat; policy accept; }\n"
	"add chain " NFT_TABLE " forward { type filter hook forward priority filter; policy accept; }\n"
	"add chain " NFT_TABLE " input { type filter hook input priority filter; policy accept; }\n"
	"add chain " NFT_TABLE " guard { type filter hook prerouting priority raw; policy accept; }\n";

/* Table bridge brig: frames coming in through a bridge port (prerouting:
 * for the host or forwarded alike) jump to their port's chain through the
 * ports map. Made once: `create` fails on an existing table, so the
 * dispatch rule is never added twice. */
static const char bridge_layout[] =
	"create table " NFT_BRIDGE_TABLE "\n"
	"add map " NFT_BRIDGE_TABLE " ports { type ifname : verdict; }\n"
	"add chain " NFT_BRIDGE_TABLE " prerouting { type filter hook prerouting priority filter; policy accept; }\n"
	"add rule " NFT_BRIDGE_TABLE " prerouting iifname vmap @ports\n";

/* The only commands brig sends: each names one of brig's tables right
 * after its verb and object. A generated command that does not is a bug,
 * refused here so that it can never reach another table. */
static bool command_allowed(const char *line, size_t len)
{
	static const char *const verbs[] = { "add rule ", "insert rule ", "delete rule ",
					     "add element ", "delete element ", "add table ",
					     "add set ", "add chain ", "delete chain ",
					     "flush chain " };
	static const char *const tables[] = { NFT_TABLE, NFT_BRIDGE_TABLE };

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		size_t v = strlen(verbs[i]);

		if (len <= v || strncmp(line, verbs[i], v) != 0)
			continue;
		for (size_t k = 0; k < sizeof(tables) / sizeof(tables[0]); k++) {
			size_t t = strlen(tables[k]);

			if (len >= v + t && !strncmp(line + v, tables[k], t) &&
			    (line + v + t == line + len || line[v + t] == ' '))
				return true;
		}
	}
	return false;
}

/* Check every line of cmds with command_allowed(). */
static int check_commands(const char *cmds, struct brig_err *e)
{
	for (const char *p = cmds; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len && !command_allowed(p, len))
			return brig_err_set(e, 0, "nftables: refusing a command outside tables %s "
					    "and %s: \"%.*s\"", NFT_TABLE, NFT_BRIDGE_TABLE, (int)len, p);
		p += nl ? len + 1 : len;
	}
	return 0;
}

/* libnftables is opened on first use, not linked: with its own libraries
 * (libnftnl, libxtables, libjansson, libgmp) it costs every brig process
 * milliseconds of dynamic loading, and most commands (a jail without
 * networking starting, `brig ls`) never touch nftables. The calls go
 * through this table, filled from the library's symbols; the prototypes
 * still come from its header, so a changed signature fails the build. */
#define NFT_FUNCS(X)                                                                        \
	X(nft_ctx_new) X(nft_ctx_free) X(nft_ctx_output_set_flags) X(nft_ctx_buffer_output) \
	X(nft_ctx_buffer_error) X(nft_ctx_get_output_buffer) X(nft_ctx_get_error_buffer)   \
	X(nft_run_cmd_from_buffer)

static struct {
#define X(f) __typeof__(f) *f;
	NFT_FUNCS(X)
#undef X
} lib;

static int lib_load(struct brig_err *e)
{
	static const char soname[] = "libnftables.so.1";
	void *h;

	if (lib.nft_run_cmd_from_buffer)
		return 0;
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return brig_err_set(e, 0, "nftables: cannot load %s (package libnftables1): %s",
				    soname, dlerror());
#define X(f)                                                                                \
	if (!(*(void **)&lib.f = dlsym(h, #f))) {                                          \
		brig_err_set(e, 0, "nftables: %s has no symbol %s", soname, #f);           \
		memset(&lib, 0, sizeof(lib));                                               \
		dlclose(h);                                                                 \
		return -1;                                                                  \
	}
	NFT_FUNCS(X)
#undef X
	return 0;
}

/* In the process that removes rules for a stop (detached(), below), or
 * one that ends right after its changes (nft_sockets_at_exit): its
 * contexts are never freed, their sockets close when it exits. */
static bool in_detached;

void nft_sockets_at_exit(void)
{
	in_detached = true;
}

static void ctx_free(struct nft_ctx *ctx)
{
	if (!in_detached)
		lib.nft_ctx_free(ctx);
}

/* A libnftables context with buffered output and errors. */
static struct nft_ctx *ctx_new(unsigned int flags, struct brig_err *e)
{
	struct nft_ctx *ctx;

	if (lib_load(e) < 0)
		return NULL;
	ctx = lib.nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx) {
		brig_err_set(e, 0, "nftables: cannot create a context");
		return NULL;
	}
	lib.nft_ctx_output_set_flags(ctx, flags);
	lib.nft_ctx_buffer_output(ctx);
	lib.nft_ctx_buffer_error(ctx);
	return ctx;
}

/* The first line of libnftables' error buffer, for messages. */
static void set_nft_error(struct nft_ctx *ctx, struct brig_err *e, const char *what)
{
	const char *err = lib.nft_ctx_get_error_buffer(ctx);
	size_t len = err ? strcspn(err, "\n") : 0;

	brig_err_set(e, 0, "nftables: %s: %.*s", what, (int)len, len ? err : "failed");
}

/* Run cmds (already checked) in one transaction. */
static int run(const char *cmds, const char *what, struct brig_err *e)
{
	struct nft_ctx *ctx = ctx_new(0, e);
	int rc = 0;

	if (!ctx)
		return -1;
	if (lib.nft_run_cmd_from_buffer(ctx, cmds) != 0) {
		set_nft_error(ctx, e, what);
		rc = -1;
	}
	ctx_free(ctx);
	return rc;
}

/* Run fn(arg) in a detached process, and wait only for its result, not
 * for its end. A transaction that deletes anything (a rule, a chain, a
 * map element) leaves the old objects to be freed after an RCU grace
 * period, and the kernel makes whoever closes an nftables socket
 * meanwhile wait for it (nft_rcv_nl_event): 8-16 ms here, most of a vnet
 * stop. The objects are gone from the ruleset when the commit returns; so
 * fn runs in a child that writes its result, then exits, and its sockets
 * close without us. It is not waited for (proc_reap_later: a long-lived
 * process such as a jail's reaper stops jails again and again). It holds
 * none of our files (a lock, the caller's stdout). Any failure to set
 * that up: fn runs here. */
struct detached_job {
	int (*fn)(const void *arg, struct brig_err *e);
	const void *arg;
};

/* The detached child: fn, its success said at once, its failure reported
 * (sys/spawn.h); then it exits, its sockets closing without us. */
static int detached_run(void *arg, struct brig_err *e)
{
	const struct detached_job *j = arg;

	in_detached = true;
	if (j->fn(j->arg, e) < 0)
		return -1;
	spawn_started();
	/* Our sockets' release would flush the kernel's freeing of what we
	 * removed, an RCU grace period, holding the nftables commit lock:
	 * the next start's transaction (a restart's) would wait for it. A
	 * grace period waited for here first, holding nothing, leaves that
	 * flush nothing to wait for. Best effort. */
	syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
	return 0;
}

/* nft_keep_sockets: how many more removals may keep their sockets. */
static long keep_left;

void nft_keep_sockets(void)
{
	struct rlimit rl;

	/* The limit is not raised: the hooks a stop runs would inherit it.
	 * Up to two sockets a removal (libnftables' context), a margin for
	 * the rest of a stop. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	keep_left = rl.rlim_cur == RLIM_INFINITY ? 4096 : ((long)rl.rlim_cur - 256) / 2;
}

static int detached(int (*fn)(const void *arg, struct brig_err *e), const void *arg,
		    struct brig_err *e)
{
	struct detached_job j = { fn, arg };
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct spawn_child c;
	int rc;

	if (in_detached)
		return fn(arg, e);
	if (keep_left > 0) {
		keep_left--;
		in_detached = true;
		rc = fn(arg, e);
		in_detached = false;
		return rc;
	}
	o.fork = true;
	o.run = detached_run;
	o.arg = &j;
	o.name = "nftables: the process changing the rules";
	o.fds[0] = o.fds[1] = o.fds[2] = SPAWN_FD_NULL;
	o.nfds = 3;
	o.close_others = true;
	o.no_reap = true;
	rc = spawn(&o, &c, e);
	if (c.pid < 0)
		return fn(arg, e);
	proc_reap_later(c.pid);
	return rc;
}

int nft_run(const char *cmds, int create, struct brig_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (check_commands(cmds, e) < 0)
		return -1;
	if (create)
		sb_adds(&sb, table_layout);
	sb_adds(&sb, cmds);
	rc = run(sb.s ? sb.s : "", "changing table " NFT_TABLE, e);
	sb_free(&sb);
	return rc;
}

/* The listing of brig's table with rule handles; NULL (and no error) when
 * the table does not exist. */
static char *list_table(struct brig_err *e, int *rc)
{
	struct nft_ctx *ctx = ctx_new(NFT_CTX_OUTPUT_HANDLE, e);
	char *out = NULL;

	*rc = -1;
	if (!ctx)
		return NULL;
	if (lib.nft_run_cmd_from_buffer(ctx, "list table " NFT_TABLE) == 0) {
		out = xstrdup(lib.nft_ctx_get_output_buffer(ctx));
		*rc = 0;
	} else if (strstr(lib.nft_ctx_get_error_buffer(ctx), "No such file or directory")) {
		*rc = 0;
	} else {
		set_nft_error(ctx, e, "listing table " NFT_TABLE);
	}
	ctx_free(ctx);
	return out;
}

/* For each rule of the listing tagged `tag`, append "delete rule" to del
 * (if not NULL); return how many there are. */
static int tagged_rules(const char *listing, const char *tag, struct strbuf *del)
{
	cleanup_free char *needle = xasprintf("comment \"%s\" # handle ", tag);
	char chain[128] = "";
	int n = 0;

	for (const char *p = listing; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[4096];
		const char *s, *hit;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += nl ? len + 1 : len;
		s = line + strspn(line, " \t");
		if (sscanf(s, "chain %127s {", chain) == 1)
			continue;
		hit = strstr(s, needle);
		if (hit && chain[0]) {
			unsigned long long handle = strtoull(hit + strlen(needle), NULL, 10);

			if (del)
				sb_addf(del, "delete rule " NFT_TABLE " %s handle %llu\n", chain, handle);
			n++;
		}
	}
	return n;
}

static int bridge_table(struct brig_err *e);

static int replace_tag(const char *tag, const char *add, struct brig_err *e);

static int remove_tag(const void *tag, struct brig_err *e)
{
	return replace_tag(tag, NULL, e);
}

int nft_replace_tag(const char *tag, const char *add, struct brig_err *e)
{
	if (!add)
		return detached(remove_tag, tag, e);
	return replace_tag(tag, add, e);
}

static int replace_tag(const char *tag, const char *add, struct brig_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	cleanup_free char *listing = NULL;
	int rc;

	if (strchr(tag, '"') || strchr(tag, '\\') || strchr(tag, '\n'))
		return brig_err_set(e, 0, "nftables: bad rule tag \"%s\"", tag);
	if (add && (check_commands(add, e) < 0 || bridge_table(e) < 0))
		return -1;
	listing = list_table(e, &rc);
	if (rc < 0)
		return -1;
	if (!add && !listing)
		return 0;
	if (add)
		sb_adds(&sb, table_layout);
	tagged_rules(listing, tag, &sb);
	if (add)
		sb_adds(&sb, add);
	if (sb.len) {
		cleanup_free char *what = xasprintf("updating the rules of %s", tag);

		rc = run(sb.s, what, e);
	}
	sb_free(&sb);
	return rc;
}

int nft_count_tag(const char *tag, struct brig_err *e)
{
	cleanup_free char *listing = NULL;
	int rc;

	listing = list_table(e, &rc);
	if (rc < 0)
		return -1;
	return tagged_rules(listing, tag, NULL);
}

int nft_tags(const char *prefix, char ***out, size_t *n, struct brig_err *e)
{
	cleanup_free char *listing = NULL;
	cleanup_free char *needle = xasprintf("comment \"%s", prefix);
	char **v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	listing = list_table(e, &rc);
	if (rc < 0)
		return -1;
	for (const char *p = listing; p && (p = strstr(p, needle));) {
		const char *tag = p + strlen("comment \""), *end = strchr(tag, '"');
		char *t;
		bool seen = false;

		if (!end)
			break;
		t = xstrndup(tag, (size_t)(end - tag));
		p = end;
		for (size_t i = 0; i < len && !seen; i++)
			seen = strcmp(v[i], t) == 0;
		if (seen) {
			free(t);
			continue;
		}
		v = xgrow(v, &cap, len, sizeof(*v));
		v[len++] = t;
	}
	*out = v;
	*n = len;
	return 0;
}

char *nft_ruleset_json(struct brig_err *e)
{
	struct nft_ctx *ctx = ctx_new(NFT_CTX_OUTPUT_JSON, e);
	char *out = NULL;

	if (!ctx)
		return NULL;
	if (lib.nft_run_cmd_from_buffer(ctx, "list ruleset") == 0)
		out = xstrdup(lib.nft_ctx_get_output_buffer(ctx));
	else
		set_nft_error(ctx, e, "listing the ruleset");
	ctx_free(ctx);
	return out;
}

/* Make table bridge brig, its map and its dispatch rule, once per process
 * (an existing table is left as it is). Looked for first: a failed
 * transaction (`create` on an existing table) makes the kernel wait a
 * grace period, milliseconds at every start. */
static int bridge_table(struct brig_err *e)
{
	static bool done;
	struct nft_ctx *ctx;
	const char *err;
	bool have;
	int rc = 0;

	if (done)
		return 0;
	/* Mostly there: asked by hand, no libnftables run (its `list
	 * tables` fetches the whole ruleset, every port's chain included). */
	if (nft_raw_table_exists(NFPROTO_BRIDGE, "brig") == 1) {
		done = true;
		return 0;
	}
	if (!(ctx = ctx_new(0, e)))
		return -1;
	have = lib.nft_run_cmd_from_buffer(ctx, "list tables") == 0 &&
	       strstr(lib.nft_ctx_get_output_buffer(ctx), "table " NFT_BRIDGE_TABLE "\n");
	if (!have && lib.nft_run_cmd_from_buffer(ctx, bridge_layout) != 0) {
		/* Another brig made it meanwhile. */
		err = lib.nft_ctx_get_error_buffer(ctx);
		if (!err || !strstr(err, "File exists")) {
			set_nft_error(ctx, e, "creating table " NFT_BRIDGE_TABLE);
			rc = -1;
		}
	}
	ctx_free(ctx);
	done = rc == 0;
	return rc;
}

/* The chain of port: "port_NAME" when NAME is an nft identifier as it
 * stands, else its bytes in hex (interface names allow more). */
static void port_chain(const char *port, char *out, size_t size)
{
	bool plain = true;
	size_t n;

	for (const char *p = port; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			plain = false;
	if (plain) {
		snprintf(out, size, "port_%s", port);
		return;
	}
	n = (size_t)snprintf(out, size, "port_x");
	for (const unsigned char *p = (const unsigned char *)port; *p && n + 3 <= size; p++)
		n += (size_t)snprintf(out + n, size - n, "%02x", *p);
}

void nft_port_chain(const char *port, char *out, size_t size)
{
	port_chain(port, out, size);
}

/* The removal on a kernel without `destroy` (before 6.3), by libnftables. */
static int port_unset(const char *port, struct brig_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	char chain[64];
	int rc;

	if (bridge_table(e) < 0)
		return -1;
	port_chain(port, chain, sizeof(chain));
	/* Adding first makes the deletions succeed either way; the element
	 * goes before the chain it jumps to. */
	sb_addf(&sb, "add chain " NFT_BRIDGE_TABLE " %s\n"
		"add element " NFT_BRIDGE_TABLE " ports { \"%s\" : jump %s }\n"
		"delete element " NFT_BRIDGE_TABLE " ports { \"%s\" }\n"
		"delete chain " NFT_BRIDGE_TABLE " %s\n", chain, port, chain, port, chain);
	if (check_commands(sb.s, e) < 0) {
		sb_free(&sb);
		return -1;
	}
	{
		cleanup_free char *what = xasprintf("the filter of bridge port %s", port);

		rc = run(sb.s, what, e);
	}
	sb_free(&sb);
	return rc;
}

/* By hand where the kernel allows (sys/nft_raw.c), else by libnftables. */
static int port_remove(const void *arg, struct brig_err *e)
{
	const char *port = arg;
	char chain[64];

	if (!*port || strlen(port) > 15 || strpbrk(port, "\"\\\n"))
		return brig_err_set(e, 0, "nftables: bad bridge port \"%s\"", port);
	port_chain(port, chain, sizeof(chain));
	if (nft_raw_port_remove("brig", "ports", port, chain, in_detached, e) == 0)
		return 0;
	/* No table bridge brig (or no map in it): no port's filter either.
	 * (A crash right after the first filter of the host was recorded,
	 * before it was made; a `destroy` of what is missing is no error,
	 * but of what is in a missing table it is.) */
	if (e->errnum == ENOENT) {
		brig_err_clear(e);
		return 0;
	}
	if (e->errnum != EINVAL && e->errnum != EOPNOTSUPP)
		return -1;
	return port_unset(port, e);
}

/* Made by hand (sys/nft_raw.c): no libnftables on a start's path. */
int nft_port_set(const char *port, const char *tag, const char *rules, struct brig_err *e)
{
	char chain[64];

	if (!rules)
		return detached(port_remove, port, e);
	if (!*port || strlen(port) > 15 || strpbrk(port, "\"\\\n") || strpbrk(tag, "\"\\\n"))
		return brig_err_set(e, 0, "nftables: bad bridge port \"%s\"", port);
	port_chain(port, chain, sizeof(chain));
	/* The table is mostly there (made with the first port's filter):
	 * looked for only when the batch finds it missing. */
	if (nft_raw_port_set("brig", "ports", port, chain, tag, rules, in_detached, e) == 0)
		return 0;
	if (e->errnum != ENOENT || bridge_table(e) < 0)
		return -1;
	return nft_raw_port_set("brig", "ports", port, chain, tag, rules, in_detached, e);
}
