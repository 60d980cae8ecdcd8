#include "JouleKernels.h"
#include <math.h>
#include <stdint.h>

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256**, the same sequence as Swift's SeededGenerator.next(). */
static inline uint64_t next(uint64_t *s) {
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Box–Muller on a block: vectorised through glibc's libmvec (logf, sinf, cosf). */
JOULE_MULTIVERSION
static void box_muller(const float *restrict u1, const float *restrict u2, float *restrict c, float *restrict s,
                       size_t n, float mean, float sd) {
    for (size_t i = 0; i < n; i++) {
        float r = sqrtf(-2.0f * logf(u1[i]));
        float t = 6.28318530717958647692f * u2[i];
        c[i] = mean + sd * (r * cosf(t));
        s[i] = mean + sd * (r * sinf(t));
    }
}

void joule_fill_normal(float *out, size_t count, uint64_t state[4], float mean, float standard_deviation) {
    enum { half = 256 };
    float u1[half], u2[half], tail[2 * half];
    for (size_t start = 0; start < count; start += 2 * half) {
        size_t remaining = count - start, pairs = remaining >= 2 * half ? half : (remaining + 1) / 2;
        for (size_t i = 0; i < pairs; i++) {
            /* 24-bit uniforms; u1 in (0, 1] keeps the logarithm finite. */
            u1[i] = (float)((next(state) >> 40) + 1) * 0x1.0p-24f;
            u2[i] = (float)(next(state) >> 40) * 0x1.0p-24f;
        }
        if (remaining >= 2 * half) {
            box_muller(u1, u2, out + start, out + start + half, half, mean, standard_deviation);
        } else {
            box_muller(u1, u2, tail, tail + pairs, pairs, mean, standard_deviation);
            for (size_t i = 0; i < remaining; i++) out[start + i] = tail[i];
        }
    }
}
