/* Times the engine's one-input-channel input gradient (cnn-s's first layer at batch 64:
 * 64 channels of 28x28 in blocks of 16, 3x3, stride 1, padding 1, LeakyReLU's slope
 * folded in) on one and two threads, best of 50 calls. Build it with clang, as SwiftPM
 * does: the kernel counts on clang's vector types and target_clones (gcc runs it ~10x slower).
 * Build and run (BENCHMARKS.md, "The first layer's input gradient in one pass"):
 *   clang -O3 -fno-math-errno -ffp-contract=off -I Sources/CJouleKernels/include -I Sources/CJouleKernels \
 *      bench/c/single_channel_gradient.c Sources/CJouleKernels/single_channel_input_gradient.c \
 *      -o /tmp/single_channel_gradient -Wl,--no-as-needed -lgomp && /tmp/single_channel_gradient
 * (the kernel finds libgomp's GOMP_parallel with dlsym, so libgomp must stay linked: without
 * it the "2 threads" figure is one thread's). */
#include "JouleKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    const size_t batch = 64, channels = 64, size = 28, block = 16, values = batch * channels * size * size;
    const size_t plane = joule_single_channel_padded_height(size, 3) * joule_single_channel_padded_width(size, 3);
    float *gradient = aligned_alloc(64, values * 4), *output = aligned_alloc(64, values * 4);
    float *weight = malloc(channels * 9 * 4), *packed = malloc(channels * 9 * 4);
    float *input_gradient = malloc(batch * size * size * 4), *scratch = aligned_alloc(64, 2 * channels * plane * 4);
    srand(1);
    for (size_t i = 0; i < values; i++) {
        gradient[i] = (float)rand() / (float)RAND_MAX - 0.5f;
        output[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    }
    for (size_t i = 0; i < channels * 9; i++) weight[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    for (size_t threads = 1; threads <= 2; threads++) {
        double best = 1e9;
        for (int run = 0; run < 50; run++) {
            double start = seconds();
            joule_single_channel_input_gradient(gradient, output, 0.2f, weight, packed, batch, channels, block, size, size,
                                                size, size, 3, 3, 1, 1, input_gradient, scratch, threads);
            double elapsed = seconds() - start;
            if (elapsed < best) best = elapsed;
        }
        printf("%zu thread%s: %.3f ms\n", threads, threads == 1 ? "" : "s", best * 1e3);
    }
    return 0;
}
