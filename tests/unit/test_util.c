/* Unit tests for util/: errors, strbuf, JSON writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "util/err.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/strbuf.h"

static void test_err_chain(void **state)
{
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(brig_err_set(&e, ENOENT, "creating veth `%s`", "epair_webb"), -1);
	brig_err_wrap(&e, "vnet");
	brig_err_wrap(&e, "%s: start", "web");
	assert_string_equal(e.msg, "web: start: vnet: creating veth `epair_webb`: No such file or directory");
	assert_int_equal(e.errnum, ENOENT);
}

static void test_err_truncates(void **state)
{
	struct brig_err e = { 0 };
	char big[4096];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	brig_err_set(&e, 0, "%s", big);
	brig_err_wrap(&e, "ctx");
	assert_int_equal(strlen(e.msg), BRIG_ERR_MAX - 1);
	assert_memory_equal(e.msg, "ctx: xxx", 8);
}

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 2000);
	s = sb_steal(&sb);
	assert_memory_equal(s, "0,1,2,", 6);
	free(s);
	s = sb_steal(&sb);
	assert_string_equal(s, "");
	free(s);
}

static void test_json(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	(void)state;
	json_init(&j, &sb, false);
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_key(&j, "name");
	json_str(&j, "we\"b\n\x01");
	json_key(&j, "params");
	json_obj_begin(&j);
	json_key(&j, "persist");
	json_bool(&j, true);
	json_key(&j, "ip4.addr");
	json_arr_begin(&j);
	json_str(&j, "10.1.1.1");
	json_str(&j, "10.1.1.2");
	json_arr_end(&j);
	json_key(&j, "empty");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	json_int(&j, -3);
	json_arr_end(&j);
	assert_string_equal(sb.s, "[{\"name\":\"we\\\"b\\n\\u0001\",\"params\":{\"persist\":true,"
				  "\"ip4.addr\":[\"10.1.1.1\",\"10.1.1.2\"],\"empty\":[]}},-3]");
	sb_free(&sb);
}

static void test_json_utf8(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	json_quote(&sb, "caf\xc3\xa9 \xff \xed\xa0\x80");
	assert_string_equal(sb.s, "\"caf\xc3\xa9 \\ufffd \\ufffd\\ufffd\\ufffd\"");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_chain),
		cmocka_unit_test(test_err_truncates),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
