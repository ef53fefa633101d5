/* The model of a jail as JSON and back: what the state of a running jail
 * records, so that stop, exec, jls and reload read the jail as it was
 * started, without its configuration. */
#include <jansson.h>
#include <string.h>

#include "conf/cf.h"
#include "conf/model.h"
#include "util/json.h"
#include "util/mem.h"

void jail_def_json(const struct jail_def *d, struct json *w)
{
	json_obj_begin(w);
	json_key(w, "name");
	json_str(w, d->name);
	json_key(w, "params");
	json_obj_begin(w);
	for (size_t id = 0; id < JP__COUNT; id++) {
		const struct conf_pdef *r = conf_jparam((enum jparam)id);
		const struct jval *v = d->p[id];

		if (!v->set)
			continue;
		json_key(w, r->name);
		switch (r->type) {
		case CONF_BOOL:
			json_bool(w, v->i != 0);
			break;
		case CONF_INT:
			json_int(w, v->i);
			break;
		case CONF_LIST:
			json_arr_begin(w);
			for (size_t i = 0; i < v->n; i++)
				json_str(w, v->v[i]);
			json_arr_end(w);
			break;
		case CONF_STRING:
		default:
			json_str(w, v->s);
			break;
		}
	}
	json_obj_end(w);
	json_obj_end(w);
}

/* One recorded value into d; NULL, or why it does not fit its row. */
static const char *take_json(struct jail_def *d, struct cf_arena *a, const struct conf_pdef *r,
			     json_t *jv)
{
	struct jval *v = cf_def_val(d, (enum jparam)(r - conf_jparam(0)));
	char buf[24];

	v->at = (struct conf_pos){ 0 };
	switch (r->type) {
	case CONF_BOOL:
		if (!json_is_boolean(jv))
			return "not a boolean";
		v->i = json_is_true(jv);
		v->s = v->i ? "true" : "false";
		return NULL;
	case CONF_INT:
		if (!json_is_integer(jv))
			return "not an integer";
		v->i = json_integer_value(jv);
		snprintf(buf, sizeof(buf), "%lld", v->i);
		v->s = cf_strndup(a, buf, strlen(buf));
		return NULL;
	case CONF_LIST: {
		size_t n = json_array_size(jv);
		char **vals;

		/* A string: a state written when this parameter was one
		 * (mount.fstab), read as a list of one. */
		if (json_is_string(jv)) {
			vals = cf_alloc(a, 2 * sizeof(char *));
			vals[0] = cf_strndup(a, json_string_value(jv), json_string_length(jv));
			vals[1] = NULL;
			v->v = vals;
			v->n = 1;
			return NULL;
		}
		if (!json_is_array(jv))
			return "not a list";
		vals = cf_alloc(a, (n + 1) * sizeof(char *));
		for (size_t i = 0; i < n; i++) {
			json_t *s = json_array_get(jv, i);

			if (!json_is_string(s))
				return "a list item that is not a string";
			vals[i] = cf_strndup(a, json_string_value(s), json_string_length(s));
		}
		vals[n] = NULL;
		v->v = vals;
		v->n = n;
		return NULL;
	}
	case CONF_STRING:
	default:
		if (!json_is_string(jv))
			return "not a string";
		v->s = cf_strndup(a, json_string_value(jv), json_string_length(jv));
		if (r->flags & CONF_PF_JAILSYS) {
			static const char *const names[] = { "disable", "new", "inherit" };

			for (int i = 0; i < 3; i++)
				if (strcmp(v->s, names[i]) == 0) {
					v->i = i;
					return NULL;
				}
			return "not new, inherit or disable";
		}
		return NULL;
	}
}

int jail_def_from_json(const struct json_t *o, struct jail_def **out, struct brig_err *e)
{
	json_t *name = json_object_get(o, "name"), *params = json_object_get(o, "params"), *jv;
	const char *key;
	struct jail_def *d;

	*out = NULL;
	if (!json_is_string(name) || !json_is_object(params))
		return brig_err_set(e, 0, "recorded jail: no name or no params");
	d = cf_def_new(json_string_value(name), NULL);
	json_object_foreach((json_t *)params, key, jv) {
		const struct conf_pdef *r = conf_pdef_find(CONF_SCHEMA_JAILS, key);
		const char *why = r ? take_json(d, cf_def_arena(d), r, jv) : "unknown parameter";

		if (why) {
			brig_err_set(e, 0, "recorded jail %s: %s: %s", d->name, key, why);
			jail_def_free(d);
			return -1;
		}
	}
	cf_def_finish(d);
	*out = d;
	return 0;
}

/* Whether two values of row r are the same. */
static bool same(const struct conf_pdef *r, const struct jval *a, const struct jval *b)
{
	if (a->set != b->set)
		return false;
	if (r->type != CONF_LIST)
		return (!a->s && !b->s) || (a->s && b->s && strcmp(a->s, b->s) == 0);
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

const char *jail_def_differs(const struct jail_def *a, const struct jail_def *b)
{
	for (size_t id = 0; id < JP__COUNT; id++) {
		const struct conf_pdef *r = conf_jparam((enum jparam)id);

		if (id != JP_BOOT && id != JP_RCTL && !same(r, a->p[id], b->p[id]))
			return r->name;
	}
	return NULL;
}

bool jail_def_same_param(const struct jail_def *a, const struct jail_def *b, enum jparam id)
{
	return same(conf_jparam(id), a->p[id], b->p[id]);
}
