/* A resolved jail as JSON or as jail.conf text (`brig config show`). The
 * text loads back to the same jail. */
#include "conf/cf.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"

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

/* s as a jail.conf word: bare, or double-quoted with escapes. */
static void word(struct strbuf *out, const char *s)
{
	if (bare(s)) {
		sb_adds(out, s);
		return;
	}
	sb_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': sb_adds(out, "\\\""); break;
		case '\\': sb_adds(out, "\\\\"); break;
		case '$': sb_adds(out, "\\$"); break;
		case '\n': sb_adds(out, "\\n"); break;
		case '\t': sb_adds(out, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_addf(out, "\\x%02x", c);
			else
				sb_addc(out, (char)c);
			break;
		}
	}
	sb_addc(out, '"');
}

/* A purely numeric name stands for a jid (see resolve.c). */
static bool numeric(const char *s)
{
	char *end;

	return strtol(s, &end, 10) != 0 && *end == '\0';
}

void conf_jail_text(const struct conf_jail *j, struct strbuf *out)
{
	if (j->file)
		sb_addf(out, "# %s:%d\n", j->file, j->line);
	word(out, j->name);
	sb_adds(out, " {\n");
	for (size_t i = 0; i < j->nparams; i++) {
		const struct conf_param *p = &j->params[i];

		if (strcmp(p->name, "name") == 0 || (strcmp(p->name, "jid") == 0 && numeric(j->name)))
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
