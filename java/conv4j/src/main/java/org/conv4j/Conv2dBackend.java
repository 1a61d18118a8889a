package org.conv4j;

/**
 * An implementation of {@link Conv2dProblem}s. Backends are stateless and thread-safe; a
 * {@link Conv2dPlan} holds whatever one problem needs (native descriptor, workspace).
 */
public interface Conv2dBackend {
    /** The name {@link Backends#byName(String)} selects it by: {@code native}, {@code java}, {@code reference}. */
    String name();

    /** Whether this backend can run on this machine (for {@code native}: whether its library loads). */
    boolean isAvailable();

    /**
     * Prepares {@code problem} for repeated execution. Throws {@link IllegalArgumentException} if the
     * problem exceeds what this backend can index, {@link BackendUnavailableException} if the backend
     * cannot run here.
     */
    Conv2dPlan plan(Conv2dProblem problem);
}
