#include "JouleKernels.h"

// Twelve independent accumulator chains: enough to cover the FMA latency (4 cycles) times
// the two FMA pipes of the cores this runs on, so the loop is bound by FMA throughput alone.
#define CHAINS 12

#if defined(__x86_64__) && defined(__clang__)
typedef float joule_v16 __attribute__((ext_vector_type(16)));
typedef float joule_v8 __attribute__((ext_vector_type(8)));

// One loop per vector width, compiled for the instruction set that has it; the FMA is
// explicit (`__builtin_elementwise_fma`), since this target builds with -ffp-contract=off.
#define JOULE_FMA_LOOP(name, vector, lanes, isa)                                   \
    __attribute__((target(isa))) static float name(size_t iterations) {            \
        vector acc[CHAINS];                                                        \
        const vector scale = 0.999999f, shift = 1e-7f;                             \
        for (int i = 0; i < CHAINS; i++) acc[i] = (float)i;                         \
        for (size_t k = 0; k < iterations; k++) {                                  \
            _Pragma("unroll") for (int i = 0; i < CHAINS; i++)                      \
                acc[i] = __builtin_elementwise_fma(acc[i], scale, shift);          \
        }                                                                          \
        float total = 0;                                                           \
        for (int i = 0; i < CHAINS; i++)                                           \
            for (int l = 0; l < lanes; l++) total += acc[i][l];                    \
        return total;                                                              \
    }

JOULE_FMA_LOOP(fma_avx512, joule_v16, 16, "avx512f")
JOULE_FMA_LOOP(fma_avx2, joule_v8, 8, "avx2,fma")
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
