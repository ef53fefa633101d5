/* JSON in the shape FreeBSD's libxo gives it (jls --libxo json). */
#include "cli/fe.h"

#include <string.h>

#include "util/json.h"

/* Newline and indentation for pretty output. */
static void indent(struct xo *x)
{
	if (!x->pretty)
		return;
	sb_addc(x->out, '\n');
	for (int i = 0; i < x->depth; i++)
		sb_adds(x->out, "  ");
}

/* Separate an item from the previous one at this depth. libxo writes
 * ", " before a container or list, "," before a leaf. */
static void item(struct xo *x, bool container)
{
	if (x->not_first[x->depth])
		sb_adds(x->out, x->pretty || !container ? "," : ", ");
	x->not_first[x->depth] = true;
	indent(x);
}

void xo_begin(struct xo *x, struct strbuf *out, bool pretty, const char *version)
{
	memset(x, 0, sizeof(*x));
	x->out = out;
	x->pretty = pretty;
	sb_addc(out, '{');
	x->depth = 1;
	x->closer[1] = '}';
	if (version) {
		item(x, true);
		sb_adds(out, "\"__version\": ");
		json_quote(out, version);
	}
}

void xo_open(struct xo *x, const char *name, char bracket)
{
	item(x, true);
	if (name) {
		json_quote(x->out, name);
		sb_adds(x->out, ": ");
	}
	sb_addc(x->out, bracket);
	if (x->depth < (int)(sizeof(x->not_first) - 1))
		x->depth++;
	x->not_first[x->depth] = false;
	x->closer[x->depth] = bracket == '[' ? ']' : '}';
}

void xo_close(struct xo *x)
{
	bool had = x->not_first[x->depth];
	char c = x->closer[x->depth];

	x->depth--;
	if (had)
		indent(x);
	sb_addc(x->out, c);
}

/* A JSON number: what libxo prints unquoted for a "%d" field. */
static bool is_number(const char *v)
{
	if (*v == '-')
		v++;
	if (!*v)
		return false;
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

void xo_leaf(struct xo *x, const char *name, const char *value, bool quote)
{
	/* Never let a value that is not a number out unquoted. */
	if (!quote && !is_number(value))
		quote = true;
	item(x, false);
	json_quote(x->out, name);
	sb_adds(x->out, x->pretty ? ": " : ":");
	if (quote)
		json_quote(x->out, value);
	else
		sb_adds(x->out, value);
}

void xo_list_item(struct xo *x, const char *value)
{
	item(x, false);
	json_quote(x->out, value);
}

void xo_end(struct xo *x)
{
	while (x->depth > 0)
		xo_close(x);
	sb_addc(x->out, '\n');
}
