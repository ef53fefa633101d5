/* Unit tests of compose/: interpolation, and a compose file's mapping to
 * jail.conf.d and networks.conf.d text (compose_import_text: no .env, no
 * file system). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose/compose.h"

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "SET"))
		return "value";
	if (!strcmp(name, "EMPTY"))
		return "";
	if (!strcmp(name, "DOLLAR"))
		return "$x";
	return NULL;
}

static char *interp(const char *in)
{
	char *out = NULL;
	const char *why = NULL;

	if (compose_interp(in, lookup, NULL, &out, &why) < 0) {
		assert_non_null(why);
		return NULL;
	}
	return out;
}

#define EXPECT(in, want) do { \
		char *got_ = interp(in); \
		assert_non_null(got_); \
		assert_string_equal(got_, want); \
		free(got_); \
	} while (0)
#define REFUSED(in) assert_null(interp(in))

static void test_interp(void **state)
{
	(void)state;
	EXPECT("plain", "plain");
	EXPECT("$SET", "value");
	EXPECT("${SET}", "value");
	EXPECT("a${SET}b$SET.c", "avalueb" "value.c");
	EXPECT("${UNSET}", "");
	EXPECT("$UNSET-x", "-x");
	EXPECT("${UNSET:-def}", "def");
	EXPECT("${UNSET-def}", "def");
	EXPECT("${EMPTY:-def}", "def");
	EXPECT("${EMPTY-def}", "");
	EXPECT("${SET:-def}", "value");
	EXPECT("${UNSET:-${SET}}", "value");
	EXPECT("${UNSET:-a${UNSET2:-b}c}", "abc");
	EXPECT("${SET:+alt}", "alt");
	EXPECT("${EMPTY:+alt}", "");
	EXPECT("${EMPTY+alt}", "alt");
	EXPECT("${SET:?must}", "value");
	EXPECT("$$", "$");
	EXPECT("$${SET}", "${SET}");
	EXPECT("a $$b $$$SET", "a $b $value");
	/* A value is not interpolated again. */
	EXPECT("${DOLLAR}", "$x");
	REFUSED("${UNSET:?must}");
	REFUSED("${UNSET?must}");
	REFUSED("${EMPTY:?must}");
	REFUSED("${");
	REFUSED("${SET");
	REFUSED("${}");
	REFUSED("${1x}");
	REFUSED("${SET:x}");
	REFUSED("trailing $");
	REFUSED("$ space");
}

static void test_project_name(void **state)
{
	char *p;

	(void)state;
	p = compose_project_name("My App.2");
	assert_string_equal(p, "myapp2");
	free(p);
	p = compose_project_name("_-x_y");
	assert_string_equal(p, "x_y");
	free(p);
	assert_null(compose_project_name("../.."));
	assert_null(compose_project_name(""));
}

static struct compose_result r;

/* The image of template "img" (the others: unknown). */
static const struct compose_image *image(void *ctx, const char *template)
{
	static char *ep[] = { "/entry", "--flag" }, *cmd[] = { "serve", "a b" },
		    *env[] = { "PATH=/bin", "KEEP=image", "OVER=image" };
	static const struct compose_image im = {
		.entrypoint = ep, .nentrypoint = 2, .cmd = cmd, .ncmd = 2, .env = env, .nenv = 3,
		.workdir = "/img", .user = "1000", .stop_signal = "SIGQUIT",
	};

	(void)ctx;
	return !strcmp(template, "img") ? &im : NULL;
}

static int import(const char *yaml)
{
	struct compose_opts o = { .file = "c.yml", .project = "p", .storedir = "/store",
				  .lookup = lookup, .image = image };
	char err[512];
	int rc;

	compose_result_free(&r);
	rc = compose_import_text(&o, yaml, strlen(yaml), &r, err, sizeof(err));
	if (rc < 0)
		printf("# %s\n", err);
	return rc;
}

static const char *file(const char *path)
{
	for (size_t i = 0; i < r.nfiles; i++)
		if (!strcmp(r.files[i].path, path))
			return r.files[i].text;
	fail_msg("no file %s", path);
	return NULL;
}

static void has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("missing: %s\nin:\n%s", want, text);
}

