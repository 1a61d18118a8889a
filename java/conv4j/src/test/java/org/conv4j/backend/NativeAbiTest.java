package org.conv4j.backend;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conv4j.Algorithm;
import org.conv4j.Border;
import org.conv4j.Epilogue;
import org.junit.jupiter.api.Test;

/** The comparison of Java's codes and limits with a library's table, on tables tampered with here. */
class NativeAbiTest {
    /** The table a library built from the same conv4j.h exports. */
    private static Map<String, Long> matching() {
        Map<String, Long> table = new LinkedHashMap<>();
        for (NativeAbi.Entry e : NativeAbi.expected()) table.put(e.nativeName(), e.value());
        return table;
    }

    private static String refusal(Map<String, Long> table) {
        return assertThrows(NativeAbi.MismatchError.class, () -> NativeAbi.check(table)).getMessage();
    }

    private static void assertMentions(String message, String expected) {
        assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
    }

    @Test
    void acceptsAMatchingTable() {
        assertEquals(List.of(), NativeAbi.mismatches(matching()));
        assertDoesNotThrow(() -> NativeAbi.check(matching()));
    }

    @Test
    void namesBothConstantsOfASwapWithBothValues() {
        Map<String, Long> table = matching();
        table.put("CONV4J_BORDER_REFLECT", 2L);
        table.put("CONV4J_BORDER_SYMMETRIC", 1L);
        String message = refusal(table);
        assertMentions(message, "Border.REFLECT is 1, but the library's CONV4J_BORDER_REFLECT is 2");
        assertMentions(message, "Border.SYMMETRIC is 2, but the library's CONV4J_BORDER_SYMMETRIC is 1");
        assertEquals(2, NativeAbi.mismatches(table).size());
    }

    @Test
    void refusesASmallerNativeLimitBeforeAnyStackArrayOverflows() {
        Map<String, Long> table = matching();
        table.put("CONV4J_DIRECT_SMALL_MAX_REDUCTION", 64L);
        assertMentions(refusal(table), "Algorithm.DIRECT_SMALL_MAX_REDUCTION is 80, but the library's"
                + " CONV4J_DIRECT_SMALL_MAX_REDUCTION is 64");
    }

    @Test
    void namesAConstantTheLibraryLacks() {
        Map<String, Long> table = matching();
        table.remove("CONV4J_ACT_CLAMP");
        assertMentions(refusal(table), "Epilogue.Activation.CLAMP is 2, but the library exports no CONV4J_ACT_CLAMP");
    }

    @Test
    void refusesAnotherAbiVersion() {
        Map<String, Long> table = matching();
        table.put("CONV4J_ABI_VERSION", 3L);  // a library from before the Winograd workspace's matrix pad
        assertMentions(refusal(table), "NativeAbi.VERSION is 4, but the library's CONV4J_ABI_VERSION is 3");
    }

    @Test
    void ignoresWhatOnlyTheLibraryDefines() {
        Map<String, Long> table = matching();
        table.put("CONV4J_PATH_WINOGRAD", 4L);
        assertEquals(List.of(), NativeAbi.mismatches(table));
    }

    @Test
    void givesEveryConstantOfAnEnumItsOwnCode() {
        assertDistinct(Arrays.stream(Algorithm.values()).mapToInt(NativeAbi::code).toArray());
        assertDistinct(Arrays.stream(Border.values()).mapToInt(NativeAbi::code).toArray());
        assertDistinct(Arrays.stream(Epilogue.Activation.values()).mapToInt(NativeAbi::code).toArray());
    }

    private static void assertDistinct(int[] codes) {
        assertEquals(codes.length, Arrays.stream(codes).distinct().count(), Arrays.toString(codes));
    }
}
