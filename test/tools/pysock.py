#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# test/tools/pysock.py: Python's own socket module as a peer of the applets,
# for test/peers.test. Each subcommand is a plain client or receiver, written
# as a Python user would write one; it runs on the build machine (never under
# the emulator). ADDRESS is a path, or @NAME for the abstract namespace.
#
#   stream ADDRESS           send stdin, shut down the write side, print the
#                            reply up to the server's close
#   seqpacket ADDRESS MSG... send each MSG as one message and print the reply
#                            to each on a line of its own; then half-close
#                            and print "eof" when the server closes
#   dgram ADDRESS MSG...     from an autobound (abstract) address, send each
#                            MSG as one datagram, print each reply on a line
#   recv ADDRESS N OUTFILE   bind a datagram socket at ADDRESS, print "bound",
#                            then receive N datagrams (10 s at most for each),
#                            the i-th written byte for byte to OUTFILE.i
# Exit 0, or 1 with a message on stderr (timeout, refused, short reply).
import os
import socket
import sys

TIMEOUT = 10


def addr(a):
    return "\0" + a[1:] if a.startswith("@") else a


def connected(kind, a):
    s = socket.socket(socket.AF_UNIX, kind)
    s.settimeout(TIMEOUT)
    s.connect(addr(a))
    return s


def out(b):
    sys.stdout.buffer.write(b)
    sys.stdout.buffer.flush()


def stream(args):
    s = connected(socket.SOCK_STREAM, args[0])
    s.sendall(sys.stdin.buffer.read())
    s.shutdown(socket.SHUT_WR)
    while True:
        b = s.recv(65536)
        if not b:
            return
        out(b)


def seqpacket(args):
    s = connected(socket.SOCK_SEQPACKET, args[0])
    for m in args[1:]:
        s.send(m.encode())
        out(s.recv(65536) + b"\n")
    s.shutdown(socket.SHUT_WR)
    if s.recv(65536) == b"":
        out(b"eof\n")


def dgram(args):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.bind("")  # autobind: the kernel picks an abstract name to reply to
    for m in args[1:]:
        s.sendto(m.encode(), addr(args[0]))
        out(s.recv(65536) + b"\n")


def recv(args):
    a, n, path = args[0], int(args[1]), args[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.bind(addr(a))
    out(b"bound\n")
    for i in range(1, n + 1):
        b = s.recv(65536)
        with open("%s.%d" % (path, i), "wb") as f:
            f.write(b)


def main():
    cmds = {"stream": stream, "seqpacket": seqpacket, "dgram": dgram, "recv": recv}
    if len(sys.argv) < 3 or sys.argv[1] not in cmds:
        sys.stderr.write("usage: pysock.py stream|seqpacket|dgram|recv ADDRESS ...\n")
        return 100
    try:
        cmds[sys.argv[1]](sys.argv[2:])
    except (OSError, socket.timeout) as e:
        sys.stderr.write("pysock.py %s: %s\n" % (sys.argv[1], e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