static void test_map(void **state)
{
	const char *web, *db, *nets;

	(void)state;
	assert_int_equal(import(
		"x-env: &env\n"
		"  TZ: ${UNSET:-UTC}\n"
		"services:\n"
		"  db:\n"
		"    image: postgres:15\n"
		"    environment:\n"
		"      <<: *env\n"
		"      PW: ${SET}\n"
		"      LIT: \"a $$b\"\n"
		"    volumes: [\"data:/var/lib/db\"]\n"
		"    networks: [back]\n"
		"    mem_limit: 512m\n"
		"    cpus: 1.5\n"
		"    pids_limit: 64\n"
		"  web:\n"
		"    image: busybox\n"
		"    command: [\"httpd\", \"-f\", \"-h\", \"/srv www\"]\n"
		"    working_dir: /srv\n"
		"    user: \"1000\"\n"
		"    depends_on: [db]\n"
		"    ports:\n"
		"      - \"8080:80\"\n"
		"      - \"127.0.0.1:5353:53/udp\"\n"
		"      - \"9000-9001:9000-9001\"\n"
		"      - target: 443\n"
		"        published: 8443\n"
		"        host_ip: 127.0.0.1\n"
		"    volumes:\n"
		"      - /srv/html:/usr/share/html:ro\n"
		"    healthcheck: {test: [\"CMD\", \"true\"]}\n"
		"    networks: [front, back]\n"
		"networks:\n"
		"  back: {internal: true}\n"
		"  front:\n"
		"    ipam: {config: [{subnet: 172.28.5.0/24}]}\n"
		"volumes:\n"
		"  data: {}\n"), 0);
	assert_int_equal(r.nfiles, 3);
	assert_int_equal(r.njails, 2);
	db = file("jail.conf.d/p_db.conf");
	web = file("jail.conf.d/p_web.conf");
	nets = file("networks.conf.d/p.conf");
	has(db, "\np_db {\n\thost.hostname = \"db\";\n");
	has(db, "\texec.env = \"TZ=UTC\",\n\t    \"PW=value\",\n\t    \"LIT=a \\$b\";\n");
	has(db, "\tvnet.bridge = \"p_back\";\n");
	has(db, "\tmount = \"/store/volumes/p_data ${path}/var/lib/db nullfs rw 0 0\";\n");
	has(db, "\trctl = \"memoryuse:deny=536870912\",\n\t    \"pcpu:deny=150\",\n"
		"\t    \"maxproc:deny=64\";\n");
	/* internal: no default route, no NAT. */
	assert_null(strstr(db, "defaultrouter"));
	has(web, "\texec.service = \"httpd\",\n\t    \"-f\",\n\t    \"-h\",\n\t    \"/srv www\";\n");
	assert_null(strstr(web, "\tcommand"));
	has(web, "\texec.workdir = \"/srv\";\n\texec.jail_user = \"1000\";\n");
	has(web, "\tdepend = \"p_db\";\n");
	has(web, "\trdr = \"tcp 8080 80\",\n\t    \"udp 127.0.0.1:5353 53\",\n\t    \"tcp 9000 9000\",\n"
		 "\t    \"tcp 9001 9001\",\n\t    \"tcp 127.0.0.1:8443 443\";\n");
	/* Two networks: a veth pair on each bridge, an address on each. */
	has(web, "\tvnet.bridge = \"p_front\",\n\t    \"p_back\";\n");
	has(web, "\tip4.addr = \"172.28.5.2/24\",\n\t    \"p_back|10.");
	has(web, ".3/24\";\n\tip4.defaultrouter = \"172.28.5.1\";\n");
	has(web, "\tmount = \"/srv/html ${path}/usr/share/html nullfs ro 0 0\";\n");
	has(nets, "p_back {\n\tip4.addr = \"");
	has(nets, "p_front {\n\tip4.addr = \"172.28.5.1/24\";\n\tnat;\n");
	assert_null(strstr(nets, "p_default"));
	/* What is not mapped, with its line. */
	assert_non_null(r.unsupported);
	has(r.unsupported, "c.yml:30: services.web.healthcheck: brig runs no health checks\n");
	assert_int_equal(r.nunsupported, 1);
	assert_int_equal(r.nvolumes, 1);
	assert_string_equal(r.volumes[0], "/store/volumes/p_data");
}

/* What a hostile file cannot do: expand anything in jail.conf, mount a
 * path it does not name, name a jail or a file outside the project. */
static void test_hostile(void **state)
{
	const char *t;

	(void)state;
	assert_int_equal(import(
		"services:\n"
		"  a:\n"
		"    image: x\n"
		"    command: 'echo ${SET:+$${path}} \"; exec.prestart = \"/bin/evil'\n"
		"    environment: [\"A=\\\";\\n}\\nevil {\"]\n"
		"    volumes:\n"
		"      - '/etc:/../../etc'\n"
		"      - 'rel:/x'\n"
		"      - '~/x:/y'\n"
		"      - '/a b:/y'\n"
		"    ports: ['1:2:3:4']\n"), 0);
	t = file("jail.conf.d/p_a.conf");
	/* A string with shell characters: run by /bin/sh -c (Compose splits
	 * it as a shell would). */
	has(t, "\texec.service = \"/bin/sh\",\n\t    \"-c\",\n"
	       "\t    \"echo \\${path} \\\"; exec.prestart = \\\"/bin/evil\";\n");
	has(t, "\texec.env = \"A=\\\";\\n}\\nevil {\";\n");
	assert_null(strstr(t, "mount"));
	assert_null(strstr(t, "rdr"));
	assert_int_equal(r.nunsupported, 5);
	/* A service name that is not a plain name is refused. */
	assert_int_equal(import("services:\n  ../x:\n    image: y\n"), -1);
	assert_int_equal(import("services:\n  'a b':\n    image: y\n"), -1);
	assert_int_equal(import("- not a mapping\n"), -1);
	assert_int_equal(import("services: {}\n"), -1);
	assert_int_equal(import("{{{"), -1);
	/* Aliases that expand a billion times are refused before they are. */
	assert_int_equal(import(
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
		"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
		"services: {x: {image: y, command: *i}}\n"), -1);
}

static int done(void **state)
{
	(void)state;
	compose_result_free(&r);
	return 0;
}

/* What a service leaves out comes from its image, as Docker merges it:
 * the service's entrypoint drops the image's Cmd; environment adds to the
 * image's Env (a name in both is the service's); working_dir, user and
 * stop_signal the service's, else the image's. */
