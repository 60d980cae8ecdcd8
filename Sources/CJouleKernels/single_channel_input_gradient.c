#include "JouleKernels.h"
#include <dlfcn.h>
#include <stdatomic.h>

/* The input gradient of a convolution with one input channel, read straight from oneDNN's
 * channel-blocked layout. oneDNN's only backward-data kernel for one input channel reads
 * the output gradient in plain layout, so the first layer of a grey-scale image model
 * used to cost three passes over its largest tensor (LeakyReLU's slope, a reorder to
 * plain, the GEMM-based kernel); this is one pass. */

typedef struct {
    const float *output_gradient, *output, *packed_weight;
    float slope;
    size_t batch, blocks, block, out_height, out_width, in_height, in_width, kernel_height, kernel_width, stride, padding;
    /* Each thread's plane of the spread-out gradient: rows × columns × block per block of channels. */
    size_t padded_height, padded_width;
    float *input_gradient, *scratch;
    atomic_size_t next_image, next_slot;
} job_t;

#define BLOCK 16
#define VECTOR vector_of_16
#define MASK mask_of_16
#define IMAGE_FUNCTION image_in_blocks_of_16
#include "single_channel_image.h"
#undef BLOCK
#undef IMAGE_FUNCTION
#define BLOCK 8
#define VECTOR vector_of_8
#define MASK mask_of_8
#define IMAGE_FUNCTION image_in_blocks_of_8
#include "single_channel_image.h"
#undef BLOCK
#undef IMAGE_FUNCTION

/* Each thread takes a scratch slot and clears it, then takes images until none are left. */
static void worker(void *data) {
    job_t *job = data;
    const size_t size = job->blocks * job->padded_height * job->padded_width * job->block;
    float *padded = job->scratch + atomic_fetch_add(&job->next_slot, 1) * size;
    for (size_t i = 0; i < size; i++) padded[i] = 0;
    for (;;) {
        size_t n = atomic_fetch_add(&job->next_image, 1);
        if (n >= job->batch) break;
        if (job->block == 16) {
            image_in_blocks_of_16(job, n, padded);
        } else {
            image_in_blocks_of_8(job, n, padded);
        }
    }
}

typedef void (*gomp_parallel_t)(void (*)(void *), void *, unsigned, unsigned);

/* libgomp's entry point, found at run time: it runs `worker` on the same OpenMP team that
 * oneDNN uses, so the two never compete for the cores. Null where no libgomp is loaded. */
static gomp_parallel_t gomp_parallel(void) {
    static _Atomic(gomp_parallel_t) found;
    static atomic_int looked;
    if (!atomic_load(&looked)) {
        atomic_store(&found, (gomp_parallel_t)dlsym(RTLD_DEFAULT, "GOMP_parallel"));
        atomic_store(&looked, 1);
    }
    return atomic_load(&found);
}

size_t joule_single_channel_padded_height(size_t in_height, size_t kernel_height) {
    return in_height + kernel_height - 1;
}

size_t joule_single_channel_padded_width(size_t in_width, size_t kernel_width) {
    return (in_width + 7) / 8 * 8 + kernel_width - 1;
}

void joule_single_channel_input_gradient(const float *output_gradient, const float *output, float slope,
                                         const float *weight, float *packed_weight, size_t batch, size_t channels,
                                         size_t block, size_t out_height, size_t out_width, size_t in_height,
                                         size_t in_width, size_t kernel_height, size_t kernel_width, size_t stride,
                                         size_t padding, float *input_gradient, float *scratch, size_t threads) {
    const size_t blocks = channels / block, taps = kernel_height * kernel_width;
    /* w[c, 0, a, b] → packed[c / block, a, b, c % block]: one block of channels a vector. */
    for (size_t c = 0; c < channels; c++) {
        for (size_t t = 0; t < taps; t++) packed_weight[((c / block) * taps + t) * block + c % block] = weight[c * taps + t];
    }
    job_t job = {
        .output_gradient = output_gradient, .output = output, .packed_weight = packed_weight, .slope = slope,
        .batch = batch, .blocks = blocks, .block = block, .out_height = out_height, .out_width = out_width,
        .in_height = in_height, .in_width = in_width, .kernel_height = kernel_height, .kernel_width = kernel_width,
        .stride = stride, .padding = padding, .input_gradient = input_gradient, .scratch = scratch,
        .padded_height = joule_single_channel_padded_height(in_height, kernel_height),
        .padded_width = joule_single_channel_padded_width(in_width, kernel_width),
    };
    atomic_init(&job.next_image, 0);
    atomic_init(&job.next_slot, 0);
    gomp_parallel_t parallel = threads > 1 ? gomp_parallel() : NULL;
    if (parallel) {
        parallel(worker, &job, (unsigned)threads, 0);
    } else {
        worker(&job);
    }
}
