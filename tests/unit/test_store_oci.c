/* Unit tests of what brig reads of container images (store/oci_json.c):
 * whiteout names, digests, platform and name choice, configs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "store/oci.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void wh(const char *path, int kind, const char *target)
{
	char *t = NULL;

	assert_int_equal(oci_whiteout(path, &t), kind);
	if (target)
		assert_string_equal(t, target);
	else
		assert_null(t);
	free(t);
}

static void test_whiteout(void **state)
{
	(void)state;
	wh("bin/ls", OCI_WH_NONE, NULL);
	wh("bin/.whatever", OCI_WH_NONE, NULL);
	wh("bin/.wh.ls", OCI_WH_FILE, "bin/ls");
	wh(".wh.etc", OCI_WH_FILE, "etc");
	wh("a/b/.wh..hidden", OCI_WH_FILE, "a/b/.hidden");
	wh("a/.wh..wh..opq", OCI_WH_OPAQUE, "a");
	wh(".wh..wh..opq", OCI_WH_OPAQUE, "");
	wh("a/.wh..wh.plnk", OCI_WH_META, NULL);
	/* Names that remove nothing, or the directory above. */
	wh("a/.wh.", -1, NULL);
	wh("a/.wh..", -1, NULL);
	wh("a/.wh...", -1, NULL);
	wh(".wh..", -1, NULL);
}

