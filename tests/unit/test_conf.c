/* Unit tests of the jail.conf language: what FreeBSD's jail(8) makes of a
 * file is what brig makes of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "conf_helpers.h"

/* Assert that the load failed and that a message contains text. */
#define assert_error(l, text)                                                      \
	do {                                                                       \
		assert_int_equal((l)->rc, -1);                                     \
		assert_null((l)->c);                                               \
		if (!strstr((l)->msgs, (text))) {                                  \
			fprintf(stderr, "missing [%s] in:\n%s", (text), (l)->msgs); \
			fail();                                                    \
		}                                                                  \
	} while (0)

#define assert_ok(l)                                                       \
	do {                                                               \
		if ((l)->rc != 0) {                                        \
			fprintf(stderr, "unexpected errors:\n%s", (l)->msgs); \
			fail();                                            \
		}                                                          \
	} while (0)

static void test_basic_types(void **state)
{
	struct ld l;
	const struct conf_jail *j;

	(void)state;
	LOAD(&l, "web {\n"
		 "  path = /jails/web;\n"
		 "  host.hostname = \"web.example.org\";\n"
		 "  persist;\n"
		 "  ip4.addr = 10.1.1.1, 10.1.1.2;\n"
		 "  stop.timeout = \" 30\";\n"
		 "  vnet;\n"
		 "}\n");
	assert_ok(&l);
	assert_int_equal(l.c->njails, 1);
	j = J(&l, "web");
	assert_string_equal(j->params[0].name, "name");
	assert_string_equal(V(&l, "web", "name"), "web");
	assert_string_equal(V(&l, "web", "path"), "/jails/web");
	assert_string_equal(V(&l, "web", "persist"), "true");
	assert_string_equal(V(&l, "web", "ip4.addr"), "10.1.1.1|10.1.1.2");
	/* Values end with NULL, as an argv does. */
	for (size_t i = 0; i < j->nparams; i++)
		assert_null(j->params[i].values[j->params[i].nvalues]);
	assert_string_equal(V(&l, "web", "stop.timeout"), "30");
	assert_string_equal(V(&l, "web", "vnet"), "new");
	assert_true(conf_bool(j, "persist", false));
	assert_true(conf_bool(j, "vnet", false));
	assert_false(conf_bool(j, "mount.devfs", false));
	assert_int_equal(conf_int(j, "stop.timeout", 10), 30);
	assert_int_equal(conf_int(j, "exec.timeout", 7), 7);
	assert_null(conf_str(j, "interface"));
	assert_int_equal(conf_param(j, "ip4.addr")->type, CONF_LIST);
	assert_string_equal(j->file, "jail.conf");
	assert_int_equal(j->line, 1);
	ld_free(&l);
}

static void test_statement_forms(void **state)
{
	struct ld l;

	(void)state;
	/* name; name = v; name v; name += v; stray ';' */
	LOAD(&l, ";;web { ;exec.start \"/bin/sh /etc/rc\"; exec.start += 'b';;"
		 " exec.stop = a, b; host.hostname=h; } ;");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "exec.start"), "/bin/sh /etc/rc|b");
	assert_string_equal(V(&l, "web", "exec.stop"), "a|b");
	assert_string_equal(V(&l, "web", "host.hostname"), "h");
	ld_free(&l);
}

static void test_nested_blocks(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "a { persist; b { path = /b; c { } } d { } }\n");
	assert_ok(&l);
	assert_string_equal(NAMES(&l), "a,a.b,a.b.c,a.d");
	/* Parameters of a parent are not inherited. */
	assert_string_equal(V(&l, "a", "persist"), "true");
	assert_string_equal(V(&l, "a.b", "persist"), "(unset)");
	assert_string_equal(V(&l, "a.b", "path"), "/b");
	ld_free(&l);
}

/* Global parameters form one wildcard jail, placed where the first of
 * them appears (current FreeBSD). */
static void test_global_placement(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "a { host.hostname = A; }\n"
		 "host.hostname = G;\n"
		 "b { host.hostname = B; }\n"
		 "host.domainname = D;\n");
	assert_ok(&l);
	/* Placed after a: overrides it; before b: overridden by it. */
	assert_string_equal(V(&l, "a", "host.hostname"), "G");
	assert_string_equal(V(&l, "b", "host.hostname"), "B");
	/* The later global joins the same wildcard. */
	assert_string_equal(V(&l, "a", "host.domainname"), "D");
	assert_string_equal(V(&l, "b", "host.domainname"), "D");
	ld_free(&l);

	LOAD(&l, "host.hostname = G1;\n"
		 "a { host.hostname = A; }\n"
		 "host.hostname = G2;\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "a", "host.hostname"), "A");
	ld_free(&l);
}

static void test_wildcards(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "* { persist; path = /top; }\n"
		 "a { path = /a; nopersist; }\n"
		 "foo.* { host.hostname = F; }\n"
		 "foo { } foo.bar { } foo.bar.baz { } other { }\n"
		 "* { exec.clean; path = /bottom; }\n"
		 "*.bar { host.domainname = bar; }\n");
	assert_ok(&l);
	assert_string_equal(NAMES(&l), "a,foo,foo.bar,foo.bar.baz,other");
	/* Above: overridden by the jail. Below: overrides it. */
	assert_string_equal(V(&l, "a", "persist"), "false");
	assert_string_equal(V(&l, "a", "path"), "/bottom");
	assert_string_equal(V(&l, "other", "persist"), "true");
	assert_string_equal(V(&l, "other", "exec.clean"), "true");
	/* foo.* matches foo.bar and foo.bar.baz, not foo or other. */
	assert_string_equal(V(&l, "foo", "host.hostname"), "(unset)");
	assert_string_equal(V(&l, "foo.bar", "host.hostname"), "F");
	assert_string_equal(V(&l, "foo.bar.baz", "host.hostname"), "F");
	assert_string_equal(V(&l, "other", "host.hostname"), "(unset)");
	/* A non-final * matches exactly one component. */
	assert_string_equal(V(&l, "foo.bar", "host.domainname"), "bar");
	assert_string_equal(V(&l, "foo.bar.baz", "host.domainname"), "(unset)");
	ld_free(&l);
}

