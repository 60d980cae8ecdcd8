/* cnn-s's four inner convolutions at batch 64 in float32 (the algorithm the engine plans:
 * Winograd for stride 1, direct for stride 2) and in bfloat16 (oneDNN's direct kernel),
 * forward and backward-data, layouts of oneDNN's choosing; median of 60 runs.
 * Build and run (BENCHMARKS.md, "What bfloat16 would give"):
 *   cc -O2 bench/c/bf16_convolutions.c -o /tmp/bf16_convolutions -ldnnl && /tmp/bf16_convolutions */
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHECK(call)                                                                          \
    do {                                                                                     \
        dnnl_status_t status_ = (call);                                                      \
        if (status_ != dnnl_success) {                                                       \
            fprintf(stderr, "oneDNN status %d at line %d\n", (int)status_, __LINE__);        \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)

static dnnl_engine_t engine;
static dnnl_stream_t stream;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static dnnl_memory_t allocate(const_dnnl_primitive_desc_t pd, dnnl_query_t what) {
    dnnl_memory_t memory;
    CHECK(dnnl_memory_create(&memory, dnnl_primitive_desc_query_md(pd, what, 0), engine, DNNL_MEMORY_ALLOCATE));
    return memory;
}

/* Median milliseconds of 60 runs. */
static double time_primitive(const_dnnl_primitive_desc_t pd, const int *args, const dnnl_query_t *queries) {
    dnnl_primitive_t primitive;
    CHECK(dnnl_primitive_create(&primitive, pd));
    dnnl_exec_arg_t arguments[3];
    for (int i = 0; i < 3; i++) arguments[i] = (dnnl_exec_arg_t){args[i], allocate(pd, queries[i])};
    double times[60];
    for (int i = 0; i < 60; i++) {
        double start = seconds();
        CHECK(dnnl_primitive_execute(primitive, stream, 3, arguments));
        CHECK(dnnl_stream_wait(stream));
        times[i] = seconds() - start;
    }
    qsort(times, 60, sizeof(double), ascending);
    return times[30] * 1e3;
}

static void layer(const char *name, int in, int out, int size, int stride, dnnl_data_type_t type) {
    const int batch = 64, out_size = (size + 2 - 3) / stride + 1;
    dnnl_dims_t src_dims = {batch, in, size, size}, weight_dims = {out, in, 3, 3};
    dnnl_dims_t dst_dims = {batch, out, out_size, out_size}, strides = {stride, stride}, padding = {1, 1};
    dnnl_memory_desc_t src, weights, dst;
    CHECK(dnnl_memory_desc_init_by_tag(&src, 4, src_dims, type, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&weights, 4, weight_dims, type, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, type, dnnl_format_tag_any));
    dnnl_alg_kind_t algorithm = type == dnnl_f32 && stride == 1 ? dnnl_convolution_winograd : dnnl_convolution_direct;
    dnnl_convolution_desc_t forward, backward;
    CHECK(dnnl_convolution_forward_desc_init(&forward, dnnl_forward_training, algorithm, &src, &weights, NULL, &dst,
                                             strides, padding, padding));
    CHECK(dnnl_convolution_backward_data_desc_init(&backward, algorithm, &src, &weights, &dst, strides, padding, padding));
    dnnl_primitive_desc_t forward_pd, backward_pd;
    if (dnnl_primitive_desc_create(&forward_pd, &forward, NULL, engine, NULL) != dnnl_success ||
        dnnl_primitive_desc_create(&backward_pd, &backward, NULL, engine, forward_pd) != dnnl_success) {
        printf("%-32s %-8s no implementation\n", name, type == dnnl_f32 ? "float32" : "bfloat16");
        return;
    }
    const char *implementation;
    CHECK(dnnl_primitive_desc_query(forward_pd, dnnl_query_impl_info_str, 0, &implementation));
    double forward_ms = time_primitive(forward_pd, (int[]){DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
                                       (dnnl_query_t[]){dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md});
    double backward_ms = time_primitive(backward_pd, (int[]){DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                                        (dnnl_query_t[]){dnnl_query_diff_dst_md, dnnl_query_weights_md,
                                                         dnnl_query_diff_src_md});
    double gflop = 2.0 * batch * out * out_size * out_size * in * 9 / 1e9;
    printf("%-32s %-8s forward %6.3f ms (%5.0f GFLOP/s)  backward-data %6.3f ms  %s\n", name,
           type == dnnl_f32 ? "float32" : "bfloat16", forward_ms, gflop / forward_ms * 1e3, backward_ms, implementation);
}

int main(void) {
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
    struct { const char *name; int in, out, size, stride; } layers[] = {
        {"64->64, 28x28, stride 2", 64, 64, 28, 2},
        {"64->128, 14x14", 64, 128, 14, 1},
        {"128->128, 14x14, stride 2", 128, 128, 14, 2},
        {"128->256, 7x7", 128, 256, 7, 1},
    };
    for (int i = 0; i < 4; i++) {
        layer(layers[i].name, layers[i].in, layers[i].out, layers[i].size, layers[i].stride, dnnl_f32);
        layer(layers[i].name, layers[i].in, layers[i].out, layers[i].size, layers[i].stride, dnnl_bf16);
    }
    return 0;
}
