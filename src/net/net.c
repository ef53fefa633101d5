/* Placeholder until the network model lands. */
#include "net/net.h"

#include <string.h>

int net_jail_check(const struct conf *c, const struct conf_jail *j, struct brig_err *e)
{
	(void)c;
	(void)j;
	(void)e;
	return 0;
}

int net_jail_up(const struct conf_jail *j, int jid, pid_t init_pid,
		const struct rec *rec, struct brig_err *e)
{
	(void)jid;
	(void)init_pid;
	(void)rec;
	if (conf_bool(j, "vnet", false) && conf_str(j, "vnet.bridge"))
		return brig_err_set(e, 0, "vnet: networking not implemented yet");
	return 0;
}

int net_obj_remove(const char *kind, const char *id, struct brig_err *e)
{
	(void)id;
	return brig_err_set(e, 0, "unknown network object kind \"%s\"", kind);
}
