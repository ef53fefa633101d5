/* brig stats [JAIL...] [--json] [--watch [-n SECS]]: each running jail's
 * usage (core/usage.h): CPU %, memory, pids, disk io, network, uptime.
 *
 * CPU % is of one CPU, between two samples. The first sample of a jail
 * is its start (no CPU time used yet), so a single `brig stats` shows
 * the average since the jail started, at no wait; --watch then shows
 * each interval's. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/human.h"
#include "core/core.h"
#include "core/usage.h"
#include "util/io.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* One jail's sample. */
struct sample {
	char *name;
	int jid;
	pid_t init;
	struct jail_usage u;
	double cpu_pct;		/* -1: unknown */
};

struct samples {
	struct sample *v;
	size_t n;
};

static void samples_free(struct samples *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	*s = (struct samples){ 0 };
}

/* CPU % of one CPU between prev (the same run of the jail, or NULL: its
 * start) and now. */
static double cpu_pct(const struct sample *prev, const struct jail_usage *u)
{
	long long cpu = u->cpu_usec, ms = u->uptime_ms;

	if (cpu < 0 || ms < 0)
		return -1;
	if (prev && prev->u.cpu_usec >= 0 && prev->u.uptime_ms >= 0) {
		cpu -= prev->u.cpu_usec;
		ms -= prev->u.uptime_ms;
	}
	if (ms <= 0 || cpu < 0)
		return prev ? prev->cpu_pct : -1;
	return (double)cpu / 10.0 / (double)ms;
}

/* The sample of the same run of jail name in old, or NULL. */
static const struct sample *previous(const struct samples *old, const char *name, pid_t init)
{
	for (size_t i = 0; i < old->n; i++)
		if (old->v[i].init == init && !strcmp(old->v[i].name, name))
			return &old->v[i];
	return NULL;
}

/* Sample the jails named (n == 0: every running jail) into out, CPU %
 * against old. Prints an error per jail that cannot be read (quiet: not:
 * --watch after its first sample, where a named jail that stopped is
 * left out of the frame); returns how many. */
static int take(char *const *names, size_t n, const struct samples *old, struct samples *out,
		bool quiet)
{
	struct core_jail *v = NULL;
	struct brig_err e = { 0 };
	size_t nv = 0;
	int bad = 0;

	*out = (struct samples){ 0 };
	if (n == 0) {
		if (core_list(&v, &nv, &e) < 0) {
			cli_print_err(&e);
			return 1;
		}
	} else {
		v = xcalloc(n, sizeof(*v));
		for (size_t i = 0; i < n; i++) {
			if (core_find(names[i], &v[nv], &e) < 0) {
				if (!quiet)
					cli_print_err(&e);
				bad++;
				continue;
			}
			nv++;
		}
	}
	out->v = xcalloc(nv + 1, sizeof(*out->v));
	for (size_t i = 0; i < nv; i++) {
		struct sample *s = &out->v[out->n];

		if (core_usage(&v[i], &s->u, &e) < 0) {
			/* Ended since it was listed: nothing to show. */
			if ((e.errnum != ESRCH || n > 0) && !quiet) {
				cli_print_err(&e);
				bad++;
			}
			continue;
		}
		s->name = xstrdup(v[i].name);
		s->jid = v[i].jid;
		s->init = v[i].init_pid;
		s->cpu_pct = cpu_pct(previous(old, s->name, s->init), &s->u);
		out->n++;
	}
	core_list_free(v, nv);
	return bad;
}

/* The samples as a JSON array (one line when compact). */
static void render_json(const struct samples *s, bool pretty, struct strbuf *sb)
{
	struct json js;

	json_init(&js, sb, pretty);
	json_arr_begin(&js);
	for (size_t i = 0; i < s->n; i++) {
		const struct jail_usage *u = &s->v[i].u;

		json_obj_begin(&js);
		json_key(&js, "name");
		json_str(&js, s->v[i].name);
		json_key(&js, "jid");
		json_int(&js, s->v[i].jid);
		json_key(&js, "cpu_percent");
		if (s->v[i].cpu_pct < 0)
			json_null_value(&js);
		else
			json_percent(&js, s->v[i].cpu_pct);
		json_key_count(&js, "cpu_usec", u->cpu_usec);
		json_key_count(&js, "memory_current", u->mem_current);
		json_key_count(&js, "memory_limit", u->mem_limit);
		json_key_count(&js, "memory_peak", u->mem_peak);
		json_key_count(&js, "swap_current", u->swap_current);
		json_key_count(&js, "pids_current", u->pids_current);
		json_key_count(&js, "pids_limit", u->pids_limit);
		json_key_count(&js, "procs", u->procs);
		json_key_count(&js, "io_read_bytes", u->io_rbytes);
		json_key_count(&js, "io_write_bytes", u->io_wbytes);
		json_key_count(&js, "io_read_ops", u->io_rios);
		json_key_count(&js, "io_write_ops", u->io_wios);
		json_key_count(&js, "net_rx_bytes", u->net_rx_bytes);
		json_key_count(&js, "net_tx_bytes", u->net_tx_bytes);
		json_key_count(&js, "net_rx_packets", u->net_rx_packets);
		json_key_count(&js, "net_tx_packets", u->net_tx_packets);
		json_key_count(&js, "disk_used", u->disk_used);
		json_key_count(&js, "disk_limit", u->disk_limit);
		json_key_count(&js, "uptime_ms", u->uptime_ms);
		json_obj_end(&js);
	}
	json_arr_end(&js);
	sb_addc(sb, '\n');
}

