/* Unit tests of an OCI bundle's config.json as brig's jail model
 * (oci/spec.c): what maps onto which parameter, what is refused by name,
 * what is accepted with a warning. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "conf/model.h"
#include "oci/seccomp.h"
#include "oci/spec.h"

#define BASE_PROCESS \
	"\"process\":{\"user\":{\"uid\":1000,\"gid\":100,\"additionalGids\":[5,6]}," \
	"\"args\":[\"sh\",\"-c\",\"echo hi\"],\"env\":[\"PATH=/bin\",\"A=b c\"],\"cwd\":\"/w\"," \
	"\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_NET_RAW\"],\"effective\":[\"CAP_KILL\"]}," \
	"\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":512}]," \
	"\"noNewPrivileges\":true,\"oomScoreAdj\":100}"
#define NS "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"uts\"}," \
	   "{\"type\":\"mount\"},{\"type\":\"ipc\"}]"

/* A config: the top-level members extra, linux's members lextra. */
static char *config(const char *extra, const char *lextra)
{
	char *s;

	if (asprintf(&s, "{\"ociVersion\":\"1.0.2\"," BASE_PROCESS ",\"root\":{\"path\":\"rootfs\"},"
		     "\"hostname\":\"box\",%s\"linux\":{" NS "%s}}", extra, lextra) < 0)
		abort();
	return s;
}

static int parse(const char *extra, const char *lextra, struct oci_spec *s, struct brig_err *e)
{
	char *c = config(extra, lextra);
	int r = oci_spec_parse(c, strlen(c), "/bundle", "c1", s, e);

	free(c);
	return r;
}

static bool list_has(const struct jail_def *d, enum jparam id, const char *want)
{
	size_t n;
	char *const *v = jd_list(d, id, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], want) == 0)
			return true;
	return false;
}

