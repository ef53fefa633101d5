#!/usr/bin/env python3
"""One field of a brig jail state file (JSON, core/state.h), for tests.

jstate.py FILE init       the init's PID
jstate.py FILE jid        the JID
jstate.py FILE userns     "UID GID COUNT" (nothing without a userns)
jstate.py FILE obj KIND   the ids of the recorded objects of KIND, one a line
A missing or unreadable file prints nothing (as sed did).
"""
import json
import signal
import sys

# A reader that stops early (head, read) is no error.
signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def main():
    path, what = sys.argv[1], sys.argv[2]
    try:
        with open(path, encoding="utf-8") as f:
            st = json.load(f)
    except (OSError, ValueError):
        return
    if what == "init":
        print(st["init"]["pid"])
    elif what == "jid":
        print(st["jid"])
    elif what == "userns":
        u = st.get("userns")
        if u:
            print(u["uid"], u["gid"], u["count"])
    elif what == "obj":
        for o in st["objects"]:
            if o["kind"] == sys.argv[3]:
                print(o["id"])
    else:
        sys.exit("jstate.py: what is " + what + "?")


main()
