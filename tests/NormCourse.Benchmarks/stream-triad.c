/* The STREAM triad a = b + q*c over static float arrays of 16 MiB each, as performance-anchors.md measured the machine's
 * ceiling ("C with -O3 -march=native"). compare.sh builds and runs it beside TriadWorkload, the same loop in .NET that
 * every kernel's share is taken against, so that a reader sees the .NET figure is the C one.
 * Prints the median GB/s (counting b and c read, a written) of 41 passes.
 * With the argument "nt" it writes a with non-temporal stores, past the caches and without reading a's lines first, as
 * LayerNorm's and RMSNorm's backward passes write a dx of more than 8 MiB: the ceiling for a kernel that does (x86 only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

static void triad_nt(void) {
#if defined(__AVX512F__)
    for (int i = 0; i < N; i += 16)
        _mm512_stream_ps(a + i, _mm512_fmadd_ps(_mm512_set1_ps(3.0f), _mm512_load_ps(c + i), _mm512_load_ps(b + i)));
#elif defined(__AVX2__) && defined(__FMA__)
    for (int i = 0; i < N; i += 8)
        _mm256_stream_ps(a + i, _mm256_fmadd_ps(_mm256_set1_ps(3.0f), _mm256_load_ps(c + i), _mm256_load_ps(b + i)));
#elif defined(__x86_64__)
    for (int i = 0; i < N; i += 4)
        _mm_stream_ps(a + i, _mm_add_ps(_mm_load_ps(b + i), _mm_mul_ps(_mm_set1_ps(3.0f), _mm_load_ps(c + i))));
#else
    for (int i = 0; i < N; i++) a[i] = b[i] + 3.0f * c[i];
#endif
#if defined(__x86_64__)
    _mm_sfence();
#endif
}

int main(int argc, char **argv) {
    double times[PASSES];
    int nt = argc > 1 && strcmp(argv[1], "nt") == 0;
    for (int i = 0; i < N; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    for (int p = 0; p < PASSES; p++) {
        double t0 = seconds();
        if (nt) triad_nt();
        else for (int i = 0; i < N; i++) a[i] = b[i] + 3.0f * c[i];
        times[p] = seconds() - t0;
    }
    if (a[N - 1] != 7.0f) { fprintf(stderr, "stream-triad: wrong result %f\n", a[N - 1]); return 1; }
    qsort(times, PASSES, sizeof times[0], ascending);
    printf("%.2f\n", 3.0 * N * sizeof(float) / times[PASSES / 2] / 1e9);
    return 0;
}