static void test_model(void **state)
{
	struct oci_spec s;
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(parse("\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
			       "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/srv\","
			       "\"options\":[\"rbind\",\"ro\",\"rprivate\"]},"
			       "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
			       "\"options\":[\"size=1m\",\"mode=1777\"]}],",
			       ",\"resources\":{\"memory\":{\"limit\":67108864,\"swap\":134217728},"
			       "\"pids\":{\"limit\":64},\"cpu\":{\"quota\":50000,\"period\":100000}}",
			       &s, &e), 0);
	assert_string_equal(s.def->name, "c1");
	assert_string_equal(jd_str(s.def, JP_PATH), "/bundle/rootfs");
	assert_true(jd_on(s.def, JP_PERSIST));
	assert_string_equal(jd_str(s.def, JP_META), "oci");
	assert_string_equal(jd_str(s.def, JP_HOST_HOSTNAME), "box");
	assert_true(jd_on(s.def, JP_VNET));
	assert_true(jd_on(s.def, JP_MOUNT_DEVFS));
	assert_true(jd_on(s.def, JP_ALLOW_RAW_SOCKETS));
	assert_false(jd_on(s.def, JP_ALLOW_RESERVED_PORTS));
	assert_true(jd_on(s.def, JP_EXEC_CLEAN));
	assert_string_equal(jd_str(s.def, JP_EXEC_WORKDIR), "/w");
	assert_true(list_has(s.def, JP_EXEC_ENV, "A=b c"));
	assert_true(list_has(s.def, JP_MOUNT, "/srv /bundle/rootfs/data nullfs rbind,ro,X-mount.mkdir"));
	assert_true(list_has(s.def, JP_MOUNT, "tmpfs /bundle/rootfs/tmp tmpfs size=1m,mode=1777,X-mount.mkdir"));
	assert_true(list_has(s.def, JP_RCTL, "memoryuse:deny=67108864"));
	assert_true(list_has(s.def, JP_RCTL, "swapuse:deny=67108864"));
	assert_true(list_has(s.def, JP_RCTL, "maxproc:deny=64"));
	assert_true(list_has(s.def, JP_RCTL, "pcpu:deny=50"));
	assert_string_equal(s.args[2], "echo hi");
	assert_null(s.args[3]);
	assert_int_equal(s.uid, 1000);
	assert_int_equal(s.gid, 100);
	assert_int_equal(s.ngids, 2);
	assert_true(s.no_new_privs);
	assert_true(s.has_oom);
	assert_int_equal(s.oom_score_adj, 100);
	assert_int_equal(s.nrlimits, 1);
	assert_int_equal(s.rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(s.rlimits[0].soft, 512);
	assert_int_equal(s.caps, (1ULL << 5) | (1ULL << 13));
	oci_spec_free(&s);
}

/* Each of these is refused, the message naming the key. */
static void test_refused(void **state)
{
	static const struct {
		const char *extra, *lextra, *want;
	} cases[] = {
		{ "\"solaris\":{},", "", "solaris" },
		{ "\"bogus\":1,", "", "\"bogus\" is not supported" },
		{ "", ",\"intelRdt\":{}", "intelRdt" },
		{ "", ",\"timeOffsets\":{}", "timeOffsets" },
		{ "", ",\"resources\":{\"blockIO\":{}}", "\"blockIO\" is not supported" },
		{ "", ",\"resources\":{\"memory\":{\"kernel\":1}}", "\"kernel\" is not supported" },
		{ "", ",\"resources\":{\"devices\":[{\"allow\":true,\"type\":\"q\"}]}", "devices[0]" },
		{ "", ",\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}]",
		  "linux.devices" },
		{ "", ",\"sysctl\":{\"kernel.core_pattern\":\"|x\"}", "kernel.core_pattern" },
		{ "", ",\"maskedPaths\":[\"/etc/../secret\"]", "/etc/../secret: an absolute path" },
		{ "\"mounts\":[{\"destination\":\"/x\",\"type\":\"nfs\",\"source\":\"a:/b\"}],", "",
		  "mounts[0]: type \"nfs\"" },
		{ "\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/a\","
		  "\"options\":[\"shared\"]}],", "", "option \"shared\"" },
		{ "\"mounts\":[{\"destination\":\"/dev/fuse\",\"type\":\"bind\",\"source\":\"/dev/fuse\"}],", "",
		  "mounts[0]: /dev/fuse" },
		{ "\"mounts\":[{\"destination\":\"/a b\",\"type\":\"bind\",\"source\":\"/a\"}],", "",
		  "blanks" },
		{ "\"hooks\":{\"preStart\":[]},", "", "\"preStart\" is not supported" },
		{ "", ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "action \"SCMP_ACT_NOTIFY\"" },
		{ "", ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/x\"}",
		  "linux.seccomp: \"listenerPath\" is not supported" },
		{ "", ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],"
		  "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":9,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "linux.seccomp.syscalls[0]: args[0]" },
		{ "", ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_PDP11\"]}",
		  "architectures" },
		{ "\"hooks\":{\"prestart\":[{\"path\":\"rel\"}]},", "", "hooks.prestart[0]" },
		{ "\"hooks\":{\"startContainer\":[{\"path\":\"x\"}]},", "", "hooks.startContainer[0]" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oci_spec s;
		struct brig_err e = { 0 };

		if (parse(cases[i].extra, cases[i].lextra, &s, &e) == 0 || !strstr(e.msg, cases[i].want))
			fail_msg("case %zu: got \"%s\", wanted \"%s\"", i, e.msg, cases[i].want);
		oci_spec_free(&s);
	}
}

static void test_refused_process(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"linux\":{" NS "}}", "process: missing" },
		{ "{\"ociVersion\":\"2.0\"}", "ociVersion" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[],"
		  "\"cwd\":\"/\"},\"root\":{\"path\":\"r\"},\"linux\":{" NS "}}", "process.args" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"rel\"},\"root\":{\"path\":\"r\"},\"linux\":{" NS "}}", "process.cwd" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"]}},\"root\":{\"path\":\"r\"},"
		  "\"linux\":{" NS "}}", "CAP_SYS_ADMIN" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"/\",\"scheduler\":{}},\"root\":{\"path\":\"r\"},\"linux\":{" NS "}}", "scheduler" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\",\"hard\":1,\"soft\":1}]},"
		  "\"root\":{\"path\":\"r\"},\"linux\":{" NS "}}", "RLIMIT_BOGUS" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"/\"},\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"time\"}]}}",
		  "time namespace" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"/\"},\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"pid\","
		  "\"path\":\"/proc/1/ns/pid\"}]}}", "joining a pid namespace" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"/\"},\"hostname\":\"h\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[]}}",
		  "hostname: without a uts namespace" },
		{ "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"a\"],"
		  "\"cwd\":\"/\"},\"root\":{\"path\":\"r\",\"readonly\":true},\"linux\":{\"namespaces\":"
		  "[{\"type\":\"user\"}]}}", "root.readonly: with a user namespace" },
		{ "{\"ociVersion\":\"1.0.2\",\"ociVersion\":\"1.0.2\"}", "config.json:1:" },
		{ "not json", "config.json:1:" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oci_spec s;
		struct brig_err e = { 0 };

		if (oci_spec_parse(cases[i].text, strlen(cases[i].text), "/b", "c1", &s, &e) == 0 ||
		    !strstr(e.msg, cases[i].want))
			fail_msg("case %zu: got \"%s\", wanted \"%s\"", i, e.msg, cases[i].want);
		oci_spec_free(&s);
	}
}

