/* jls(8)'s command line: its flags, in order, and libxo's --libxo. */
#include <getopt.h>
#include <string.h>

#include "cli/fe.h"
#include "util/mem.h"

#define JLS_USAGE "usage: jls [-cdhNnqsv] [-j jail] [--libxo json[,pretty]] [param ...]"

/* One word of a --libxo argument. libxo's formatting options that do not
 * change JSON's shape are accepted and have no effect. */
static int libxo_word(struct jls_opts *o, const char *w, size_t len, struct brig_err *e)
{
	static const char *const ignored[] = {
		"warn", "warn-xml", "underscores", "keys", "info", "color", "no-color",
		"no-locale", "flush", "flush-line", "no-top", "not-first",
		"no-humanize", "units", "no-retain", "retain", "dtrt", "log-gettext",
		"log-syslog", "no-flush",
	};

	if (len == 4 && !strncmp(w, "json", 4)) {
		o->json = true;
		return 0;
	}
	if (len == 6 && !strncmp(w, "pretty", 6)) {
		o->pretty = true;
		return 0;
	}
	if (len == 4 && !strncmp(w, "text", 4)) {
		o->json = false;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ignored); i++)
		if (strlen(ignored[i]) == len && !strncmp(w, ignored[i], len))
			return 0;
	if ((len == 3 && !strncmp(w, "xml", 3)) || (len == 4 && !strncmp(w, "html", 4)))
		return brig_err_set(e, 0, "--libxo %.*s: brig prints text and json only",
				    (int)len, w);
	return brig_err_set(e, 0, "--libxo: unknown option \"%.*s\"", (int)len, w);
}

/* --libxo json,pretty (or libxo's one-letter form --libxo:JP). */
static int libxo_opts(struct jls_opts *o, const char *spec, bool letters, struct brig_err *e)
{
	if (letters) {
		for (const char *p = spec; *p; p++) {
			if (*p == 'J')
				o->json = true;
			else if (*p == 'P')
				o->pretty = true;
			else if (*p == 'T')
				o->json = false;
			else if (*p != 'W' && *p != 'U' && *p != 'k' && *p != 'I')
				return brig_err_set(e, 0, "--libxo:%c: not supported", *p);
		}
		return 0;
	}
	while (*spec) {
		size_t len = strcspn(spec, ",");

		if (len > 0 && libxo_word(o, spec, len, e) < 0)
			return -1;
		spec += len;
		if (*spec == ',')
			spec++;
	}
	return 0;
}

/* Take the --libxo arguments out of argv, as libxo's xo_parse_args does
 * before jls looks at its own options. Returns the new argc. */
static int strip_libxo(int argc, char **argv, struct jls_opts *o, struct brig_err *e)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--libxo") == 0) {
			if (i + 1 >= argc)
				return brig_err_set(e, 0, "--libxo needs an argument");
			if (libxo_opts(o, argv[++i], false, e) < 0)
				return -1;
		} else if (!strncmp(a, "--libxo=", 8)) {
			if (libxo_opts(o, a + 8, false, e) < 0)
				return -1;
		} else if (!strncmp(a, "--libxo:", 8)) {
			if (libxo_opts(o, a + 8, true, e) < 0)
				return -1;
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	return out;
}

int jls_parse(int argc, char **argv, struct jls_opts *o, struct brig_err *e)
{
	int c;

	memset(o, 0, sizeof(*o));
	argc = strip_libxo(argc, argv, o, e);
	if (argc < 0)
		return -1;
	optind = 0;	/* glibc: start afresh (tests parse many times) */
	opterr = 0;
	/* jls(8) sets and clears flags in order: a later -v undoes -n. */
	while ((c = getopt(argc, argv, "+acdj:hNnqsv")) != -1) {
		switch (c) {
		case 'a':
		case 'd':
			/* Dying jails: brig jails never linger while dying. */
			break;
		case 'c':
			o->check = true;
			break;
		case 'j':
			o->jail = optarg;
			break;
		case 'h':
			o->pflags = (o->pflags & ~(JLS_SKIP | JLS_VERBOSE)) | JLS_HEADER;
			break;
		case 'N':
			o->pflags |= JLS_JAIL_NAME;
			break;
		case 'n':
			o->pflags = (o->pflags & ~JLS_VERBOSE) | JLS_NAMEVAL;
			break;
		case 'q':
			o->pflags |= JLS_QUOTED;
			break;
		case 's':
			o->pflags = (o->pflags & ~(JLS_HEADER | JLS_VERBOSE)) |
				    JLS_NAMEVAL | JLS_QUOTED | JLS_SKIP;
			break;
		case 'v':
			o->pflags = (o->pflags & ~(JLS_HEADER | JLS_NAMEVAL | JLS_SKIP)) |
				    JLS_VERBOSE;
			break;
		default:
			return brig_err_set(e, 0, JLS_USAGE);
		}
	}
	o->params = argv + optind;
	o->nparams = (size_t)(argc - optind);
	return 0;
}

