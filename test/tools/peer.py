#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# test/tools/peer.py: hostile and unusual socket peers for the suites, each a
# subcommand. They run on the build machine (never under the emulator) and
# talk to the applets under test only through sockets and descriptors.
import os
import socket
import sys
import time


def fill(fd):
    """Write into a pipe until it is full, leaving it blocking."""
    os.set_blocking(fd, False)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except BlockingIOError:
        pass
    os.set_blocking(fd, True)


def fullpipe(args):
    """fullpipe FD CMD...: exec CMD with FD the write end of a full pipe whose
    reader never reads (it stays open, at fd 9, so writes block, never fail)."""
    fd = int(args[0])
    r, w = os.pipe()
    try:
        import fcntl
        fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ: a one-page pipe fills fast
    except OSError:
        pass
    fill(w)
    os.dup2(r, 9)
    os.dup2(w, fd)
    os.set_inheritable(9, True)
    os.set_inheritable(fd, True)
    os.execvp(args[1], args[1:])


def abstract_name():
    return "\0peer.%d.%d" % (os.getpid(), time.monotonic_ns())


def dgram_fds(args):
    """dgram_fds SERVER N K [noreply]: N datagrams, each carrying K descriptors
    (SCM_RIGHTS), each waiting for its reply unless noreply."""
    server, n, k = args[0], int(args[1]), int(args[2])
    wait = len(args) < 4
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(abstract_name())
    fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(k)]
    import array
    anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds).tobytes())]
    s.settimeout(5)
    for i in range(n):
        s.sendmsg([b"m%d" % i], anc, 0, server)
        if wait:
            s.recv(100)  # one reply each: the server took it before the next
    print("sent", n)


def seq_empty(args):
    """seq_empty SERVER: on seqpacket, an empty message, then hold for SECS
    (argv[1]) and print the replies: the empty one, then one to "abc"."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(args[0])
    s.settimeout(10)
    s.send(b"")
    r1 = s.recv(100)
    time.sleep(float(args[1]))
    s.send(b"abc")
    r2 = s.recv(100)
    print("reply1 %d %r" % (len(r1), r1))
    print("reply2 %d %r" % (len(r2), r2))


def seq_send(args):
    """seq_send SERVER MSG...: on seqpacket, one message each (Python string
    escapes allowed), then close."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(args[0])
    for m in args[1:]:
        s.send(m.encode().decode("unicode_escape").encode("latin-1"))
    s.close()


def seq_listener(path):
    """A seqpacket socket listening at path, "ready" said on stdout."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.bind(path)
    s.listen(5)
    print("ready", flush=True)
    return s


def seq_replier(args):
    """seq_replier PATH: a seqpacket server answering each message "empty"
    with an empty message, any other with its uppercase."""
    s = seq_listener(args[0])
    while True:
        c, _ = s.accept()
        while True:
            m = c.recv(65536)
            if not m:
                break
            c.send(b"" if m == b"empty" else m.upper())
        c.close()


def dgram_big(args):
    """dgram_big SERVER SIZE: one datagram of SIZE bytes; print the reply's size
    and whether it is the uppercase of what was sent."""
    size = int(args[1])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size * 2 + 65536)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size * 2 + 65536)
    s.bind(abstract_name())
    s.settimeout(3)
    data = bytes((97 + i % 26) for i in range(size))
    s.sendto(data, args[0])
    try:
        r = s.recv(size + 100000)
    except socket.timeout:
        print("no reply")
        return
    print("reply", len(r), "exact" if r == data.upper() else "different")


def replier(args):
    """replier PATH: a dgram server that answers "empty" with an empty
    datagram (as wpa_supplicant answers INTERFACES with no interface), and
    anything else with "after"."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(args[0])
    print("ready", flush=True)
    while True:
        d, a = s.recvfrom(65536)
        s.sendto(b"" if d.startswith(b"empty") else b"after\n", a)


def recorder(args):
    """recorder PATH: bind a dgram socket at PATH; print each datagram received."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(args[0])
    os.chmod(args[0], 0o600)
    print("ready", flush=True)
    while True:
        d = s.recv(65536)
        print("got %r" % d, flush=True)


def swap_sender(args):
    """swap_sender SERVER BIND TARGET [hard]: send "x" to SERVER from a socket
    bound at BIND, then put a symlink to TARGET where BIND was (with "hard", a
    hard link to TARGET itself)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(args[1])
    s.sendto(b"x", args[0])
    os.unlink(args[1])
    if args[3:] == ["hard"]:
        os.link(args[2], args[1])
    else:
        os.symlink(args[2], args[1])
    print("swapped")


def longpath(args):
    """longpath SERVER DIR: bind a sender at a 108-byte path (sun_path with no
    NUL) in DIR, send "abc", print the reply."""
    name = args[1] + "/"
    name += "p" * (108 - len(name))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    # Python's bind() wants a NUL within sun_path; the kernel does not
    import ctypes
    sa = ctypes.create_string_buffer(2 + 108)
    sa[0:2] = socket.AF_UNIX.to_bytes(2, sys.byteorder)
    sa[2:110] = name.encode()
    if ctypes.CDLL(None, use_errno=True).bind(s.fileno(), sa, 110) < 0:
        raise OSError(ctypes.get_errno(), "bind")
    s.settimeout(5)
    s.sendto(b"abc", args[0])
    try:
        print("reply %r" % s.recv(100))
    except socket.timeout:
        print("no reply")
    os.unlink(name)


def withfd(args):
    """withfd FD CMD...: exec CMD with /dev/null open at FD (the limit raised to fit)."""
    import resource
    fd = int(args[0])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft <= fd:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, fd + 1024), hard))
    os.dup2(os.open("/dev/null", os.O_RDONLY), fd)
    os.set_inheritable(fd, True)
    os.execvp(args[1], args[1:])


def unlistened(args):
    """unlistened TYPE PATH CMD...: exec CMD with fd 3 an AF_UNIX socket bound
    at PATH but not listening, LISTEN_PID our pid (kept by exec), LISTEN_FDS=1."""
    t = socket.SOCK_STREAM if args[0] == "stream" else socket.SOCK_SEQPACKET
    s = socket.socket(socket.AF_UNIX, t)
    s.bind(args[1])
    os.dup2(s.fileno(), 3)
    os.set_inheritable(3, True)
    os.environ["LISTEN_PID"] = str(os.getpid())
    os.environ["LISTEN_FDS"] = "1"
    os.execvp(args[2], args[2:])


def seq_close_unread(args):
    """seq_close_unread PATH: a seqpacket server that, for each client, waits
    until the client has sent, then sends "one" and "two" and closes with the
    client's data unread."""
    s = seq_listener(args[0])
    while True:
        c, _ = s.accept()
        time.sleep(0.5)
        c.send(b"one\n")
        c.send(b"two\n")
        c.close()


def status(args):
    """status CMD...: run CMD and print how it ended, "exit N" or "signal N"
    (the shell's $? cannot tell exit 143 from death by SIGTERM)."""
    import subprocess
    r = subprocess.run(args).returncode
    print("signal %d" % -r if r < 0 else "exit %d" % r)


if __name__ == "__main__":
    cmds = {f.__name__: f for f in (fullpipe, dgram_fds, seq_empty, seq_send, seq_replier, dgram_big, replier,
                                     recorder, swap_sender, longpath, withfd, unlistened,
                                     seq_close_unread, status)}
    cmds[sys.argv[1]](sys.argv[2:])
