#include "sys/seccomp.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/caps.h"

#if !defined(BRIG_SECCOMP_BLOB)
#error "BRIG_SECCOMP_BLOB (the built filters) is set by the Makefile"
#endif

/* The programs src/gen/seccomp.c wrote at build time. */
__asm__(".section .rodata.brig_seccomp,\"a\"\n"
	".balign 8\n"
	"brig_seccomp_blob:\n"
	".incbin \"" BRIG_SECCOMP_BLOB "\"\n"
	"brig_seccomp_blob_end:\n"
	".previous\n");
extern const unsigned char brig_seccomp_blob[], brig_seccomp_blob_end[];

const struct seccomp_prog *seccomp_jail_filter(uint64_t caps, bool socket_af)
{
	static struct seccomp_prog progs[SECCOMP_VARIANTS];
	static const struct seccomp_prog none;
	unsigned v = (caps_has(caps, CAP_SYS_TIME) ? SECCOMP_V_SETTIME : 0) |
		     (caps_has(caps, CAP_SYS_ADMIN) ? SECCOMP_V_ADMIN : 0) |
		     (socket_af ? SECCOMP_V_SOCKET_AF : 0) |
		     (caps_has(caps, CAP_NET_RAW) ? SECCOMP_V_RAW : 0);

	if (!progs[0].bpf) {
		size_t size = (size_t)(brig_seccomp_blob_end - brig_seccomp_blob);
		struct seccomp_blob_head h;

		/* Built with brig, but checked: a bad blob loads nothing
		 * (seccomp_prog_load refuses an empty program). */
		if (size < sizeof(h))
			return &none;
		memcpy(&h, brig_seccomp_blob, sizeof(h));
		if (h.magic != SECCOMP_BLOB_MAGIC || h.count != SECCOMP_VARIANTS)
			return &none;
		for (unsigned i = 0; i < SECCOMP_VARIANTS; i++) {
			size_t len = (size_t)h.prog[i].count * sizeof(struct sock_filter);

			if (h.prog[i].offset % 8 || h.prog[i].offset > size ||
			    len > size - h.prog[i].offset)
				return &none;
			progs[i] = (struct seccomp_prog){ brig_seccomp_blob + h.prog[i].offset, len };
		}
	}
	return &progs[v];
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