/* "A / B" of two sizes; B "max" when a is known but there is no limit. */
static void pair(char *buf, size_t size, long long a, long long b, bool limit)
{
	char x[32], y[32];

	human_bytes(x, sizeof(x), a);
	if (limit && b < 0 && a >= 0)
		snprintf(y, sizeof(y), "max");
	else
		human_bytes(y, sizeof(y), b);
	snprintf(buf, size, "%s / %s", x, y);
}

/* The samples as a table, one line each ('\n'-ended) below a header. */
static void render_text(const struct samples *s, struct strbuf *sb)
{
	int wn = 4;

	for (size_t i = 0; i < s->n; i++)
		wn = wn > (int)strlen(s->v[i].name) ? wn : (int)strlen(s->v[i].name);
	sb_addf(sb, "%-*s  %6s  %-21s  %-9s  %-11s  %-21s  %-21s  %s\n", wn, "NAME", "CPU %",
		"MEM / LIMIT", "MEM PEAK", "PIDS", "BLOCK I/O (R / W)", "NET I/O (RX / TX)", "UPTIME");
	for (size_t i = 0; i < s->n; i++) {
		const struct jail_usage *u = &s->v[i].u;
		char cpu[16] = "-", mem[80], peak[32], pids[48], io[80], net[80], up[32];

		if (s->v[i].cpu_pct >= 0)
			snprintf(cpu, sizeof(cpu), "%.1f%%", s->v[i].cpu_pct);
		pair(mem, sizeof(mem), u->mem_current, u->mem_limit, true);
		human_bytes(peak, sizeof(peak), u->mem_peak);
		if (u->pids_current < 0)
			snprintf(pids, sizeof(pids), "-");
		else if (u->pids_limit < 0)
			snprintf(pids, sizeof(pids), "%lld / max", u->pids_current);
		else
			snprintf(pids, sizeof(pids), "%lld / %lld", u->pids_current, u->pids_limit);
		pair(io, sizeof(io), u->io_rbytes, u->io_wbytes, false);
		pair(net, sizeof(net), u->net_rx_bytes, u->net_tx_bytes, false);
		if (u->net_rx_bytes < 0)
			snprintf(net, sizeof(net), "(host's)");
		human_duration(up, sizeof(up), u->uptime_ms);
		sb_addf(sb, "%-*s  %6s  %-21s  %-9s  %-11s  %-21s  %-21s  %s\n", wn, s->v[i].name, cpu, mem,
			peak, pids, io, net, up);
	}
}

/* --watch: the signal that ends it (SIGINT, SIGTERM, SIGHUP). */
static volatile sig_atomic_t stop_sig;
static void on_stop(int sig)
{
	stop_sig = sig;
}
static volatile sig_atomic_t resized;
static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

/* A terminal in --watch: keys read one at a time without echo, the
 * frame drawn on the alternate screen; restored as it was on the way
 * out. */
struct screen {
	bool tty;
	bool keys;		/* stdin is the terminal: q quits */
	struct termios saved;
};

static void screen_begin(struct screen *sc)
{
	sc->tty = isatty(STDOUT_FILENO);
	sc->keys = false;
	if (!sc->tty)
		return;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &sc->saved) == 0) {
		struct termios raw = sc->saved;

		/* ^C stays a signal (ISIG): the same way out as kill. */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		sc->keys = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
	/* Alternate screen, cursor hidden, at home. */
	fputs("\033[?1049h\033[?25l\033[H\033[2J", stdout);
	fflush(stdout);
}