/* Accepted, each with a warning naming what brig does instead. */
static void test_warned(void **state)
{
	struct oci_spec s;
	struct brig_err e = { 0 };
	char all[4096] = "";

	(void)state;
	assert_int_equal(parse("\"mounts\":[{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\","
			       "\"source\":\"mqueue\"},{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\","
			       "\"source\":\"cgroup\"}],",
			       ",\"cgroupsPath\":\"/machine/c1\",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"},"
			       "\"maskedPaths\":[\"/proc/kcore\",\"/proc/interrupts\"]",
			       &s, &e), 0);
	oci_spec_free(&s);
	/* containerd's default bounding set (Docker's) holds CAP_MKNOD. */
	{
		const char *c = "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},"
				"\"args\":[\"a\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_MKNOD\","
				"\"CAP_KILL\"],\"effective\":[\"CAP_MKNOD\"]}},\"root\":{\"path\":\"r\"},"
				"\"linux\":{\"namespaces\":[],\"cgroupsPath\":\"/x\","
				"\"maskedPaths\":[\"/proc/kcore\",\"/proc/interrupts\"]},\"mounts\":["
				"{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\"},"
				"{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\"}]}";

		assert_int_equal(oci_spec_parse(c, strlen(c), "/b", "c1", &s, &e), 0);
		assert_int_equal(s.caps, 1ULL << 5);
	}
	for (size_t i = 0; i < s.nwarnings; i++)
		strncat(all, s.warnings[i], sizeof(all) - strlen(all) - 2);
	assert_non_null(strstr(all, "mounts[0]: mqueue"));
	assert_non_null(strstr(all, "mounts[1]: cgroup"));
	assert_non_null(strstr(all, "linux.cgroupsPath"));
	assert_null(strstr(all, "/proc/interrupts"));
	assert_non_null(strstr(all, "CAP_MKNOD is not granted"));
	{
		/* Beyond brig's own list: the jail's mount.masked. */
		size_t n = 0;
		char *const *m = jd_list(s.def, JP_MOUNT_MASKED, &n);

		assert_int_equal(n, 1);
		assert_string_equal(m[0], "/proc/interrupts");
	}
	assert_null(strstr(all, "/proc/kcore"));
	oci_spec_free(&s);
}

/* The bundle's seccomp profile: kept, and compiled by libseccomp. */
static void test_seccomp(void **state)
{
	struct oci_spec s;
	struct brig_err e = { 0 };
	struct seccomp_prog p;

	(void)state;
	assert_int_equal(parse("", ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
			       "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
			       "\"syscalls\":[{\"names\":[\"read\",\"write\",\"no_such_call_at_all\"],"
			       "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"personality\"],\"action\":"
			       "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
			       &s, &e), 0);
	assert_non_null(s.seccomp);
	if (oci_seccomp_compile(s.seccomp, &p, &e) < 0)
		fail_msg("%s", e.msg);
	/* Classic BPF: 8 bytes an instruction, and more than a return. */
	assert_int_equal(p.len % 8, 0);
	assert_true(p.len > 8 * 4);
	free((void *)p.bpf);
	oci_spec_free(&s);
}

/* brig-oci spec's default config parses (rootless: with a user namespace). */
static void test_default(void **state)
{
	(void)state;
	for (int rootless = 0; rootless < 2; rootless++) {
		char *c = oci_spec_default(rootless);
		struct oci_spec s;
		struct brig_err e = { 0 };

		if (oci_spec_parse(c, strlen(c), "/b", "c1", &s, &e) < 0)
			fail_msg("%s", e.msg);
		assert_string_equal(jd_str(s.def, JP_PATH), "/b/rootfs");
		assert_int_equal(s.userns, rootless);
		oci_spec_free(&s);
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_refused_process),
		cmocka_unit_test(test_warned),
		cmocka_unit_test(test_seccomp),
		cmocka_unit_test(test_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
