#include "sys/initbin.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"

#ifndef BRIG_INIT_BIN
#error "BRIG_INIT_BIN (path of the built init program) is set by the Makefile"
#endif

/* The bytes of the init program, linked in at build time. */
__asm__(".section .rodata.brig_init,\"a\"\n"
	".balign 16\n"
	".globl brig_init_start\n"
	"brig_init_start:\n"
	".incbin \"" BRIG_INIT_BIN "\"\n"
	".globl brig_init_end\n"
	"brig_init_end:\n"
	".previous\n");
extern const unsigned char brig_init_start[], brig_init_end[];

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

int initbin_memfd(struct brig_err *e)
{
	size_t len = (size_t)(brig_init_end - brig_init_start);
	const unsigned char *p = brig_init_start;
	int fd;

	/* Kernels with vm.memfd_noexec want MFD_EXEC said out loud; older
	 * ones do not know the flag. */
	fd = memfd_create("brig-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("brig-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return brig_err_set(e, errno, "init: memfd_create");
	if (write_all(fd, p, len) < 0) {
		brig_err_set(e, errno, "init: writing the memfd");
		close(fd);
		return -1;
	}
	/* Sealed: nobody, in or out of the jail, can change it any more. */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		brig_err_set(e, errno, "init: sealing the memfd");
		close(fd);
		return -1;
	}
	return fd;
}