static void test_quoting_and_escapes(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "$v = V;\n"
		 "web {\n"
		 "  host.hostname = \"a\\tb\\n\\\"q\\\"\";\n"
		 "  path = '/no/$v/${v}';\n"
		 "  exec.start = \"\\101\\x42\\x4a\\q\", \"x\\\\y\", 'it\\'s';\n"
		 "  exec.stop = /jails/\"$v\"/root/$v'$v';\n"
		 "  exec.prestart = \"multi\n"
		 "line\", con\\\n"
		 "tinued;\n"
		 "  exec.poststart = \"$\", \"a$ b\", \"${v}w\", $v\\$v;\n"
		 "  mount = \"\\x7\", \"\\1017\";\n"
		 "}\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "host.hostname"), "a\tb\n\"q\"");
	/* Single quotes: no variables. */
	assert_string_equal(V(&l, "web", "path"), "/no/$v/${v}");
	assert_string_equal(V(&l, "web", "exec.start"), "ABJq|x\\y|it's");
	/* Pieces written together make one value. */
	assert_string_equal(V(&l, "web", "exec.stop"), "/jails/V/root/V$v");
	assert_string_equal(V(&l, "web", "exec.prestart"), "multi\nline|continued");
	assert_string_equal(V(&l, "web", "exec.poststart"), "$|a$ b|Vw|V$v");
	/* \x takes at most two hex digits, octal at most three. */
	assert_string_equal(V(&l, "web", "mount"), "\a|A7");
	ld_free(&l);
}

static void test_comments(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "# shell\n"
		 "// C++\n"
		 "/* C,\n * two lines */ web /* here */ { // there\n"
		 "  path = /a/b; # after\n"
		 "  host.hostname = x/* glued */;\n"
		 "  exec.start = /bin/sh//rest is a comment\n"
		 "  ;\n"
		 "}\r\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "path"), "/a/b");
	assert_string_equal(V(&l, "web", "host.hostname"), "x");
	assert_string_equal(V(&l, "web", "exec.start"), "/bin/sh");
	ld_free(&l);
}

static void test_variables(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "path = \"/jails/$name\";\n"
		 "host.hostname = \"${name}.$domain\";\n"
		 "exec.consolelog = \"${path}/console.log\";\n"
		 "$domain = example.org;\n"
		 "web { $domain = web.example; }\n"
		 "db { exec.start = \"start $base\"; $base = \"$top/db\"; $top = /srv; }\n");
	assert_ok(&l);
	/* Per jail, after merging; defined after use is fine. */
	assert_string_equal(V(&l, "web", "path"), "/jails/web");
	assert_string_equal(V(&l, "db", "path"), "/jails/db");
	assert_string_equal(V(&l, "web", "host.hostname"), "web.web.example");
	assert_string_equal(V(&l, "db", "host.hostname"), "db.example.org");
	assert_string_equal(V(&l, "db", "exec.consolelog"), "/jails/db/console.log");
	assert_string_equal(V(&l, "db", "exec.start"), "start /srv/db");
	/* Variables never appear as parameters. */
	assert_null(conf_param(J(&l, "web"), "domain"));
	assert_null(conf_param(J(&l, "db"), "base"));
	ld_free(&l);
}

static void test_arrays(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "$addrs = 10.0.0.1, 10.0.0.2;\n"
		 "web { ip4.addr = $addrs, 10.0.0.3; exec.start = \"$addrs\"; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "ip4.addr"), "10.0.0.1|10.0.0.2|10.0.0.3");
	assert_string_equal(V(&l, "web", "exec.start"), "10.0.0.1|10.0.0.2");
	ld_free(&l);

	LOAD(&l, "$addrs = a, b;\nweb { host.hostname = \"x$addrs\"; }\n");
	assert_error(&l, "jail.conf:2:25: error: web: host.hostname: array cannot be substituted inline");
	ld_free(&l);
	LOAD(&l, "$addrs = a, b;\nweb { exec.start = \"$addrs$addrs\"; }\n");
	assert_error(&l, "array cannot be substituted inline");
	ld_free(&l);
}

static void test_append(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "exec.start = \"/bin/sh /etc/rc\";\n"
		 "exec.prestart += \"first\";\n"
		 "web { exec.start += \"two\"; exec.prestart += \"second\"; mount += \"m1\"; }\n"
		 "db { exec.start = \"own\"; exec.start += \"more\"; }\n"
		 "x { exec.start += \"a\"; exec.start = \"b\"; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "exec.start"), "/bin/sh /etc/rc|two");
	assert_string_equal(V(&l, "web", "exec.prestart"), "first|second");
	assert_string_equal(V(&l, "web", "mount"), "m1");
	assert_string_equal(V(&l, "db", "exec.start"), "own|more");
	/* Without += a later value replaces. */
	assert_string_equal(V(&l, "x", "exec.start"), "b");
	ld_free(&l);
}

