package org.sdd4j.api;

/** How a {@link TimestepSelection} turns per-timestep scores into the set of timesteps to train at. */
public sealed interface SelectionRule {

    /** The single timestep with the largest HQS (paper, Table 3: the strongest edits). */
    record Largest() implements SelectionRule {
        @Override
        public String toString() {
            return "largest-hqs";
        }
    }

    /**
     * Every timestep with HQS greater than xi (paper, Section 3.3); if none passes, the largest.
     *
     * @param xi the threshold, in [-1, 1]
     */
    record Threshold(double xi) implements SelectionRule {
        /** Validates xi. */
        public Threshold {
            if (!(xi >= -1 && xi <= 1)) {
                throw new IllegalArgumentException("HQS threshold xi must be in [-1, 1], got " + xi);
            }
        }

        @Override
        public String toString() {
            return "hqs>" + xi;
        }
    }

    /**
     * The timestep whose channel-mean |gradient| has the minimum entropy: the rule of the paper's
     * released code (entropy only, no norm term).
     */
    record MinimumEntropy() implements SelectionRule {
        @Override
        public String toString() {
            return "min-entropy";
        }
    }

    /** The single largest HQS. */
    static SelectionRule largest() {
        return new Largest();
    }

    /** HQS above a threshold. */
    static SelectionRule threshold(double xi) {
        return new Threshold(xi);
    }

    /** The paper code's minimum-entropy rule. */
    static SelectionRule minimumEntropy() {
        return new MinimumEntropy();
    }

    /**
     * Parses {@code largest}, {@code min-entropy} or {@code threshold:XI}.
     *
     * @param text the rule's name
     * @return the rule
     */
    static SelectionRule parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("largest") || s.equals("largest-hqs")) {
            return largest();
        }
        if (s.equals("min-entropy") || s.equals("minimum-entropy")) {
            return minimumEntropy();
        }
        if (s.startsWith("threshold:")) {
            try {
                return threshold(Double.parseDouble(s.substring("threshold:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad threshold in selection rule '" + text + "'", e);
            }
        }
        throw new IllegalArgumentException("unknown selection rule '" + text
                + "'; use one of: largest, threshold:XI (e.g. threshold:0.5), min-entropy");
    }
}
