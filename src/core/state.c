#include "core/state.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/writefile.h"

#define STATE_MAGIC "brig-jail-state 1"

/* Append " value" escaped so that it stays on one line. */
static void add_value(struct strbuf *out, const char *v)
{
	sb_addc(out, ' ');
	for (; *v; v++) {
		if (*v == '\\')
			sb_adds(out, "\\\\");
		else if (*v == '\n')
			sb_adds(out, "\\n");
		else
			sb_addc(out, *v);
	}
}

/* Append the line "KEY VALUE". */
static void add_line(struct strbuf *out, const char *key, const char *v)
{
	sb_adds(out, key);
	add_value(out, v ? v : "");
	sb_addc(out, '\n');
}

void state_format(const struct jstate *s, struct strbuf *out)
{
	sb_adds(out, STATE_MAGIC "\n");
	add_line(out, "name", s->name);
	sb_addf(out, "jid %d\n", s->jid);
	add_line(out, "status", s->status);
	sb_addf(out, "init %d %llu\n", (int)s->init_pid, s->init_start);
	sb_addf(out, "ns 0x%x\n", (unsigned)s->nsflags);
	sb_addf(out, "caps 0x%" PRIx64 "\n", s->caps);
	if (s->socket_af)
		sb_adds(out, "socket_af 1\n");
	add_line(out, "hostname", s->hostname);
	add_line(out, "path", s->path);
	if (s->userns_count)
		sb_addf(out, "userns %" PRIu32 " %" PRIu32 " %" PRIu32 "\n", s->userns_uid, s->userns_gid,
			s->userns_count);
	for (size_t i = 0; i < s->nip4; i++)
		add_line(out, "ip4", s->ip4[i]);
	for (size_t i = 0; i < s->nip6; i++)
		add_line(out, "ip6", s->ip6[i]);
	for (size_t i = 0; i < s->nparams; i++) {
		sb_adds(out, "param ");
		sb_adds(out, s->pnames[i]);
		add_value(out, s->pvalues[i]);
		sb_addc(out, '\n');
	}
	if (s->hooks)
		sb_adds(out, "hooks\n");
	for (size_t i = 0; i < s->nhooks; i++) {
		sb_adds(out, "hook ");
		sb_adds(out, s->hnames[i]);
		add_value(out, s->hvalues[i]);
		sb_addc(out, '\n');
	}
	for (size_t i = 0; i < s->nobjs; i++) {
		sb_adds(out, "obj ");
		sb_adds(out, s->objs[i].kind);
		add_value(out, s->objs[i].id);
		sb_addc(out, '\n');
	}
}

/* Undo add_value()'s escapes. */
static char *unescape(const char *v, size_t len)
{
	char *r = xmalloc(len + 1), *w = r;

	for (size_t i = 0; i < len; i++) {
		if (v[i] == '\\' && i + 1 < len) {
			i++;
			*w++ = v[i] == 'n' ? '\n' : v[i];
		} else {
			*w++ = v[i];
		}
	}
	*w = '\0';
	return r;
}

/* Append s (taken over) to the vector v of n strings. */
static void push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

void state_add_obj(struct jstate *s, const char *kind, const char *id)
{
	s->objs = xrealloc(s->objs, (s->nobjs + 1) * sizeof(*s->objs));
	s->objs[s->nobjs].kind = xstrdup(kind);
	s->objs[s->nobjs].id = xstrdup(id);
	s->nobjs++;
}

void state_add_param(struct jstate *s, const char *name, const char *value)
{
	size_t n = s->nparams;

	push(&s->pnames, &n, xstrdup(name));
	push(&s->pvalues, &s->nparams, xstrdup(value));
}

void state_add_hook(struct jstate *s, const char *name, const char *cmd)
{
	size_t n = s->nhooks;

	s->hooks = true;
	push(&s->hnames, &n, xstrdup(name));
	push(&s->hvalues, &s->nhooks, xstrdup(cmd));
}

void state_add_addr(char ***v, size_t *n, const char *addr)
{
	push(v, n, xstrdup(addr));
}

const char *state_param(const struct jstate *s, const char *name)
{
	for (size_t i = 0; i < s->nparams; i++)
		if (strcmp(s->pnames[i], name) == 0)
			return s->pvalues[i];
	return NULL;
}

