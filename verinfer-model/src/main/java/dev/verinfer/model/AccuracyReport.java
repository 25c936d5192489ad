package dev.verinfer.model;

/**
 * How far the integer executor's dequantised output is from ONNX Runtime's float output.
 * maxRelError is |a − r| / max(|r|, floor) with floor = 1e-3·max|r| so near-zero entries do not dominate;
 * top1Agrees is null unless the output is a classifier's score vector.
 */
public record AccuracyReport(int elements, double maxAbsError, double maxRelError, double referenceMaxAbs, Boolean top1Agrees) {

    public static AccuracyReport compare(float[] reference, float[] actual, boolean classifier) {
        if (reference.length != actual.length) throw new IllegalArgumentException("lengths differ: " + reference.length + " vs " + actual.length);
        double refMax = 0;
        for (float r : reference) refMax = Math.max(refMax, Math.abs(r));
        double floor = Math.max(1e-3 * refMax, 1e-12);
        double abs = 0, rel = 0;
        for (int i = 0; i < reference.length; i++) {
            double e = Math.abs((double) actual[i] - reference[i]);
            abs = Math.max(abs, e);
            rel = Math.max(rel, e / Math.max(Math.abs(reference[i]), floor));
        }
        return new AccuracyReport(reference.length, abs, rel, refMax, classifier ? argmax(reference) == argmax(actual) : null);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
