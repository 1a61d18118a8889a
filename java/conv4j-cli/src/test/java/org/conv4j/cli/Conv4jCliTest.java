package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.conv4j.BuildInfo;
import org.junit.jupiter.api.Test;

/** The top-level command: what it prints without a subcommand's work. */
class Conv4jCliTest {
    @Test
    void versionIsTheBuildsVersion() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r.toString());
        assertNotEquals("unknown", BuildInfo.version());
        assertEquals("conv4j " + BuildInfo.version(), r.out().strip(), r.toString());
    }
}
