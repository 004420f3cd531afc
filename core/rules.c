/* SPDX-License-Identifier: ISC */
/* rules.c: does a client pass uds-serve's -A rules? Pure: no system call. */
#include "core.h"

/* No rules: anyone. A uid: rule matches the uid; a gid: rule matches the
   primary gid or any of the ngroups supplementary groups. */
int ub_allowed(const struct ub_rule *r, int nr, uid_t uid, gid_t gid, const gid_t *groups, unsigned ngroups)
{
	if (nr <= 0)
		return 1;
	for (int i = 0; i < nr; i++) {
		if (!r[i].isgid) {
			if (uid == r[i].id)
				return 1;
			continue;
		}
		if (gid == r[i].id)
			return 1;
		for (unsigned k = 0; k < ngroups; k++)
			if (groups[k] == r[i].id)
				return 1;
	}
	return 0;
}
