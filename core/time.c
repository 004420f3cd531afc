/* time.c: a monotonic clock in milliseconds. */
#include <time.h>
#include "core.h"

unsigned long long ub_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* nsec / 10^6 as a multiply and shift (exact to within 1 ms): no division */
	return (unsigned long long)ts.tv_sec * 1000
	     + (((unsigned long long)ts.tv_nsec * 1125899907ULL) >> 50);
}
