/* Amounts for people: sizes and durations as brig stats, brig ls -v and
 * rctl -h print them (cli/human.c). */
#ifndef BRIG_CLI_HUMAN_H
#define BRIG_CLI_HUMAN_H

#include <stddef.h>

/* "512B", "12.3KiB", "1.5GiB"; "-" for -1 (unknown). */
void human_bytes(char *buf, size_t size, long long v);
/* "45s", "12m03s", "3h07m", "2d04h"; "-" for -1. */
void human_duration(char *buf, size_t size, long long ms);
/* FreeBSD's humanize_number(buf, 6, v, "", HN_AUTOSCALE, HN_DECIMAL |
 * HN_NOSPACE), as rctl -h prints an amount: "9999", "9.8K", "1024K",
 * "64M" (5 characters at most for any amount >= 0). */
void human_rctl(char *buf, size_t size, long long v);

#endif
