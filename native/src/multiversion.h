#ifndef CONV4J_MULTIVERSION_H
#define CONV4J_MULTIVERSION_H

/*
 * Run-time choice of the widest vector unit, so released libraries stay portable (no -march=native)
 * and still use AVX-512 or AVX+FMA where the CPU has them. A hot loop nest is written once as an
 * always-inline body (CONV4J_INLINE) templated on its vector width, and run_widest_vectors() compiles it
 * into one function per CONV4J_TARGET_* attribute and runs the one vector_isa() picks, detected once.
 * GCC's target_clones would do this with an ifunc, but its resolver
 * needs libgcc's __cpu_model, which the JNI library does not get from libgcc_s: the CPU is asked
 * here directly (cpuid + xgetbv: the instructions and the OS's saving of their registers).
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CONV4J_X86_DISPATCH 1
#include <cpuid.h>
#define CONV4J_TARGET_AVX512 __attribute__((target("avx512f")))
#define CONV4J_TARGET_AVX_FMA __attribute__((target("avx,fma")))
#else
#define CONV4J_X86_DISPATCH 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CONV4J_ALWAYS_INLINE __attribute__((always_inline))
#else
#define CONV4J_ALWAYS_INLINE
#endif
#define CONV4J_INLINE inline CONV4J_ALWAYS_INLINE

#include <cstdint>
#include <cstdlib>
#include <string>
#include <type_traits>

namespace conv4j {

enum class VectorIsa { baseline, avx_fma, avx512 };

/* v rounded up to a multiple of 16 floats, the widest vector (and a 64-byte line): workspace strides. */
inline int64_t round16(int64_t v) { return (v + 15) / 16 * 16; }

/*
 * V floats as one GCC vector (type), and the same type for loads and stores at a float's alignment
 * (unaligned). Members of a class template, not typedefs local to the kernels: those lose their vector
 * attribute when a template such as epilogue.h's activate() deduces its argument from them.
 */
template <int V>
struct Vec {
    typedef float type __attribute__((vector_size(4 * V)));
    typedef float unaligned __attribute__((vector_size(4 * V), aligned(4), may_alias));
};

#if CONV4J_X86_DISPATCH
inline VectorIsa detect_vector_isa() {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return VectorIsa::baseline;
    const bool osxsave = c & (1u << 27), avx = c & (1u << 28), fma = c & (1u << 12);
    if (!osxsave || !avx || !fma) return VectorIsa::baseline;
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0x6) != 0x6) return VectorIsa::baseline;                 // XMM and YMM state saved
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return VectorIsa::avx_fma;
    const bool avx512f = b & (1u << 16);
    return avx512f && (lo & 0xe6) == 0xe6 ? VectorIsa::avx512 : VectorIsa::avx_fma;  // + opmask, ZMM state
}
#else
inline VectorIsa detect_vector_isa() { return VectorIsa::baseline; }
#endif

/* The environment's CONV4J_VECTOR_ISA (conv4j.h), or what the CPU has when it names none of the three. */
inline VectorIsa requested_vector_isa(VectorIsa detected) {
    const char *v = std::getenv("CONV4J_VECTOR_ISA");
    if (v == nullptr) return detected;
    const std::string s(v);
    if (s == "baseline") return VectorIsa::baseline;
    if (s == "avx2") return VectorIsa::avx_fma;
    if (s == "avx512") return VectorIsa::avx512;
    return detected;
}

/* Detected once per process, lowered (never raised) by CONV4J_VECTOR_ISA. */
inline VectorIsa vector_isa() {
    static const VectorIsa isa = [] {
        const VectorIsa detected = detect_vector_isa(), requested = requested_vector_isa(detected);
        return requested < detected ? requested : detected;
    }();
    return isa;
}

#if CONV4J_X86_DISPATCH
template <typename Kernel>
CONV4J_TARGET_AVX512 void run_avx512(const Kernel &kernel) {
    kernel(std::integral_constant<int, 16>());
}

template <typename Kernel>
CONV4J_TARGET_AVX_FMA void run_avx_fma(const Kernel &kernel) {
    kernel(std::integral_constant<int, 8>());
}
#endif

/*
 * kernel(std::integral_constant<int, V>()), compiled for and run on the widest vector unit this CPU has:
 * V = 16 floats a vector (AVX-512), 8 (AVX + FMA), else 4 (the compiler's baseline: SSE2 on x86-64, NEON
 * on arm64). kernel is a lambda marked CONV4J_ALWAYS_INLINE whose body is CONV4J_INLINE, so that the whole
 * loop nest is compiled inside the CONV4J_TARGET_* function, e.g.
 *     run_widest_vectors([&](auto v) CONV4J_ALWAYS_INLINE { body<decltype(v)::value>(args); });
 */
template <typename Kernel>
inline void run_widest_vectors(const Kernel &kernel) {
#if CONV4J_X86_DISPATCH
    switch (vector_isa()) {
        case VectorIsa::avx512: run_avx512(kernel); return;
        case VectorIsa::avx_fma: run_avx_fma(kernel); return;
        default: break;
    }
#endif
    kernel(std::integral_constant<int, 4>());
}

}  // namespace conv4j

#endif
