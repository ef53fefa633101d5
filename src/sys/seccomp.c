#include "sys/seccomp.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/caps.h"

#if !defined(BRIG_SECCOMP_DEFAULT) || !defined(BRIG_SECCOMP_SETTIME) || \
	!defined(BRIG_SECCOMP_USERNS)
#error "BRIG_SECCOMP_DEFAULT, _SETTIME and _USERNS (the built filters) are set by the Makefile"
#endif

/* The programs src/gen/seccomp.c wrote at build time. */
__asm__(".section .rodata.brig_seccomp,\"a\"\n"
	".balign 8\n"
	"brig_seccomp_default:\n"
	".incbin \"" BRIG_SECCOMP_DEFAULT "\"\n"
	"brig_seccomp_default_end:\n"
	".balign 8\n"
	"brig_seccomp_settime:\n"
	".incbin \"" BRIG_SECCOMP_SETTIME "\"\n"
	"brig_seccomp_settime_end:\n"
	".balign 8\n"
	"brig_seccomp_userns:\n"
	".incbin \"" BRIG_SECCOMP_USERNS "\"\n"
	"brig_seccomp_userns_end:\n"
	".previous\n");
extern const unsigned char brig_seccomp_default[], brig_seccomp_default_end[];
extern const unsigned char brig_seccomp_settime[], brig_seccomp_settime_end[];
extern const unsigned char brig_seccomp_userns[], brig_seccomp_userns_end[];

const struct seccomp_prog *seccomp_jail_filter(uint64_t caps)
{
	static struct seccomp_prog dflt, settime, userns;

	if (!dflt.bpf) {
		dflt = (struct seccomp_prog){ brig_seccomp_default,
					      (size_t)(brig_seccomp_default_end - brig_seccomp_default) };
		settime = (struct seccomp_prog){ brig_seccomp_settime,
						 (size_t)(brig_seccomp_settime_end - brig_seccomp_settime) };
		userns = (struct seccomp_prog){ brig_seccomp_userns,
						(size_t)(brig_seccomp_userns_end - brig_seccomp_userns) };
	}
	/* Only a userns jail holds CAP_SYS_ADMIN (sys/caps.h). */
	if (caps_has(caps, CAP_SYS_ADMIN))
		return &userns;
	return caps_has(caps, CAP_SYS_TIME) ? &settime : &dflt;
}

int seccomp_prog_load(const struct seccomp_prog *p, struct brig_err *e)
{
	struct sock_fprog fp = { .len = (unsigned short)(p->len / sizeof(struct sock_filter)),
				 .filter = (struct sock_filter *)p->bpf };

	if (!p->len || p->len % sizeof(struct sock_filter) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return brig_err_set(e, p->len ? errno : EINVAL, "seccomp: loading the jail's filter");
	return 0;
}