static void test_booleans(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "persist; allow.mount; mount.devfs; vnet;\n"
		 "a { nopersist; allow.nomount; mount.nodevfs; novnet; }\n"
		 "b { nopersist = false; allow.mount = 0; exec.clean = TRUE; mount.procfs = 7; }\n"
		 "c { persist = false; persist; vnet = inherit; ip4 = disable; sysvshm = 1; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "a", "persist"), "false");
	assert_string_equal(V(&l, "a", "allow.mount"), "false");
	assert_string_equal(V(&l, "a", "mount.devfs"), "false");
	assert_string_equal(V(&l, "a", "vnet"), "disable");
	assert_string_equal(V(&l, "b", "persist"), "true");
	assert_string_equal(V(&l, "b", "allow.mount"), "false");
	assert_string_equal(V(&l, "b", "exec.clean"), "true");
	assert_string_equal(V(&l, "b", "mount.procfs"), "true");
	assert_string_equal(V(&l, "c", "persist"), "true");
	assert_string_equal(V(&l, "c", "vnet"), "inherit");
	assert_false(conf_bool(J(&l, "c"), "vnet", true));
	assert_string_equal(V(&l, "c", "ip4"), "disable");
	assert_string_equal(V(&l, "c", "sysvshm"), "new");
	ld_free(&l);

	LOAD(&l, "web { persist = maybe; }\n");
	assert_error(&l, "jail.conf:1:7: error: web: persist: unknown boolean value \"maybe\"");
	ld_free(&l);
	LOAD(&l, "web { vnet = sometimes; }\n");
	assert_error(&l, "web: vnet: unknown value \"sometimes\" (expected \"new\", \"inherit\" or \"disable\")");
	ld_free(&l);
	/* "no" only negates booleans. */
	LOAD(&l, "web { nopath = /x; }\n");
	assert_error(&l, "unknown parameter \"nopath\"");
	ld_free(&l);
}

static void test_integers(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "web { securelevel = -1; children.max = \"010\"; exec.timeout = +5; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "securelevel"), "-1");
	assert_string_equal(V(&l, "web", "children.max"), "10");
	assert_string_equal(V(&l, "web", "exec.timeout"), "5");
	ld_free(&l);
	LOAD(&l, "web { stop.timeout = 10s; }\n");
	assert_error(&l, "jail.conf:1:7: error: web: stop.timeout: non-integer value \"10s\"");
	ld_free(&l);
}

/* exec.fib: a Linux routing table, not one of its own three. */
static void test_fib_range(void **state)
{
	static const char *const bad[] = { "-1", "253", "254", "255", "65536" };
	struct ld l;

	(void)state;
	LOAD(&l, "a { exec.fib = 0; }\nb { exec.fib = 252; }\nc { exec.fib = 256; }\n"
		 "d { exec.fib = 65535; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "d", "exec.fib"), "65535");
	ld_free(&l);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[64], want[128];

		snprintf(text, sizeof(text), "web {\n  exec.fib = %s;\n}\n", bad[i]);
		snprintf(want, sizeof(want), "jail.conf:2:3: error: web: exec.fib: \"%s\": not a routing "
			 "table brig gives a jail (0 to 65535, but not 253-255", bad[i]);
		LOAD(&l, text);
		assert_error(&l, want);
		ld_free(&l);
	}
}

/* quota: sizes as rctl(8) writes them, powers of 1024. */
static void test_sizes(void **state)
{
	static const struct {
		const char *s;
		long long bytes;
	} good[] = {
		{ "", 0 }, { "none", 0 }, { NULL, 0 }, { "1", 1 }, { "512", 512 },
		{ "2k", 2048 }, { "2K", 2048 }, { "10m", 10LL << 20 }, { "10M", 10LL << 20 },
		{ "3g", 3LL << 30 }, { "1t", 1LL << 40 }, { "8388607t", 8388607LL << 40 },
		{ "9223372036854775807", 9223372036854775807LL },
	};
	static const char *const bad[] = {
		"0", "0k", "-1", "+1", " 1", "1 ", "1x", "1kb", "1.5g", "k", "g1", "1p", "8388608t",
		"9223372036854775808", "99999999999999999999", "NONE", "1e3",
	};
	struct ld l;
	long long b;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		b = -1;
		assert_int_equal(conf_size_parse(good[i].s, &b), 0);
		assert_true(b == good[i].bytes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (conf_size_parse(bad[i], &b) != -1)
			fail_msg("%s: accepted as %lld", bad[i], b);
	}
	LOAD(&l, "web { quota = 10g; } db { quota = none; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "quota"), "10g");
	ld_free(&l);
	LOAD(&l, "web {\n\tquota = 10gb;\n}\n");
	assert_error(&l, "jail.conf:2:2: error: web: quota: bad size \"10gb\" (expected bytes or a "
		     "number with k, m, g or t, as in \"10g\"; or \"none\")");
	ld_free(&l);
}

static void test_numeric_names(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "5 { path = /five; } 0 { } 07 { }\nsix { jid = 6; }\n");
	assert_ok(&l);
	assert_string_equal(NAMES(&l), "5,0,07,six");
	assert_string_equal(V(&l, "5", "jid"), "5");
	assert_string_equal(V(&l, "5", "name"), "5");
	assert_string_equal(J(&l, "5")->params[0].name, "name");
	/* strtol("0") is 0: a name, as in FreeBSD. */
	assert_string_equal(V(&l, "0", "jid"), "(unset)");
	assert_string_equal(V(&l, "07", "jid"), "7");
	assert_string_equal(V(&l, "six", "jid"), "6");
	ld_free(&l);

	/* A numeric jail without a name is named by its number, ${name}
	 * too (FreeBSD's jail_basic_test: jid_name_set); jail(8) calls it
	 * by its label either way. */
	LOAD(&l, "path = /j/$name;\n5 { host.hostname = \"${name}\"; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "5", "path"), "/j/5");
	assert_string_equal(V(&l, "5", "host.hostname"), "5");
	assert_string_equal(J(&l, "5")->label, "5");
	ld_free(&l);
	LOAD(&l, "5 { name = five; path = /j/$name; }\n");
	assert_ok(&l);
	assert_string_equal(J(&l, "five")->name, "five");
	assert_string_equal(J(&l, "five")->label, "5");
	assert_string_equal(V(&l, "five", "path"), "/j/five");
	ld_free(&l);
}

static void test_immutable(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "web { name = web; }\n");
	assert_error(&l, "jail.conf:1:7: error: web: cannot redefine parameter \"name\"");
	ld_free(&l);
	LOAD(&l, "jid = 3;\nweb { jid = 4; }\n");
	assert_error(&l, "web: cannot redefine parameter \"jid\"");
	ld_free(&l);
}