static void test_image(void **state)
{
	const char *t;

	(void)state;
	assert_int_equal(import(
		"services:\n"
		"  plain: {image: img}\n"
		"  cmd: {image: img, command: [run, x], environment: {OVER: svc, NEW: n}}\n"
		"  ep: {image: img, entrypoint: /bin/other, working_dir: /w, user: app}\n"
		"  unknown: {image: other}\n"), 0);
	t = file("jail.conf.d/p_plain.conf");
	has(t, "\texec.env = \"PATH=/bin\",\n\t    \"KEEP=image\",\n\t    \"OVER=image\";\n");
	has(t, "\texec.service = \"/entry\",\n\t    \"--flag\",\n\t    \"serve\",\n\t    \"a b\";\n");
	has(t, "\texec.workdir = \"/img\";\n\texec.jail_user = \"1000\";\n"
	       "\texec.stop.signal = \"SIGQUIT\";\n");
	t = file("jail.conf.d/p_cmd.conf");
	has(t, "\texec.env = \"PATH=/bin\",\n\t    \"KEEP=image\",\n\t    \"OVER=svc\",\n"
	       "\t    \"NEW=n\";\n");
	has(t, "\texec.service = \"/entry\",\n\t    \"--flag\",\n\t    \"run\",\n\t    \"x\";\n");
	t = file("jail.conf.d/p_ep.conf");
	has(t, "\texec.service = \"/bin/other\";\n");
	has(t, "\texec.workdir = \"/w\";\n\texec.jail_user = \"app\";\n");
	t = file("jail.conf.d/p_unknown.conf");
	assert_null(strstr(t, "exec.service"));
	assert_null(strstr(t, "exec.env"));
}

/* container_name: another name of the service's address in /etc/hosts;
 * ulimits: their hard limits as rctl rules, what has no jail-wide limit
 * or a soft limit that differs listed. */
static void test_names_limits(void **state)
{
	const char *t;

	(void)state;
	assert_int_equal(import(
		"services:\n"
		"  db:\n"
		"    image: x\n"
		"    container_name: my-db\n"
		"    ulimits:\n"
		"      nofile: {soft: 1024, hard: 4096}\n"
		"      core: 0\n"
		"      memlock: -1\n"
		"      nproc: 100\n"
		"      stack: lots\n"
		"    extra_hosts: [\"somehost:162.242.195.82\", \"v6=::1\", \"h6:::2\", \"bad:999.1.1.1\"]\n"
		"  web: {image: x, container_name: \"a b\", extra_hosts: {other: \"[fe80::1]\"}}\n"), 0);
	t = file("jail.conf.d/p_db.conf");
	has(t, "\trctl = \"openfiles:deny=4096\",\n\t    \"coredumpsize:deny=0\";\n");
	has(r.hosts[0], "\tdb p_db my-db\n");
	has(r.hosts[1], "\tdb p_db my-db\n");
	has(r.hosts[0], "\tweb p_web\n");
	assert_non_null(strstr(r.unsupported, "nofile: soft limit 1024 not kept"));
	assert_non_null(strstr(r.unsupported, "nproc: no jail-wide limit"));
	assert_non_null(strstr(r.unsupported, "stack: \"lots\" is not a number"));
	assert_non_null(strstr(r.unsupported, "services.web.container_name: not a host name"));
	/* extra_hosts: lines of that jail's /etc/hosts alone. */
	has(r.hosts[0], "\tweb p_web\n162.242.195.82\tsomehost\n::1\tv6\n::2\th6\n");
	assert_null(strstr(r.hosts[1], "somehost"));
	has(r.hosts[1], "\tweb p_web\nfe80::1\tother\n");
	assert_non_null(strstr(r.unsupported, "bad: \"999.1.1.1\" is not an IP address"));
	assert_int_equal(r.nunsupported, 5);
}

/* A service on several networks: a veth pair and an address on each;
 * aliases and fixed addresses per network; each jail's /etc/hosts names
 * the services it shares a network with, at their address there. */
