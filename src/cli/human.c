/* Amounts for people (cli/human.h). */
#include "cli/human.h"

#include <stdio.h>

void human_bytes(char *buf, size_t size, long long v)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	size_t i = 0;

	if (v < 0) {
		snprintf(buf, size, "-");
		return;
	}
	while (d >= 1024 && i + 1 < sizeof(unit) / sizeof(unit[0])) {
		d /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, size, "%lldB", v);
	else
		snprintf(buf, size, d < 10 ? "%.2f%s" : d < 100 ? "%.1f%s" : "%.0f%s", d, unit[i]);
}

void human_duration(char *buf, size_t size, long long ms)
{
	long long s = ms / 1000;

	if (ms < 0)
		snprintf(buf, size, "-");
	else if (s < 60)
		snprintf(buf, size, "%llds", s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

/* humanize_number(3) of FreeBSD's libutil with rctl's arguments: base
 * 1024, at most 5 characters, one decimal below 10 once scaled. */
void human_rctl(char *buf, size_t size, long long v)
{
	static const char prefix[] = " KMGTPE";
	long long q = v, rem = 0;
	const long long divisor = 1024, deccut = 973;	/* ceil(.95 * 1024) */
	/* 6 bytes less a digit and a prefix: room for 4 digits */
	const long long max = 10000;
	int i = 0;

	if (v < 0) {	/* no usage is negative */
		snprintf(buf, size, "%lld", v);
		return;
	}

	while ((q >= max || (q == max - 1 && rem >= deccut)) && i < 6) {
		rem = q % divisor;
		q /= divisor;
		i++;
	}
	if (((q == 9 && rem < deccut) || q < 9) && i > 0) {
		long long s1 = q + ((rem * 10 + divisor / 2) / divisor / 10);
		long long s2 = ((rem * 10 + divisor / 2) / divisor) % 10;

		snprintf(buf, size, "%lld.%lld%c", s1, s2, prefix[i]);
	} else if (i > 0) {
		snprintf(buf, size, "%lld%c", (q + (rem + divisor / 2) / divisor), prefix[i]);
	} else {
		snprintf(buf, size, "%lld", q);
	}
}
