/* The file system's share of loading a configuration folder, without
 * brig: what any reader of the same files must at least do, timed as a
 * peer in bench/conf.sh.
 *
 *   conf_floor [-2] DIR
 *
 * Reads DIR/jail.conf, DIR/rctl.conf and every entry of DIR/jail.conf.d
 * (a listing, then for each file an open relative to the folder, reads
 * until a short count, a close), and prints how many files and bytes. No type check, no
 * parse, no output: a floor, not a competitor. With -2, the files of
 * jail.conf.d are read by two threads (every other one each, the second
 * with a file descriptor table of its own), as brig reads a large
 * jail.conf.d when it has two CPUs: the floor of that. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct half {
	int dfd;
	char **names;
	size_t n, first;	/* reads names[first], names[first + 2], ... */
	size_t bytes;
	char buf[1 << 16];
};

static size_t slurp(int dfd, const char *name, char *buf, size_t cap)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	size_t total = 0;
	ssize_t r;

	if (fd < 0)
		return 0;
	while ((r = read(fd, buf, cap)) > 0) {
		total += (size_t)r;
		if ((size_t)r < cap)
			break;
	}
	close(fd);
	return total;
}

static void *read_half(void *arg)
{
	struct half *h = arg;

	if (h->first)
		(void)unshare(CLONE_FILES);
	for (size_t i = h->first; i < h->n; i += 2)
		h->bytes += slurp(h->dfd, h->names[i], h->buf, sizeof(h->buf));
	return NULL;
}

int main(int argc, char **argv)
{
	static struct half h[2];
	int two = argc == 3 && strcmp(argv[1], "-2") == 0;
	size_t files = 0, bytes = 0, n = 0, cap = 0;
	char **names = NULL;
	struct dirent *de;
	pthread_t tid;
	int top, dfd;
	DIR *d;

	if (argc != 2 + two || (top = open(argv[argc - 1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "usage: conf_floor [-2] DIR\n");
		return 2;
	}
	bytes += slurp(top, "jail.conf", h[0].buf, sizeof(h[0].buf));
	bytes += slurp(top, "rctl.conf", h[0].buf, sizeof(h[0].buf));	/* if there is one */
	files++;
	dfd = openat(top, "jail.conf.d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!two) {	/* as it comes, as before there was -2 */
			bytes += slurp(dfd, de->d_name, h[0].buf, sizeof(h[0].buf));
			n++;
			continue;
		}
		if (n == cap && !(names = realloc(names, (cap = cap ? 2 * cap : 1024) * sizeof(*names))))
			return 1;
		if (!(names[n++] = strdup(de->d_name)))
			return 1;
	}
	if (two) {
		for (int k = 0; k < 2; k++) {
			h[k].dfd = dfd;
			h[k].names = names;
			h[k].n = n;
			h[k].first = (size_t)k;
		}
		if (pthread_create(&tid, NULL, read_half, &h[1]) != 0)
			return 1;
		read_half(&h[0]);
		pthread_join(tid, NULL);
		bytes += h[0].bytes + h[1].bytes;
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	files += n;
	if (d)
		closedir(d);
	printf("%zu files, %zu bytes\n", files, bytes);
	return 0;
}