static void test_networks(void **state)
{
	const char *proxy, *web, *db;
	char err[512];
	struct compose_opts o = { .file = "c.yml", .project = "p", .storedir = "/store",
				  .lookup = lookup };
	struct compose_result bad = { 0 };
	static const struct {
		const char *yaml, *err;
	} refused[] = {
		{ "services:\n  a:\n    image: x\n    networks:\n      n: {ipv4_address: 10.1.0.5}\n"
		  "networks:\n  n: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n",
		  "c.yml:5:25: services.a.networks.n.ipv4_address: 10.1.0.5 is not in network n's "
		  "subnet 10.2.0.0/24" },
		{ "services:\n  a:\n    image: x\n    networks:\n      n:\n        ipv4_address: 10.2.0.1\n"
		  "networks:\n  n: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n",
		  "c.yml:6:23: services.a.networks.n.ipv4_address: 10.2.0.1 is network n's gateway "
		  "address" },
		{ "services:\n  a:\n    image: x\n    networks: {n: {ipv4_address: 10.2.0.255}}\n"
		  "networks:\n  n: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n",
		  "broadcast address" },
		{ "services:\n  a:\n    image: x\n    networks: {n: {ipv4_address: nope}}\n"
		  "networks:\n  n: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n",
		  "c.yml:4:34: services.a.networks.n.ipv4_address: \"nope\" is not an IPv4 address" },
		{ "services:\n  a:\n    image: x\n    networks: {n: {ipv4_address: 10.2.0.9}}\n"
		  "  b:\n    image: x\n    networks: {n: {ipv4_address: 10.2.0.9}}\n"
		  "networks:\n  n: {ipam: {config: [{subnet: 10.2.0.0/24}]}}\n",
		  "c.yml:7:34: services.b.networks.n.ipv4_address: 10.2.0.9 is another service's "
		  "address on network n" },
		{ "services:\n  a:\n    image: x\n    networks: {n: {ipv4_address: 10.2.0.9}}\n"
		  "networks:\n  n: {}\n",
		  "network n declares no subnet" },
		{ "services:\n  a:\n    image: x\n    networks: {n: {ipv6_address: \"fd01::9\"}}\n"
		  "networks:\n  n: {ipam: {config: [{subnet: \"fd00::/64\"}]}}\n",
		  "c.yml:4:35: services.a.networks.n.ipv6_address: fd01::9 is not in network n's IPv6 "
		  "subnet" },
		{ "services:\n  a:\n    image: x\n    networks: {n: {ipv6_address: \"fd00::1\"}}\n"
		  "networks:\n  n: {ipam: {config: [{subnet: \"fd00::/64\"}]}}\n",
		  "fd00::1 is network n's gateway address" },
		{ "services:\n  a:\n    image: x\n    networks: {n: {ipv6_address: \"fd00::9\"}}\n"
		  "networks:\n  n: {}\n",
		  "fd00::9: network n declares no IPv6 subnet" },
	};

	(void)state;
	assert_int_equal(import(
		"services:\n"
		"  proxy:\n"
		"    image: x\n"
		"    networks: [front]\n"
		"  web:\n"
		"    image: x\n"
		"    container_name: the-web\n"
		"    networks:\n"
		"      front:\n"
		"        aliases: [www, site]\n"
		"      back:\n"
		"        aliases: [app]\n"
		"        ipv4_address: 10.7.0.2\n"
		"  db:\n"
		"    image: x\n"
		"    networks:\n"
		"      back:\n"
		"        ipv6_address: fd00:7::5\n"
		"networks:\n"
		"  front: {ipam: {config: [{subnet: 10.6.0.0/24}]}}\n"
		"  back:\n"
		"    internal: true\n"
		"    ipam: {config: [{subnet: 10.7.0.0/24}, {subnet: \"fd00:7::/64\"}]}\n"), 0);
	proxy = file("jail.conf.d/p_proxy.conf");
	web = file("jail.conf.d/p_web.conf");
	db = file("jail.conf.d/p_db.conf");
	has(proxy, "\tvnet.bridge = \"p_front\";\n\tip4.addr = \"10.6.0.2/24\";\n"
		   "\tip4.defaultrouter = \"10.6.0.1\";\n");
	has(web, "\tvnet;\n\tvnet.bridge = \"p_front\",\n\t    \"p_back\";\n"
		 "\tip4.addr = \"10.6.0.3/24\",\n\t    \"p_back|10.7.0.2/24\";\n"
		 "\tip6.addr = \"p_back|fd00:7::2/64\";\n\tip4.defaultrouter = \"10.6.0.1\";\n");
	assert_null(strstr(web, "ip6.defaultrouter"));
	/* The fixed address is kept from the others: db takes the next. */
	has(db, "\tvnet.bridge = \"p_back\";\n\tip4.addr = \"10.7.0.3/24\";\n"
		"\tip6.addr = \"fd00:7::5/64\";\n");
	assert_null(strstr(db, "defaultrouter"));
	/* IPv6 on back only: web's is on back's interface, by its bridge. */
	has(web, "\tip6.addr = \"p_back|fd00:7::2/64\";\n");
	has(file("networks.conf.d/p.conf"), "p_back {\n\tip4.addr = \"10.7.0.1/24\";\n"
	    "\tip6.addr = \"fd00:7::1/64\";\n");
	/* proxy sees web on front (with front's aliases), not db. */
	has(r.hosts[0], "10.6.0.2\tproxy p_proxy\n10.6.0.3\tweb p_web the-web www site\n");
	assert_null(strstr(r.hosts[0], "db"));
	assert_null(strstr(r.hosts[0], "app"));
	/* web sees proxy on front, db on back, itself on both. */
	has(r.hosts[1], "10.6.0.2\tproxy p_proxy\n"
			"10.6.0.3\tweb p_web the-web www site\n10.7.0.2\tapp\nfd00:7::2\tapp\n"
			"10.7.0.3\tdb p_db\nfd00:7::5\tdb p_db\n");
	/* db sees web at its back address with back's alias only. */
	has(r.hosts[2], "10.7.0.2\tweb p_web the-web app\nfd00:7::2\tweb p_web the-web app\n"
			"10.7.0.3\tdb p_db\nfd00:7::5\tdb p_db\n");
	assert_null(strstr(r.hosts[0], "fd00"));
	assert_null(strstr(r.hosts[2], "proxy"));
	assert_null(strstr(r.hosts[2], "www"));
	assert_null(r.unsupported);

	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		err[0] = '\0';
		assert_int_equal(compose_import_text(&o, refused[i].yaml, strlen(refused[i].yaml),
						     &bad, err, sizeof(err)), -1);
		if (!strstr(err, refused[i].err))
			fail_msg("case %zu: want \"%s\" in \"%s\"", i, refused[i].err, err);
	}
}

/* New networks' subnets are allocated apart from the host's (its links',
 * other projects' networks.conf.d), the project's own bridges aside; a
 * declared subnet the host uses is refused at FILE:LINE:COL. */
