/* What the files of compose/ share while one compose file is mapped. */
#ifndef BRIG_COMPOSE_INTERNAL_H
#define BRIG_COMPOSE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "compose/compose.h"
#include "util/strbuf.h"

struct fy_node;

/* Bounds of what one compose file makes: its services, the aliases of a
 * service on a network, the size of a jail's /etc/hosts and of all of
 * them (each jail's names the others: it grows as services squared). */
#define CX_SERVICES_MAX 1000
#define CX_ALIASES_MAX 64
#define CX_HOSTS_MAX (1u << 20)
#define CX_HOSTS_TOTAL_MAX (32u << 20)

struct cx_net {
	char *name;		/* the compose name */
	char *bridge;		/* the bridge's name (15 bytes at most) */
	uint32_t base;		/* the subnet, host order */
	int prefix;
	uint32_t next;		/* the next jail's host part */
	bool internal;
	bool declared;		/* its subnet is the file's (ipam config) */
	uint8_t base6[16];	/* its IPv6 subnet, when the file declares one */
	int prefix6;		/* 0: IPv4 only */
	uint64_t next6;		/* the next jail's IPv6 host part */
	struct fy_node *subnet6;
	struct fy_node *subnet;	/* where the file declares it */
	char *skipped;		/* an allocated one: the first subnet passed
				 * over, and why ("10.89.4.0/24: in use by ...") */
	bool used;
};

/* A service on a network: its address there (host order, 0: none) and
 * its aliases there. */
struct cx_att {
	struct cx_net *net;
	uint32_t addr;
	uint8_t addr6[16];	/* on a network with IPv6 */
	bool has6;
	char **aliases;
	size_t naliases;
	/* Its ipv4_address and ipv6_address, of the last layer (extends)
	 * that has them, and that layer's file: checked once all are read. */
	struct fy_node *fix4, *fix6;
	const char *fix4_file, *fix6_file;
};

struct cx_vol {
	char *name;
	char *dir;		/* STORE/volumes/P_NAME */
};

struct cx_svc {
	char *name;
	struct strbuf conf;
	char **deps;		/* the services it depends on */
	char *tmpl;		/* its template, NULL without an image */
	char *alias;		/* its container_name, another name of its
				 * address in the project's /etc/hosts */
	struct strbuf extra_hosts;	/* its extra_hosts: "IP\tNAME\n" lines */
	struct cx_att *att;	/* its networks, in the file's order */
	size_t natt;
	struct fy_node **cap_add, **cap_drop;	/* each layer's (extends) */
	size_t ncap_add, ncap_drop;
	struct strbuf resolv;	/* its dns: "nameserver ADDR\n" lines */
	struct strbuf resolv_search, resolv_opts;	/* "search A B", "options X" */
	size_t nns;
	size_t ndeps;
};

/* A file extends reads (extends.c). */
struct cx_doc {
	struct fy_document *doc;
	char *file, *dir;
};

/* One layer of a service: its mapping, read as of file, in dir. */
struct cx_layer {
	struct fy_node *svc;
	const char *file, *dir;
};

struct cx {
	const char *file, *images, *storedir;
	struct fy_node *services;	/* the file's services, those left out too */
	const char *dir;	/* the compose file's directory, absolute */
	compose_lookup_fn lookup;
	void *ctx;
	compose_image_fn image;
	void *image_ctx;
	const struct compose_used *used;
	size_t nused;
	char *project;
	struct strbuf unsup;
	size_t nunsup;
	struct cx_svc *svc;
	size_t nsvc;
	struct cx_net *net;
	size_t nnet;
	struct cx_vol *vol;
	size_t nvol;
	bool text_only;		/* compose_import_text: no other file is read */
	struct cx_doc *docs;	/* the files extends reads */
	size_t ndocs;
	char *const *profiles;	/* --profile */
	size_t nprofiles;
	struct strbuf notes;
	char err[512];
};

int cx_line(struct fy_node *n);
/* An error that stops the import (the first one is kept in c->err):
 * FILE:LINE:COL: WHERE: WHY. */
void cx_fail(struct cx *c, struct fy_node *at, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cx_unsup(struct cx *c, struct fy_node *at, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
char *cx_str(struct cx *c, struct fy_node *n, const char *where);
void cx_param(struct strbuf *sb, const char *name, const char *v);
void cx_param_list(struct strbuf *sb, const char *name, char *const *v, size_t n);
bool cx_name_ok(const char *s);
void cx_strv_push(char ***v, size_t *n, char *s);
void cx_strv_free(char **v, size_t n);

/* networks.c */
void cx_networks(struct cx *c, struct fy_node *networks);
void cx_volumes(struct cx *c, struct fy_node *volumes);
struct cx_net *cx_net_get(struct cx *c, const char *name);
char *cx_networks_conf(struct cx *c);
/* What the import chose for the networks the services use (allocated
 * subnets, and what was passed over), or NULL. */
char *cx_networks_notes(struct cx *c);
/* KEY=value lines of dir/name into kv; a missing file is no error when
 * optional. */
int cx_env_file(const char *dir, const char *name, char ***kv, size_t *n, char *err,
		size_t errlen, bool optional);

/* compose.c: a compose file's document (bounded, UTF-8, aliases
 * bounded), or NULL and err. */
struct fy_document *cx_doc_load(const char *path, char *err, size_t errlen);

/* extends.c: the layers of service name (svc, in services), the deepest
 * base first, the service itself last (*v malloc'd); -1 and c->err. */
int cx_extends(struct cx *c, struct fy_node *services, struct fy_node *svc, const char *name,
	       struct cx_layer **v, size_t *n);

/* services.c */
int cx_services(struct cx *c, struct fy_node *services);

/* svcopts.c: cap_add and cap_drop as allow.* lines of out; dns,
 * dns_search, dns_opt (key) into s; the jail's resolv.conf (NULL: none:
 * the template's stays); sysctls, listed. */
void cx_caps(struct cx *c, struct cx_svc *s, struct strbuf *out);
void cx_dns(struct cx *c, struct cx_svc *s, struct fy_node *v, const char *key, const char *where);
char *cx_resolv(struct cx *c, struct cx_svc *s);
void cx_sysctls(struct cx *c, struct fy_node *v, const char *where);

/* svcnet.c: a service's networks (nets: its `networks:`, has: whether it
 * has one; called once per layer of extends that has one, the deepest
 * first: a network an earlier layer named is merged into, its address
 * replaced, its aliases added to) into s->att, fixed addresses checked (c->err set on a bad
 * one); then every service's other addresses; the service's vnet
 * parameters; the /etc/hosts of its jail (caller frees). */
void cx_svc_networks(struct cx *c, struct cx_svc *s, struct fy_node *nets, bool has);
void cx_svc_fixed(struct cx *c, struct cx_svc *s);
void cx_svc_addresses(struct cx *c);
void cx_svc_network_conf(struct cx_svc *s, struct strbuf *out);
char *cx_hosts(const struct cx *c, const struct cx_svc *me);

#endif
