/*
 * conv4j native core: the one surface Java binds (org.conv4j.jni.Conv4jNative).
 *
 * Every number in conv4j_problem is derived and validated by the Java descriptor
 * (org.conv4j.Conv2dProblem). This code trusts it: it never validates, aborts or prints.
 * All indexing is 64-bit. Layouts: x NCHW, w K x (C/groups) x R x S, bias K, y NCHW (N x K x P x Q).
 */
#ifndef CONV4J_H
#define CONV4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Java writes out the codes of these enums and the CONV4J_DIRECT_SMALL_* limits too, constant by constant
 * (org.conv4j.backend.NativeAbi), and refuses the library when its table (conv4j_abi_*, below) disagrees.
 */

/* Algorithm chosen by the Java registry (org.conv4j.Algorithm, each constant declares its code). */
enum conv4j_path {
    CONV4J_PATH_IM2COL_GEMM = 0, /* im2col of a band of output rows, then one sgemm per band and group */
    CONV4J_PATH_DIRECT_GEMM = 1, /* 1x1, stride 1, no padding: the input already is the column matrix */
    CONV4J_PATH_DEPTHWISE = 2,   /* C/groups == 1 (groups == C, K == C * depth multiplier): direct loop nest,
                                    no GEMM */
    CONV4J_PATH_DIRECT_SMALL_REDUCTION = 3, /* c_per_group*r*s <= CONV4J_DIRECT_SMALL_MAX_REDUCTION, stride_w 1:
                                               direct loop nest, no GEMM */
    CONV4J_PATH_SEPARABLE = 4, /* C/groups == 1, filters given as factors: a vertical then a horizontal pass
                                  (conv4j_conv2d_forward_separable only; the other entry points return
                                  CONV4J_UNKNOWN_PATH for it) */
    CONV4J_PATH_WINOGRAD_F2 = 5, /* Winograd F(2x2, 3x3), Precision FAST only; run through conv4j_winograd_forward
                                    (conv4j_winograd.h), whose caller owns the transformed weights:
                                    conv4j_conv2d_forward returns CONV4J_UNKNOWN_PATH for it */
    CONV4J_PATH_WINOGRAD_F4 = 6, /* Winograd F(4x4, 3x3), likewise */
    CONV4J_PATH_DIRECT_BLOCKED = 7 /* r*s <= CONV4J_DIRECT_BLOCKED_MAX_TAPS: register-blocked direct convolution over
                                      phase planes of each band, filters packed in blocks of
                                      CONV4J_DIRECT_BLOCKED_K_BLOCK output channels (native/src/direct_blocked.h) */
};

/* Largest reduction and filters per group the direct small-reduction path takes (Algorithm's
   DIRECT_SMALL_MAX_*); they size its stack arrays. */
#define CONV4J_DIRECT_SMALL_MAX_REDUCTION 80
#define CONV4J_DIRECT_SMALL_MAX_FILTERS 32

/* CONV4J_PATH_DIRECT_BLOCKED: output channels of a packed filter block, and the largest r*s (its stack array). */
#define CONV4J_DIRECT_BLOCKED_K_BLOCK 8
#define CONV4J_DIRECT_BLOCKED_MAX_TAPS 64

/* What is read outside the input: numpy.pad modes constant(0), reflect, symmetric, edge, wrap. */
enum conv4j_border {
    CONV4J_BORDER_ZERO = 0,
    CONV4J_BORDER_REFLECT = 1,
    CONV4J_BORDER_SYMMETRIC = 2,
    CONV4J_BORDER_REPLICATE = 3,
    CONV4J_BORDER_CIRCULAR = 4
};

/* Activation applied last by the epilogue. */
enum conv4j_activation {
    CONV4J_ACT_NONE = 0,
    CONV4J_ACT_RELU = 1,
    CONV4J_ACT_CLAMP = 2
};

enum conv4j_status {
    CONV4J_OK = 0,
    CONV4J_UNKNOWN_PATH = 1
};

typedef struct conv4j_problem {
    int64_t n, c, h, w;            /* input */
    int64_t k, r, s;               /* weights: k filters of (c / groups) x r x s */
    int64_t p, q;                  /* output height and width */
    int64_t stride_h, stride_w;
    int64_t pad_top, pad_left;     /* bottom and right padding are implied by p and q */
    int64_t dil_h, dil_w;
    int64_t groups;
    int64_t c_per_group, k_per_group;
    int64_t reduction;             /* c_per_group * r * s: the GEMM K dimension */
    int64_t tile_rows;             /* output rows per band: the unit of work of the GEMM and direct paths */
    int64_t bands;                 /* bands per output plane, ceil(p / tile_rows) (org.conv4j.Schedule) */
    int64_t work_items;            /* units spread over threads: n * groups * bands; n * k on the depthwise path */
    int64_t threads;               /* participants (calling thread + pool helpers); 1: the calling thread only */
    int64_t workspace_per_thread;  /* floats of workspace each participant owns: reduction * tile_rows * q on
                                      the im2col path, at least direct_blocked_workspace (direct_blocked.h) on
                                      the direct blocked path, depthwise_workspace (depthwise.h) on the
                                      depthwise path, that + k_per_group * L on the separable path, else 0 */
    int32_t flip;                  /* 1: true convolution (kernel rotated 180 degrees), 0: cross-correlation */
    int32_t has_bias;
    int32_t path;                  /* enum conv4j_path */
    int32_t border;                /* enum conv4j_border */
    int32_t epi_sum;               /* 1: add y's previous content (residual) before the activation */
    int32_t activation;            /* enum conv4j_activation */
    float clamp_lo, clamp_hi;      /* CONV4J_ACT_CLAMP bounds */
} conv4j_problem;

