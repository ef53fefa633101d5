/* A resolved jail as JSON or as jail.conf text (`brig config show`). The
 * text loads back to the same jail. */
#include "conf/cf.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* A jail as {"name": ..., "params": {...}}. */
void conf_jail_json(const struct conf_jail *j, struct json *w)
{
	json_obj_begin(w);
	json_key(w, "name");
	json_str(w, j->name);
	json_key(w, "params");
	json_obj_begin(w);
	for (size_t i = 0; i < j->nparams; i++) {
		const struct conf_param *p = &j->params[i];
		const char *last = p->nvalues ? p->values[p->nvalues - 1] : "";

		json_key(w, p->name);
		switch (p->type) {
		case CONF_BOOL:
			json_bool(w, strcmp(last, "true") == 0);
			break;
		case CONF_LIST:
			json_arr_begin(w);
			for (size_t k = 0; k < p->nvalues; k++)
				json_str(w, p->values[k]);
			json_arr_end(w);
			break;
		case CONF_INT:
		case CONF_STRING:
		default:
			json_str(w, last);
			break;
		}
	}
	json_obj_end(w);
	json_obj_end(w);
}

/* Characters that need no quotes (FreeBSD's unquoted runs). */
static bool bare(const char *s)
{
	static const char ok[] = "_!%&()-.:<>?@[]^`|~";

	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(ok, *s)))
			return false;
	return true;
}

void conf_quote(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);

	sb_addc(out, '"');
	while (*p) {
		size_t n = *p >= 0x80 ? cf_utf8_seq(p, left) : 1;

		switch (*p) {
		case '"': sb_adds(out, "\\\""); break;
		case '\\': sb_adds(out, "\\\\"); break;
		case '$': sb_adds(out, "\\$"); break;
		case '\n': sb_adds(out, "\\n"); break;
		case '\t': sb_adds(out, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f || n == 0)
				sb_addf(out, "\\x%02x", *p);
			else
				sb_addn(out, (const char *)p, n);
			break;
		}
		n = n ? n : 1;
		p += n;
		left -= n;
	}
	sb_addc(out, '"');
}

/* s as a jail.conf word: bare, or quoted. */
static void word(struct strbuf *out, const char *s)
{
	if (bare(s))
		sb_adds(out, s);
	else
		conf_quote(out, s);
}

/* A purely numeric name stands for a jid (see resolve.c). */
static bool numeric(const char *s)
{
	char *end;

	return strtol(s, &end, 10) != 0 && *end == '\0';
}

/* A jail as a jail.conf block. */
void conf_jail_text(const struct conf_jail *j, struct strbuf *out)
{
	const char *jid = conf_str(j, "jid");
	/* The label sets name, or jid when numeric: a numeric name that is
	 * not the jid needs the jid as label and name as a parameter. */
	bool by_jid = jid && numeric(j->name) && strcmp(jid, j->name) != 0;

	if (j->file)
		sb_addf(out, "# %s:%d\n", j->file, j->line);
	word(out, by_jid ? jid : j->name);
	sb_adds(out, " {\n");
	for (size_t i = 0; i < j->nparams; i++) {
		const struct conf_param *p = &j->params[i];

		if (strcmp(p->name, by_jid ? "jid" : "name") == 0 ||
		    (strcmp(p->name, "jid") == 0 && numeric(j->name)))
			continue;
		sb_addf(out, "\t%s", p->name);
		if (p->type == CONF_BOOL && p->nvalues && strcmp(p->values[0], "true") == 0) {
			sb_adds(out, ";\n");
			continue;
		}
		for (size_t k = 0; k < p->nvalues; k++) {
			sb_adds(out, k ? ", " : " = ");
			word(out, p->values[k]);
		}
		sb_adds(out, ";\n");
	}
	sb_adds(out, "}\n");
}
