/* jail(8)'s command line: which operation, and whether the jails come from
 * the configuration file or from param=value arguments. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/fe.h"
#include "util/mem.h"

#define JAIL_USAGE \
	"usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n" \
	"            -[cmr] param=value ... [command=command ...]\n" \
	"       jail [-dqv] [-f file] -[cmr] [jail]\n" \
	"       jail [-qv] [-f file] -[rR] ['*' | jail ...]\n" \
	"       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n" \
	"            [-n jailname] [-s securelevel]\n" \
	"            path hostname [ip[,...]] command ..."

static void add_param(struct jail_args *a, size_t *cap, char *p)
{
	a->params = xgrow(a->params, cap, a->nparams + 1, sizeof(*a->params));
	a->params[a->nparams++] = p;
}

/* "command=ls -l" or "command=ls" "-l": the command and every argument
 * after it are the jail's command. first may be NULL. */
static void add_command(struct jail_args *a, size_t *cap, const char *first, char **rest, int n)
{
	int k = 0;

	if (first) {
		add_param(a, cap, xasprintf("command=%s", first));
		k++;
	}
	for (int i = 0; i < n; i++, k++)
		add_param(a, cap, xasprintf("command%s=%s", k ? "+" : "", rest[i]));
}

/* The param=value form: a single jail described on the command line. */
static void from_params(struct jail_args *a, size_t *cap, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strncmp(arg, "command", 7) && (arg[7] == '\0' || arg[7] == '=')) {
			add_command(a, cap, arg[7] ? arg + 8 : NULL, argv + i + 1, argc - i - 1);
			break;
		}
		/* conf splits ip4.addr=a,b at commas, as jail(8) does. */
		add_param(a, cap, xstrdup(arg));
	}
	a->from_params = true;
}

/* The oldest form: jail path hostname ip[,ip...] command ... */
static void old_style(struct jail_args *a, size_t *cap, int argc, char **argv)
{
	add_param(a, cap, xasprintf("path=%s", argv[0]));
	add_param(a, cap, xasprintf("host.hostname=%s", argv[1]));
	if (argv[2][0]) {
		const char *p = argv[2];
		bool first4 = true, first6 = true;

		for (;;) {
			size_t len = strcspn(p, ",");
			bool six = memchr(p, ':', len) != NULL;
			bool *first = six ? &first6 : &first4;

			add_param(a, cap, xasprintf("%s%s=%.*s", six ? "ip6.addr" : "ip4.addr",
						    *first ? "" : "+", (int)len, p));
			*first = false;
			if (p[len] != ',')
				break;
			p += len + 1;
		}
	}
	add_command(a, cap, NULL, argv + 3, argc - 3);
	a->from_params = true;
	a->old_style = true;
}

