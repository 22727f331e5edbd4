package org.sdd4j.spark;

import java.util.List;
import java.util.Locale;

/**
 * What a batch edit did: every input row and edit is counted once, as written or as failed.
 *
 * @param rows rows out (input rows x edits)
 * @param ok rows written with an edited image
 * @param failed rows with an error (and no image)
 * @param failures "path<TAB>edit<TAB>error" of failed rows, at most {@link #MAX_LISTED}
 */
public record EditSummary(long rows, long ok, long failed, List<String> failures) {

    /** The most failures listed (all are counted). */
    public static final int MAX_LISTED = 10_000;

    /** Copies the list. */
    public EditSummary {
        failures = List.copyOf(failures);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d rows: %d edited, %d failed", rows, ok, failed);
    }
}
