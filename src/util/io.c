/* Whole reads and writes (see io.h). */
#include "util/io.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = RETRY_EINTR(read(fd, (char *)buf + got, len - got));

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	n = read_full(fd, buf, len - 1);
	close(fd);
	if (n <= 0) {
		buf[0] = '\0';
		return -1;
	}
	buf[n] = '\0';
	return n;
}

int read_to_end(int fd, struct strbuf *sb)
{
	char buf[4096];
	ssize_t n;

	while ((n = RETRY_EINTR(read(fd, buf, sizeof(buf)))) > 0)
		sb_addn(sb, buf, (size_t)n);
	return n < 0 ? -1 : 0;
}

/* write_all and pwrite_all: at off, or at fd's offset when off < 0. */
static int write_at(int fd, const char *p, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = off < 0 ? RETRY_EINTR(write(fd, p, len)) : RETRY_EINTR(pwrite(fd, p, len, off));

		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		if (off >= 0)
			off += n;
	}
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	return write_at(fd, buf, len, -1);
}

int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	return write_at(fd, buf, len, off);
}

void close_fds(const int *fds, size_t n)
{
	for (size_t k = 0, e; k < n; k = e) {
		for (e = k + 1; e < n && fds[e] == fds[e - 1] + 1;)
			e++;
		if (e - k == 1 || close_range((unsigned)fds[k], (unsigned)fds[e - 1], 0) != 0)
			for (size_t m = k; m < e; m++)
				close(fds[m]);
	}
}

long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
