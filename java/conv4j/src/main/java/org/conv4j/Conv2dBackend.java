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

    /**
     * The Winograd variant this backend's plans run for {@code problem}, whose bound ({@link Winograd#bound})
     * {@link Fidelity} and {@link CheckedBackend} then judge it by; null (the default) for the algorithms held to
     * the classical bound. By default the registry's: {@link Conv2dProblem#algorithm()}'s {@link Algorithm#winograd()}.
     */
    default Winograd winograd(Conv2dProblem problem) {
        return problem.algorithm().winograd();
    }

    /**
     * Prepares {@code problem} with constant {@code weights} {@code [K, C/groups, R, S]} and {@code bias}
     * {@code [K]} (null when the problem has none), read once here: see {@link ConstantWeightPlan}. The
     * caller's tensors are not kept. Throws {@link IllegalArgumentException} (naming the tensor and both
     * shapes) for a weight or bias that does not fit the problem, before anything is allocated or any
     * native call made; otherwise as {@link #plan(Conv2dProblem)}.
     *
     * <p>This default copies the weights and bias once into tensors the plan owns and runs them through
     * {@link #plan(Conv2dProblem)}'s plan; a backend whose algorithm reads the weights in another layout
     * overrides it to rearrange them once.
     */
    default ConstantWeightPlan plan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        return ConstantWeightPlan.copying(problem, weights, bias, () -> plan(problem));
    }
}
