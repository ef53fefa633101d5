/* libFuzzer target over an OCI bundle's config.json as brig reads it
 * (oci/spec.c): the jail model it builds and the container's process.
 *
 * Beyond "no crash, no leak": a config that parses gives a model named by
 * the id, whose path is set, persist on, and whose every mount line and
 * rctl rule came from the producer (jail_def_from_params kept each value:
 * the parser checks that), and a process with at least one argument. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/model.h"
#include "oci/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_spec s;
	struct brig_err e = { 0 };

	if (oci_spec_parse((const char *)data, size, "/b", "c1", &s, &e) == 0) {
		if (!s.def || strcmp(s.def->name, "c1") != 0 || !jd_str(s.def, JP_PATH) ||
		    !jd_on(s.def, JP_PERSIST) || !s.args || !s.args[0] || !s.cwd || s.cwd[0] != '/')
			abort();
	} else if (!e.msg[0]) {
		abort();
	}
	oci_spec_free(&s);
	return 0;
}
