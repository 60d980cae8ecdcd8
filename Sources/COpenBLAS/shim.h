#include <cblas.h>
#include <stddef.h>

/* LAPACK's divide-and-conquer symmetric eigensolver, which libopenblas carries. Declared here
   because Debian's OpenBLAS headers have no LAPACK prototypes; the two trailing lengths are
   gfortran's hidden lengths of the one-character arguments. */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
             const int *lwork, int *iwork, const int *liwork, int *info, size_t jobz_length, size_t uplo_length);
