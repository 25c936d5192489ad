package dev.verinfer.model.inputs;

import dev.verinfer.model.RealModels;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Greedy CTC decoding of PaddleOCR's recognition output [1, T, C] as PaddleOCR's {@code CTCLabelDecode}:
 * the arg-max class per time step, repeats merged, blank (class 0) dropped; class i ≥ 1 is the
 * dictionary's line i − 1, and the class after the dictionary is a space.
 */
public record CtcDecoder(List<String> characters) {

    public CtcDecoder {
        characters = List.copyOf(characters);
    }

    /** The decoder of PP-OCRv4 recognition over ppocr_keys_v1.txt (6,623 characters, blank, space: 6,625 classes). */
    public static CtcDecoder ppocrV4() {
        String keys = new String(RealModels.ocrKeys(), StandardCharsets.UTF_8);
        return new CtcDecoder(keys.lines().toList());
    }

    public int classes() {
        return characters.size() + 2;
    }

    /** The decoded text of scores laid out [T, classes] (row-major; a leading batch of 1 is the same layout). */
    public String decode(float[] scores) {
        int c = classes();
        if (scores.length % c != 0) throw new IllegalArgumentException(scores.length + " scores are not a multiple of " + c + " classes");
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        for (int t = 0; t < scores.length / c; t++) {
            int best = 0;
            for (int k = 1; k < c; k++) if (scores[t * c + k] > scores[t * c + best]) best = k;
            if (best != 0 && best != prev) sb.append(best == c - 1 ? " " : characters.get(best - 1));
            prev = best;
        }
        return sb.toString();
    }
}
