/* The `busybox` template source: a minimal root around the host's static
 * busybox, built offline in well under a second. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "store/spawn.h"
#include "util/beneath.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/writefile.h"

#define BUSYBOX "/bin/busybox"

/* Directories of the root, with their modes. */
static const struct {
	const char *path;
	mode_t mode;
} dirs[] = {
	{ "bin", 0755 }, { "sbin", 0755 }, { "usr", 0755 }, { "usr/bin", 0755 },
	{ "usr/sbin", 0755 }, { "etc", 0755 }, { "dev", 0755 }, { "proc", 0555 },
	{ "sys", 0555 }, { "tmp", 01777 }, { "root", 0700 }, { "home", 0755 },
	{ "mnt", 0755 }, { "run", 0755 }, { "var", 0755 }, { "var/log", 0755 },
	{ "var/run", 0755 }, { "var/tmp", 01777 }, { "var/www", 0755 },
	{ "var/spool", 0755 }, { "var/spool/cron", 0755 }, { "var/spool/cron/crontabs", 0700 },
};

/* Small files of /etc. */
static const struct {
	const char *name;
	const char *text;
	mode_t mode;
} etc_files[] = {
	{ "passwd", "root:x:0:0:root:/root:/bin/sh\n"
		    "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
		    "www-data:x:33:33:www-data:/var/www:/bin/false\n"
		    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", 0644 },
	{ "group", "root:x:0:\ndaemon:x:1:\nwww-data:x:33:\nnogroup:x:65534:\n", 0644 },
	{ "shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
		    "www-data:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n", 0640 },
	{ "profile", "export PATH=/sbin:/bin:/usr/sbin:/usr/bin\nPS1='\\h:\\w\\$ '\n", 0644 },
	{ "shells", "/bin/sh\n/bin/ash\n", 0644 },
};

/* A busybox that needs no shared library: it runs in an empty root. */
static int check_static(int fd, struct brig_err *e)
{
	Elf64_Ehdr eh;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64)
		return brig_err_set(e, 0, "%s is not a 64-bit ELF program", BUSYBOX);
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		off_t off = (off_t)eh.e_phoff + (off_t)i * eh.e_phentsize;

		if (pread(fd, &ph, sizeof(ph), off) != (ssize_t)sizeof(ph))
			return brig_err_set(e, 0, "%s: truncated ELF program headers", BUSYBOX);
		if (ph.p_type == PT_INTERP)
			return brig_err_set(e, 0, "%s is dynamically linked; install a static one "
					    "(Debian: busybox-static)", BUSYBOX);
	}
	return 0;
}

/* Copy the host's busybox to rootfd/bin/busybox. */
static int install_binary(int rootfd, struct brig_err *e)
{
	cleanup_close int in = open(BUSYBOX, O_RDONLY | O_CLOEXEC);
	cleanup_close int out = -1;
	struct stat st;

	if (in < 0)
		return brig_err_set(e, errno, "%s (Debian: install busybox-static)", BUSYBOX);
	if (fstat(in, &st) < 0)
		return brig_err_set(e, errno, "%s", BUSYBOX);
	if (check_static(in, e) < 0)
		return -1;
	out = openat(rootfd, "bin/busybox", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (out < 0)
		return brig_err_set(e, errno, "creating bin/busybox");
	if (copy_data(in, out, st.st_size, e) < 0 || fchmod(out, 0755) < 0)
		return brig_err_wrap(e, "copying %s", BUSYBOX);
	return 0;
}

/* A symlink to /bin/busybox for every applet, where busybox says it goes. */
static int install_applets(int rootfd, struct brig_err *e)
{
	char *argv[] = { BUSYBOX, "--list-full", NULL };
	cleanup_free char *list = NULL;
	char *save = NULL;

	if (spawn_capture(argv, &list, e) < 0)
		return brig_err_wrap(e, "listing busybox applets");
	for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *slash = strrchr(line, '/');
		const char *why = NULL;
		int dfd;

		/* linuxrc and busybox itself are not applets to link. */
		if (!slash || !slash[1] || !strcmp(line, "bin/busybox"))
			continue;
		cleanup_free char *clean = path_member_clean(line, &why);
		if (!clean)
			return brig_err_set(e, 0, "busybox applet path `%s` %s", line, why);
		*slash = '\0';
		dfd = mkdirp_open(rootfd, line, 0755, MKDIRP_BENEATH, e);
		if (dfd < 0)
			return -1;
		if (symlinkat("/bin/busybox", dfd, slash + 1) < 0 && errno != EEXIST) {
			brig_err_set(e, errno, "linking applet %s/%s", line, slash + 1);
			close(dfd);
			return -1;
		}
		close(dfd);
	}
	return 0;
}

int source_busybox(int rootfd, const struct store_progress *p, struct brig_err *e)
{
	cleanup_close int etcfd = -1;

	(void)p;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (mkdirat(rootfd, dirs[i].path, dirs[i].mode) < 0 && errno != EEXIST)
			return brig_err_set(e, errno, "creating %s", dirs[i].path);
		/* mkdir applies the umask; the mode must be exact (tmp: 1777). */
		if (fchmodat(rootfd, dirs[i].path, dirs[i].mode, 0) < 0)
			return brig_err_set(e, errno, "setting the mode of %s", dirs[i].path);
	}
	if (install_binary(rootfd, e) < 0 || install_applets(rootfd, e) < 0)
		return -1;
	etcfd = beneath_open(rootfd, "etc", O_RDONLY | O_DIRECTORY, e);
	if (etcfd < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(etc_files); i++)
		if (write_atomic_at(etcfd, etc_files[i].name, etc_files[i].text,
				    strlen(etc_files[i].text), etc_files[i].mode, true, e) < 0)
			return brig_err_wrap(e, "etc");
	return etc_install_busybox(rootfd, e);
}
