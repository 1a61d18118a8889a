package org.conv4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.conv4j.jni.Conv4jNative;
import org.junit.jupiter.api.Test;

/** Loading the native library: the check of its table of codes and limits, and what require() reports. */
class NativeLibraryTest {
    @Test
    void theBuiltLibraryPassesTheAbiCheck() {
        assumeTrue(!Boolean.getBoolean("conv4j.native.skip"), "native build skipped (-Dconv4j.native.skip=true)");
        NativeLibrary.require(); // fails loudly, never skips: loading includes NativeAbi.check
        Map<String, Long> exported = NativeLibrary.exportedAbi();
        assertEquals(List.of(), NativeAbi.mismatches(exported));
        assertEquals(Conv4jNative.conv4j_abi_size(), exported.size(), "a C name twice in the table: " + exported);
    }

    /**
     * CI runs the kernel tests again with CONV4J_VECTOR_ISA=avx2 and =baseline (.ci/vector-bodies.sh): this is
     * what proves those runs reached the body they name, on a CPU that has it, instead of the widest one.
     */
    @Test
    void theVectorBodyIsTheOneTheEnvironmentAsksFor() {
        assumeTrue(!Boolean.getBoolean("conv4j.native.skip"), "native build skipped (-Dconv4j.native.skip=true)");
        String isa = NativeLibrary.vectorIsa(), asked = System.getenv("CONV4J_VECTOR_ISA");
        System.out.println("conv4j vector body: " + isa + (asked == null ? "" : " (CONV4J_VECTOR_ISA=" + asked + ")"));
        assertTrue(List.of("avx512", "avx2", "baseline").contains(isa), isa);
        if ("baseline".equals(asked) || "avx2".equals(asked)) assertEquals(asked, isa);
    }

    @Test
    void requireGivesTheMismatchAsTheReason() {
        String message = NativeLibrary.missingMessage(new NativeAbi.MismatchError(
                List.of("Border.REFLECT is 1, but the library's CONV4J_BORDER_REFLECT is 2")));
        assertTrue(message.contains("Border.REFLECT is 1, but the library's CONV4J_BORDER_REFLECT is 2"), message);
        assertTrue(message.contains("of one build"), message);
    }
}