static void test_host_subnets(void **state)
{
	static const char yaml[] = "services:\n  a: {image: x}\n";
	static const char decl[] = "services:\n  a: {image: x, networks: [n]}\n"
				   "networks:\n  n:\n    ipam: {config: [{subnet: 10.5.0.0/16}]}\n";
	struct compose_used used[2] = { 0 };
	struct compose_opts o = { .file = "c.yml", .project = "p", .storedir = "/store",
				  .lookup = lookup, .used = used };
	char err[512], want[160];
	unsigned x, y;

	(void)state;
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, yaml, strlen(yaml), &r, err, sizeof(err)), 0);
	assert_non_null(r.notes);
	assert_int_equal(sscanf(r.notes, "network default: bridge p_default, subnet 10.89.%u.0/24 "
				"allocated\n", &x), 1);
	/* The host has it (a link's address in it): the next one, and why. */
	used[0] = (struct compose_used){ "eth0", "interface eth0 of the host", 0x0a590000u | x << 8 | 7, 24 };
	o.nused = 1;
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, yaml, strlen(yaml), &r, err, sizeof(err)), 0);
	y = (x + 1) % 256;
	snprintf(want, sizeof(want), "network default: bridge p_default, subnet 10.89.%u.0/24 allocated "
		 "(10.89.%u.0/24 overlaps 10.89.%u.7/24 of interface eth0 of the host)\n", y, x, x);
	assert_string_equal(r.notes, want);
	snprintf(want, sizeof(want), "\tip4.addr = \"10.89.%u.2/24\";\n", y);
	has(file("jail.conf.d/p_a.conf"), want);
	/* A wider one of another project's networks.conf.d: past it too. */
	used[1] = (struct compose_used){ "q_back", "bridge q_back of networks.conf", 0x0a590001u | y << 8, 24 };
	o.nused = 2;
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, yaml, strlen(yaml), &r, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "subnet 10.89.%u.0/24 allocated (10.89.%u.0/24 overlaps", (y + 1) % 256, x);
	has(r.notes, want);
	/* The project's own bridge (an earlier import's) does not count. */
	used[0].owner = "p_default";
	o.nused = 1;
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, yaml, strlen(yaml), &r, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "subnet 10.89.%u.0/24 allocated\n", x);
	has(r.notes, want);
	/* A declared subnet the host uses: refused, where it is declared. */
	used[0] = (struct compose_used){ "br0", "bridge br0 of networks.conf", 0x0a050300u | 1, 24 };
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, decl, strlen(decl), &r, err, sizeof(err)), -1);
	assert_string_equal(err, "c.yml:5:30: networks.n.ipam.config.subnet: 10.5.0.0/16 overlaps "
			    "10.5.3.1/24 of bridge br0 of networks.conf");
	/* A declared one is kept and not in the notes. */
	o.nused = 0;
	assert_int_equal(compose_import_text(&o, decl, strlen(decl), &r, err, sizeof(err)), 0);
	assert_null(r.notes);
}

/* cap_add, cap_drop: the nearest allow.* (or listed, and why); dns,
 * dns_search, dns_opt: the jail's resolv.conf; sysctls: listed each. */
