/* Compose's variable interpolation, as the Compose Specification says:
 * $$ is a dollar; $VAR and ${VAR} the value (empty when unset);
 * ${VAR:-d} d when unset or empty, ${VAR-d} when unset; ${VAR:?e} and
 * ${VAR?e} an error then; ${VAR:+a} a when set and not empty, ${VAR+a}
 * when set. d, e and a are interpolated themselves. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "util/mem.h"
#include "util/strbuf.h"

static bool name_start(char c)
{
	return c == '_' || isalpha((unsigned char)c);
}

static bool name_char(char c)
{
	return c == '_' || isalnum((unsigned char)c);
}

/* The '}' that closes the ${ whose body starts at s, nested ones skipped. */
static const char *closing(const char *s)
{
	int depth = 1;

	for (; *s; s++) {
		if (s[0] == '$' && s[1] == '$') {
			s++;
			continue;
		}
		if (s[0] == '$' && s[1] == '{') {
			depth++;
			s++;
		} else if (*s == '}' && --depth == 0) {
			return s;
		}
	}
	return NULL;
}

static int expand(const char *in, size_t len, compose_lookup_fn lookup, void *ctx,
		  struct strbuf *sb, const char **why, int depth);

static int braced(const char *body, size_t blen, compose_lookup_fn lookup, void *ctx,
		  struct strbuf *sb, const char **why, int depth)
{
	size_t n = 0;

	if (!blen || !name_start(body[0])) {
		*why = "invalid interpolation: ${ without a variable name";
		return -1;
	}
	while (n < blen && name_char(body[n]))
		n++;
	cleanup_free char *name = xstrndup(body, n);
	const char *v = lookup(ctx, name);

	if (n == blen) {
		sb_adds(sb, v ? v : "");
		return 0;
	}
	bool colon = body[n] == ':';
	size_t op = n + colon;

	if (op >= blen || !strchr("-?+", body[op])) {
		*why = "invalid interpolation: expected ${VAR}, ${VAR:-default}, ${VAR-default}, "
		       "${VAR:?error} or ${VAR:+alternative}";
		return -1;
	}
	const char *arg = body + op + 1;
	size_t alen = blen - op - 1;
	bool set = v && (!colon || *v);

	switch (body[op]) {
	case '-':
		if (set) {
			sb_adds(sb, v);
			return 0;
		}
		return expand(arg, alen, lookup, ctx, sb, why, depth + 1);
	case '?':
		if (set) {
			sb_adds(sb, v);
			return 0;
		}
		*why = "a required variable (${VAR:?...}) is not set";
		return -1;
	default:
		if (!set)
			return 0;
		return expand(arg, alen, lookup, ctx, sb, why, depth + 1);
	}
}

static int expand(const char *in, size_t len, compose_lookup_fn lookup, void *ctx,
		  struct strbuf *sb, const char **why, int depth)
{
	const char *end = in + len;

	if (depth > 16) {
		*why = "interpolation nested too deeply";
		return -1;
	}
	for (const char *s = in; s < end; s++) {
		if (*s != '$') {
			sb_addc(sb, *s);
			continue;
		}
		if (s + 1 < end && s[1] == '$') {
			sb_addc(sb, '$');
			s++;
		} else if (s + 1 < end && s[1] == '{') {
			const char *c = closing(s + 2);

			if (!c || c >= end) {
				*why = "invalid interpolation: ${ without its }";
				return -1;
			}
			if (braced(s + 2, (size_t)(c - s - 2), lookup, ctx, sb, why, depth) < 0)
				return -1;
			s = c;
		} else if (s + 1 < end && name_start(s[1])) {
			const char *b = s + 1, *e = b;

			while (e < end && name_char(*e))
				e++;
			cleanup_free char *name = xstrndup(b, (size_t)(e - b));
			const char *v = lookup(ctx, name);

			sb_adds(sb, v ? v : "");
			s = e - 1;
		} else {
			*why = "invalid interpolation: a lone $ (write $$ for a dollar)";
			return -1;
		}
	}
	return 0;
}

int compose_interp(const char *in, compose_lookup_fn lookup, void *ctx, char **out,
		   const char **why)
{
	struct strbuf sb = STRBUF_INIT;

	if (expand(in, strlen(in), lookup, ctx, &sb, why, 0) < 0) {
		sb_free(&sb);
		return -1;
	}
	sb_adds(&sb, "");
	*out = sb_steal(&sb);
	return 0;
}
