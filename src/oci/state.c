/* The OCI runtime's record of a container (oci/state.h). */
#include "oci/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/proc.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/writefile.h"

char *oci_dir(const char *root, const char *id)
{
	return xasprintf("%s/%s", root, id);
}

static void annotations_json(char *const *a, struct json *j)
{
	json_key(j, "annotations");
	json_obj_begin(j);
	for (size_t i = 0; a && a[i] && a[i + 1]; i += 2) {
		json_key(j, a[i]);
		json_str(j, a[i + 1]);
	}
	json_obj_end(j);
}

int oci_state_write(const char *root, const struct oci_state *st, struct brig_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	cleanup_free char *path = xasprintf("%s/%s/state.json", root, st->id);
	int r;

	json_init(&j, &sb, false);
	json_obj_begin(&j);
	json_key(&j, "id");
	json_str(&j, st->id);
	json_key(&j, "bundle");
	json_str(&j, st->bundle);
	json_key(&j, "created");
	json_str(&j, st->created);
	json_key(&j, "pid");
	json_int(&j, st->pid);
	json_key(&j, "pidStart");
	json_int(&j, (long long)st->pid_start);
	json_key(&j, "holder");
	json_int(&j, st->holder);
	json_key(&j, "holderStart");
	json_int(&j, (long long)st->holder_start);
	annotations_json(st->annotations, &j);
	json_obj_end(&j);
	sb_addc(&sb, '\n');
	r = write_atomic(path, sb.s, sb.len, false, e);
	sb_free(&sb);
	return r;
}

static char *member(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

int oci_state_read(const char *root, const char *id, struct oci_state *st, struct brig_err *e)
{
	cleanup_free char *dir = oci_dir(root, id);
	cleanup_free char *text = NULL;
	json_error_t jerr;
	json_t *o, *a, *v;
	const char *k;
	size_t n = 0;

	memset(st, 0, sizeof(*st));
	if (strchr(id, '/') || !*id || strcmp(id, ".") == 0 || strcmp(id, "..") == 0 ||
	    access(dir, F_OK) < 0)
		return brig_err_set(e, 0, "container \"%s\" does not exist", id);
	{
		cleanup_free char *path = xasprintf("%s/state.json", dir);

		if (read_bounded(AT_FDCWD, path, READ_PATH, 1 << 20, &text, NULL, e) < 0)
			return brig_err_wrap(e, "container \"%s\"", id);
	}
	o = json_loads(text, 0, &jerr);
	if (!json_is_object(o) || !json_is_integer(json_object_get(o, "pid"))) {
		json_decref(o);
		return brig_err_set(e, 0, "container \"%s\": %s/state.json is damaged", id, dir);
	}
	st->id = xstrdup(id);
	st->bundle = member(o, "bundle");
	st->created = member(o, "created");
	st->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
	st->pid_start = (unsigned long long)json_integer_value(json_object_get(o, "pidStart"));
	st->holder = (pid_t)json_integer_value(json_object_get(o, "holder"));
	st->holder_start = (unsigned long long)json_integer_value(json_object_get(o, "holderStart"));
	a = json_object_get(o, "annotations");
	st->annotations = xcalloc(2 * json_object_size(a) + 1, sizeof(char *));
	json_object_foreach(a, k, v) {
		if (!json_is_string(v))
			continue;
		st->annotations[n++] = xstrdup(k);
		st->annotations[n++] = xstrdup(json_string_value(v));
	}
	if (!st->bundle)
		st->bundle = xstrdup("");
	if (!st->created)
		st->created = xstrdup("");
	json_decref(o);
	return 0;
}

void oci_state_free(struct oci_state *st)
{
	free(st->id);
	free(st->bundle);
	free(st->created);
	for (size_t i = 0; st->annotations && st->annotations[i]; i++)
		free(st->annotations[i]);
	free(st->annotations);
	memset(st, 0, sizeof(*st));
}

enum oci_status oci_status(const char *root, const struct oci_state *st, bool frozen)
{
	cleanup_free char *fifo = NULL;

	if (st->pid <= 0)
		return OCI_CREATING;
	if (!proc_alive(st->pid, st->pid_start))
		return OCI_STOPPED;
	fifo = xasprintf("%s/%s/exec.fifo", root, st->id);
	if (access(fifo, F_OK) == 0)
		return OCI_CREATED;
	return frozen ? OCI_PAUSED : OCI_RUNNING;
}

const char *oci_status_name(enum oci_status s)
{
	static const char *const names[] = { "creating", "created", "running", "paused", "stopped" };

	return s <= OCI_STOPPED ? names[s] : "unknown";
}

void oci_state_json(const struct oci_state *st, enum oci_status s, struct strbuf *out)
{
	struct json j;

	json_init(&j, out, false);
	oci_state_json_into(st, s, &j);
}

void oci_state_json_into(const struct oci_state *st, enum oci_status s, struct json *jw)
{
	json_obj_begin(jw);
	json_key(jw, "ociVersion");
	json_str(jw, OCI_VERSION);
	json_key(jw, "id");
	json_str(jw, st->id);
	json_key(jw, "status");
	json_str(jw, oci_status_name(s));
	/* The spec: pid is required while created or running. */
	if (s == OCI_CREATED || s == OCI_RUNNING || s == OCI_PAUSED) {
		json_key(jw, "pid");
		json_int(jw, st->pid);
	}
	json_key(jw, "bundle");
	json_str(jw, st->bundle);
	json_key(jw, "rootfs");
	json_null_value(jw);
	json_key(jw, "created");
	json_str(jw, st->created);
	json_key(jw, "owner");
	json_str(jw, "");
	annotations_json(st->annotations, jw);
	json_obj_end(jw);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **oci_list(const char *root, size_t *n)
{
	DIR *d = opendir(root);
	struct dirent *de;
	char **v = xcalloc(1, sizeof(char *));

	*n = 0;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		v = xrealloc(v, (*n + 2) * sizeof(char *));
		v[(*n)++] = xstrdup(de->d_name);
		v[*n] = NULL;
	}
	if (d)
		closedir(d);
	qsort(v, *n, sizeof(char *), cmp_str);
	return v;
}

/* Its PPid from /proc/PID/status, or -1. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[4096];
	cleanup_close int fd = -1;
	ssize_t len;
	char *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (len = read(fd, buf, sizeof(buf) - 1)) <= 0)
		return -1;
	buf[len] = '\0';
	p = strstr(buf, "\nPPid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : -1;
}

static bool same_ns(pid_t pid, const struct stat *ns)
{
	char path[64];
	struct stat s;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, &s) == 0 && s.st_ino == ns->st_ino && s.st_dev == ns->st_dev;
}

int oci_jail_pids(pid_t init, bool top, pid_t **out, size_t *n, struct brig_err *e)
{
	char path[64];
	struct stat ns;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)init);
	if (stat(path, &ns) < 0)
		return brig_err_set(e, errno, "the jail's init (pid %d)", (int)init);
	d = opendir("/proc");
	if (!d)
		return brig_err_set(e, errno, "/proc");
	while ((de = readdir(d))) {
		pid_t pid = (pid_t)strtol(de->d_name, NULL, 10);

		if (pid <= 0 || pid == init || !same_ns(pid, &ns))
			continue;
		if (top) {
			pid_t pp = parent_of(pid);

			if (pp < 0 || (pp != init && same_ns(pp, &ns)))
				continue;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof(pid_t));
		(*out)[(*n)++] = pid;
	}
	closedir(d);
	return 0;
}
