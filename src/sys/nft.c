/* nftables: brig's table, rules added and removed by tag. */
#include "sys/nft.h"

#include <dlfcn.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/strbuf.h"

/* The tables and their base chains. `add` leaves existing ones alone, so
 * this runs before every change; the set holds the bridges brig manages
 * (for isolation rules). Chains accept by default: brig adds NAT, drops
 * traffic between isolated bridges, from jails to the host where a bridge
 * says so (input), and at a jail's bridge port what the jail may not send
 * (bridge brig's ports chain jumps to one chain per port, so a frame meets
 * its own port's rules alone). */
static const char table_layout[] =
	"add table " NFT_TABLE "\n"
	"add set " NFT_TABLE " bridges { type ifname; }\n"
	"add chain " NFT_TABLE " prerouting { type nat hook prerouting priority dstnat; policy accept; }\n"
	"add chain " NFT_TABLE " output { type nat hook output priority -100; policy accept; }\n"
	"add chain " NFT_TABLE " postrouting { type nat hook postrouting priority srcnat; policy accept; }\n"
	"add chain " NFT_TABLE " forward { type filter hook forward priority filter; policy accept; }\n"
	"add chain " NFT_TABLE " input { type filter hook input priority filter; policy accept; }\n"
	"add table " NFT_BRIDGE_TABLE "\n"
	"add chain " NFT_BRIDGE_TABLE " ports { type filter hook prerouting priority filter; policy accept; }\n";

/* The only commands brig sends: each names one of brig's tables right
 * after its verb and object. A generated command that does not is a bug,
 * refused here so that it can never reach another table. */
static bool command_allowed(const char *line, size_t len)
{
	static const char *const verbs[] = { "add rule ", "insert rule ", "delete rule ",
					     "add element ", "delete element ", "add table ",
					     "add set ", "add chain ", "delete chain " };
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
	lib.nft_ctx_free(ctx);
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

/* The listing of one of brig's tables with rule handles; NULL (and no
 * error) when the table does not exist. */
static char *list_table(const char *table, struct brig_err *e, int *rc)
{
	struct nft_ctx *ctx = ctx_new(NFT_CTX_OUTPUT_HANDLE, e);
	cleanup_free char *cmd = xasprintf("list table %s", table);
	char *out = NULL;

	*rc = -1;
	if (!ctx)
		return NULL;
	if (lib.nft_run_cmd_from_buffer(ctx, cmd) == 0) {
		out = xstrdup(lib.nft_ctx_get_output_buffer(ctx));
		*rc = 0;
	} else if (strstr(lib.nft_ctx_get_error_buffer(ctx), "No such file or directory")) {
		*rc = 0;
	} else {
		cleanup_free char *what = xasprintf("listing table %s", table);

		set_nft_error(ctx, e, what);
	}
	lib.nft_ctx_free(ctx);
	return out;
}

/* What one listing of table holds for tag: "delete rule" for each tagged
 * rule (del_rules) and "delete chain" for each tagged chain (del_chains,
 * its own rules go with it), when those are not NULL; returns how many
 * rules carry the tag. A chain's tag is the comment on the line after its
 * header. */
static int tagged(const char *listing, const char *table, const char *tag,
		  struct strbuf *del_rules, struct strbuf *del_chains)
{
	cleanup_free char *needle = xasprintf("comment \"%s\" # handle ", tag);
	cleanup_free char *chain_tag = xasprintf("comment \"%s\"", tag);
	char chain[128] = "";
	bool header = false, chain_tagged = false;
	int n = 0;

	for (const char *p = listing; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[4096];
		const char *s, *hit;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += nl ? len + 1 : len;
		s = line + strspn(line, " \t");
		if (sscanf(s, "chain %127s {", chain) == 1) {
			header = true;
			chain_tagged = false;
			continue;
		}
		if (header && !strcmp(s, chain_tag)) {
			chain_tagged = true;
			if (del_chains)
				sb_addf(del_chains, "delete chain %s %s\n", table, chain);
		}
		header = false;
		hit = strstr(s, needle);
		if (hit && chain[0]) {
			unsigned long long handle = strtoull(hit + strlen(needle), NULL, 10);

			if (del_rules && !chain_tagged)
				sb_addf(del_rules, "delete rule %s %s handle %llu\n", table, chain,
					handle);
			n++;
		}
	}
	return n;
}

int nft_replace_tag(const char *tag, const char *add, struct brig_err *e)
{
	static const char *const tables[] = { NFT_TABLE, NFT_BRIDGE_TABLE };
	struct strbuf sb = STRBUF_INIT, chains = STRBUF_INIT;
	bool any = false;
	int rc = 0;

	if (strchr(tag, '"') || strchr(tag, '\\') || strchr(tag, '\n'))
		return brig_err_set(e, 0, "nftables: bad rule tag \"%s\"", tag);
	if (add && check_commands(add, e) < 0)
		return -1;
	if (add)
		sb_adds(&sb, table_layout);
	/* Rules first: a tagged chain can go once the jumps to it are gone. */
	for (size_t i = 0; rc == 0 && i < sizeof(tables) / sizeof(tables[0]); i++) {
		cleanup_free char *listing = list_table(tables[i], e, &rc);

		any = any || listing;
		tagged(listing, tables[i], tag, &sb, &chains);
	}
	if (rc == 0 && (add || any)) {
		sb_adds(&sb, chains.s ? chains.s : "");
		if (add)
			sb_adds(&sb, add);
	}
	if (rc == 0 && sb.len) {
		cleanup_free char *what = xasprintf("updating the rules of %s", tag);

		rc = run(sb.s, what, e);
	}
	sb_free(&chains);
	sb_free(&sb);
	return rc;
}

int nft_count_tag(const char *tag, struct brig_err *e)
{
	static const char *const tables[] = { NFT_TABLE, NFT_BRIDGE_TABLE };
	int n = 0, rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(tables) / sizeof(tables[0]); i++) {
		cleanup_free char *listing = list_table(tables[i], e, &rc);

		n += tagged(listing, tables[i], tag, NULL, NULL);
	}
	return rc < 0 ? -1 : n;
}
