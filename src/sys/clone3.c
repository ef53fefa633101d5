#include "sys/clone3.h"

#include <errno.h>

/* brig_clone3_raw(args, size, fn, arg): the system call; in the child,
 * on its new stack, fn(arg) then exit_group with its value. Returns the
 * raw result (the pid, or -errno). */
long brig_clone3_raw(struct clone3_args *a, unsigned long size, int (*fn)(void *), void *arg)
	__attribute__((visibility("hidden")));

#if defined(__x86_64__) && !defined(BRIG_NO_CLONE3)
__asm__(".text\n"
	".globl brig_clone3_raw\n"
	".hidden brig_clone3_raw\n"
	".type brig_clone3_raw,@function\n"
	"brig_clone3_raw:\n"
	"	mov %rdx, %r8\n"	/* fn, arg: kept across the syscall */
	"	mov %rcx, %r9\n"
	"	mov $435, %eax\n"	/* __NR_clone3 */
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	xor %ebp, %ebp\n"	/* the child: the outermost frame */
	"	mov %r9, %rdi\n"
	"	call *%r8\n"
	"	mov %eax, %edi\n"
	"	mov $231, %eax\n"	/* __NR_exit_group */
	"	syscall\n"
	"	hlt\n"
	"1:	ret\n"
	".size brig_clone3_raw, .-brig_clone3_raw\n");
#elif defined(__aarch64__) && !defined(BRIG_NO_CLONE3)
__asm__(".text\n"
	".globl brig_clone3_raw\n"
	".hidden brig_clone3_raw\n"
	".type brig_clone3_raw,%function\n"
	"brig_clone3_raw:\n"
	"	mov x8, #435\n"
	"	svc #0\n"
	"	cbnz x0, 1f\n"
	"	mov x29, xzr\n"
	"	mov x30, xzr\n"
	"	mov x0, x3\n"
	"	blr x2\n"
	"	mov x8, #94\n"	/* __NR_exit_group */
	"	svc #0\n"
	"	brk #0\n"
	"1:	ret\n"
	".size brig_clone3_raw, .-brig_clone3_raw\n");
#else
long brig_clone3_raw(struct clone3_args *a, unsigned long size, int (*fn)(void *), void *arg)
{
	(void)a, (void)size, (void)fn, (void)arg;
	return -ENOSYS;
}
#endif

pid_t clone3_vm(struct clone3_args *a, int (*fn)(void *), void *arg)
{
	long r = brig_clone3_raw(a, sizeof(*a), fn, arg);

	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (pid_t)r;
}
