/* One image's input gradient for blocks of BLOCK channels, defining IMAGE_FUNCTION.
 * Included once per block size by single_channel_input_gradient.c, so that the block is a
 * constant and a block of channels is one vector register. */

typedef float VECTOR __attribute__((vector_size(4 * BLOCK), aligned(4)));
typedef int MASK __attribute__((vector_size(4 * BLOCK), aligned(4)));

JOULE_MULTIVERSION
static void IMAGE_FUNCTION(const job_t *job, size_t n, float *restrict padded) {
#pragma clang fp contract(fast)
    const size_t plane = job->out_height * job->out_width * BLOCK;
    const size_t rows = job->padded_height, columns = job->padded_width, padded_plane = rows * columns * BLOCK;
    const size_t kh = job->kernel_height, kw = job->kernel_width, s = job->stride, border = kh - 1 - job->padding;
    const size_t left = kw - 1 - job->padding;
    /* The output gradient (times LeakyReLU's slope) spread out at stride s behind a zero
     * border; the zeros were written once for this thread and stay where nothing lands. */
    const float *restrict dy = job->output_gradient + n * job->blocks * plane;
    const float *restrict y = job->output ? job->output + n * job->blocks * plane : NULL;
    for (size_t cb = 0; cb < job->blocks; cb++) {
        for (size_t oi = 0; oi < job->out_height; oi++) {
            const size_t from = (cb * job->out_height + oi) * job->out_width * BLOCK;
            float *restrict row = padded + cb * padded_plane + ((border + s * oi) * columns + left) * BLOCK;
            for (size_t oj = 0; oj < job->out_width; oj++) {
                VECTOR g = *(const VECTOR *)(dy + from + oj * BLOCK);
                if (y) {
                    /* LeakyReLU keeps the sign, so its output tells where the slope applies. */
                    VECTOR v = *(const VECTOR *)(y + from + oj * BLOCK), scaled = g * job->slope;
                    MASK positive = v > 0; /* all ones where true */
                    g = (VECTOR)(((MASK)g & positive) | ((MASK)scaled & ~positive));
                }
                *(VECTOR *)(row + s * oj * BLOCK) = g;
            }
        }
    }
    /* dx[i, j] = Σ_{a, b, c} w[c, a, b] · padded[c, i + kh − 1 − a, j + kw − 1 − b], eight
     * positions of a row at a time: eight independent multiply-add chains, one weight load
     * for eight multiply-adds. The padded rows are wide enough for the last eight. */
    float *restrict dx = job->input_gradient + n * job->in_height * job->in_width;
    for (size_t i = 0; i < job->in_height; i++) {
        for (size_t j = 0; j < job->in_width; j += 8) {
            VECTOR sum[8] = {{0}};
            for (size_t cb = 0; cb < job->blocks; cb++) {
                for (size_t a = 0; a < kh; a++) {
                    for (size_t b = 0; b < kw; b++) {
                        const VECTOR w = *(const VECTOR *)(job->packed_weight + ((cb * kh + a) * kw + b) * BLOCK);
                        const float *source = padded + cb * padded_plane + ((i + kh - 1 - a) * columns + j + kw - 1 - b) * BLOCK;
                        for (size_t k = 0; k < 8; k++) sum[k] += w * *(const VECTOR *)(source + k * BLOCK);
                    }
                }
            }
            for (size_t k = 0; k < 8 && j + k < job->in_width; k++) {
                float total = 0;
                for (size_t l = 0; l < BLOCK; l++) total += sum[k][l];
                dx[i * job->in_width + j + k] = total;
            }
        }
    }
}

#undef VECTOR
#undef MASK
