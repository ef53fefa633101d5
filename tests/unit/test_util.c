/* Unit tests for util/: errors, strbuf, JSON writer, bounded reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/readfile.h"
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

/* read_bounded: regular files up to the bound, everything else refused
 * with what it is; nothing waits on a FIFO. */
static void test_read_bounded(void **state)
{
	char dir[] = "/tmp/brig-test-read.XXXXXX", p[128];
	struct brig_err e = { 0 };
	char *text;
	size_t len;
	int root, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	root = open(dir, O_PATH | O_DIRECTORY);
	assert_true(root >= 0);
	snprintf(p, sizeof(p), "%s/ten", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_int_equal(read_bounded(root, "ten", READ_BENEATH, 10, &text, &len, &e), 0);
	assert_int_equal(len, 10);
	assert_string_equal(text, "0123456789");
	free(text);
	assert_int_equal(read_bounded(root, "/ten", READ_BENEATH, 9, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/ten: 10 bytes, more than the 9 allowed");
	snprintf(p, sizeof(p), "%s/sparse", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(ftruncate(fd, 2LL << 30), 0);
	close(fd);
	assert_int_equal(read_bounded(root, "sparse", READ_AT, 1 << 20, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "sparse: 2147483648 bytes, more than the 1048576 allowed");
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(read_bounded(root, "fifo", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "fifo: a FIFO, not a regular file");
	assert_int_equal(read_bounded(root, ".", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, ".: a directory, not a regular file");
	assert_int_equal(read_bounded(AT_FDCWD, "/dev/zero", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/dev/zero: a character device, not a regular file");
	/* A symlink: not followed where it is read; refused beneath a root. */
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink("ten", p), 0);
	assert_int_equal(read_bounded(root, "link", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "link: a symlink, not a regular file");
	assert_int_equal(read_bounded(root, "link", READ_PATH, 100, &text, NULL, &e), 0);
	assert_string_equal(text, "0123456789");
	free(text);
	snprintf(p, sizeof(p), "%s/fifolink", dir);
	assert_int_equal(symlink("fifo", p), 0);
	assert_int_equal(read_bounded(root, "fifolink", READ_PATH, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "fifolink: a FIFO, not a regular file");
	assert_int_equal(read_bounded(root, "link", READ_BENEATH, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/link: a symlink, not a regular file");
	assert_int_equal(read_bounded(root, "../ten", READ_BENEATH, 100, &text, NULL, &e), -1);
	assert_int_equal(read_bounded(root, "missing", READ_BENEATH, 100, &text, NULL, &e), -1);
	assert_int_equal(e.errnum, ENOENT);
	/* Files of /proc say they are empty: read to the end all the same,
	 * and still bounded. */
	assert_int_equal(read_bounded(AT_FDCWD, "/proc/self/status", READ_AT, 1 << 20, &text, NULL, &e), 0);
	assert_non_null(strstr(text, "Name:"));
	free(text);
	assert_int_equal(read_bounded(AT_FDCWD, "/proc/self/status", READ_AT, 16, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/proc/self/status: more than the 16 bytes allowed");
	close(root);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_chain),
		cmocka_unit_test(test_err_truncates),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_read_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