int jail_parse(int argc, char **argv, struct jail_args *a, struct brig_err *e)
{
	size_t cap = 0;
	bool docf = true;
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;	/* glibc: start afresh (tests parse many times) */
	opterr = 0;
	while ((c = getopt(argc, argv, "+cdf:hiJ:lmn:p:qrRs:u:U:v")) != -1) {
		switch (c) {
		case 'c':
			a->op |= JAIL_OP_CREATE;
			break;
		case 'd':
			/* allow.dying: brig jails never linger while dying. */
			break;
		case 'f':
			a->conf_file = optarg;
			break;
		case 'h':
			add_param(a, &cap, xstrdup("ip_hostname"));
			docf = false;
			break;
		case 'i':
			a->print_jid = true;
			a->verbose = -1;
			break;
		case 'J':
			a->jid_file = optarg;
			break;
		case 'l':
			add_param(a, &cap, xstrdup("exec.clean"));
			docf = false;
			break;
		case 'm':
			a->op |= JAIL_OP_MODIFY;
			break;
		case 'n':
			add_param(a, &cap, xasprintf("name=%s", optarg));
			docf = false;
			break;
		case 'p':
			a->parallel = atoi(optarg);
			if (a->parallel < 0)
				a->parallel = 0;
			break;
		case 'q':
			a->verbose = -1;
			break;
		case 'r':
			a->op |= JAIL_OP_REMOVE;
			break;
		case 'R':
			a->op |= JAIL_OP_REMOVE;
			a->rflag_raw = true;
			break;
		case 's':
			add_param(a, &cap, xasprintf("securelevel=%s", optarg));
			docf = false;
			break;
		case 'u':
		case 'U':
			add_param(a, &cap, xasprintf("exec.jail_user=%s", optarg));
			add_param(a, &cap, xstrdup(c == 'u' ? "exec.system_jail_user"
						       : "exec.system_jail_user=false"));
			docf = false;
			break;
		case 'v':
			a->verbose = 1;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;

	if (!a->op) {
		if (argc < 4 || argv[0][0] != '/')
			goto usage;
		a->op = JAIL_OP_CREATE;
		old_style(a, &cap, argc, argv);
	} else if (a->op == JAIL_OP_REMOVE) {
		if (!docf || argc == 0)
			goto usage;
		for (int i = 0; i < argc && !a->rflag_raw; i++)
			if (strchr(argv[i], '='))
				goto usage;
		a->names = argv;
		a->nnames = (size_t)argc;
	} else if (argc > 1 || (argc == 1 && strchr(argv[0], '='))) {
		if (a->rflag_raw)
			goto usage;
		from_params(a, &cap, argc, argv);
	} else {
		if (a->rflag_raw || !docf)
			goto usage;
		a->names = argv;
		a->nnames = (size_t)argc;
	}
	return 0;
usage:
	jail_args_free(a);
	return brig_err_set(e, 0, JAIL_USAGE);
}

/* Whether the param=value arguments set parameter name. */
static bool given(const struct jail_args *a, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < a->nparams; i++) {
		const char *p = a->params[i];

		if (!strncmp(p, name, len) &&
		    (p[len] == '=' || p[len] == '\0' || (p[len] == '+' && p[len + 1] == '=')))
			return true;
	}
	return false;
}

void jail_args_complete(struct jail_args *a, int (*free_jid)(void))
{
	size_t cap = a->nparams;

	if (!a->from_params || !(a->op & JAIL_OP_CREATE) || (a->op & JAIL_OP_REMOVE))
		return;
	if (!given(a, "name") && !given(a, "jid"))
		add_param(a, &cap, xasprintf("jid=%d", free_jid()));
	if (!given(a, "path"))
		add_param(a, &cap, xstrdup("path=/"));
}

void jail_args_free(struct jail_args *a)
{
	for (size_t i = 0; i < a->nparams; i++)
		free(a->params[i]);
	free(a->params);
	a->params = NULL;
	a->nparams = 0;
}

/* jail(8)'s quoted_print: quotes when needed, backslash before the quote
 * character and backslashes. */
static void quoted(struct strbuf *out, const char *s)
{
	char qc = !*s ? '"' : strchr(s, '\'') ? '"' : strchr(s, '"') ? '\'' :
		  (strchr(s, ' ') || strchr(s, '\t')) ? '"' : 0;

	if (qc)
		sb_addc(out, qc);
	for (; *s; s++) {
		if (*s == '\\' || *s == qc)
			sb_addc(out, '\\');
		sb_addc(out, *s);
	}
	if (qc)
		sb_addc(out, qc);
}

void jail_format_jidfile(struct strbuf *out, int jid, const struct conf_jail *cj)
{
	sb_addf(out, "jid=%d", jid);
	for (size_t i = 0; i < cj->nparams; i++) {
		const struct conf_param *p = &cj->params[i];

		if (p->def == conf_jparam(JP_JID))
			continue;
		sb_addc(out, ' ');
		if (p->type == CONF_BOOL) {
			/* jail.conf's own spelling: "persist" or "nopersist". */
			bool on = p->nvalues > 0 && strcmp(p->values[p->nvalues - 1], "true") == 0;
			char *no = on ? NULL : kp_noname(p->name);

			sb_adds(out, on ? p->name : no);
			free(no);
			continue;
		}
		sb_adds(out, p->name);
		if (p->nvalues == 0)
			continue;
		sb_addc(out, '=');
		for (size_t k = 0; k < p->nvalues; k++) {
			if (k)
				sb_addc(out, ',');
			quoted(out, p->values[k]);
		}
	}
}

/* A parameter of cj by name, or NULL. */
static const struct conf_param *param_of(const struct conf_jail *cj, const char *name)
{
	for (size_t i = 0; i < cj->nparams; i++)
		if (!strcmp(cj->params[i].name, name))
			return &cj->params[i];
	return NULL;
}

/* jail(8)'s print_param without the name: the values, quoted, joined by sep. */
static void values(struct strbuf *out, const struct conf_jail *cj, const char *name, char sep)
{
	const struct conf_param *p = param_of(cj, name);

	for (size_t k = 0; p && k < p->nvalues; k++) {
		if (k)
			sb_addc(out, sep);
		quoted(out, p->values[k]);
	}
}

void jail_format_jidfile_old(struct strbuf *out, int jid, const struct conf_jail *cj)
{
	const struct conf_param *ip4 = param_of(cj, "ip4.addr"), *ip6 = param_of(cj, "ip6.addr");

	sb_addf(out, "%d\t", jid);
	values(out, cj, "path", ',');
	sb_addc(out, '\t');
	values(out, cj, "host.hostname", ',');
	sb_addc(out, '\t');
	values(out, cj, "ip4.addr", ',');
	if (ip4 && ip4->nvalues && ip6 && ip6->nvalues)
		sb_addc(out, ',');
	values(out, cj, "ip6.addr", ',');
	sb_addc(out, '\t');
	values(out, cj, "command", ' ');
}
