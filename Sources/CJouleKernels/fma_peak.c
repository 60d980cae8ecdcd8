#include "JouleKernels.h"

// Twelve independent accumulator chains: enough to cover the FMA latency (4 cycles) times
// the two FMA pipes of the cores this runs on, so the loop is bound by FMA throughput alone.
#define CHAINS 12

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

__attribute__((target("avx512f")))
static float fma_avx512(size_t iterations) {
    __m512 acc[CHAINS];
    const __m512 scale = _mm512_set1_ps(0.999999f), shift = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
    for (size_t k = 0; k < iterations; k++) {
#pragma unroll
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], scale, shift);
    }
    __m512 sum = acc[0];
    for (int i = 1; i < CHAINS; i++) sum = _mm512_add_ps(sum, acc[i]);
    return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma")))
static float fma_avx2(size_t iterations) {
    __m256 acc[CHAINS];
    const __m256 scale = _mm256_set1_ps(0.999999f), shift = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps((float)i);
    for (size_t k = 0; k < iterations; k++) {
#pragma unroll
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], scale, shift);
    }
    __m256 sum = acc[0];
    for (int i = 1; i < CHAINS; i++) sum = _mm256_add_ps(sum, acc[i]);
    float lanes[8];
    _mm256_storeu_ps(lanes, sum);
    float total = 0;
    for (int i = 0; i < 8; i++) total += lanes[i];
    return total;
}
#endif

int joule_fma_lanes(void) {
#if defined(__x86_64__) && defined(__clang__)
    if (__builtin_cpu_supports("avx512f")) return 16;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 8;
#endif
    return 0;
}

float joule_fma_peak_loop(size_t iterations) {
#if defined(__x86_64__) && defined(__clang__)
    switch (joule_fma_lanes()) {
    case 16: return fma_avx512(iterations);
    case 8: return fma_avx2(iterations);
    }
#endif
    (void)iterations;
    return 0;
}