static void test_variable_names(void **state)
{
	struct ld l;

	(void)state;
	/* jail(8)'s own parameter names are reserved... */
	LOAD(&l, "$path = /x;\n$vnet = 1;\nweb { }\n");
	assert_error(&l, "jail.conf:1:1: error: variable \"$path\" cannot have the same name as a parameter");
	assert_non_null(strstr(l.msgs, "variable \"$vnet\""));
	ld_free(&l);
	/* ...other kernel parameters only when the jail sets them too. */
	LOAD(&l, "$ip4 = 10.0.0.2; web { exec.start = \"x $ip4\"; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "exec.start"), "x 10.0.0.2");
	ld_free(&l);
	LOAD(&l, "web { ip4 = new; $ip4 = 10.0.0.2; }\ndb { $ip4 = 1; ip4 = new; }\n");
	assert_error(&l, "jail.conf:1:18: error: web: variable \"$ip4\" cannot have the same name as a parameter");
	assert_non_null(strstr(l.msgs, "jail.conf:2:16: error: db: variable \"$ip4\""));
	ld_free(&l);
}

static void test_variable_errors(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "web { path = \"/j/${nothere}\"; }\n");
	assert_error(&l, "jail.conf:1:18: error: web: path: variable \"nothere\" not found");
	ld_free(&l);
	/* One error for one mistake: the value that failed is not checked. */
	LOAD(&l, "web { stop.timeout = $nothere; }\n");
	assert_error(&l, "web: stop.timeout: variable \"nothere\" not found");
	assert_int_equal(l.d.nerrors, 1);
	ld_free(&l);
	/* A variable with no value is "not found" too (FreeBSD). */
	LOAD(&l, "web { $e; path = \"/j/$e\"; }\n");
	assert_error(&l, "web: path: variable \"e\" not found");
	ld_free(&l);
	LOAD(&l, "web { $a = $a; path = $a; }\n");
	assert_error(&l, "web: $a: variable loop: $a -> $a");
	ld_free(&l);
	LOAD(&l, "web { path = \"${host.hostname}\"; host.hostname = \"${path}x\"; }\n");
	assert_error(&l, "variable loop");
	ld_free(&l);
	/* Doubling variables cannot exhaust memory. */
	{
		struct strbuf sb = STRBUF_INIT;

		sb_adds(&sb, "$v0 = \"0123456789abcdef0123456789abcdef\";\n");
		for (int i = 1; i < 40; i++)
			sb_addf(&sb, "$v%d = \"$v%d$v%d\";\n", i, i - 1, i - 1);
		sb_adds(&sb, "web { exec.start = $v39; }\n");
		LOAD(&l, sb.s);
		assert_error(&l, "variables expand to more than 64 MiB");
		ld_free(&l);
		sb_reset(&sb);
		sb_adds(&sb, "$a0 = x, y;\n");
		for (int i = 1; i < 40; i++)
			sb_addf(&sb, "$a%d = $a%d, $a%d;\n", i, i - 1, i - 1);
		sb_adds(&sb, "web { exec.start = $a39; }\n");
		LOAD(&l, sb.s);
		assert_error(&l, "more than 64 MiB");
		ld_free(&l);
		sb_free(&sb);
	}
}

static void test_includes(void **state)
{
	struct ld l;

	(void)state;
	LOADF(&l, "etc/jail.conf",
	      ".include \"base.conf\";\n"
	      "web { .include \"sub/web-*.conf\"; persist; }\n"
	      ".include \"none/*.conf\";\n",
	      "etc/base.conf", "exec.clean;\n$top = /srv;\n",
	      "etc/sub/web-1.conf", "path = \"$top/web\";\n.include \"inner.conf\";\n",
	      "etc/sub/web-2.conf", "host.hostname = web2;\n",
	      "etc/sub/inner.conf", "mount.devfs;\n");
	assert_ok(&l);
	assert_string_equal(NAMES(&l), "web");
	assert_string_equal(V(&l, "web", "exec.clean"), "true");
	/* Inside a block, included statements set that jail's parameters;
	 * relative names resolve against the including file's folder. */
	assert_string_equal(V(&l, "web", "path"), "/srv/web");
	assert_string_equal(V(&l, "web", "host.hostname"), "web2");
	assert_string_equal(V(&l, "web", "mount.devfs"), "true");
	ld_free(&l);

	/* The seed's pattern: one fragment, included in many blocks. */
	LOADF(&l, "jail.conf",
	      "a { $s = A; .include \"frag.conf\"; }\nb { $s = B; .include \"frag.conf\"; }\n",
	      "frag.conf", "host.hostname = \"h-$s\"; c { }\n");
	assert_ok(&l);
	assert_string_equal(NAMES(&l), "a,a.c,b,b.c");
	assert_string_equal(V(&l, "b", "host.hostname"), "h-B");
	ld_free(&l);

	LOADF(&l, "jail.conf", ".include \"missing.conf\";\nweb { }\n");
	assert_error(&l, "jail.conf:1:1: error: cannot include \"missing.conf\": No such file or directory");
	ld_free(&l);
	LOADF(&l, "jail.conf", ".include \"a.conf\";\n", "a.conf", "web{}\n.include \"jail.conf\";\n");
	assert_error(&l, "a.conf:2:1: error: include cycle: jail.conf -> a.conf -> jail.conf");
	ld_free(&l);
	LOADF(&l, "jail.conf", ".include \"jail.conf\";\n");
	assert_error(&l, "include cycle: jail.conf -> jail.conf");
	ld_free(&l);
}

static void test_include_depth(void **state)
{
	char names[40][16], texts[40][32];
	struct conf_memfile mem[40];
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .mem = mem };
	struct conf *c;
	struct diag d = { 0 };

	(void)state;
	/* 32 nested includes load; 33 do not. */
	for (int max = 32; max <= 33; max++) {
		for (int i = 0; i <= max; i++) {
			snprintf(names[i], sizeof(names[i]), "f%d", i);
			if (i < max)
				snprintf(texts[i], sizeof(texts[i]), ".include \"f%d\";", i + 1);
			else
				snprintf(texts[i], sizeof(texts[i]), "w%d { }", i);
			mem[i] = (struct conf_memfile){ names[i], texts[i], strlen(texts[i]) };
		}
		src.nmem = (size_t)max + 1;
		if (max == 32) {
			assert_int_equal(conf_load(&src, &c, &d), 0);
			assert_int_equal(c->njails, 1);
			conf_free(c);
		} else {
			assert_int_equal(conf_load(&src, &c, &d), -1);
			assert_string_equal(d.msgs[0].text, "f32:1:1: error: too many nested includes (over 32)");
		}
		diag_free(&d);
	}
}

