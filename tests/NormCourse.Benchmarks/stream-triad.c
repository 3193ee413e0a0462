/* The STREAM triad a = b + q*c over static float arrays of 16 MiB each, as performance-anchors.md measured the machine's
 * ceiling ("C with -O3 -march=native"). compare.sh builds and runs it beside TriadWorkload, the same loop in .NET that
 * every kernel's share is taken against, so that a reader sees the .NET figure is the C one.
 * Prints the median GB/s (counting b and c read, a written) of 41 passes. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N (4 * 1024 * 1024)
#define PASSES 41

static float a[N] __attribute__((aligned(64))), b[N] __attribute__((aligned(64))), c[N] __attribute__((aligned(64)));

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *x, const void *y) {
    double d = *(const double *)x - *(const double *)y;
    return (d > 0) - (d < 0);
}

int main(void) {
    double times[PASSES];
    for (int i = 0; i < N; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    for (int p = 0; p < PASSES; p++) {
        double t0 = seconds();
        for (int i = 0; i < N; i++) a[i] = b[i] + 3.0f * c[i];
        times[p] = seconds() - t0;
    }
    if (a[N - 1] != 7.0f) { fprintf(stderr, "stream-triad: wrong result %f\n", a[N - 1]); return 1; }
    qsort(times, PASSES, sizeof times[0], ascending);
    printf("%.2f\n", 3.0 * N * sizeof(float) / times[PASSES / 2] / 1e9);
    return 0;
}
