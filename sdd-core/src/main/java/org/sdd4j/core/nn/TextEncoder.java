package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small learned text encoder: words are looked up in an embedding table and mean-pooled (a bag of
 * words, computed as a matrix product), then passed through a two-layer MLP. The empty prompt has
 * its own learned embedding (row 1 of the table), which classifier-free guidance uses as "no text".
 */
public final class TextEncoder extends Module {

    /** Index of the unknown word. */
    public static final int UNKNOWN = 0;
    /** Index of the empty-prompt token. */
    public static final int EMPTY = 1;

    private final Map<String, Integer> index = new HashMap<>();
    private final int vocabSize;
    private final Parameter table;
    private final Dense fc1;
    private final Dense fc2;

    /**
     * @param vocabulary the known words; the encoder adds the unknown and empty tokens in front
     * @param dim output width
     */
    public TextEncoder(List<String> vocabulary, int dim) {
        vocabSize = vocabulary.size() + 2;
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i), i + 2);
        }
        table = param("table", Parameter.Type.WEIGHT, new Shape(vocabSize, dim),
                (m, s, d) -> m.randomNormal(0f, 1f, s, d));
        fc1 = addChildBlock("fc1", new Dense(dim, dim));
        fc2 = addChildBlock("fc2", new Dense(dim, dim));
    }

    /** Lower-case words of a caption, punctuation removed. */
    public static List<String> words(String text) {
        String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim();
        return cleaned.isEmpty() ? List.of() : List.of(cleaned.split("\\s+"));
    }

    /** Whether every word of the text is known. */
    public List<String> unknownWords(String text) {
        return words(text).stream().filter(w -> !index.containsKey(w)).toList();
    }

    /** Bag-of-words rows (B, V), each summing to 1; an empty text maps to the empty token. */
    public NDArray bagOfWords(List<String> texts, NDManager manager) {
        float[] bow = new float[texts.size() * vocabSize];
        for (int b = 0; b < texts.size(); b++) {
            List<String> ws = words(texts.get(b));
            if (ws.isEmpty()) {
                bow[b * vocabSize + EMPTY] = 1f;
                continue;
            }
            for (String w : ws) {
                bow[b * vocabSize + index.getOrDefault(w, UNKNOWN)] += 1f / ws.size();
            }
        }
        return manager.create(bow, new Shape(texts.size(), vocabSize));
    }

    /** Encodes bag-of-words rows (B, V) to (B, dim). */
    public NDArray apply(ParameterStore ps, NDArray bow, boolean training) {
        NDArray pooled = bow.matMul(value(ps, table, bow, training));
        return fc2.apply(ps, Ops.silu(fc1.apply(ps, pooled, training)), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