/*
 * y[n][k][p][q] = act(bias[k] + sum_{c,r,s} w[k][c][r][s] * xpad[n][g*C/G + c][p*sh + r'*dh][q*sw + s'*dw]
 *                     + (epi_sum ? y[n][k][p][q] : 0))
 * with g = k / (K/G), r' = flip ? R-1-r : r, s' likewise, xpad = x extended by pad_top/pad_left per border.
 * workspace: threads * workspace_per_thread floats (may be null when that is 0).
 * Writes every element of y (reading it first when epi_sum); reads x, w, bias (null when has_bias == 0).
 * Work items (image, group, band of tile_rows output rows; image and channel on the depthwise path) are
 * spread over `threads` participants (native/src/workers.h); each output element is computed by one
 * item with the same arithmetic for any thread count, so results do not depend on it. The caller
 * should hold OpenBLAS at 1 thread when threads > 1 (two pools on the same cores oversubscribe them).
 */
int conv4j_conv2d_forward(const conv4j_problem *prob, const float *x, const float *w,
                          const float *bias, float *y, float *workspace);

/*
 * Constant weights, rearranged once (at plan time) into the layout the paths read, in `prepared`:
 * K*reduction floats, twice that on CONV4J_PATH_DIRECT_SMALL_REDUCTION, and on CONV4J_PATH_DIRECT_BLOCKED
 * groups * Kp * reduction with Kp = ceil(k_per_group / CONV4J_DIRECT_BLOCKED_K_BLOCK) * that block, the filters
 * packed as native/src/direct_blocked.h says (the Java plan allocates it):
 *   prepared[k*reduction + t] = w[k][t],                           t = (c*R + r)*S + s
 *   prepared[K*reduction + (g*Kg)*reduction + t*Kg + j] = w[g*Kg + j][t]   (small reduction only: each
 *   group's filters transposed, what that path's border columns read; built per band and call otherwise)
 * Reads w, writes prepared; on CONV4J_PATH_DIRECT_BLOCKED over `threads` participants (block by block).
 */
void conv4j_prepare_weights(const conv4j_problem *prob, const float *w, float *prepared);

/* conv4j_conv2d_forward with weights from conv4j_prepare_weights (same problem): bit-identical results. */
int conv4j_conv2d_forward_prepared(const conv4j_problem *prob, const float *x, const float *prepared,
                                   const float *bias, float *y, float *workspace);

/*
 * The separable algorithm (path CONV4J_PATH_SEPARABLE, C/groups == 1; factors found by org.conv4j.Separable):
 * filter k is separable when vertical[k] >= 0, with
 *   w'[k][r][s] = vertical_factors[vertical[k] * R + r] * horizontal_factors[k * S + s]
 * where w' is the filter as applied to xpad (already rotated when flip), else it is dense: w[k] (KCRS, not
 * rotated), run by the depthwise loop nest. Separable filters of one group with the same vertical[k] share
 * one vertical pass. Work items: n * groups * bands (image, group, band of tile_rows output rows).
 * workspace: threads * workspace_per_thread floats; workspace_per_thread = k_per_group * L with
 * L = max((q-1)*stride_w + (s-1)*dil_w + 1, pad_left + w), R <= 64. Writes every element of y.
 */
int conv4j_conv2d_forward_separable(const conv4j_problem *prob, const float *x, const float *w,
                                    const float *vertical_factors, const float *horizontal_factors,
                                    const int32_t *vertical, const float *bias, float *y, float *workspace);

/* Version of this interface: conv4j_problem, conv4j_conv2d_forward and what the codes and limits mean.
   Bumped on any change that a Java side written against an older conv4j.h would misread (4: the Winograd
   workspace gained CONV4J_WINOGRAD_MATRIX_PAD, conv4j_winograd.h). */
#define CONV4J_ABI_VERSION 4

/*
 * The library's side of its contract with Java, as a table of named integers: CONV4J_ABI_VERSION, every
 * constant of the enums above, the CONV4J_DIRECT_SMALL_* and CONV4J_DIRECT_BLOCKED_* limits and the
 * CONV4J_WINOGRAD_* layout constants (conv4j_winograd.h), each under its C name. Java compares
 * it with its own values when it loads the library (org.conv4j.backend.NativeLibrary).
 * Entry i, for 0 <= i < conv4j_abi_size(): conv4j_abi_name(i) (static storage), conv4j_abi_value(i).
 */
int32_t conv4j_abi_size(void);
const char *conv4j_abi_name(int32_t i);
int64_t conv4j_abi_value(int32_t i);

/*
 * Floats per vector of the body the kernels run: 16 (AVX-512), 8 (AVX + FMA), 4 (the compiler's baseline:
 * SSE2 on x86-64, NEON on arm64). The CPU is asked once per process; the environment variable
 * CONV4J_VECTOR_ISA (avx512, avx2 or baseline), read at the same moment, lowers the choice, never above
 * what the CPU has, so that tests run every body on one machine. Any other value is ignored.
 */
int32_t conv4j_vector_width(void);

#ifdef __cplusplus
}
#endif

#endif