static void test_syntax_errors(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "web { path = \"/x; }\n");
	assert_error(&l, "jail.conf:1:14: error: unterminated string (missing \")");
	ld_free(&l);
	LOAD(&l, "web { } /* open\n");
	assert_error(&l, "jail.conf:1:9: error: unterminated comment (missing */)");
	ld_free(&l);
	LOAD(&l, "web { path = ${name;\n}\n");
	assert_error(&l, "jail.conf:1:14: error: unterminated variable (missing '}')");
	ld_free(&l);
	/* As in FreeBSD, ${...} may hold anything but braces and newlines. */
	LOAD(&l, "web { path = ${name; }\n");
	assert_error(&l, "missing '}': block \"web\" is not closed");
	ld_free(&l);
	LOAD(&l, "web { } }\n");
	assert_error(&l, "jail.conf:1:9: error: unexpected '}' (no block is open)");
	ld_free(&l);
	LOAD(&l, "web { persist\n}\n");
	assert_error(&l, "jail.conf:1:14: error: missing ';' before '}'");
	ld_free(&l);
	LOAD(&l, "web { path = ; }\n");
	assert_error(&l, "jail.conf:1:14: error: expected a value after '=', found ';'");
	ld_free(&l);
	LOAD(&l, "web { path = a b; }\n");
	assert_error(&l, "missing ';' before \"b\"");
	ld_free(&l);
	LOAD(&l, "= x;\nweb { \x01; }\n{ persist; }\n$x { }\n\"a\"b { }\n");
	assert_error(&l, "jail.conf:1:1: error: unexpected '='");
	assert_non_null(strstr(l.msgs, "jail.conf:2:7: error: unexpected character \"\\x01\""));
	assert_non_null(strstr(l.msgs, "jail.conf:3:1: error: '{' without a jail name before it"));
	assert_non_null(strstr(l.msgs, "jail.conf:4:1: error: a jail name cannot hold variables"));
	assert_null(strstr(l.msgs, "jail.conf:5"));
	ld_free(&l);
	LOAD(&l, "web { path = \"\\x\"; host.hostname = \"a\\0\"; }\n");
	assert_error(&l, "jail.conf:1:15: error: \\x used with no following hex digits");
	assert_non_null(strstr(l.msgs, "jail.conf:1:38: error: NUL character (\\0) in a string"));
	ld_free(&l);
	/* Lexing goes on after an unterminated string, on the next line. */
	LOAD(&l, "web { path = \"/x;\n persits; }\n");
	assert_non_null(strstr(l.msgs, "unknown parameter \"persits\""));
	ld_free(&l);
}

static void test_bad_bytes(void **state)
{
	struct conf_memfile mem[1] = { { "jail.conf", "web {\n\tpath = \"a\0b\";\n}\n", 22 } };
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .mem = mem, .nmem = 1 };
	struct conf *c;
	struct diag d = { 0 };
	struct ld l;

	(void)state;
	assert_int_equal(conf_load(&src, &c, &d), -1);
	assert_string_equal(d.msgs[0].text, "jail.conf:2:11: error: NUL byte in the file");
	diag_free(&d);
	LOAD(&l, "web {\n  host.hostname = \"\xc3\xa9t\xc3\xa9\";\n}\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "host.hostname"), "\xc3\xa9t\xc3\xa9");
	ld_free(&l);
	LOAD(&l, "web {\n  host.hostname = \"\xc3(\";\n}\n");
	assert_error(&l, "jail.conf:2:20: error: invalid UTF-8 (byte 0xc3)");
	ld_free(&l);
	/* Overlong forms and surrogates are invalid too. */
	LOAD(&l, "# \xc0\xaf \n");
	assert_error(&l, "invalid UTF-8 (byte 0xc0)");
	ld_free(&l);
	LOAD(&l, "# \xed\xa0\x80\n");
	assert_error(&l, "invalid UTF-8 (byte 0xed)");
	ld_free(&l);
	/* A value is checked again only when an escape or the command line
	 * may have brought bytes the file's check never saw. */
	LOAD(&l, "web {\n  host.hostname = \"\\xc3\\xa9t\\303\\251\";\n}\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "host.hostname"), "\xc3\xa9t\xc3\xa9");
	ld_free(&l);
	for (size_t i = 0; i < 2; i++) {
		LOAD(&l, i ? "web {\n  host.hostname = \"a\\377b\";\n}\n" :
			     "web {\n  host.hostname = \"a\\xffb\";\n}\n");
		assert_error(&l, "jail.conf:2:3: error: web: host.hostname: value is not valid UTF-8");
		ld_free(&l);
	}
	{
		char *cmd[] = { "host.hostname=a\xc3(" };

		ld_load(&l, CONF_SCHEMA_JAILS, cmd, 1, "jail.conf", "web { path = /j; }\n", (char *)NULL);
		assert_error(&l, "error: web: host.hostname: value is not valid UTF-8");
		ld_free(&l);
	}
	/* A NUL or a byte of 0x80 or more at each place of an eight-byte
	 * step of the check is found, at its column. */
	for (int k = 1; k < 20; k++) {
		char text[24], want[64];

		memset(text, 'a', sizeof(text));
		text[0] = '#';
		for (int bad = 0; bad < 2; bad++) {
			text[k] = bad ? '\xff' : '\0';
			mem[0] = (struct conf_memfile){ "jail.conf", text, sizeof(text) };
			assert_int_equal(conf_load(&src, &c, &d), -1);
			snprintf(want, sizeof(want), "jail.conf:1:%d: error: %s", k + 1,
				 bad ? "invalid UTF-8 (byte 0xff)" : "NUL byte in the file");
			assert_string_equal(d.msgs[0].text, want);
			diag_free(&d);
			text[k] = 'a';
		}
	}
	/* A too large file is refused from its size. */
	mem[0] = (struct conf_memfile){ "jail.conf", "", 100u << 20 };
	assert_int_equal(conf_load(&src, &c, &d), -1);
	assert_string_equal(d.msgs[0].text, "jail.conf: error: file too large");
	diag_free(&d);
}

static void test_unknown_parameters(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "web { persits; ip4_addr = 1; exec.prestrat = x; frobnicate; }\n");
	assert_error(&l, "jail.conf:1:7: error: unknown parameter \"persits\"; did you mean \"persist\"?");
	assert_non_null(strstr(l.msgs, "unknown parameter \"ip4_addr\"; did you mean \"ip4.addr\"?"));
	assert_non_null(strstr(l.msgs, "unknown parameter \"exec.prestrat\"; did you mean \"exec.prestart\"?"));
	assert_non_null(strstr(l.msgs, "unknown parameter \"frobnicate\"\n"));
	ld_free(&l);
}

