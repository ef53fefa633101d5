/* brig doctor's report (core/doctor.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/doctor.h"
#include "util/mem.h"

void dr_add(struct dr_report *r, const char *section, const char *name, enum dr_status st,
	    const char *seen, const char *expected, const char *fix, ...)
{
	struct dr_hop *h;

	r->v = xgrow(r->v, &r->cap, r->n, sizeof(*r->v));
	h = &r->v[r->n++];
	h->section = section;
	h->name = xstrdup(name);
	h->status = st;
	h->seen = seen ? xstrdup(seen) : NULL;
	h->expected = expected ? xstrdup(expected) : NULL;
	h->fix = NULL;
	/* A fix is for what is wrong: an OK or skipped hop has none. */
	if (fix && (st == DR_FAIL || st == DR_WARN)) {
		va_list ap;

		va_start(ap, fix);
		if (vasprintf(&h->fix, fix, ap) < 0)
			abort();
		va_end(ap);
	}
}

void dr_report_free(struct dr_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].seen);
		free(r->v[i].expected);
		free(r->v[i].fix);
	}
	free(r->v);
	free(r->subject);
	*r = (struct dr_report){ 0 };
}

enum dr_status dr_worst(const struct dr_report *r)
{
	enum dr_status w = DR_OK;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].status != DR_SKIP && r->v[i].status > w)
			w = r->v[i].status;
	return w;
}