static void test_caps_dns(void **state)
{
	const char *a, *b, *d;

	(void)state;
	assert_int_equal(import(
		"services:\n"
		"  a:\n"
		"    image: x\n"
		"    cap_add: [NET_RAW, CAP_sys_time, CHOWN, NET_ADMIN, SYS_ADMIN, ALL]\n"
		"    cap_drop: [NET_BIND_SERVICE, MKNOD, SETUID]\n"
		"    dns: [1.1.1.1, \"2606:4700::1111\", nope, 9.9.9.9, 8.8.8.8]\n"
		"    dns_search: example.org\n"
		"    dns_opt: [ndots:2, \"bad opt\"]\n"
		"    sysctls:\n"
		"      net.core.somaxconn: 1024\n"
		"  b:\n"
		"    image: x\n"
		"    cap_drop: [ALL]\n"
		"    dns: 10.0.0.53\n"
		"    sysctls: [\"net.ipv4.ip_forward=1\"]\n"
		"  d:\n"
		"    image: x\n"
		"    cap_drop: [ALL]\n"
		"    cap_add: [NET_BIND_SERVICE]\n"), 0);
	a = file("jail.conf.d/p_a.conf");
	b = file("jail.conf.d/p_b.conf");
	d = file("jail.conf.d/p_d.conf");
	has(a, "\tallow.raw_sockets;\t# cap_add NET_RAW\n\tallow.settime;\t# cap_add SYS_TIME\n"
	       "\tallow.reserved_ports = false;\t# cap_drop NET_BIND_SERVICE\n"
	       "\t# cap_add NET_ADMIN: a vnet jail's root manages its own network");
	assert_null(strstr(a, "CHOWN"));
	assert_null(strstr(a, "allow.suser ="));
	has(b, "\tallow.suser = false;\n");
	assert_null(strstr(d, "allow.suser ="));
	has(r.unsupported, "c.yml:4: services.a.cap_add: SYS_ADMIN: brig never gives it to a jail (it "
			   "reaches the host's kernel or devices)\n");
	has(r.unsupported, "c.yml:4: services.a.cap_add: ALL: brig never gives it to a jail's root all "
			   "at once\n");
	has(r.unsupported, "c.yml:5: services.a.cap_drop: SETUID: brig has no parameter to drop it "
			   "alone");
	has(r.unsupported, "c.yml:6: services.a.dns: \"nope\" is not an IP address\n");
	has(r.unsupported, "c.yml:6: services.a.dns: 8.8.8.8: resolv.conf takes three nameservers\n");
	has(r.unsupported, "c.yml:8: services.a.dns_opt: \"bad opt\": not a resolver option\n");
	has(r.unsupported, "c.yml:10: services.a.sysctls: net.core.somaxconn: brig sets no sysctl");
	has(r.unsupported, "c.yml:15: services.b.sysctls: net.ipv4.ip_forward: brig sets no sysctl");
	has(r.unsupported, "c.yml:18: services.d.cap_drop: ALL with cap_add: brig has no "
			   "per-capability set");
	assert_int_equal(r.nunsupported, 9);
	assert_string_equal(r.resolv[0], "# Made by `brig compose import` (project p, service a).\n"
			    "nameserver 1.1.1.1\nnameserver 2606:4700::1111\nnameserver 9.9.9.9\n"
			    "search example.org\noptions ndots:2\n");
	assert_string_equal(r.resolv[1], "# Made by `brig compose import` (project p, service b).\n"
			    "nameserver 10.0.0.53\n");
	assert_null(r.resolv[2]);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* extends merges as the Compose Specification says: networks key by key
 * (a network's address replaced, its aliases added to), cap_add and
 * cap_drop appended without duplicates, ulimits, extra_hosts and
 * environment by name, volumes by target, ports without duplicates, dns
 * appended. The base is left out by its profile: a template only. */
static void test_extends_merge(void **state)
{
	const char *t;

	(void)state;
	assert_int_equal(import(
		"services:\n"
		"  base:\n"
		"    image: x\n"
		"    profiles: [never]\n"
		"    cap_add: [NET_RAW, SYS_TIME]\n"
		"    cap_drop: [NET_BIND_SERVICE]\n"
		"    networks:\n"
		"      front: {aliases: [b1]}\n"
		"      back: {ipv4_address: 10.1.2.50}\n"
		"    ulimits: {nofile: 100, core: 0}\n"
		"    volumes: [\"/srv/a:/data\", \"/srv/log:/log\"]\n"
		"    ports: [\"80:80\"]\n"
		"    extra_hosts: [\"h1:10.0.0.1\", \"h2:10.0.0.2\"]\n"
		"    dns: [1.1.1.1]\n"
		"  web:\n"
		"    extends: base\n"
		"    cap_add: [IPC_LOCK, cap_net_raw]\n"
		"    cap_drop: [MKNOD]\n"
		"    networks:\n"
		"      front: {aliases: [w1, b1]}\n"
		"      back: {ipv4_address: 10.1.2.60}\n"
		"    ulimits: {nofile: 200}\n"
		"    volumes: [\"/srv/b:/data:ro\"]\n"
		"    ports: [\"80:80\", \"81:81\"]\n"
		"    extra_hosts: [\"h2:10.0.0.3\"]\n"
		"    dns: [8.8.8.8]\n"
		"networks:\n"
		"  front: {}\n"
		"  back: {ipam: {config: [{subnet: 10.1.2.0/24}]}}\n"), 0);
	assert_int_equal(r.njails, 1);
	t = file("jail.conf.d/p_web.conf");
	has(t, "\tallow.raw_sockets;");
	has(t, "\tallow.mlock;");
	has(t, "\tallow.settime;");
	has(t, "\tallow.reserved_ports = false;");
	has(t, "\tvnet.bridge = \"p_front\",\n\t    \"p_back\";\n");
	has(t, "\"p_back|10.1.2.60/24\"");
	has(t, "\trdr = \"tcp 80 80\",\n\t    \"tcp 81 81\";\n");
	has(t, "openfiles:deny=200");
	assert_null(strstr(t, "openfiles:deny=100"));
	has(t, "coredumpsize:deny=0");
	has(t, "\"/srv/b ${path}/data nullfs ro 0 0\"");
	has(t, "\"/srv/log ${path}/log nullfs rw 0 0\"");
	assert_null(strstr(t, "/srv/a "));
	has(r.hosts[0], "\tweb p_web b1 w1\n");
	has(r.hosts[0], "10.0.0.1\th1\n");
	has(r.hosts[0], "10.0.0.3\th2\n");
	assert_null(strstr(r.hosts[0], "10.0.0.2"));
	has(r.resolv[0], "nameserver 1.1.1.1\nnameserver 8.8.8.8\n");
	assert_null(r.unsupported);

	/* A base that is a service too: the fixed address it has and the
	 * service built on it replaces is the base's alone. */
	assert_int_equal(import(
		"services:\n"
		"  base:\n"
		"    image: x\n"
		"    networks: {back: {ipv4_address: 10.1.2.50}}\n"
		"  web:\n"
		"    extends: base\n"
		"    networks: {back: {ipv4_address: 10.1.2.60}}\n"
		"networks:\n"
		"  back: {ipam: {config: [{subnet: 10.1.2.0/24}]}}\n"), 0);
	has(file("jail.conf.d/p_base.conf"), "ip4.addr = \"10.1.2.50/24\";");
	has(file("jail.conf.d/p_web.conf"), "ip4.addr = \"10.1.2.60/24\";");
}

/* extends, of the same file and of another (whose FILE:LINE and relative
 * paths are its own); a loop refused; profiles: a service with profiles
 * only when one of them is asked for. */
static void test_extends_profiles(void **state)
{
	char dir[] = "/tmp/test_compose.XXXXXX", path[512], sub[96], err[512], cfile[96];
	const char *t;
	char *one[] = { "debug" };
	struct compose_opts o = { .project = "p", .storedir = "/store", .lookup = lookup };

	(void)state;
	assert_int_equal(import(
		"services:\n"
		"  base:\n"
		"    image: x\n"
		"    command: [\"a\", \"b\"]\n"
		"    environment: {A: base, B: base}\n"
		"    ports: [\"80:80\"]\n"
		"  web:\n"
		"    extends: base\n"
		"    command: serve\n"
		"    environment: {B: web}\n"
		"    ports: [\"81:81\"]\n"
		"  debug:\n"
		"    image: x\n"
		"    profiles: [debug, test]\n"
		"  loop1: {extends: loop2, image: x}\n"
		"  loop2: {extends: loop1, image: x}\n"), -1);
	assert_int_equal(import(
		"services:\n"
		"  base:\n"
		"    image: x\n"
		"    command: [\"a\", \"b\"]\n"
		"    environment: {A: base, B: base}\n"
		"    ports: [\"80:80\"]\n"
		"  web:\n"
		"    extends: {service: base}\n"
		"    command: serve\n"
		"    environment: {B: web}\n"
		"    ports: [\"81:81\"]\n"
		"  debug:\n"
		"    image: x\n"
		"    profiles: [debug, test]\n"), 0);
	t = file("jail.conf.d/p_web.conf");
	has(t, "\texec.service = \"serve\";\n");
	has(t, "\texec.env = \"A=base\",\n\t    \"B=web\";\n");
	has(t, "\trdr = \"tcp 80 80\",\n\t    \"tcp 81 81\";\n");
	assert_int_equal(r.njails, 2);
	has(r.notes, "service debug left out: its profiles are debug, test (--profile NAME takes it in)\n");
	assert_null(r.unsupported);

	/* Another file: its lines, its directory. */
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/common", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(path, sizeof(path), "%s/common/base.yml", dir);
	write_file(path, "services:\n  app:\n    image: x\n    volumes: [\"./data:/data\"]\n"
			 "    healthcheck: {test: true}\n");
	snprintf(cfile, sizeof(cfile), "%s/compose.yml", dir);
	write_file(cfile, "services:\n  web:\n    extends: {file: common/base.yml, service: app}\n"
			 "  bad:\n    extends: {file: common/base.yml, service: nope}\n"
			 "    profiles: [debug]\n"
			 "  alone:\n    image: x\n    extends: {file: missing.yml, service: a}\n");
	o.file = cfile;
	compose_result_free(&r);
	assert_int_equal(compose_import(&o, &r, err, sizeof(err)), 0);
	t = file("jail.conf.d/p_web.conf");
	snprintf(path, sizeof(path), "\tmount = \"%s/common/data ${path}/data nullfs rw 0 0\";\n", dir);
	has(t, path);
	snprintf(path, sizeof(path), "%s/common/base.yml:5: services.web.healthcheck: ", dir);
	has(r.unsupported, path);
	/* A file that cannot be read: listed, the service imported alone. */
	snprintf(path, sizeof(path), "%s/compose.yml:9: services.alone.extends: %s/missing.yml: ", dir, dir);
	has(r.unsupported, path);
	has(r.unsupported, ": the service is imported without what it extends\n");
	assert_int_equal(r.njails, 2);
	/* With its profile: the missing base service stops the import. */
	o.profiles = one;
	o.nprofiles = 1;
	compose_result_free(&r);
	assert_int_equal(compose_import(&o, &r, err, sizeof(err)), -1);
	snprintf(path, sizeof(path), "%s/compose.yml:5:47: services.bad.extends: no service nope in "
		 "%s/common/base.yml", dir, dir);
	assert_string_equal(err, path);
	unlink(cfile);
	snprintf(path, sizeof(path), "%s/common/base.yml", dir);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
}

/* depends_on a service its profiles leave out: the model is invalid (the
 * Compose Specification's profiles: a reference does not enable it),
 * refused at the dependency's FILE:LINE:COL; `required: false` lets it be
 * (noted, no depend). The specification's example. */
static void test_depends_profiles(void **state)
{
	static const char *yaml =
		"services:\n"
		"  foo: {image: foo}\n"
		"  bar: {image: bar, profiles: [test]}\n"
		"  baz: {image: baz, depends_on: [bar], profiles: [test]}\n"
		"  zot:\n"
		"    image: zot\n"
		"    depends_on:\n"
		"      - bar\n"
		"    profiles: [debug]\n";
	char *debug[] = { "debug" }, *both[] = { "debug", "test" };
	struct compose_opts o = { .file = "c.yml", .project = "p", .storedir = "/store",
				  .lookup = lookup, .profiles = debug, .nprofiles = 1 };
	char err[512];

	(void)state;
	/* None: foo alone; test: foo, bar, baz; debug and test: all four. */
	assert_int_equal(import(yaml), 0);
	assert_int_equal(r.njails, 1);
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, yaml, strlen(yaml), &r, err, sizeof(err)), -1);
	assert_string_equal(err, "c.yml:8:9: services.zot.depends_on: service bar is left out by "
			    "its profiles (test): --profile test takes it in");
	o.profiles = both;
	o.nprofiles = 2;
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, yaml, strlen(yaml), &r, err, sizeof(err)), 0);
	assert_int_equal(r.njails, 4);
	has(file("jail.conf.d/p_zot.conf"), "\tdepend = \"p_bar\";\n");

	/* required: false: the dependency is let be, and said. */
	static const char *opt =
		"services:\n"
		"  bar: {image: bar, profiles: [test]}\n"
		"  zot:\n"
		"    image: zot\n"
		"    depends_on: {bar: {condition: service_started, required: false}}\n";

	assert_int_equal(import(opt), 0);
	assert_null(strstr(file("jail.conf.d/p_zot.conf"), "depend"));
	has(r.notes, "services.zot.depends_on: service bar is left out by its profiles (test); "
		     "not required: zot does not wait for it\n");
	assert_null(r.unsupported);
}

