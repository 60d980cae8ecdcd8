#include "JouleKernels.h"
#include <math.h>

JOULE_MULTIVERSION
void joule_adam_update(const float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                       float *restrict p_out, size_t count, float l2, float beta1, float beta2, float epsilon,
                       float decay, float step_size, float correction2_root) {
    const float one_minus_beta1 = 1.0f - beta1, one_minus_beta2 = 1.0f - beta2;
    for (size_t i = 0; i < count; i++) {
        float grad = g[i] + l2 * p[i];
        float mi = m[i] * beta1 + one_minus_beta1 * grad;
        float vi = v[i] * beta2 + one_minus_beta2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        p_out[i] = p[i] * decay - step_size * mi / (sqrtf(vi) / correction2_root + epsilon);
    }
}