static void test_digest(void **state)
{
	(void)state;
	assert_true(oci_digest_valid("sha256:" D64));
	assert_false(oci_digest_valid("sha256:" D64 "0"));
	assert_false(oci_digest_valid("sha512:" D64));
	assert_false(oci_digest_valid("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_false(oci_digest_valid("sha256:../../../../etc/passwd/0123456789abcdef0123456789abcdef012345"));
	assert_false(oci_digest_valid(NULL));
}

#define DESC(arch, ref) "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," \
	"\"digest\":\"sha256:" D64 "\",\"size\":10" arch ref "}"
#define PLAT(a) ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" a "\"}"
#define REF(r) ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" r "\"}"

static void test_pick(void **state)
{
	const char *multi = "{\"manifests\":[" DESC(PLAT("arm64"), "") "," DESC(PLAT("amd64"), "") "]}";
	const char *refs = "{\"manifests\":[" DESC("", REF("a")) "," DESC("", REF("b")) "]}";
	struct brig_err e;
	struct oci_descs d;

	(void)state;
	assert_int_equal(oci_parse_index(multi, strlen(multi), &d, "x", &e), 0);
	assert_int_equal(oci_pick(&d, NULL, "amd64", NULL, "x", &e), 1);
	assert_int_equal(oci_pick(&d, NULL, "arm64", "v8", "x", &e), 0);
	assert_int_equal(oci_pick(&d, NULL, "s390x", NULL, "x", &e), -1);
	assert_non_null(strstr(e.msg, "no image for linux/s390x"));
	oci_descs_free(&d);
	assert_int_equal(oci_parse_index(refs, strlen(refs), &d, "x", &e), 0);
	assert_int_equal(oci_pick(&d, "b", "amd64", NULL, "x", &e), 1);
	assert_int_equal(oci_pick(&d, NULL, "amd64", NULL, "x", &e), -1);
	assert_non_null(strstr(e.msg, "holds 2 images"));
	oci_descs_free(&d);
	/* A digest that is a path, a foreign layer, a missing size. */
	assert_int_equal(oci_parse_index("{\"manifests\":[{\"digest\":\"sha256:../x\",\"size\":1}]}", 49,
					 &d, "x", &e), -1);
	assert_non_null(strstr(e.msg, "is not sha256:"));
	{
		const char *f = "{\"manifests\":[{\"digest\":\"sha256:" D64 "\",\"size\":1,\"urls\":[\"http://x\"]}]}";

		assert_int_equal(oci_parse_index(f, strlen(f), &d, "x", &e), -1);
		assert_non_null(strstr(e.msg, "foreign layer"));
	}
	{
		const char *f = "{\"manifests\":[{\"digest\":\"sha256:" D64 "\"}]}";

		assert_int_equal(oci_parse_index(f, strlen(f), &d, "x", &e), -1);
		assert_non_null(strstr(e.msg, "no valid size"));
	}
}

static void test_config(void **state)
{
	const char *j = "{\"config\":{\"Entrypoint\":[\"/bin/sh\",\"-c\"],\"Cmd\":[\"run\"],"
			"\"Env\":[\"A=1\"],\"WorkingDir\":\"\",\"User\":\"app\","
			"\"ExposedPorts\":{\"80/tcp\":{}},\"Labels\":{\"k\":\"v\"}},"
			"\"rootfs\":{\"diff_ids\":[\"sha256:" D64 "\"]}}";
	struct image_config c;
	struct brig_err e;

	(void)state;
	assert_int_equal(image_config_parse(j, strlen(j), &c, "x", &e), 0);
	assert_int_equal(c.nentrypoint, 2);
	assert_string_equal(c.cmd[0], "run");
	assert_string_equal(c.env[0], "A=1");
	assert_null(c.workdir);	/* "" is none */
	assert_string_equal(c.user, "app");
	assert_string_equal(c.ports[0], "80/tcp");
	assert_string_equal(c.labels[0], "k=v");
	assert_int_equal(c.ndiff_ids, 1);
	image_config_free(&c);
	j = "{\"config\":{\"Env\":\"A=1\"}}";
	assert_int_equal(image_config_parse(j, strlen(j), &c, "x", &e), -1);
	assert_non_null(strstr(e.msg, "\"Env\" is not a list of strings"));
	/* A NUL in a string: jansson refuses it (and brig would). */
	j = "{\"config\":{\"User\":\"a\\u0000b\"}}";
	assert_int_equal(image_config_parse(j, strlen(j), &c, "x", &e), -1);
}

/* What brig create writes from an image: literal values, no /etc/rc. */
static void test_jailconf(void **state)
{
	const char *j = "{\"config\":{\"Entrypoint\":[\"/bin/sh\",\"-c\"],"
			"\"Cmd\":[\"echo \\\"$HOME\\\" 'x'\"],"
			"\"Env\":[\"A=${b} \\\"c\\\"\",\"NOVALUE\",\"P=/bin\",\"\"],\"WorkingDir\":\"/srv\","
			"\"User\":\"app:staff\",\"StopSignal\":\"SIGQUIT\","
			"\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{},\"x/tcp\":{}},"
			"\"Volumes\":{\"/data\":{}},\"Labels\":{\"k\":\"v\\nw\"}}}";
	struct image_config c;
	struct brig_err e;
	char *text;

	(void)state;
	assert_int_equal(image_config_parse(j, strlen(j), &c, "x", &e), 0);
	text = jailconf_render("db", "/s/jails/db/root", "pg", "overlay", &c, NULL, 0, &e);
	assert_non_null(text);
	assert_null(strstr(text, "\texec.start"));
	assert_null(strstr(text, "\texec.stop ="));
	assert_non_null(strstr(text, "\tmount.devfs;\n"));
	/* The words as they are, each quoted for jail.conf alone. */
	assert_non_null(strstr(text, "\texec.service = \"/bin/sh\", \"-c\", \"echo \\\"\\$HOME\\\" 'x'\";\n"));
	assert_null(strstr(text, "\tcommand"));
	assert_non_null(strstr(text, "\texec.env = \"A=\\${b} \\\"c\\\"\",\n\t    \"P=/bin\";\n"));
	assert_non_null(strstr(text, "\t# Left out of the image's Env (not NAME=value): NOVALUE\n"));
	assert_non_null(strstr(text, "\texec.workdir = \"/srv\";\n"));
	assert_non_null(strstr(text, "\texec.jail_user = \"app\";\n"));
	assert_non_null(strstr(text, "\texec.stop.signal = \"SIGQUIT\";\n"));
	assert_non_null(strstr(text, "\t#rdr = \"tcp 80 80\";\n"));
	assert_non_null(strstr(text, "\t#rdr = \"udp 53 53\";\n"));
	assert_null(strstr(text, "rdr = \"tcp x"));
	assert_non_null(strstr(text, "keeps its data in /data"));
	assert_non_null(strstr(text, "\t#   k=v?w\n"));
	free(text);
	image_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whiteout),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_jailconf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
