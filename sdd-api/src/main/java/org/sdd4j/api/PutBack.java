package org.sdd4j.api;

/**
 * How an edit made at the model's resolution is put back onto a larger image. Chosen per edit when it is
 * distilled and recorded in the editor bundle; measured with {@code sdd evaluate-resolution}.
 */
public enum PutBack {
    /**
     * Where the manipulator changed the image, its upsampled output replaces the original (no original mouth
     * survives under a new one); elsewhere the upsampled change is added to the original. A change that only tints a
     * pixel (small, clear of the strong changes, leaving it closer to its own colour than to any other around it:
     * eyes a little lighter) is added too, so such detail stays sharp. Right for edits that change shapes; the
     * replaced region is as soft as the model's resolution.
     */
    BLEND,
    /**
     * The same, with the change and the output upsampled along the original's edges (joint bilateral upsampling):
     * an outline the edit keeps stays sharp. Only the edit's real changes are carried: where the manipulator
     * changed a pixel by less than a tenth of the edit's strong change (a faint spill beside recoloured hair), or
     * changed a few pixels of a colour whose other pixels nearby it left alone (a band of forehead under the hair),
     * the original is kept, so no glow spreads round the region at full size. The recolour is then made consistent:
     * every pixel of a colour the edit mostly changed, next to the change, takes one new colour (the mean of what
     * the edit made of that colour, the strongest changes weighing most), so blotches even out and parts of the
     * region the edit barely touched are finished. Both steps apply at every size, the model's included. Right for
     * edits that recolour a region without moving its outline (a hair colour); wrong for edits that change shapes
     * (the original's edges would survive).
     */
    EDGE_AWARE,
    /**
     * BLEND, with the manipulator's output carried to the image's size by a learned guided upsampler (trained on
     * the domain's images by {@code sdd train-upsampler}, stored with the edit) instead of bilinear upsampling: new
     * content such as a smile's line comes back with sharp edges instead of a blur. First, at the model's
     * resolution, it finishes what the edit removes and draws: a changed pixel that came out close to the original
     * colour of a pixel around it (a frown removed to a skin a few levels off, a new mouth a little off the image's
     * red), and closer to that than to its own original, takes that colour, so no pale patch is drawn where the old
     * content was. So LEARNED, unlike the other modes, does not return the manipulator's output exactly at the
     * model's resolution. An upsampler may also record an edge-preserving smoothing of what it draws
     * ({@code sdd train-upsampler --smoothing}), which evens out the grain it leaves in flat colour areas.
     */
    LEARNED
}
