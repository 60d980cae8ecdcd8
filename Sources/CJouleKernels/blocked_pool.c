#include "JouleKernels.h"

JOULE_MULTIVERSION
void joule_blocked_spatial_mean(const float *restrict src, float *restrict dst, size_t batch, size_t channel_blocks,
                                size_t spatial, size_t block, float scale) {
    for (size_t n = 0; n < batch; n++) {
        for (size_t cb = 0; cb < channel_blocks; cb++) {
            const float *plane = src + (n * channel_blocks + cb) * spatial * block;
            float *out = dst + (n * channel_blocks + cb) * block;
            float sum[64] = {0};
            for (size_t s = 0; s < spatial; s++) {
                for (size_t l = 0; l < block; l++) sum[l] += plane[s * block + l];
            }
            for (size_t l = 0; l < block; l++) out[l] = sum[l] * scale;
        }
    }
}

JOULE_MULTIVERSION
void joule_blocked_spatial_spread(const float *restrict src, float *restrict dst, size_t batch, size_t channel_blocks,
                                  size_t spatial, size_t block, float scale) {
    for (size_t n = 0; n < batch; n++) {
        for (size_t cb = 0; cb < channel_blocks; cb++) {
            const float *in = src + (n * channel_blocks + cb) * block;
            float *plane = dst + (n * channel_blocks + cb) * spatial * block;
            float value[64];
            for (size_t l = 0; l < block; l++) value[l] = in[l] * scale;
            for (size_t s = 0; s < spatial; s++) {
                for (size_t l = 0; l < block; l++) plane[s * block + l] = value[l];
            }
        }
    }
}
