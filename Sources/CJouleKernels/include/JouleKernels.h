#ifndef JOULE_KERNELS_H
#define JOULE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Joule's hand-written C loops: long single passes that Swift's SIMD types do not
/// compile well (square roots, divisions and transcendentals lane by lane). Each is built
/// for AVX-512, AVX2 and baseline x86-64, chosen at load time by the CPU it runs on.
#if defined(__x86_64__) && defined(__clang__)
#define JOULE_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define JOULE_MULTIVERSION
#endif

/// One Adam/AdamW step over `count` elements, updating `m` and `v` in place and writing
/// the new parameter to `p_out` (a buffer apart from the inputs):
///   g' = g + l2·p;  m ← β₁m + (1−β₁)g';  v ← β₂v + (1−β₂)g'²;
///   p_out = p·decay − step_size · m / (√v / correction2_root + ε)
void joule_adam_update(const float *p, const float *g, float *m, float *v, float *p_out, size_t count,
                       float l2, float beta1, float beta2, float epsilon, float decay, float step_size,
                       float correction2_root);

/// `count` draws from Normal(mean, sd²) by the Box–Muller transform on 24-bit uniforms from
/// xoshiro256** with state `state` (advanced in place; the same generator as Swift's
/// `SeededGenerator`). Vectorised through glibc's libmvec.
void joule_fill_normal(float *out, size_t count, uint64_t state[4], float mean, float standard_deviation);

/// Global average pooling on oneDNN's channel-blocked layout (aBcd8b / aBcd16b: for each
/// image and block of `block` ≤ 64 channels, `spatial` positions of `block` values):
/// dst[n, cb·block + l] = scale · Σₛ src[n, cb, s, l]  (scale = 1 / spatial for a mean).
void joule_blocked_spatial_mean(const float *src, float *dst, size_t batch, size_t channel_blocks,
                                size_t spatial, size_t block, float scale);

/// Its adjoint: dst[n, cb, s, l] = scale · src[n, cb·block + l] for every position s, the
/// [N, C] values spread into the same blocked layout.
void joule_blocked_spatial_spread(const float *src, float *dst, size_t batch, size_t channel_blocks,
                                  size_t spatial, size_t block, float scale);

/// The input gradient of a convolution with one input channel (weight [C, 1, kH, kW],
/// square `stride`, symmetric zero `padding` < kH and < kW), read from its output gradient
/// in oneDNN's channel-blocked layout (aBcd8b or aBcd16b, `block` 8 or 16 dividing
/// `channels`):
///   dx[n, 0, i, j] = Σ_{c, a, b} w[c, 0, a, b] · g[n, c, (i + p − a)/s, (j + p − b)/s]
/// over the taps that land on an output position, with g the output gradient, or, when
/// `output` (the convolution's LeakyReLU output, same layout) is given, the output gradient
/// times LeakyReLU's slope there (1 where output > 0, `slope` elsewhere). `input_gradient`
/// is plain [N, 1, H, W]. Needs `packed_weight` of channels·kH·kW floats and `scratch` of
/// threads·channels·padded_height·padded_width floats (the two functions below). Runs on
/// `threads` threads of the OpenMP team that oneDNN uses (libgomp), or on the caller's.
void joule_single_channel_input_gradient(const float *output_gradient, const float *output, float slope,
                                         const float *weight, float *packed_weight, size_t batch, size_t channels,
                                         size_t block, size_t out_height, size_t out_width, size_t in_height,
                                         size_t in_width, size_t kernel_height, size_t kernel_width, size_t stride,
                                         size_t padding, float *input_gradient, float *scratch, size_t threads);

/// Rows of one channel's scratch plane for `joule_single_channel_input_gradient`.
size_t joule_single_channel_padded_height(size_t in_height, size_t kernel_height);

/// Columns of one channel's scratch plane for `joule_single_channel_input_gradient`.
size_t joule_single_channel_padded_width(size_t in_width, size_t kernel_width);

/// Float lanes of the widest fused multiply-add this CPU has (16 with AVX-512, 8 with
/// AVX2 + FMA), 0 where `joule_fma_peak_loop` has no vector code.
int joule_fma_lanes(void);

/// `iterations` rounds of 12 independent vector fused multiply-adds at the widest width
/// (`joule_fma_lanes`): 2 × 12 × lanes FLOP per round, bound by FMA throughput alone. The
/// result only keeps the work from being optimised away. For measuring the FMA peak.
float joule_fma_peak_loop(size_t iterations);

#endif