/* What Linux cannot honour: one warning per jail and parameter, where it
 * was last set, naming why. */
static void test_ignored_warnings(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "allow.quotas;\na { allow.quotas; enforce_statfs = 1; allow.mount; }\n"
		 "b { osrelease = x; userns; allow.mount; enforce_statfs = 2; }\n");
	assert_ok(&l);
	assert_string_equal(l.msgs,
		"jail.conf:2:5: warning: a: allow.quotas: ignored on Linux: quotactl(2) acts on the host's "
		"file system: refused in a jail\n"
		"jail.conf:2:39: warning: a: allow.mount: ignored on Linux without userns: it would need "
		"CAP_SYS_ADMIN over the host (with userns, over the jail's own namespaces)\n"
		"jail.conf:2:19: warning: a: enforce_statfs: 1 is not honoured on Linux: the jail's own "
		"mount namespace shows only its own mounts (2)\n"
		"jail.conf:1:1: warning: b: allow.quotas: ignored on Linux: quotactl(2) acts on the host's "
		"file system: refused in a jail\n"
		"jail.conf:3:5: warning: b: osrelease: ignored on Linux: uname(2) shows the host kernel's "
		"release: another one needs a resident process or a kernel module\n");
	assert_true(conf_param(J(&l, "a"), "allow.quotas")->ignored);
	assert_false(conf_param(J(&l, "a"), "name")->ignored);
	ld_free(&l);
}

static void test_cmdline(void **state)
{
	char *cmd[] = { "persist", "exec.start+=extra", "ip4.addr=1.1.1.1,2.2.2.2", "host.hostname=h,x",
			"allow.nomount" };
	struct ld l;

	(void)state;
	ld_load(&l, CONF_SCHEMA_JAILS, cmd, 5, "jail.conf",
		"exec.start = rc;\na { nopersist; allow.mount; }\n* { host.hostname = w; }\nb { }\n",
		(char *)NULL);
	assert_ok(&l);
	/* After the files, for every jail. */
	assert_string_equal(V(&l, "a", "persist"), "true");
	assert_string_equal(V(&l, "b", "exec.start"), "rc|extra");
	assert_string_equal(V(&l, "a", "ip4.addr"), "1.1.1.1|2.2.2.2");
	assert_string_equal(V(&l, "a", "host.hostname"), "h,x");
	assert_string_equal(V(&l, "a", "allow.mount"), "false");
	ld_free(&l);
}

static void test_cmdline_only(void **state)
{
	char *cmd[] = { "path=/", "name=x", "persist", "ip4.addr=10.0.0.1" };
	char *noname[] = { "path=/" };
	char *bad[] = { "name=x", "persits", "=v" };
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .cmdline = cmd, .ncmdline = 4 };
	struct conf *c;
	struct diag d = { 0 };

	(void)state;
	/* jail -c name=x path=/ ...: one jail from the parameters alone. */
	assert_int_equal(conf_load(&src, &c, &d), 0);
	assert_int_equal(c->njails, 1);
	assert_string_equal(c->jails[0].name, "x");
	assert_string_equal(conf_str(&c->jails[0], "path"), "/");
	assert_true(conf_bool(&c->jails[0], "persist", false));
	assert_null(c->jails[0].file);
	conf_free(c);
	diag_free(&d);

	src.cmdline = noname;
	src.ncmdline = 1;
	assert_int_equal(conf_load(&src, &c, &d), -1);
	assert_string_equal(d.msgs[0].text, "command line: error: no jail name: give name=NAME");
	diag_free(&d);

	src.cmdline = bad;
	src.ncmdline = 3;
	assert_int_equal(conf_load(&src, &c, &d), -1);
	assert_string_equal(d.msgs[0].text,
			    "command line: error: unknown parameter \"persits\"; did you mean \"persist\"?");
	assert_string_equal(d.msgs[1].text, "command line: error: \"=v\": missing parameter name");
	diag_free(&d);
}

static void test_depend(void **state)
{
	struct ld l;

	(void)state;
	/* The start order: core's plan (test_core_depend.c). */
	LOAD(&l, "web { depend = db, cache; }\ndb { depend = store; }\ncache { }\nstore { }\nlone { }\n");
	assert_ok(&l);
	ld_free(&l);

	/* A warning: web alone fails to start (jail(8)). */
	LOAD(&l, "web { depend = nowhere; }\n");
	assert_ok(&l);
	assert_non_null(strstr(l.msgs, "jail.conf:1:7: warning: web: depend: depends on undefined jail \"nowhere\""));
	ld_free(&l);
	LOAD(&l, "a { depend = b; }\nb { depend = a; }\nc { depend = c; }\n");
	assert_error(&l, "jail.conf:2:5: error: b: depend: dependency loop: a -> b -> a");
	assert_non_null(strstr(l.msgs, "c: depend: dependency loop: c -> c"));
	ld_free(&l);
}

