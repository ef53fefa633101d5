/* Sizes with k/m/g/t suffixes, as rctl(8) and zfs(8) write them (quota). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

int conf_size_parse(const char *s, long long *bytes)
{
	static const char units[] = "kmgt";
	unsigned long long n, mul = 1;
	const char *u;
	char *end;

	*bytes = 0;
	if (!s || !*s || !strcmp(s, "none"))
		return 0;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || n == 0)
		return -1;
	if (*end) {
		u = strchr(units, *end | 0x20);
		if (!u || end[1])
			return -1;
		mul = 1ULL << (10 * (u - units + 1));
	}
	if (n > (unsigned long long)__LONG_LONG_MAX__ / mul)
		return -1;
	*bytes = (long long)(n * mul);
	return 0;
}
