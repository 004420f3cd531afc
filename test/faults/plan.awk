# SPDX-License-Identifier: ISC
# test/faults/plan.awk: read the full `strace -f` trace of one side of one
# workload, print one line per system call name:
#
#   NAME CALLS WOULDBLOCK
#
# CALLS is the most calls of NAME that one process of that side made (strace
# counts injections per process, so when=N means the Nth call in each
# process). WOULDBLOCK lists, comma-separated, the first three call numbers N
# at which an EAGAIN is a plausible "would block" in every process that makes
# an Nth call, or "-" when there is none. A call is such a one when it is an
# I/O call (io[] below) and either asks for it by its flags (MSG_DONTWAIT,
# SPLICE_F_NONBLOCK) or works on a descriptor that is non-blocking: created
# so (SOCK_NONBLOCK, O_NONBLOCK), set so by fcntl F_SETFL, or duplicated from
# one. A fork's child starts with its parent's table.
#
# mawk-compatible: no gensub, no three-argument match.

BEGIN {
	split("read write readv writev recvfrom sendto recvmsg sendmsg splice accept accept4 connect", l, " ")
	for (i in l)
		io[l[i]] = 1
	root = ""
}

# the text after the last " = ": the return value and what strace says of it
function retval(t,   i, j) {
	j = 0
	while ((i = index(substr(t, j + 1), " = ")) > 0)
		j += i + 2
	if (!j)
		return ""
	t = substr(t, j + 1)
	if (t !~ /^-?[0-9]/)
		return ""
	return t + 0
}

function newpid(p,   k, a) {
	if (p in seen)
		return
	seen[p] = 1
	if (root == "") {
		root = p
		return
	}
	if (forker == "")
		return
	for (k in nb) {
		split(k, a, SUBSEP)
		if (a[1] == forker)
			nb[p, a[2]] = nb[k]
	}
}

function done(pid, name, text, k,   args, fd, r, a, isnb) {
	args = substr(text, index(text, "(") + 1)
	fd = args + 0
	isnb = 0
	if (name in io) {
		if (text ~ /MSG_DONTWAIT|SPLICE_F_NONBLOCK/)
			isnb = 1
		else if (((pid, fd) in nb) && nb[pid, fd])
			isnb = 1
	}
	if (!isnb)
		blocking[name, k] = 1
	r = retval(text)
	if (r == "" || r < 0)
		return
	if (name == "socket" || name == "accept" || name == "accept4")
		nb[pid, r] = (text ~ /SOCK_NONBLOCK/)
	else if (name == "open" || name == "openat")
		nb[pid, r] = (text ~ /O_NONBLOCK/)
	else if (name == "pipe" || name == "pipe2") {
		if (match(text, /\[[0-9]+, [0-9]+\]/)) {
			split(substr(text, RSTART + 1, RLENGTH - 2), a, ", ")
			nb[pid, a[1] + 0] = nb[pid, a[2] + 0] = (text ~ /O_NONBLOCK/)
		}
	} else if (name == "fcntl") {
		if (text ~ /F_SETFL/)
			nb[pid, fd] = (text ~ /O_NONBLOCK/)
		else if (text ~ /F_DUPFD/)
			nb[pid, r] = ((pid, fd) in nb) ? nb[pid, fd] : 0
	} else if (name == "dup" || name == "dup2" || name == "dup3")
		nb[pid, r] = ((pid, fd) in nb) ? nb[pid, fd] : 0
	else if (name == "close")
		delete nb[pid, fd]
}

{
	pid = $1
	rest = substr($0, length($1) + 2)
	sub(/^ +/, "", rest)
	newpid(pid)
	if (rest ~ /^(---|\+\+\+)/)
		next
	if (rest ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
		if (!(pid in pend))
			next
		done(pid, pend[pid], pendtext[pid] substr(rest, index(rest, ">") + 1), pendk[pid])
		delete pend[pid]
		next
	}
	if (!match(rest, /^[a-z0-9_]+\(/))
		next
	name = substr(rest, 1, RLENGTH - 1)
	# the exec that strace itself starts the side with is no call of ours
	if (pid == root && name == "execve" && !rootexec) {
		rootexec = 1
		next
	}
	if (name == "vfork" || name == "fork" || name == "clone" || name == "clone3")
		forker = pid
	k = ++count[pid, name]
	if (k > most[name])
		most[name] = k
	if (rest ~ /<unfinished \.\.\.>$/) {
		pend[pid] = name
		pendtext[pid] = rest
		pendk[pid] = k
		next
	}
	done(pid, name, rest, k)
}

END {
	for (n in most) {
		list = ""
		c = 0
		for (k = 1; k <= most[n] && c < 3; k++)
			if ((n in io) && !((n, k) in blocking)) {
				list = list (c ? "," : "") k
				c++
			}
		print n, most[n], (c ? list : "-")
	}
}
