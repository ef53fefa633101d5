/* The file system's share of loading a configuration folder, without
 * brig: what any reader of the same files must at least do, timed as a
 * peer in bench/conf.sh.
 *
 *   conf_floor DIR
 *
 * Reads DIR/jail.conf, DIR/rctl.conf and every entry of DIR/jail.conf.d
 * (a listing, then for each file an open relative to the folder, reads
 * until a short count, a close), and prints how many files and bytes. No type check, no
 * parse, no output: a floor, not a competitor. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static char buf[1 << 16];

static size_t slurp(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	size_t total = 0;
	ssize_t r;

	if (fd < 0)
		return 0;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		total += (size_t)r;
		if ((size_t)r < sizeof(buf))
			break;
	}
	close(fd);
	return total;
}

int main(int argc, char **argv)
{
	size_t files = 0, bytes = 0;
	struct dirent *de;
	int top, dfd;
	DIR *d;

	if (argc != 2 || (top = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "usage: conf_floor DIR\n");
		return 2;
	}
	bytes += slurp(top, "jail.conf");
	bytes += slurp(top, "rctl.conf");	/* if there is one */
	files++;
	dfd = openat(top, "jail.conf.d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		bytes += slurp(dfd, de->d_name);
		files++;
	}
	if (d)
		closedir(d);
	printf("%zu files, %zu bytes\n", files, bytes);
	return 0;
}
