"""Drive a command on a terminal of its own, as a person at a shell would.

    ptyrun.py run [--after TEXT] [--input TEXT] -- CMD...
        CMD on a fresh pty (its controlling terminal, 33x101); once its
        output shows TEXT (or at once), type INPUT (\\n and \\x04 as escapes).
        Prints the output (\\r removed), exits with CMD's status.
    ptyrun.py steal ROOT -- CMD...
        CMD on a fresh pty; once it has exited and a process it left behind
        has made ROOT/tmp/ready, type a marker line at the terminal, then
        print ROOT/tmp/stolen (what that process could read afterwards).
    ptyrun.py raw [--after TEXT] -- CMD...
        Once CMD's output shows TEXT ("up" unless given), print the terminal's mode (raw=1 when
        neither ICANON nor ECHO), send CMD SIGTERM, print whether its
        terminal modes came back (restored=1), exit with CMD's status.

Every wait is bounded (BOUND seconds): a hang ends as status 124."""
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time

BOUND = 30
MARKER = b"MARKER-4711-typed-at-the-host\n"


def spawn(cmd):
    """cmd as the leader of a new session whose terminal is a fresh pty."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 101, 0, 0))

    def ctty():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave,
                         start_new_session=True, preexec_fn=ctty)
    return p, master, slave


def pump(master, out, until, deadline):
    """Read the terminal into out until until(), the deadline, or its end."""
    while not until() and time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                d = os.read(master, 65536)
            except OSError:
                return
            if not d:
                return
            out += d


def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin-1")


def finish(p, master, out, deadline):
    """Wait for p (bounded), then take what the terminal still has."""
    pump(master, out, lambda: p.poll() is not None, deadline)
    try:
        p.wait(timeout=max(deadline - time.monotonic(), 0.01))
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
        print("ptyrun: timed out", file=sys.stderr)
        sys.exit(124)
    # All it wrote is in the terminal now (a read flushes the kernel's
    # buffers before it says "nothing"): take it without waiting.
    os.set_blocking(master, False)
    while True:
        try:
            d = os.read(master, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
    os.set_blocking(master, True)


def cmd_run(args):
    after = inp = None
    while args[0] != "--":
        if args[0] == "--after":
            after = args[1].encode()
        elif args[0] == "--input":
            inp = unescape(args[1])
        args = args[2:]
    p, master, slave = spawn(args[1:])
    os.close(slave)
    out = bytearray()
    deadline = time.monotonic() + BOUND
    if inp is not None:
        if after:
            pump(master, out, lambda: after in out, deadline)
        os.write(master, inp)
    finish(p, master, out, deadline)
    sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
    return p.returncode if p.returncode >= 0 else 128 - p.returncode


def wait_file(path, deadline):
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    return os.path.exists(path)


def cmd_steal(args):
    root = args[0]
    p, master, slave = spawn(args[2:])
    os.close(slave)
    out = bytearray()
    finish(p, master, out, time.monotonic() + BOUND)
    sys.stderr.write(out.decode(errors="replace").replace("\r", ""))
    if not wait_file(root + "/tmp/ready", time.monotonic() + BOUND):
        print("ptyrun: nothing was left behind (no tmp/ready)", file=sys.stderr)
        return 2
    os.write(master, MARKER)
    stolen = root + "/tmp/stolen"
    if not wait_file(stolen, time.monotonic() + BOUND):
        os.close(master)	# the hangup ends the read of the process left
        wait_file(stolen, time.monotonic() + BOUND)
    with open(stolen) as f:
        sys.stdout.write(f.read())
    return 0


def cmd_raw(args):
    after = b"up"
    if args[0] == "--after":
        after = args[1].encode()
        args = args[2:]
    p, master, slave = spawn(args[1:])
    before = termios.tcgetattr(slave)
    out = bytearray()
    deadline = time.monotonic() + BOUND
    pump(master, out, lambda: after in out, deadline)
    lflag = termios.tcgetattr(slave)[3]
    print("raw=%d" % (not lflag & (termios.ICANON | termios.ECHO)))
    p.send_signal(signal.SIGTERM)
    finish(p, master, out, deadline)
    print("restored=%d" % (termios.tcgetattr(slave) == before))
    return p.returncode if p.returncode >= 0 else 128 - p.returncode


if __name__ == "__main__":
    sys.exit({"run": cmd_run, "steal": cmd_steal, "raw": cmd_raw}[sys.argv[1]](sys.argv[2:]))
