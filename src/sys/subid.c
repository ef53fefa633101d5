/* Reading subuid(5) and subgid(5). */
#include "sys/subid.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/readfile.h"

/* Larger than any real file; anything bigger is refused, not read. */
#define SUBID_MAX (1024 * 1024)

const char *subid_file(char kind)
{
	const char *env = getenv(kind == 'u' ? "BRIG_SUBUID" : "BRIG_SUBGID");

	if (env && *env)
		return env;
	return kind == 'u' ? "/etc/subuid" : "/etc/subgid";
}

/* A decimal uint32 of the whole of s; false if it is not one. */
static bool parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

int subid_read(const char *file, const char *owner, uint32_t uid, struct subid_range **out,
	       size_t *n, struct brig_err *e)
{
	cleanup_free char *text = NULL;
	char uidstr[16], *next;
	int lineno = 0;

	*out = NULL;
	*n = 0;
	if (read_bounded(AT_FDCWD, file, READ_AT, SUBID_MAX, &text, NULL, e) < 0)
		return e->errnum == ENOENT ? 0 : -1;	/* none: no ranges */
	snprintf(uidstr, sizeof(uidstr), "%u", uid);
	for (char *line = text; line; line = next) {
		char *f1 = line, *f2, *f3;
		struct subid_range r;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (*line == '#' || *line == '\0')
			continue;
		f2 = strchr(f1, ':');
		f3 = f2 ? strchr(f2 + 1, ':') : NULL;
		if (!f3) {
			free(*out);
			*out = NULL;
			*n = 0;
			return brig_err_set(e, 0, "%s:%d: not OWNER:START:COUNT", file, lineno);
		}
		*f2++ = '\0';
		*f3++ = '\0';
		if (strcmp(f1, owner) != 0 && strcmp(f1, uidstr) != 0)
			continue;
		if (!parse_u32(f2, &r.start) || !parse_u32(f3, &r.count) ||
		    (uint64_t)r.start + r.count > UINT32_MAX) {
			free(*out);
			*out = NULL;
			*n = 0;
			return brig_err_set(e, 0, "%s:%d: bad range for %s", file, lineno, owner);
		}
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = r;
	}
	return 0;
}
