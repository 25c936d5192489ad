package dev.verinfer.model.inputs;

import dev.verinfer.model.OrtReference;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.onnx.proto.Onnx;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Deterministic realistic inputs for the real models. The wake-word inputs follow openWakeWord's
 * pipeline: 16 kHz audio → melspectrogram (ONNX Runtime, float) → mel/10 + 2 → embedding_model on
 * 76-frame windows every 8 frames → 16 embeddings of 96 for the classifiers.
 */
public final class RealInputs {
    /** Audio long enough for 16 embedding windows: 76 + 15·8 = 196 mel frames (hop 160, window 512). */
    public static final int AUDIO_SAMPLES = 512 + 195 * 160;
    static final int MEL_BINS = 32, WINDOW = 76, STEP = 8, EMBEDDINGS = 16, EMBEDDING_DIM = 96;

    private RealInputs() {}

    public static NamedInput audio(long seed) {
        return NamedInput.single("synthetic-speech-seed" + seed + "-" + AUDIO_SAMPLES + "samples", "input",
                new int[] {1, AUDIO_SAMPLES}, SyntheticSpeech.generate(seed, AUDIO_SAMPLES));
    }

    /** openWakeWord-scaled mel frames [frames, 32] of the seeded audio, by ONNX Runtime. */
    public static float[] melFrames(long seed) {
        NamedInput a = audio(seed);
        try (OrtReference mel = new OrtReference(RealModels.MELSPECTROGRAM.path())) {
            float[] m = mel.run(a.values(), a.shapes()).values().iterator().next();
            float[] scaled = new float[m.length];
            for (int i = 0; i < m.length; i++) scaled[i] = m[i] / 10 + 2;
            return scaled;
        }
    }

    /** The first 76-frame mel window, input of embedding_model [1, 76, 32, 1]. */
    public static NamedInput melWindow(long seed) {
        float[] mel = melFrames(seed);
        float[] w = java.util.Arrays.copyOf(mel, WINDOW * MEL_BINS);
        return NamedInput.single("synthetic-speech-seed" + seed + "-mel-window0", "input_1", new int[] {1, WINDOW, MEL_BINS, 1}, w);
    }

    /** 16 embeddings [1, 16, 96] of the seeded audio: the wake-word classifiers' input. */
    public static NamedInput embeddings(long seed) {
        float[] mel = melFrames(seed);
        float[] out = new float[EMBEDDINGS * EMBEDDING_DIM];
        try (OrtReference emb = new OrtReference(RealModels.EMBEDDING.path())) {
            for (int e = 0; e < EMBEDDINGS; e++) {
                float[] w = java.util.Arrays.copyOfRange(mel, e * STEP * MEL_BINS, (e * STEP + WINDOW) * MEL_BINS);
                float[] v = emb.run(Map.of("input_1", w), Map.of("input_1", new int[] {1, WINDOW, MEL_BINS, 1})).values().iterator().next();
                System.arraycopy(v, 0, out, e * EMBEDDING_DIM, EMBEDDING_DIM);
            }
        }
        return NamedInput.single("synthetic-speech-seed" + seed + "-embeddings16", "onnx::Flatten_0", new int[] {1, EMBEDDINGS, EMBEDDING_DIM}, out);
    }

    /**
     * The seeded embeddings nudged (seeded random search on the classifier's logit, ONNX Runtime
     * float) until {@code classifier} scores about 0.5: natural synthetic speech scores ≈ 0, which
     * would not exercise the sigmoid's sensitive middle. Named after the classifier and seed.
     */
    public static NamedInput embeddingsScoringHalf(RealModels classifier, long seed) {
        NamedInput base = embeddings(seed);
        String input = base.values().keySet().iterator().next();
        float[] x = base.values().get(input).clone();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        try (OrtReference ort = new OrtReference(withLogitOutput(classifier))) {
            double best = Math.abs(logit(ort, input, x, base));
            for (int step = 0; step < 5000 && best > 0.2; step++) {
                float[] y = x.clone();
                for (int i = 0; i < y.length; i++) y[i] += (float) (0.3 * rnd.nextGaussian());
                double d = Math.abs(logit(ort, input, y, base));
                if (d < best) { best = d; x = y; }
            }
        }
        return NamedInput.single(base.name() + "-nudged-to-" + classifier.modelName + "-score-0.5", input, base.shapes().get(input), x);
    }

