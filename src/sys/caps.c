#include "sys/caps.h"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "util/mem.h"

#define BIT(c) (UINT64_C(1) << (c))

uint64_t caps_jail_set(const struct jail_allow *a)
{
	uint64_t s = BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) |
		     BIT(CAP_FOWNER) | BIT(CAP_SETGID) | BIT(CAP_SETUID) |
		     BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE) |
		     BIT(CAP_SYS_CHROOT) | BIT(CAP_KILL) | BIT(CAP_AUDIT_WRITE);

	if (a->raw_sockets)
		s |= BIT(CAP_NET_RAW);
	if (a->mlock)
		s |= BIT(CAP_IPC_LOCK);
	if (a->settime)
		s |= BIT(CAP_SYS_TIME);
	if (a->userns)
		s |= BIT(CAP_SYS_ADMIN) | BIT(CAP_NET_ADMIN);
	if (a->chflags)
		s |= BIT(CAP_LINUX_IMMUTABLE);
	if (a->no_low_ports)
		s &= ~BIT(CAP_NET_BIND_SERVICE);
	return a->no_suser ? 0 : s;
}

bool caps_has(uint64_t set, int cap)
{
	return cap >= 0 && cap < 64 && (set & BIT(cap));
}

int caps_limit(uint64_t keep, struct brig_err *e)
{
	cap_t c;

	/* Straight prctl calls: every system call counts in a start. The
	 * kernel says EINVAL past its last capability. */
	for (int i = 0; i < 64; i++) {
		if (keep & BIT(i))
			continue;
		if (prctl(PR_CAPBSET_DROP, i, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;
			return brig_err_set(e, errno, "dropping capability %d from the bounding set", i);
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return brig_err_set(e, errno, "clearing ambient capabilities");
	c = cap_get_proc();
	if (!c)
		return brig_err_set(e, errno, "reading capabilities");
	if (cap_clear_flag(c, CAP_INHERITABLE) < 0 || cap_set_proc(c) < 0) {
		int err = errno;

		cap_free(c);
		return brig_err_set(e, err, "clearing inheritable capabilities");
	}
	cap_free(c);
	return 0;
}