/* Load files isolated; the first error of each jail, "-" for none, as
 * "a=ERR b=- ..." in definition order. */
static char *isolated(const char *main_text, const char *inc_text, int *rc)
{
	const struct conf_memfile mem[] = {
		{ "jail.conf", main_text, strlen(main_text) },
		{ "inc.conf", inc_text, strlen(inc_text) },
	};
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .mem = mem, .nmem = 2, .isolate = true };
	struct strbuf sb = STRBUF_INIT;
	struct diag d = { 0 };
	struct conf *c = NULL;

	*rc = conf_load(&src, &c, &d);
	for (size_t i = 0; c && i < c->njails; i++)
		sb_addf(&sb, "%s%s=%s", i ? " " : "", c->jails[i].name,
			c->jails[i].error ? c->jails[i].error : "-");
	conf_free(c);
	diag_free(&d);
	return sb.s ? sb_steal(&sb) : strdup("");
}

static void test_isolation(void **state)
{
	char *s;
	int rc;

	(void)state;
	/* Errors in a block, in a file a block includes: those jails only. */
	s = isolated("* { path = /j; persist; }\na { persits; }\nb { .include \"inc.conf\"; }\nc { }\n"
		     "d { depend = a; }\n", "bogus = 1;\n", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "a=jail.conf:2:5: error: unknown parameter \"persits\"; did you mean "
			    "\"persist\"? b=inc.conf:1:1: error: unknown parameter \"bogus\" c=- d=-");
	free(s);
	/* A block not closed: every jail of the file. */
	s = isolated("x { persist; }\ny { persist;\nz { }\n", "", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "x=jail.conf:2:1: error: missing '}': block \"y\" is not closed "
			    "y=jail.conf:2:1: error: missing '}': block \"y\" is not closed "
			    "y.z=jail.conf:2:1: error: missing '}': block \"y\" is not closed");
	free(s);
	/* An error in a wildcard, or at the top of the file: the jails it
	 * applies to / of the file. */
	s = isolated("q.* { persits; }\nq.r { }\ns { }\n", "", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "q.r=jail.conf:1:7: error: unknown parameter \"persits\"; did you mean "
			    "\"persist\"? s=-");
	free(s);
	s = isolated("persits;\nt { }\n", "", &rc);
	assert_string_equal(s, "t=jail.conf:1:1: error: unknown parameter \"persits\"; did you mean "
			    "\"persist\"?");
	free(s);
	/* A jail's own resolution and checks, and a duplicate: those jails. */
	s = isolated("u { persist = maybe; }\nv { }\nv { }\nw { path = $nope; }\n", "", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "u=jail.conf:1:5: error: u: persist: unknown boolean value \"maybe\""));
	assert_non_null(strstr(s, "v=jail.conf:3:1: error: jail \"v\" is already defined at jail.conf:2"));
	assert_non_null(strstr(s, "w=jail.conf:4:12: error: w: path: variable \"nope\" not found"));
	free(s);
	/* An include loop belongs to no jail: the load fails. */
	s = isolated(".include \"inc.conf\";\na { }\n", ".include \"jail.conf\";\n", &rc);
	assert_int_equal(rc, -1);
	free(s);
}

static void test_names(void **state)
{
	struct ld l;

	(void)state;
	assert_null(conf_name_invalid("web"));
	assert_null(conf_name_invalid("a.b-c_d"));
	assert_null(conf_name_invalid("5"));
	assert_string_equal(conf_name_invalid(""), "empty");
	assert_string_equal(conf_name_invalid("a/b"), "contains '/'");
	assert_string_equal(conf_name_invalid(".."), "contains '..'");
	assert_string_equal(conf_name_invalid("a..b"), "contains '..'");
	assert_string_equal(conf_name_invalid(".a"), "starts with '.'");
	assert_string_equal(conf_name_invalid("a."), "ends with '.'");
	assert_string_equal(conf_name_invalid("a b"), "contains whitespace");
	assert_string_equal(conf_name_invalid("a\tb"), "contains whitespace");
	assert_string_equal(conf_name_invalid("a\x1b"), "contains a control character");
	assert_null(conf_name_invalid("0123456789012345678901234567890123456789012345678901234567890123"));
	assert_string_equal(conf_name_invalid("01234567890123456789012345678901234567890123456789012345678901234"),
			    "longer than 64 bytes");

	/* a.b is the child b of a (jail(8)'s hierarchical jails). */
	assert_int_equal(conf_name_parent_len("a.b"), 1);
	assert_int_equal(conf_name_parent_len("a.b.c"), 3);
	assert_int_equal(conf_name_parent_len("web"), 0);
	assert_true(conf_name_below("a.b", "a"));
	assert_true(conf_name_below("a.b.c", "a"));
	assert_true(conf_name_below("a.b.c", "a.b"));
	assert_false(conf_name_below("ab", "a"));
	assert_false(conf_name_below("a", "a"));
	assert_false(conf_name_below("a.", "a"));
	assert_false(conf_name_below("b.a", "a"));
	assert_false(conf_name_below("a.b", ""));

	LOAD(&l, "web { } db { } web { }\n");
	assert_error(&l, "jail.conf:1:16: error: jail \"web\" is already defined at jail.conf:1");
	ld_free(&l);
	LOAD(&l, "\"a b\" { }\n");
	assert_error(&l, "jail.conf:1:1: error: invalid jail name \"a b\": contains whitespace");
	ld_free(&l);
}

