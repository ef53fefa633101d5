/* Small key=value files: what the store records about templates, jails,
 * snapshots and archives. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/strbuf.h"
#include "util/writefile.h"

#define META_MAX (64 * 1024)

/* Parse "key=value" lines (blank and # lines ignored); -1 on a bad line. */
int meta_parse(const char *text, struct meta *m, struct brig_err *e)
{
	int lineno = 0;

	*m = (struct meta){ 0 };
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		cleanup_free char *line = xstrndup(p, n);
		char *eq = strchr(line, '=');

		lineno++;
		p += n + (p[n] == '\n');
		if (!line[0] || line[0] == '#')
			continue;
		if (!eq || eq == line) {
			meta_free(m);
			return brig_err_set(e, 0, "line %d: expected key=value", lineno);
		}
		*eq = '\0';
		meta_set(m, line, eq + 1);
	}
	return 0;
}

/* Format as "key=value\n" lines; caller frees. */
char *meta_format(const struct meta *m)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < m->n; i++)
		sb_addf(&sb, "%s=%s\n", m->keys[i], m->vals[i]);
	return sb_steal(&sb);
}

const char *meta_get(const struct meta *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->keys[i], key))
			return m->vals[i];
	return NULL;
}

/* Set key (replacing its value); newlines in val become spaces. */
void meta_set(struct meta *m, const char *key, const char *val)
{
	char *v = xstrdup(val);

	for (char *s = v; *s; s++)
		if (*s == '\n')
			*s = ' ';
	for (size_t i = 0; i < m->n; i++) {
		if (!strcmp(m->keys[i], key)) {
			free(m->vals[i]);
			m->vals[i] = v;
			return;
		}
	}
	m->keys = xrealloc(m->keys, (m->n + 1) * sizeof(*m->keys));
	m->vals = xrealloc(m->vals, (m->n + 1) * sizeof(*m->vals));
	m->keys[m->n] = xstrdup(key);
	m->vals[m->n] = v;
	m->n++;
}

/* Set "created" to now, in seconds, and "created_ns" to the nanosecond (to
 * order things made within one second). */
void meta_set_created(struct meta *m)
{
	struct timespec now;
	char buf[48];

	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(buf, sizeof(buf), "%lld", (long long)now.tv_sec);
	meta_set(m, "created", buf);
	snprintf(buf, sizeof(buf), "%lld%09ld", (long long)now.tv_sec, now.tv_nsec);
	meta_set(m, "created_ns", buf);
}

int meta_read(int dirfd, const char *name, struct meta *m, struct brig_err *e)
{
	cleanup_free char *text = NULL;

	*m = (struct meta){ 0 };
	if (read_bounded(dirfd, name, READ_AT, META_MAX, &text, NULL, e) < 0)
		return -1;
	if (meta_parse(text, m, e) < 0)
		return brig_err_wrap(e, "`%s`", name);
	return 0;
}

int meta_write(int dirfd, const char *name, const struct meta *m, struct brig_err *e)
{
	cleanup_free char *text = meta_format(m);

	return write_atomic_at(dirfd, name, text, strlen(text), 0644, true, e);
}

void meta_free(struct meta *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	*m = (struct meta){ 0 };
}
