/* libFuzzer target over the jail state file's reader (core/state*.c):
 * version 1 text and version 2 JSON.
 *
 * Beyond "no crash, no leak": a state that reads must write (version 2)
 * text that reads back, and from then on reads and writes the same text
 * (abort() otherwise), so that a stop after an upgrade sees what the
 * start recorded. (Only the first write may change a value: invalid
 * UTF-8 becomes U+FFFD.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read text, write it into out; abort() if it does not read. */
static void rewrite(const char *text, struct strbuf *out)
{
	struct brig_err e = { 0 };
	struct jstate s;

	if (state_parse(text, &s, &e) < 0) {
		fprintf(stderr, "a written state does not read back: %s\n%s", e.msg, text);
		abort();
	}
	state_format(&s, out);
	state_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	struct brig_err e = { 0 };
	struct jstate s;

	memcpy(text, data, size);
	text[size] = '\0';
	if (state_parse(text, &s, &e) == 0) {
		state_format(&s, &a);
		state_free(&s);
		rewrite(a.s, &b);
		rewrite(b.s, &c);
		if (strcmp(b.s, c.s) != 0) {
			fprintf(stderr, "a written state changes on rewrite:\n%s\n%s", b.s, c.s);
			abort();
		}
	}
	sb_free(&a);
	sb_free(&b);
	sb_free(&c);
	free(text);
	return 0;
}