static void test_lists_and_commands(void **state)
{
	struct ld l;

	(void)state;
	/* An empty string in a list does nothing (jail(8) skips it:
	 * commands, mount, vnet.interface, interface aliases): dropped. */
	LOAD(&l, "exec.start = \"/bin/sh /etc/rc\";\nweb { exec.start = \"\"; exec.stop = '', x; "
		 "mount.fstab = \"\"; vnet.interface = \"\"; mount = \"\"; "
		 "mount += \"/a /b nullfs ro 0 0\"; ip4.addr = \"\"; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "exec.start"), "");
	assert_int_equal(conf_param(J(&l, "web"), "exec.start")->nvalues, 0);
	assert_string_equal(V(&l, "web", "exec.stop"), "x");
	assert_int_equal(conf_param(J(&l, "web"), "mount.fstab")->nvalues, 0);	/* a list too */
	assert_int_equal(conf_param(J(&l, "web"), "vnet.interface")->nvalues, 0);
	assert_string_equal(V(&l, "web", "mount"), "/a /b nullfs ro 0 0");
	assert_int_equal(conf_param(J(&l, "web"), "ip4.addr")->nvalues, 0);
	ld_free(&l);
	/* A scalar keeps the last of several values. */
	LOAD(&l, "web { path = /a, /b; host.hostname; }\n");
	assert_ok(&l);
	assert_string_equal(V(&l, "web", "path"), "/b");
	assert_string_equal(V(&l, "web", "host.hostname"), "");
	ld_free(&l);
}

static void test_networks_schema(void **state)
{
	struct ld l;

	(void)state;
	ld_load(&l, CONF_SCHEMA_NETWORKS, NULL, 0, "networks.conf",
		"nat;\nbridge0 { ip4.addr = 10.10.0.1/24; mtu = 1500; }\n"
		"lab { isolate; nonat; ip6.addr = fd00::1/64; }\n", (char *)NULL);
	assert_ok(&l);
	assert_string_equal(NAMES(&l), "bridge0,lab");
	assert_string_equal(V(&l, "bridge0", "nat"), "true");
	assert_string_equal(V(&l, "lab", "nat"), "false");
	assert_string_equal(V(&l, "bridge0", "mtu"), "1500");
	ld_free(&l);
	ld_load(&l, CONF_SCHEMA_NETWORKS, NULL, 0, "networks.conf", "br { path = /; mtu = big; }\n",
		(char *)NULL);
	assert_error(&l, "unknown parameter \"path\"");
	assert_non_null(strstr(l.msgs, "br: mtu: non-integer value \"big\""));
	ld_free(&l);
}

static void test_all_errors(void **state)
{
	struct ld l;

	(void)state;
	LOAD(&l, "web {\n persits;\n path = \"$nope\";\n stop.timeout = x;\n depend = gone;\n}\n"
		 "\"a/b\" { }\nweb { }\n");
	assert_int_equal(l.rc, -1);
	/* depend = gone is a warning. */
	assert_int_equal(l.d.nerrors, 5);
	ld_free(&l);
}

static void test_params_table(void **state)
{
	size_t n;
	const struct conf_pdef *t;

	(void)state;
	for (int s = CONF_SCHEMA_JAILS; s <= CONF_SCHEMA_NETWORKS; s++) {
		t = conf_pdefs((enum conf_schema)s, &n);
		for (size_t i = 1; i < n; i++)
			assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
		for (size_t i = 0; i < n; i++) {
			assert_ptr_equal(conf_pdef_find((enum conf_schema)s, t[i].name), &t[i]);
			assert_non_null(t[i].doc);
			/* Every jail parameter says what it is on Linux. */
			if (s == CONF_SCHEMA_JAILS)
				assert_non_null(t[i].linux);
		}
	}
	/* The types issue 2 names. */
	static const char *const lists[] = { "ip4.addr", "ip6.addr", "vnet.interface", "mount", "depend",
					     "rdr", "command", "exec.start", "exec.stop", "exec.prestart",
					     "exec.poststart", "exec.prestop", "exec.poststop",
					     "exec.created", "exec.prepare", "exec.release" };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		assert_int_equal(conf_pdef_find(CONF_SCHEMA_JAILS, lists[i])->type, CONF_LIST);
	/* One veth pair per bridge (a compose service on several networks). */
	assert_int_equal(conf_pdef_find(CONF_SCHEMA_JAILS, "vnet.bridge")->type, CONF_LIST);
	assert_true(conf_pdef_find(CONF_SCHEMA_JAILS, "rdr")->flags & CONF_PF_BRIG);
	assert_int_equal(conf_pdef_find(CONF_SCHEMA_JAILS, "ip4.defaultrouter")->type, CONF_STRING);
	assert_int_equal(conf_pdef_find(CONF_SCHEMA_JAILS, "ip6.defaultrouter")->type, CONF_STRING);
	assert_false(conf_pdef_find(CONF_SCHEMA_JAILS, "devfs_ruleset")->flags & CONF_PF_IGNORED);
	/* A routing table of the jail's sockets (issue 20). */
	assert_false(conf_pdef_find(CONF_SCHEMA_JAILS, "exec.fib")->flags & CONF_PF_IGNORED);
	static const char *const ignored[] = { "allow.read_msgbuf", "allow.quotas", "osrelease",
					       "osreldate", "cpuset.id" };
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		assert_true(conf_pdef_find(CONF_SCHEMA_JAILS, ignored[i])->flags & CONF_PF_IGNORED);
	assert_null(conf_pdef_find(CONF_SCHEMA_JAILS, "nopersist"));
	assert_int_equal(conf_pdef_find(CONF_SCHEMA_NETWORKS, "mtu")->type, CONF_INT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_types),
		cmocka_unit_test(test_fib_range),
		cmocka_unit_test(test_statement_forms),
		cmocka_unit_test(test_nested_blocks),
		cmocka_unit_test(test_global_placement),
		cmocka_unit_test(test_wildcards),
		cmocka_unit_test(test_quoting_and_escapes),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_numeric_names),
		cmocka_unit_test(test_immutable),
		cmocka_unit_test(test_variable_names),
		cmocka_unit_test(test_variable_errors),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_include_depth),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_unknown_parameters),
		cmocka_unit_test(test_ignored_warnings),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_cmdline_only),
		cmocka_unit_test(test_depend),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lists_and_commands),
		cmocka_unit_test(test_networks_schema),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_params_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
