/* brig doctor [JAIL [--to ADDR[:PORT][/tcp|udp]] [--rdr [PORT]] | --all]
 * [-f FILE] [--json] [-v]: what brig relies on, hop by hop (core/doctor.h). Exit 0
 * when every hop is OK (or a warning), 1 when one fails, 2 when doctor
 * itself could not run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "conf/model.h"
#include "core/doctor.h"
#include "util/json.h"
#include "util/strbuf.h"

static const char *const status_name[] = {
	[DR_OK] = "OK", [DR_WARN] = "WARN", [DR_FAIL] = "FAIL", [DR_SKIP] = "SKIP",
};

static void print_text(const struct dr_report *r, bool verbose)
{
	printf("%s:\n", r->subject);
	for (size_t i = 0; i < r->n; i++) {
		const struct dr_hop *h = &r->v[i];
		bool detail = verbose || h->status == DR_FAIL || h->status == DR_WARN;

		printf("  %-4s %-8s %s\n", status_name[h->status], h->section, h->name);
		if (!detail)
			continue;
		if (h->seen || h->expected)
			printf("       seen: %s; expected: %s\n", h->seen ? h->seen : "(nothing)",
			       h->expected ? h->expected : "(nothing)");
		if (h->fix)
			printf("       fix: %s\n", h->fix);
	}
}

static void json_opt(struct json *js, const char *key, const char *v)
{
	json_key(js, key);
	if (v)
		json_str(js, v);
	else
		json_null_value(js);
}

static void print_json(const struct dr_report *r, size_t nr)
{
	struct strbuf sb = STRBUF_INIT;
	struct json js;

	json_init(&js, &sb, true);
	json_arr_begin(&js);
	for (size_t k = 0; k < nr; k++) {
		json_obj_begin(&js);
		json_key(&js, "subject");
		json_str(&js, r[k].subject);
		json_key(&js, "status");
		json_str(&js, status_name[dr_worst(&r[k])]);
		json_key(&js, "hops");
		json_arr_begin(&js);
		for (size_t i = 0; i < r[k].n; i++) {
			const struct dr_hop *h = &r[k].v[i];

			json_obj_begin(&js);
			json_key(&js, "section");
			json_str(&js, h->section);
			json_key(&js, "name");
			json_str(&js, h->name);
			json_key(&js, "status");
			json_str(&js, status_name[h->status]);
			json_opt(&js, "seen", h->seen);
			json_opt(&js, "expected", h->expected);
			json_opt(&js, "fix", h->fix);
			json_obj_end(&js);
		}
		json_arr_end(&js);
		json_obj_end(&js);
	}
	json_arr_end(&js);
	printf("%s\n", sb.s);
	sb_free(&sb);
}

/* The hop that decided r's status (its first of the worst kind), or NULL. */
static const struct dr_hop *first_worst(const struct dr_report *r)
{
	enum dr_status w = dr_worst(r);

	for (size_t i = 0; w != DR_OK && i < r->n; i++)
		if (r->v[i].status == w)
			return &r->v[i];
	return NULL;
}

/* --all: every running jail, one line each, then the details of those
 * that are not all OK (of every one with -v). */
static int doctor_all(struct conf *cf, const struct jail_set *s, const struct dr_opts *o, bool json)
{
	size_t n = 0;
	char **names = doctor_running(&n);
	struct dr_report *r = calloc(n + 1, sizeof(*r));
	int rc = 0;

	if (!r)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct brig_err e = { 0 };

		r[i].subject = strdup(names[i]);
		if (doctor_jail(s, names[i], o, &r[i], &e) < 0) {
			cli_print_err(&e);
			rc = 2;
		}
	}
	if (json) {
		print_json(r, n);
	} else {
		for (size_t i = 0; i < n; i++) {
			const struct dr_hop *h = first_worst(&r[i]);

			printf("%-4s %-16s %zu hops%s%s%s%s\n", status_name[dr_worst(&r[i])], r[i].subject,
			       r[i].n, h ? ": " : "", h ? h->section : "", h ? " " : "", h ? h->name : "");
		}
		for (size_t i = 0; i < n; i++)
			if (o->verbose || dr_worst(&r[i]) != DR_OK) {
				printf("\n");
				print_text(&r[i], o->verbose);
			}
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && dr_worst(&r[i]) == DR_FAIL)
			rc = 1;
		dr_report_free(&r[i]);
		free(names[i]);
	}
	free(r);
	free(names);
	conf_free(cf);
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: brig doctor [-f FILE] [JAIL [--to ADDR[:PORT][/tcp|udp]] [--rdr [PORT]] | --all]"
			" [--json] [-v]\n");
}

int cmd_doctor(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "rdr", optional_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dr_opts o = { 0 };
	const char *file = NULL;
	bool all = false, json = false;
	static char rdr_arg[32];
	int c;

	/* --rdr [PORT], as brig(8) writes it: a number right after --rdr is
	 * its port (getopt takes an optional argument only as --rdr=PORT). */
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--rdr") == 0 && argv[i + 1][0] &&
		    strspn(argv[i + 1], "0123456789") == strlen(argv[i + 1]) &&
		    strlen(argv[i + 1]) < 8) {
			snprintf(rdr_arg, sizeof(rdr_arg), "--rdr=%s", argv[i + 1]);
			argv[i] = rdr_arg;
			memmove(&argv[i + 1], &argv[i + 2], (size_t)(argc - i - 2) * sizeof(*argv));
			argv[--argc] = NULL;
			break;
		}
	while ((c = getopt_long(argc, argv, "f:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 't':
			o.to = optarg;
			break;
		case 'r':
			o.rdr = true;
			if (optarg) {
				char *end;

				o.rdr_port = strtol(optarg, &end, 10);
				if (*end || o.rdr_port < 1 || o.rdr_port > 65535) {
					cli_error("doctor: --rdr %s: not a port", optarg);
					return 2;
				}
			}
			break;
		case 'a':
			all = true;
			break;
		case 'j':
			json = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if ((all && optind < argc) || argc - optind > 1 || ((o.to || o.rdr) && optind == argc)) {
		usage();
		return 2;
	}

	struct conf *cf = cli_load_conf(file, NULL, 0);
	const struct jail_set *s = cf ? conf_jail_set(cf) : NULL;
	struct dr_report r = { 0 };
	struct brig_err e = { 0 };
	int rc;

	if (!s) {
		conf_free(cf);
		return 2;
	}
	if (all)
		return doctor_all(cf, s, &o, json);
	if (optind < argc) {
		r.subject = strdup(argv[optind]);
		rc = doctor_jail(s, argv[optind], &o, &r, &e);
	} else {
		r.subject = strdup("host");
		rc = doctor_host(s, &r, &e);
	}
	if (rc < 0) {
		cli_print_err(&e);
		dr_report_free(&r);
		conf_free(cf);
		return 2;
	}
	if (json)
		print_json(&r, 1);
	else
		print_text(&r, o.verbose);
	rc = dr_worst(&r) == DR_FAIL ? 1 : 0;
	dr_report_free(&r);
	conf_free(cf);
	return rc;
}
