/* Names brig accepts for jails (and templates, snapshots, bridges): they
 * become directory names, cgroup names and parts of interface names. */
#include "conf/cf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES 64

/* Why name cannot name a jail, or NULL if it can. */
const char *conf_name_invalid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return "empty";
	if (len > NAME_MAX_BYTES)
		return "longer than 64 bytes";
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		if (*s >= 0x80) {
			size_t n = cf_utf8_seq(s, len - (size_t)(s - (const unsigned char *)name));

			if (n == 0)
				return "is not valid UTF-8";
			s += n - 1;
			continue;
		}
		if (*s == '/')
			return "contains '/'";
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')
			return "contains whitespace";
		if (*s < 0x20 || *s == 0x7f)
			return "contains a control character";
	}
	if (strstr(name, ".."))
		return "contains '..'";
	if (name[0] == '.')
		return "starts with '.'";
	if (name[len - 1] == '.')
		return "ends with '.'";
	return NULL;
}


size_t conf_name_parent_len(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? (size_t)(dot - name) : 0;
}

bool conf_name_below(const char *name, const char *ancestor)
{
	size_t n = strlen(ancestor);

	return n && strncmp(name, ancestor, n) == 0 && name[n] == '.' && name[n + 1];
}