    /** The classifier with the input of its final Sigmoid (the logit) as an extra graph output. */
    private static byte[] withLogitOutput(RealModels classifier) {
        try {
            Onnx.ModelProto m = Onnx.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(classifier.path()));
            Onnx.NodeProto last = m.getGraph().getNode(m.getGraph().getNodeCount() - 1);
            if (!last.getOpType().equals("Sigmoid")) throw new IllegalStateException(classifier.modelName + " does not end in a Sigmoid");
            Onnx.ValueInfoProto logit = Onnx.ValueInfoProto.newBuilder().setName(last.getInput(0))
                    .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1))).build();
            return m.toBuilder().setGraph(m.getGraph().toBuilder().addOutput(logit)).build().toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double logit(OrtReference ort, String input, float[] x, NamedInput base) {
        java.util.Iterator<float[]> outs = ort.run(Map.of(input, x), base.shapes()).values().iterator();
        outs.next();
        return outs.next()[0];
    }

    /** A rendered text line, normalised as PaddleOCR's classifier expects: [1, 3, 48, 192], (v/255 − 0.5)/0.5. */
    /**
     * A text line for PaddleOCR v4 recognition, preprocessed as PaddleOCR's {@code resize_norm_img}: the
     * line (dark anti-aliased sans-serif on white) is rendered 48 pixels high, scaled to width
     * min(⌈48·w/h⌉, 320), normalised to (v/255 − 0.5)/0.5 and zero-padded on the right to [1, 3, 48, 320].
     */
    public static NamedInput recognitionLine(String text) {
        int h = 48, maxW = 320;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 30);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        int textW = pg.getFontMetrics(font).stringWidth(text);
        pg.dispose();
        int w = textW + 12;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(20, 20, 20));
        g.setFont(font);
        g.drawString(text, 6, 35);
        g.dispose();
        int rw = Math.min((int) Math.ceil(h * (double) w / h), maxW);
        BufferedImage resized = new BufferedImage(rw, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D rg = resized.createGraphics();
        rg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        rg.drawImage(img, 0, 0, rw, h, null);
        rg.dispose();
        float[] chw = new float[3 * h * maxW];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < rw; x++) {
                int rgb = resized.getRGB(x, y);
                int[] c = {rgb & 255, (rgb >> 8) & 255, (rgb >> 16) & 255}; // BGR, as cv2 reads images
                for (int ch = 0; ch < 3; ch++) chw[(ch * h + y) * maxW + x] = (c[ch] / 255f - 0.5f) / 0.5f;
            }
        }
        return NamedInput.single("rec-line-" + text.replaceAll("[^A-Za-z0-9]+", "_"), "x", new int[] {1, 3, h, maxW}, chw);
    }

    public static NamedInput textLine(String text, boolean upsideDown) {
        int w = 192, h = 48;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 26));
        if (upsideDown) g.rotate(Math.PI, w / 2.0, h / 2.0);
        g.drawString(text, 6, 34);
        g.dispose();
        float[] chw = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int[] c = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
                for (int ch = 0; ch < 3; ch++) chw[(ch * h + y) * w + x] = (c[ch] / 255f - 0.5f) / 0.5f;
            }
        }
        return NamedInput.single("text-line-" + text.replaceAll("[^A-Za-z0-9]+", "_") + (upsideDown ? "-rot180" : ""), "x", new int[] {1, 3, h, w}, chw);
    }
}
