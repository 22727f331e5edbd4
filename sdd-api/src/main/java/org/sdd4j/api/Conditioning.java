package org.sdd4j.api;

import ai.djl.ndarray.NDArray;

/**
 * A prompt encoded once by a teacher: the conditional embedding and the unconditional one (the empty
 * prompt, or a negative prompt) used by classifier-free guidance. Owns its arrays; close it when done.
 */
public final class Conditioning implements AutoCloseable {

    private final String prompt;
    private final String negativePrompt;
    private final NDArray conditional;
    private final NDArray unconditional;

    /**
     * Creates a conditioning.
     *
     * @param prompt the text that was encoded
     * @param conditional its embedding, shape (1, ...)
     * @param unconditional the empty prompt's embedding, same shape
     */
    public Conditioning(String prompt, NDArray conditional, NDArray unconditional) {
        this(prompt, "", conditional, unconditional);
    }

    /**
     * Creates a conditioning whose unconditional branch is a negative prompt.
     *
     * @param prompt the text that was encoded
     * @param negativePrompt the text of the unconditional branch (empty: the empty prompt)
     * @param conditional the prompt's embedding, shape (1, ...)
     * @param unconditional the negative prompt's embedding, same shape
     */
    public Conditioning(String prompt, String negativePrompt, NDArray conditional, NDArray unconditional) {
        if (!conditional.getShape().equals(unconditional.getShape())) {
            throw new IllegalArgumentException("conditional embedding " + conditional.getShape()
                    + " and unconditional embedding " + unconditional.getShape() + " must have the same shape");
        }
        this.prompt = prompt;
        this.negativePrompt = negativePrompt == null ? "" : negativePrompt;
        this.conditional = conditional;
        this.unconditional = unconditional;
    }

    /** The encoded prompt. */
    public String prompt() {
        return prompt;
    }

    /** The prompt of the unconditional branch (empty for plain classifier-free guidance). */
    public String negativePrompt() {
        return negativePrompt;
    }

    /** Embedding of the prompt. */
    public NDArray conditional() {
        return conditional;
    }

    /** Embedding of the unconditional branch (the empty or the negative prompt). */
    public NDArray unconditional() {
        return unconditional;
    }

    @Override
    public void close() {
        conditional.close();
        unconditional.close();
    }

    @Override
    public String toString() {
        return "Conditioning[\"" + prompt + "\" vs \"" + negativePrompt + "\", " + conditional.getShape() + "]";
    }
}
