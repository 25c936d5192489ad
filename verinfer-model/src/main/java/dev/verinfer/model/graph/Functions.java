package dev.verinfer.model.graph;

/**
 * Scalar functions shared by the float reference and the look-up tables. Everything is computed
 * with {@link StrictMath} and fixed iteration counts, so results are bit-reproducible on any JVM
 * (the verifier rebuilds tables from their description).
 */
public final class Functions {
    private Functions() {}

    public static double sigmoid(double x) { return 1.0 / (1.0 + StrictMath.exp(-x)); }

    public static double hardSigmoid(double x, double alpha, double beta) { return Math.max(0, Math.min(1, alpha * x + beta)); }

    public static double hardSwish(double x) { return x * hardSigmoid(x, 1.0 / 6, 0.5); }

    /** log(1 + e^x), computed without overflow for large x. */
    public static double softplus(double x) { return x > 0 ? x + StrictMath.log1p(StrictMath.exp(-x)) : StrictMath.log1p(StrictMath.exp(x)); }

    public static double elu(double x, double alpha) { return x >= 0 ? x : alpha * (StrictMath.exp(x) - 1); }

    public static double selu(double x, double alpha, double gamma) { return x > 0 ? gamma * x : gamma * alpha * (StrictMath.exp(x) - 1); }

    public static double celu(double x, double alpha) { return Math.max(0, x) + Math.min(0, alpha * (StrictMath.exp(x / alpha) - 1)); }

    public static double gelu(double x) { return 0.5 * x * (1 + erf(x / StrictMath.sqrt(2))); }

    public static double geluTanh(double x) {
        return 0.5 * x * (1 + StrictMath.tanh(StrictMath.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** erf: Maclaurin series below 2.5, else the continued fraction of erfc (60 terms, Lentz-free backward evaluation). */
    public static double erf(double x) {
        double a = Math.abs(x);
        if (a > 6) return Math.signum(x);
        double r;
        if (a < 2.5) {
            double term = a, sum = a, x2 = a * a;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / StrictMath.sqrt(Math.PI) * sum;
        } else {
            // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...)))))
            double f = a;
            for (int k = 60; k >= 1; k--) f = a + (k / 2.0) / f;
            r = 1 - StrictMath.exp(-a * a) / StrictMath.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
