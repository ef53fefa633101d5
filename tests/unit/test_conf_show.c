/* Unit tests of `brig config show`'s output: the JSON shape, and jail.conf
 * text that loads back to the same jails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "conf_helpers.h"
#include "util/json.h"

/* Every jail of c as one JSON array. */
static char *to_json(const struct conf *c)
{
	struct strbuf sb = STRBUF_INIT;
	struct json w;

	json_init(&w, &sb, false);
	json_arr_begin(&w);
	for (size_t i = 0; i < c->njails; i++)
		conf_jail_json(&c->jails[i], &w);
	json_arr_end(&w);
	return sb_steal(&sb);
}

static char *to_text(const struct conf *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->njails; i++)
		conf_jail_text(&c->jails[i], &sb);
	return sb_steal(&sb);
}

static void test_json_shape(void **state)
{
	struct ld l;
	char *json;

	(void)state;
	LOAD(&l, "$v = x;\nweb { path = \"/j/$name\"; persist; ip4.addr = 10.1.1.1, 10.1.1.2; "
		 "securelevel = 2; allow.nomount; exec.start = \"a \\\"q\\\"\"; }\n7 { }\n");
	assert_int_equal(l.rc, 0);
	json = to_json(l.c);
	assert_string_equal(json,
			    "[{\"name\":\"web\",\"params\":{\"name\":\"web\",\"path\":\"/j/web\","
			    "\"persist\":true,\"ip4.addr\":[\"10.1.1.1\",\"10.1.1.2\"],"
			    "\"securelevel\":\"2\",\"allow.mount\":false,\"exec.start\":[\"a \\\"q\\\"\"]}},"
			    "{\"name\":\"7\",\"params\":{\"name\":\"7\",\"jid\":\"7\"}}]");
	free(json);
	ld_free(&l);
}

static void test_text(void **state)
{
	struct ld l;
	char *text;

	(void)state;
	LOAD(&l, "web { path = /j/web; persist; mount.nodevfs; ip4.addr = 10.1.1.1, \"a b\"; "
		 "exec.start = '$HOME\\t\\\\'; vnet; }\n");
	assert_int_equal(l.rc, 0);
	text = to_text(l.c);
	assert_string_equal(text, "# jail.conf:1\n"
				  "web {\n"
				  "\tpath = \"/j/web\";\n"
				  "\tpersist;\n"
				  "\tmount.devfs = false;\n"
				  "\tip4.addr = 10.1.1.1, \"a b\";\n"
				  "\texec.start = \"\\$HOME\\t\\\\\";\n"
				  "\tvnet = new;\n"
				  "}\n");
	free(text);
	ld_free(&l);
}

/* What show prints loads back to the same jails. */
static void test_text_round_trip(void **state)
{
	static const char src[] =
		"exec.start = \"/bin/sh /etc/rc\";\n"
		"$top = jails;\npath = \"/$top\";\n"
		"$q = \"it's \\\"quoted\\\" $ and \\\\ \\x01 \\n end\";\n"
		"web { host.hostname = $q; ip4.addr = lo0|10.0.0.1/24, 10.0.0.2; depend = db; }\n"
		"db { nopersist; exec.start += \"more\"; mount = \"\"; exec.stop = ''; }\n"
		"42 { } 07 { } zero { jid = 9; } a { b { vnet = inherit; } }\n"
		"x { host.hostname = \"caf\xc3\xa9\"; children.max = 010; stop.timeout = -3; }\n";
	struct ld a, b;
	char *text, *ja, *jb;

	(void)state;
	LOAD(&a, src);
	if (a.rc != 0)
		fprintf(stderr, "%s", a.msgs);
	assert_int_equal(a.rc, 0);
	text = to_text(a.c);
	LOAD(&b, text);
	if (b.rc != 0)
		fprintf(stderr, "%s\n---\n%s", text, b.msgs);
	assert_int_equal(b.rc, 0);
	ja = to_json(a.c);
	jb = to_json(b.c);
	assert_string_equal(ja, jb);
	free(text);
	free(ja);
	free(jb);
	ld_free(&a);
	ld_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
