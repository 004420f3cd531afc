#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# test/tools/sudoraw.py: a hand-made client of the exec service (the s6-sudo
# 1.0 exchange), for test/exec.test: well-formed requests and broken ones.
# It runs on the build machine (never under the emulator).
#
#   sudoraw.py ADDRESS KIND [ARG...]
#
# It reads the server's banner, sends one request of KIND, and prints what
# the server did, a line each:
#   reply N      the server's byte (0: the command runs, else an errno)
#   status N     the command's wait status, as the server sent it
#   closed       the server closed the connection without a reply
# KIND good sends ARGs and our environment with fds 0-2, as uds-connect -x
# would; slow SECS ARG... the same after SECS seconds of silence. Every other KIND carries copies of a pipe's write end as its
# descriptors: once the server has closed the connection we close ours and
# print "released" if the read end then sees EOF (no copy left open
# anywhere), "held" if not within 5 s. All but "fds 3" are malformed:
#   garbage           bytes that are no request, with 3 descriptors
#   banner            a well-framed request with the wrong banner
#   counts            argc says 3, the arguments hold 2 strings
#   lengths           arglen and envlen do not add up to the body
#   unended           the last argument lacks its NUL
#   truncated         the header promises 64 bytes more than are sent, then EOF
#   header            3 bytes of the 6-byte header, then EOF
#   oversized         a header announcing 4 GiB - 1 bytes, then 1000 bytes
#   huge              a body of 1 MiB (one argument), really sent
#   fds K [H]         a good request carrying K descriptors, the header saying
#                     H (default: K); fds 3 is well-formed, and the command
#                     runs with the pipe as its fds 0-2
#   args N            N empty arguments (more than a command can be given)
#   modes XYZ         a good request whose fds 0, 1, 2 are, by letter, r the
#                     pipe's read end, w its write end, p an O_PATH /dev/null
# Exit 0 once the exchange went as far as it could, 1 on a time-out.
import array
import os
import select
import socket
import struct
import sys
import time

TIMEOUT = 10
BANNER_S = b"s6-sudo b v1.0\n"
BANNER_C = b"s6-sudo a v1.0\n"


def strings(v):
    return b"".join(s + b"\0" for s in v)


def body(args, env, banner=BANNER_C, argc=None, arglen=None):
    a, e = strings(args), strings(env)
    return (banner + struct.pack(">IIII", len(args) if argc is None else argc, len(env),
                                 len(a) if arglen is None else arglen, len(e)) + a + e)


def message(b, nfds):
    return struct.pack(">IH", len(b), nfds) + b


def environ():
    return [k.encode() + b"=" + v.encode() for k, v in os.environ.items()]


def send(s, data, fds):
    """The first byte carries the descriptors; the rest follows as it can."""
    anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds).tobytes())] if fds else []
    try:
        n = s.sendmsg([data[:1]], anc)
        s.sendall(data[n:])
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading: what it did is read below


def readn(s, n):
    b = b""
    while len(b) < n:
        try:
            c = s.recv(n - len(b))
        except ConnectionResetError:
            c = b""
        if not c:
            break
        b += c
    return b


def reaction(s):
    r = readn(s, 1)
    if not r:
        print("closed")
        return
    print("reply", r[0])
    st = readn(s, 4)
    if len(st) == 4:
        print("status", struct.unpack(">I", st)[0])
    elif readn(s, 1) == b"":
        print("closed")


def drained(r):
    """Does the pipe's read end see EOF within 5 s (what the command wrote
    into it read and dropped)?"""
    end = time.monotonic() + 5
    while time.monotonic() < end:
        if select.select([r], [], [], max(0, end - time.monotonic()))[0] and os.read(r, 4096) == b"":
            return True
    return False


def main(argv):
    addr, kind, rest = argv[0], argv[1], [a.encode() for a in argv[2:]]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect("\0" + addr[1:] if addr.startswith("@") else addr)
    if readn(s, 15) != BANNER_S:
        print("no banner")
        return 0
    if kind == "slow":
        time.sleep(float(argv[2]))
        kind, rest = "good", rest[1:]
    if kind == "good":
        send(s, message(body(rest, environ()), 3), [0, 1, 2])
        reaction(s)
        return 0
    r, w = os.pipe()
    fds, nhdr, eof = [w] * 3, 3, False
    env = [b"A=1", b"B="]
    if kind == "garbage":
        data = bytes((i * 37 + 11) % 256 for i in range(64))
    elif kind == "banner":
        data = message(body([b"x"], env, banner=b"s6-sudo a v9.9\n"), 3)
    elif kind == "counts":
        data = message(body([b"one", b"two"], env, argc=3), 3)
    elif kind == "lengths":
        data = message(body([b"one", b"two"], env, arglen=5), 3)
    elif kind == "unended":
        data = message(body([b"one"], env)[:-len(strings(env)) - 1] + b"!" + strings(env), 3)
    elif kind == "truncated":
        b = body([b"one"], env)
        data, eof = struct.pack(">IH", len(b) + 64, 3) + b, True
    elif kind == "header":
        data, eof = struct.pack(">IH", 40, 3)[:3], True
    elif kind == "oversized":
        data = struct.pack(">IH", 0xFFFFFFFF, 3) + b"\0" * 1000
    elif kind == "huge":
        data = message(body([b"h" * (1 << 20)], env), 3)
    elif kind == "fds":
        k = int(argv[2])
        nhdr = int(argv[3]) if len(argv) > 3 else k
        fds = ([r] + [w] * k)[:k]  # fds 3: well-formed, fd 0 readable
        data = message(body([b"fds"], env), nhdr)
    elif kind == "modes":
        p = os.open("/dev/null", os.O_PATH)
        fds = [{"r": r, "w": w, "p": p}[c] for c in argv[2]]
        data = message(body([b"modes"], env), 3)
    elif kind == "args":
        data = message(body([b""] * int(argv[2]), env), 3)
    else:
        print("sudoraw.py: unknown kind", kind, file=sys.stderr)
        return 2
    send(s, data, fds)
    if eof:
        s.shutdown(socket.SHUT_WR)
    reaction(s)
    s.close()
    os.close(w)
    print("released" if drained(r) else "held")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except socket.timeout:
        print("sudoraw.py: timed out", file=sys.stderr)
        sys.exit(1)
