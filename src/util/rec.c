/* The names of the kinds of recorded objects (see rec.h). */
#include "util/rec.h"

#include <string.h>

const char *const jobj_kind_names[JOBJ__COUNT] = {
	[JOBJ_MOUNT] = "mount",
	[JOBJ_CGROUP] = "cgroup",
	[JOBJ_VETH] = "veth",
	[JOBJ_NFT] = "nft",
	[JOBJ_IDROOT] = "idroot",
	[JOBJ_IFMOVED] = "ifmoved",
	[JOBJ_ALIAS] = "alias",
	[JOBJ_FIB] = "fib",
	[JOBJ_CGJOIN] = "cgroup-join",
};

int jobj_kind_find(const char *name)
{
	for (int k = 0; k < JOBJ__COUNT; k++)
		if (strcmp(jobj_kind_names[k], name) == 0)
			return k;
	return -1;
}
