/* The files `brig compose import` writes in a jail's /etc (its hosts, its
 * resolv.conf), and what it puts back when the file no longer asks for
 * them. */
#ifndef BRIG_CLI_COMPOSE_ETC_H
#define BRIG_CLI_COMPOSE_ETC_H

#include <stdbool.h>

/* Write text as /etc/NAME of jail's root (never through a link), only
 * when its bytes change ("unchanged"/"updated J/etc/NAME"). The first time
 * it replaces what the jail had, that is kept in the store beside the
 * root (jails/J/compose-etc/: NAME, its bytes; NAME.link, a symlink's
 * target; NAME.none: there was none). text NULL: the import no longer
 * makes the file: what was kept is put back ("restored J/etc/NAME ...")
 * and forgotten; nothing kept, nothing done. *changed set when a file
 * changed. -1 after printing an error. */
int compose_etc(const char *jail, const char *name, const char *text, bool *changed);

#endif