static void screen_end(struct screen *sc)
{
	if (!sc->tty)
		return;
	fputs("\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	if (sc->keys)
		tcsetattr(STDIN_FILENO, TCSANOW, &sc->saved);
}

/* Draw text over the previous frame: from the top left, each line
 * cleared to its end, then the rest of the screen; lines cut at the
 * terminal's width. Nothing is erased before it is redrawn: no flicker. */
static void screen_draw(const char *text)
{
	struct winsize ws = { 0 };
	struct strbuf out = STRBUF_INIT;
	size_t cols = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 1000;
	size_t rows = ws.ws_row ? ws.ws_row : 1000, row = 0;

	sb_adds(&out, "\033[H");
	for (const char *p = text; *p && row < rows; row++) {
		const char *eol = strchrnul(p, '\n');
		size_t len = (size_t)(eol - p);

		sb_addn(&out, p, len < cols ? len : cols);
		sb_adds(&out, "\033[K");
		if (*eol && row + 1 < rows)
			sb_adds(&out, "\r\n");
		p = *eol ? eol + 1 : eol;
	}
	sb_adds(&out, "\033[J");
	fwrite(out.s, 1, out.len, stdout);
	fflush(stdout);
	sb_free(&out);
}

/* Wait up to ms for the next sample; false when it is time to go (q
 * pressed, a signal). */
static bool pause_ms(const struct screen *sc, int ms)
{
	long long end = mono_ms() + ms;

	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		long long left;
		char c;

		if (stop_sig)
			return false;
		if (resized)
			return true;	/* redraw at once */
		left = end - mono_ms();
		if (left <= 0)
			return true;
		if (poll(&p, sc->keys ? 1 : 0, (int)left) > 0 && read(STDIN_FILENO, &c, 1) == 1 &&
		    (c == 'q' || c == 'Q' || c == 3 /* ^C without ISIG */))
			return false;
	}
}

/* --watch: a sample per interval until q or a signal. On a terminal each
 * frame replaces the last; else each is printed after the last. */
static int watch(char *const *names, size_t n, bool json, int interval_ms)
{
	struct samples old = { 0 }, cur;
	struct sigaction sa = { .sa_handler = on_stop }, wa = { .sa_handler = on_winch };
	struct screen sc;
	int bad = 0;

	/* No SA_RESTART: poll returns at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGWINCH, &wa, NULL);
	screen_begin(&sc);
	do {
		struct strbuf sb = STRBUF_INIT;

		resized = 0;
		bad = take(names, n, &old, &cur, old.v != NULL);
		samples_free(&old);
		old = cur;
		if (json)
			render_json(&cur, false, &sb);
		else
			render_text(&cur, &sb);
		if (sc.tty) {
			screen_draw(sb.s);
		} else {
			if (!json)
				sb_addc(&sb, '\n');
			fwrite(sb.s, 1, sb.len, stdout);
			fflush(stdout);
		}
		sb_free(&sb);
	} while (!ferror(stdout) && pause_ms(&sc, interval_ms));
	screen_end(&sc);
	samples_free(&old);
	return bad || ferror(stdout) ? 1 : 0;
}

int cmd_stats(int argc, char **argv)
{
	bool json = false, watching = false;
	int interval_ms = 1000, bad;
	char **names = xcalloc((size_t)argc + 1, sizeof(*names));
	size_t n = 0;
	struct samples s, none = { 0 };
	struct strbuf sb = STRBUF_INIT;

	for (int i = 1; i < argc; i++) {
		char *end;
		double secs;

		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--watch") || !strcmp(argv[i], "-w")) {
			watching = true;
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			errno = 0;
			secs = strtod(argv[++i], &end);
			if (errno || *end || end == argv[i] || secs < 0.1 || secs > 86400) {
				cli_error("stats: -n %s: seconds between samples, 0.1 to 86400", argv[i]);
				free(names);
				return 2;
			}
			interval_ms = (int)(secs * 1000);
			watching = true;
		} else if (argv[i][0] == '-') {
			cli_error("usage: brig stats [JAIL...] [--json] [--watch [-n SECS]]");
			free(names);
			return 2;
		} else {
			names[n++] = argv[i];
		}
	}
	if (watching) {
		bad = watch(names, n, json, interval_ms);
		free(names);
		return bad;
	}
	bad = take(names, n, &none, &s, false);
	if (json)
		render_json(&s, true, &sb);
	else
		render_text(&s, &sb);
	fwrite(sb.s, 1, sb.len, stdout);
	sb_free(&sb);
	samples_free(&s);
	free(names);
	return bad ? 1 : 0;
}
