package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.conv4j.Conv2dProblem;
import org.junit.jupiter.api.Test;

/** {@code conv4j verify} end to end. */
class VerifyCommandTest {
    @Test
    void printsOneTableRowPerCaseAndPassesWithinTheBound() {
        Cli.Result r = Cli.run("verify", "--cases", "6", "--seed", "7");
        assertEquals(0, r.code(), r.toString());
        long rows = r.out().lines().filter(l -> l.matches("n\\d+c\\d+h\\d+.*")).count();
        assertEquals(6, rows, r.toString());
        assertTrue(r.out().contains("error/bound") && r.out().contains("all 6 cases within the error bound"), r.toString());
    }

    @Test
    void sameSeedSameProblems() {
        Conv2dProblem a = VerifyCommand.randomProblem(new SplittableRandom(3));
        Conv2dProblem b = VerifyCommand.randomProblem(new SplittableRandom(3));
        assertEquals(a, b);
        assertNotEquals(a, VerifyCommand.randomProblem(new SplittableRandom(4)));
    }

    @Test
    void rejectsNonPositiveCaseCount() {
        Cli.assertBadInput(Cli.run("verify", "--cases", "0"), "--cases");
        Cli.assertBadInput(Cli.run("verify", "--seed", "abc"), "--seed");
    }

    @Test
    void unknownSubcommandIsBadInput() {
        Cli.assertBadInput(Cli.run("convolve"), "convolve");
    }
}
