/* The complexity score's PNG length two ways, one thread, Fashion-MNIST's 10,000 test images:
 * libpng's simplified writer counting into no buffer (what Joule called before) against the
 * counter's method (libpng's row-filter heuristic, then one zlib stream reset between images,
 * as Sources/Datasets/PNGLength.swift does). Prints the constant difference (the framing
 * libpng adds, 70 bytes for a grey image: the counter adds it back) and µs per image.
 * Build and run (BENCHMARKS.md, "OOD scores and conformal sets", costs):
 *   cc -O2 bench/c/png_length.c -o /tmp/png_length -lpng -lz && /tmp/png_length */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

enum { W = 28, H = 28, N = 10000, ROW = W + 1 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static size_t libpng_length(const unsigned char *pixels) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = W;
    image.height = H;
    image.format = PNG_FORMAT_GRAY;
    size_t bytes = 0;
    png_image_write_to_memory(&image, NULL, &bytes, 0, pixels, 0, NULL);
    png_image_free(&image);
    return bytes;
}

static int magnitude(unsigned char v) { return v < 128 ? v : 256 - v; }

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
}

static z_stream stream;

/* The zlib stream's length: the counter's part that depends on the image. */
static size_t counted_length(const unsigned char *pixels) {
    static unsigned char filtered[ROW * H], candidates[5][W], out[4096];
    static const unsigned char zeros[W];
    for (int y = 0; y < H; y++) {
        const unsigned char *row = pixels + y * W, *above = y ? row - W : zeros;
        int best = 0;
        long best_sum = -1;
        for (int type = 0; type < 5; type++) {
            long sum = 0;
            for (int x = 0; x < W; x++) {
                int a = x ? row[x - 1] : 0, b = above[x], c = x ? above[x - 1] : 0;
                int predictor = type == 0 ? 0 : type == 1 ? a : type == 2 ? b : type == 3 ? (a + b) >> 1 : paeth(a, b, c);
                candidates[type][x] = (unsigned char)(row[x] - predictor);
                sum += magnitude(candidates[type][x]);
            }
            if (best_sum < 0 || sum < best_sum) best = type, best_sum = sum;
        }
        filtered[y * ROW] = (unsigned char)best;
        memcpy(filtered + y * ROW + 1, candidates[best], W);
    }
    deflateReset(&stream);
    stream.next_in = filtered;
    stream.avail_in = sizeof filtered;
    stream.next_out = out;
    stream.avail_out = sizeof out;
    deflate(&stream, Z_FINISH);
    return stream.total_out;
}

int main(void) {
    gzFile file = gzopen("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", "rb");
    unsigned char header[16];
    unsigned char *images = malloc((size_t)N * W * H);
    if (!file || gzread(file, header, 16) != 16 || gzread(file, images, N * W * H) != N * W * H) {
        fprintf(stderr, "cannot read Fashion-MNIST's test images (apt-get install dataset-fashion-mnist)\n");
        return 1;
    }
    gzclose(file);
    /* libpng's settings for 812 bytes of filtered data: level 6, an 11-bit window, memory level 8. */
    deflateInit2(&stream, 6, Z_DEFLATED, 11, 8, Z_FILTERED);
    long low = 1 << 30, high = -(1 << 30);
    for (int i = 0; i < N; i++) {
        long d = (long)libpng_length(images + i * W * H) - (long)counted_length(images + i * W * H);
        if (d < low) low = d;
        if (d > high) high = d;
    }
    printf("libpng - counter: min %ld max %ld bytes\n", low, high);
    size_t total = 0;
    double t = now();
    for (int i = 0; i < N; i++) total += libpng_length(images + i * W * H);
    double writer = now() - t;
    t = now();
    for (int i = 0; i < N; i++) total += counted_length(images + i * W * H);
    double counter = now() - t;
    printf("libpng writer %.1f us/image, counter %.1f us/image\n", writer / N * 1e6, counter / N * 1e6);
    return total == 0;
}