/* libfyaml crashes on some invalid YAML (a null write in its cleanup after
 * a tab error: fuzz_compose, fuzz/corpus-compose/libfyaml-tab-crash):
 * the file is read first in a child, so the import fails with libfyaml's
 * own diagnostic and what happened, and brig goes on. A plain tab error
 * is told as before. */
static void test_parser_crash(void **state)
{
	static const char crash[] = "servs:\n? )$ts:\t? )$t: alwwtart: alwwen \026r";
	static const char tab[] = "services:\n  a:\n\timage: x\n";
	struct compose_opts o = { .file = "c.yml", .project = "p", .storedir = "/store",
				  .lookup = lookup };
	char err[512];

	(void)state;
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, crash, sizeof(crash) - 1, &r, err, sizeof(err)), -1);
	if (!strstr(err, ":2:8: error: cannot use tab for indentation of block entry; then libfyaml ") ||
	    !strstr(err, " crashed reading it") || strncmp(err, "c.yml: not a YAML document: ", 28))
		fail_msg("%s", err);
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, tab, strlen(tab), &r, err, sizeof(err)), -1);
	if (!strstr(err, ":3:1: error: tab character may not be used as indentation") ||
	    strstr(err, "crashed"))
		fail_msg("%s", err);
}

/* What one file makes is bounded: services, aliases, /etc/hosts. */
static void test_bounds(void **state)
{
	struct { char *s; size_t len; } b = { 0 };
	char err[512];
	struct compose_opts o = { .file = "c.yml", .project = "p", .storedir = "/store",
				  .lookup = lookup };
	FILE *f;

	(void)state;
	/* 1001 services. */
	f = open_memstream(&b.s, &b.len);
	fputs("services:\n", f);
	for (int i = 0; i <= 1000; i++)
		fprintf(f, "  s%d: {image: x}\n", i);
	fclose(f);
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, b.s, b.len, &r, err, sizeof(err)), -1);
	assert_string_equal(err, "c.yml:1002: service s1000: more than 1000 services");
	/* Two escaped quotes in a row in a single-quoted value: libfyaml 0.7
	 * reads it wrong (and leaks): refused, where it is, before libfyaml
	 * reads it (seven in a row leaked while it parsed). */
	{
		static const char sq[] = "services:\n  a:\n    image: x\n    command: 'a''''b'\n";

		compose_result_free(&r);
		assert_int_equal(compose_import_text(&o, sq, strlen(sq), &r, err, sizeof(err)), -1);
		assert_string_equal(err, "c.yml:4:16: four single quotes in a row (two escaped quotes in a "
				    "single-quoted value), which libfyaml 0.7 reads wrong: write the value "
				    "double-quoted");
	}
	{
		static const char ok[] = "services:\n  a:\n    image: x\n    command: 'a''b''c'\n";

		compose_result_free(&r);
		assert_int_equal(compose_import_text(&o, ok, strlen(ok), &r, err, sizeof(err)), 0);
		has(file("jail.conf.d/p_a.conf"), "\t    \"a'b'c\";\n");
	}
	free(b.s);
	/* 65 aliases; then 600 services with 64 long ones each on one network:
	 * each jail's /etc/hosts would be over 1 MiB. */
	f = open_memstream(&b.s, &b.len);
	fputs("services:\n  big: {image: x, networks: {n: {aliases: [", f);
	for (int i = 0; i <= 64; i++)
		fprintf(f, "%sb%d", i ? ", " : "", i);
	fputs("]}}}\nnetworks:\n  n: {ipam: {config: [{subnet: 10.0.0.0/16}]}}\n", f);
	fclose(f);
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, b.s, b.len, &r, err, sizeof(err)), 0);
	has(r.unsupported, "c.yml:2: services.big.networks.n.aliases: \"b64\": more than 64 aliases\n");
	free(b.s);
	f = open_memstream(&b.s, &b.len);
	fputs("x-al: &al [", f);
	for (int i = 0; i < 64; i++)
		fprintf(f, "%sa%02d%s", i ? ", " : "", i,
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	fputs("]\nservices:\n", f);
	for (int i = 0; i < 600; i++)
		fprintf(f, "  s%d: {image: x, networks: {n: {aliases: *al}}}\n", i);
	fputs("networks:\n  n: {ipam: {config: [{subnet: 10.0.0.0/16}]}}\n", f);
	fclose(f);
	compose_result_free(&r);
	assert_int_equal(compose_import_text(&o, b.s, b.len, &r, err, sizeof(err)), -1);
	has(err, "c.yml: service s0: its /etc/hosts would be larger than 1048576 bytes");
	free(b.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interp),
		cmocka_unit_test(test_project_name),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_names_limits),
		cmocka_unit_test(test_networks),
		cmocka_unit_test(test_host_subnets),
		cmocka_unit_test(test_caps_dns),
		cmocka_unit_test(test_extends_profiles),
		cmocka_unit_test(test_extends_merge),
		cmocka_unit_test(test_depends_profiles),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_parser_crash),
	};

	return cmocka_run_group_tests(tests, NULL, done);
}
