package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The versions read at run time are the build's (java/conv4j/pom.xml passes its values to the test JVM). */
class BuildInfoTest {
    @Test
    void versionsAreTheBuildsOwn() {
        assertEquals(System.getProperty("conv4j.test.version"), BuildInfo.version());
        assertEquals(System.getProperty("conv4j.test.javacpp.version"), BuildInfo.javacppVersion());
        assertEquals(System.getProperty("conv4j.test.openblas.version"), BuildInfo.openblasVersion());
    }
}
