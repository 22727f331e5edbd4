package org.sdd4j.core.nn;

import java.util.List;

/**
 * Shape of the teacher's text-conditional U-Net.
 *
 * @param resolution image height and width (divisible by 2^(levels-1))
 * @param channels image channels
 * @param width base channel count
 * @param multipliers channel multiplier per resolution level
 * @param groups GroupNorm groups
 * @param embDim width of the time + text embedding
 * @param vocabulary the text encoder's words; index 0 is the unknown word
 */
public record UNetConfig(int resolution, int channels, int width, List<Integer> multipliers, int groups, int embDim,
        List<String> vocabulary) {

    /** Validates. */
    public UNetConfig {
        multipliers = List.copyOf(multipliers);
        vocabulary = List.copyOf(vocabulary);
        int levels = multipliers.size();
        if (levels < 1 || resolution % (1 << (levels - 1)) != 0) {
            throw new IllegalArgumentException("resolution " + resolution + " must be divisible by 2^" + (levels - 1));
        }
        if (vocabulary.isEmpty()) {
            throw new IllegalArgumentException("the text vocabulary must not be empty");
        }
    }
}
