/* linux.seccomp with libseccomp (oci/seccomp.h). */
#include "oci/seccomp.h"
#include "oci/internal.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"
#include "util/strbuf.h"

static const struct {
	const char *name;
	uint32_t action;	/* ERRNO and TRACE: | the errno */
} actions[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD }, { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS }, { "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0) }, { "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0) },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW }, { "SCMP_ACT_LOG", SCMP_ACT_LOG },
};

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static int fail(struct brig_err *e, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct brig_err *e, const char *where, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_err_set(e, 0, "config.json: linux.seccomp%s: %s", where, msg);
}

/* An action by name, with errnoRet for ERRNO (default EPERM) and TRACE. */
static int action_of(const json_t *o, const char *key, const char *ret_key, const char *where,
		     uint32_t *out, struct brig_err *e)
{
	const json_t *a = json_object_get(o, key), *r = json_object_get(o, ret_key);
	long long ret = 1;	/* EPERM, runc's default */

	if (!json_is_string(a))
		return fail(e, where, "\"%s\" missing or not a string", key);
	if (r && (!json_is_integer(r) || json_integer_value(r) < 0 || json_integer_value(r) > 4095))
		return fail(e, where, "\"%s\" is not an errno", ret_key);
	if (r)
		ret = json_integer_value(r);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (strcmp(actions[i].name, json_string_value(a)) == 0) {
			*out = actions[i].action;
			if (*out == SCMP_ACT_ERRNO(0))
				*out = SCMP_ACT_ERRNO((uint16_t)ret);
			else if (*out == SCMP_ACT_TRACE(0))
				*out = SCMP_ACT_TRACE((uint16_t)ret);
			return 0;
		}
	return fail(e, where, "action \"%s\" is not supported by brig", json_string_value(a));
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token, 0 if unknown. */
static uint32_t arch_of(const char *name)
{
	char low[32];
	size_t i;

	if (strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name + 10) >= sizeof(low))
		return 0;
	for (i = 0; name[10 + i]; i++)
		low[i] = (char)tolower((unsigned char)name[10 + i]);
	low[i] = '\0';
	return seccomp_arch_resolve_name(low);
}

/* The members of o at linux.seccomp's where are all known. */
static int only(const json_t *o, const char *where, const char *const *known, struct brig_err *e)
{
	char at[64];

	snprintf(at, sizeof(at), "linux.seccomp%s", where);
	return oci_only_keys(o, at, known, e);
}