/* One line: key, then the rest (escaped value). */
static int parse_line(const char *line, size_t len, struct jstate *s, struct brig_err *e)
{
	const char *sp = memchr(line, ' ', len);
	size_t klen = sp ? (size_t)(sp - line) : len;
	cleanup_free char *val = sp ? unescape(sp + 1, len - klen - 1) : xstrdup("");

#define KEY(k) (klen == strlen(k) && memcmp(line, k, klen) == 0)
	if (KEY("name")) {
		free(s->name);
		s->name = TAKE_PTR(val);
	} else if (KEY("jid")) {
		s->jid = atoi(val);
	} else if (KEY("status")) {
		free(s->status);
		s->status = TAKE_PTR(val);
	} else if (KEY("init")) {
		int pid = 0;

		if (sscanf(val, "%d %llu", &pid, &s->init_start) != 2)
			return brig_err_set(e, 0, "bad init line");
		s->init_pid = pid;
	} else if (KEY("ns")) {
		s->nsflags = (int)strtoul(val, NULL, 16);
	} else if (KEY("caps")) {
		s->caps = strtoull(val, NULL, 16);
	} else if (KEY("socket_af")) {
		s->socket_af = strcmp(val, "1") == 0;
	} else if (KEY("hostname")) {
		free(s->hostname);
		s->hostname = TAKE_PTR(val);
	} else if (KEY("path")) {
		free(s->path);
		s->path = TAKE_PTR(val);
	} else if (KEY("userns")) {
		if (sscanf(val, "%" SCNu32 " %" SCNu32 " %" SCNu32, &s->userns_uid, &s->userns_gid,
			   &s->userns_count) != 3)
			return brig_err_set(e, 0, "bad userns line");
	} else if (KEY("ip4")) {
		push(&s->ip4, &s->nip4, TAKE_PTR(val));
	} else if (KEY("ip6")) {
		push(&s->ip6, &s->nip6, TAKE_PTR(val));
	} else if (KEY("hooks")) {
		s->hooks = true;
	} else if (KEY("param") || KEY("obj") || KEY("hook")) {
		char *sep = strchr(val, ' ');

		if (!sep)
			return brig_err_set(e, 0, "bad %.*s line", (int)klen, line);
		*sep = '\0';
		if (KEY("param"))
			state_add_param(s, val, sep + 1);
		else if (KEY("hook"))
			state_add_hook(s, val, sep + 1);
		else
			state_add_obj(s, val, sep + 1);
	}
	/* Unknown keys: written by a newer brig; ignored. */
#undef KEY
	return 0;
}

int state_parse(const char *text, struct jstate *s, struct brig_err *e)
{
	const char *p = text;
	size_t ml = strlen(STATE_MAGIC);

	memset(s, 0, sizeof(*s));
	if (strncmp(p, STATE_MAGIC, ml) != 0 || p[ml] != '\n')
		return brig_err_set(e, 0, "not a brig state file (version 1)");
	p += ml + 1;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len && parse_line(p, len, s, e) < 0) {
			state_free(s);
			return -1;
		}
		p += len + (nl ? 1 : 0);
	}
	if (!s->name || !s->status) {
		state_free(s);
		return brig_err_set(e, 0, "incomplete state file");
	}
	return 0;
}

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void state_free(struct jstate *s)
{
	free(s->name);
	free(s->status);
	free(s->hostname);
	free(s->path);
	strv_free(s->ip4, s->nip4);
	strv_free(s->ip6, s->nip6);
	strv_free(s->pnames, s->nparams);
	strv_free(s->pvalues, s->nparams);
	strv_free(s->hnames, s->nhooks);
	strv_free(s->hvalues, s->nhooks);
	for (size_t i = 0; i < s->nobjs; i++) {
		free(s->objs[i].kind);
		free(s->objs[i].id);
	}
	free(s->objs);
	memset(s, 0, sizeof(*s));
}

int state_read(const char *dir, struct jstate *s, struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/state", dir);
	struct strbuf sb = STRBUF_INIT;
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char buf[16384];
	ssize_t n;
	int r;

	memset(s, 0, sizeof(*s));
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return brig_err_set(e, errno, "state %s", path);
	/* A short read of a regular file is its end: one read for a state of
	 * usual size (brig ls reads hundreds of these). */
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sb_addn(&sb, buf, (size_t)n);
		if ((size_t)n < sizeof(buf))
			break;
	}
	if (n < 0) {
		sb_free(&sb);
		return brig_err_set(e, errno, "state %s", path);
	}
	r = state_parse(sb.s ? sb.s : "", s, e);
	sb_free(&sb);
	if (r < 0)
		return brig_err_wrap(e, "state %s", path);
	return 1;
}

int state_write(const char *dir, const struct jstate *s, struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/state", dir);
	struct strbuf sb = STRBUF_INIT;
	int r;

	state_format(s, &sb);
	r = write_atomic(path, sb.s, sb.len, true, e);
	sb_free(&sb);
	return r < 0 ? brig_err_wrap(e, "state") : 0;
}

int state_remove(const char *dir, struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/state", dir);

	if (unlink(path) < 0 && errno != ENOENT)
		return brig_err_set(e, errno, "state %s", path);
	return 0;
}
