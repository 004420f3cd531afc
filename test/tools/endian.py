#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# test/tools/endian.py: the native side of test/endian.test, each a
# subcommand. It runs on the build machine (never under the emulator), so what
# it sends and checks is in the byte order of neither the target nor the
# emulator but of the socket: bytes.
import os
import random
import socket
import sys


def upper_ref(b):
    """The reference: a byte loop, ASCII a-z to A-Z, every other byte as it is."""
    return bytes(c - 32 if 97 <= c <= 122 else c for c in b)


def data(seed, n):
    """Every byte value once (shuffled), twice, then n random bytes."""
    r = random.Random(seed)
    perm = list(range(256))
    r.shuffle(perm)
    return bytes(perm) + bytes(reversed(perm)) + bytes(r.getrandbits(8) for _ in range(n))


def upper_msgs(args):
    """upper_msgs SOCKET SEED: seqpacket messages, each starting at every offset
    0..16 of the data and of every length 0..40 and 255..257, 1000, so every
    byte value sits at every place in a machine word and in the byte tail;
    each reply must be the byte loop's. Prints `ok N` or the first mismatch."""
    path, seed = args[0], int(args[1])
    d = data(seed, 4096)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(20)
    s.connect(path)
    n = 0
    for off in range(17):
        for ln in list(range(41)) + [255, 256, 257, 1000]:
            m = d[off:off + ln]
            s.send(m)
            got = s.recv(65536)
            want = upper_ref(m)
            if got != want:
                i = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
                print("mismatch (seed %d) at offset %d length %d: byte %d sent %s got %s want %s"
                      % (seed, off, ln, i, m[i:i + 8].hex(), got[i:i + 8].hex(), want[i:i + 8].hex()))
                sys.exit(1)
            n += 1
    print("ok %d" % n)


def upper_file(args):
    """upper_file SEED N IN WANT: N random bytes (every value among them) in IN,
    what upper must make of them, by the byte loop, in WANT."""
    seed, n = int(args[0]), int(args[1])
    d = data(seed, n)
    with open(args[2], "wb") as f:
        f.write(d)
    with open(args[3], "wb") as f:
        f.write(upper_ref(d))


def abs_connect(args):
    """abs_connect NAME_HEX: connect to the abstract name of exactly these bytes,
    send `x`, print the reply, or `refused`."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect(b"\0" + bytes.fromhex(args[0]))
    except ConnectionRefusedError:
        print("refused")
        return
    s.sendall(b"x")
    s.shutdown(socket.SHUT_WR)
    print(recv_all(s).decode())


def recv_all(s):
    """Everything s sends until it closes."""
    out = b""
    while True:
        b = s.recv(4096)
        if not b:
            return out
        out += b


def abs_listen(args):
    """abs_listen NAME_HEX READY: listen on the abstract name of exactly these
    bytes, write READY, take one client and print its address (hex) as the
    kernel gives it, then what it sent."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(b"\0" + bytes.fromhex(args[0]))
    s.listen(1)
    s.settimeout(20)
    open(args[1], "w").write("1\n")
    c, addr = s.accept()
    c.settimeout(20)
    out = recv_all(c)
    peer = addr if isinstance(addr, bytes) else addr.encode("latin-1")
    print("peer %s" % peer.hex())
    print("data %s" % out.decode("latin-1"))


CMDS = {"upper_msgs": upper_msgs, "upper_file": upper_file,
        "abs_connect": abs_connect, "abs_listen": abs_listen}

if __name__ == "__main__":
    CMDS[sys.argv[1]](sys.argv[2:])