/* Walk the profile: check it, and with ctx add its rules. */
static int walk(const json_t *o, scmp_filter_ctx ctx, uint32_t def, struct brig_err *e)
{
	static const char *const keys[] = { "defaultAction", "defaultErrnoRet", "architectures", "flags",
					    "syscalls", NULL };
	static const char *const rkeys[] = { "names", "action", "errnoRet", "args", "comment", "includes",
					     "excludes", NULL };
	static const char *const akeys[] = { "index", "value", "valueTwo", "op", NULL };
	const json_t *a, *x;
	size_t i;

	if (only(o, "", keys, e) < 0)
		return -1;
	if ((a = json_object_get(o, "flags")) && json_array_size(a))
		return fail(e, ".flags", "not supported by brig");
	a = json_object_get(o, "architectures");
	if (a && !json_is_array(a))
		return fail(e, ".architectures", "not an array");
	json_array_foreach(a, i, x) {
		uint32_t arch = json_is_string(x) ? arch_of(json_string_value(x)) : 0;

		if (!arch)
			return fail(e, ".architectures", "[%zu] is not an architecture", i);
		if (ctx && seccomp_arch_add(ctx, arch) < 0 && seccomp_arch_exist(ctx, arch) != 0)
			return fail(e, ".architectures", "[%zu]: cannot be added", i);
	}
	a = json_object_get(o, "syscalls");
	if (a && !json_is_array(a))
		return fail(e, ".syscalls", "not an array");
	json_array_foreach(a, i, x) {
		char where[40];
		const json_t *names = json_object_get(x, "names"), *args = json_object_get(x, "args"), *n, *g;
		struct scmp_arg_cmp cmp[6];
		uint32_t act;
		size_t k, nargs = 0;

		snprintf(where, sizeof(where), ".syscalls[%zu]", i);
		if (only(x, where, rkeys, e) < 0 || action_of(x, "action", "errnoRet", where, &act, e) < 0)
			return -1;
		if (json_object_get(x, "includes") || json_object_get(x, "excludes"))
			return fail(e, where, "includes/excludes are not supported by brig");
		if (!json_is_array(names))
			return fail(e, where, "\"names\" is not an array");
		if (args && (!json_is_array(args) || json_array_size(args) > 6))
			return fail(e, where, "\"args\": at most 6");
		json_array_foreach(args, k, g) {
			const json_t *op = json_object_get(g, "op");
			size_t m;

			if (only(g, where, akeys, e) < 0 || !json_is_integer(json_object_get(g, "index")) ||
			    json_integer_value(json_object_get(g, "index")) < 0 ||
			    json_integer_value(json_object_get(g, "index")) > 5 || !json_is_string(op))
				return fail(e, where, "args[%zu]: index 0-5 and op needed", k);
			for (m = 0; m < ARRAY_SIZE(ops); m++)
				if (strcmp(ops[m].name, json_string_value(op)) == 0)
					break;
			if (m == ARRAY_SIZE(ops))
				return fail(e, where, "args[%zu]: op \"%s\" is not supported", k,
					    json_string_value(op));
			cmp[nargs++] = (struct scmp_arg_cmp){
				(unsigned)json_integer_value(json_object_get(g, "index")), ops[m].op,
				(scmp_datum_t)json_integer_value(json_object_get(g, "value")),
				(scmp_datum_t)json_integer_value(json_object_get(g, "valueTwo")) };
		}
		json_array_foreach(names, k, n) {
			int nr;

			if (!json_is_string(n))
				return fail(e, where, "names[%zu] is not a string", k);
			/* Unknown to this libseccomp (a newer call): left out, as
			 * runc does; the rule's action equal to the default: no rule. */
			nr = seccomp_syscall_resolve_name(json_string_value(n));
			if (!ctx || nr == __NR_SCMP_ERROR || act == def)
				continue;
			if (seccomp_rule_add_array(ctx, act, nr, (unsigned)nargs, cmp) < 0)
				return fail(e, where, "\"%s\": the rule cannot be added", json_string_value(n));
		}
	}
	return 0;
}

int oci_seccomp_check(const struct json_t *o, struct brig_err *e)
{
	uint32_t def;

	return action_of(o, "defaultAction", "defaultErrnoRet", "", &def, e) < 0 ? -1 : walk(o, NULL, def, e);
}

int oci_seccomp_compile(const char *profile, struct seccomp_prog *p, struct brig_err *e)
{
	json_error_t jerr;
	json_t *o = json_loads(profile, 0, &jerr);
	scmp_filter_ctx ctx = NULL;
	struct strbuf sb = STRBUF_INIT;
	uint32_t def;
	int fd = -1, r = -1;

	memset(p, 0, sizeof(*p));
	if (!o) {
		brig_err_set(e, 0, "linux.seccomp: %s", jerr.text);
		goto out;
	}
	if (action_of(o, "defaultAction", "defaultErrnoRet", "", &def, e) < 0)
		goto out;
	ctx = seccomp_init(def);
	if (!ctx) {
		brig_err_set(e, ENOMEM, "linux.seccomp: seccomp_init");
		goto out;
	}
	/* brig's own filter decides no_new_privs, not this one. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (walk(o, ctx, def, e) < 0)
		goto out;
	fd = memfd_create("brig-oci-seccomp", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || lseek(fd, 0, SEEK_SET) < 0 || read_to_end(fd, &sb) < 0) {
		brig_err_set(e, errno, "linux.seccomp: compiling the profile");
		goto out;
	}
	p->len = sb.len;
	p->bpf = sb_steal(&sb);
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	sb_free(&sb);
	if (ctx)
		seccomp_release(ctx);
	json_decref(o);
	return r;
}
