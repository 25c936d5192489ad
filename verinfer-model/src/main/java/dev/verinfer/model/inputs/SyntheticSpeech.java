package dev.verinfer.model.inputs;

import java.util.SplittableRandom;

/**
 * A deterministic speech-like 16 kHz signal: a voiced source (a gliding fundamental with harmonics),
 * shaped by three formant-like resonances whose centres chirp over time, syllable-rate amplitude
 * modulation, and low-level noise. Same seed, same samples.
 */
public final class SyntheticSpeech {
    public static final int SAMPLE_RATE = 16_000;

    private SyntheticSpeech() {}

    public static float[] generate(long seed, int samples) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double f0 = 110 + 40 * rnd.nextDouble();
        double[] formant = {500 + 200 * rnd.nextDouble(), 1400 + 400 * rnd.nextDouble(), 2500 + 300 * rnd.nextDouble()};
        float[] out = new float[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            double t = (double) i / SAMPLE_RATE;
            double pitch = f0 * (1 + 0.15 * Math.sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * pitch / SAMPLE_RATE;
            double v = 0;
            for (int h = 1; h <= 30; h++) {
                double fh = h * pitch;
                if (fh > SAMPLE_RATE / 2.0) break;
                double gain = 0;
                for (int k = 0; k < formant.length; k++) {
                    double centre = formant[k] * (1 + 0.25 * Math.sin(2 * Math.PI * (0.9 + 0.4 * k) * t + k)); // chirping formants
                    double bw = 80 + 40 * k;
                    gain += 1 / (1 + Math.pow((fh - centre) / bw, 2)) / (k + 1);
                }
                v += gain * Math.sin(h * phase) / Math.sqrt(h);
            }
            double syllable = 0.5 * (1 - Math.cos(2 * Math.PI * 3.5 * t)); // ~3.5 syllables per second
            out[i] = (float) (0.25 * syllable * v + 0.01 * rnd.nextGaussian());
        }
        return out;
    }
}
