/* libFuzzer target over devfs.rules(5) as brig reads it
 * (conf/devfs_rules.c): parse the input after FreeBSD's defaults, then
 * evaluate every ruleset it may define and list what it unhides without
 * a Linux meaning. Beyond "no crash, no leak": an error names the file
 * and a line ("devfs.rules:L:C: "), and a ruleset's groups are DEVR_*
 * bits (abort() otherwise). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/devfs_rules.h"

static void unmapped(void *ctx, const char *file, int line, int col, const char *pattern)
{
	(void)ctx;
	if (strcmp(file, "devfs.rules") != 0 || line < 1 || col < 1 || !pattern)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct devfs_rules *r = devfs_rules_new();
	struct brig_err e;

	memcpy(text, data, size);
	text[size] = '\0';
	if (devfs_rules_parse(r, "devfs.rules", text, &e) < 0) {
		if (strncmp(e.msg, "devfs.rules:", 12) != 0)
			abort();
	} else {
		for (long long num = 0; num < 70; num++) {
			int g = devfs_rules_eval(r, num, &e);

			if (g > (DEVR_BASIC | DEVR_LOGIN | DEVR_FD))
				abort();
			devfs_rules_unmapped(r, num, unmapped, NULL);
		}
	}
	devfs_rules_free(r);
	free(text);
	return 0;
}
