package dev.verinfer.model.graph;

import java.util.function.DoubleUnaryOperator;

/**
 * A function of one value written in postfix (reverse Polish) notation, tokens separated by single
 * spaces: {@code x}, a number ({@link Double#toString}), the binary operators {@code add sub mul div
 * max min}, and the unary functions {@code neg relu sigmoid tanh erf hard_swish}; {@code leaky_relu}
 * pops (value, α) and {@code hard_sigmoid} pops (value, α, β). Example: HardSwish spelled out as
 * x·Clip(x + 3, 0, 6)/6 is {@code "x x 3.0 add 0.0 max 6.0 min mul 6.0 div"}. Evaluated in doubles with
 * {@link Functions} ({@link StrictMath}), so it is bit-reproducible: the description of a fused
 * chain's look-up table ({@link UnaryChains}), which the verifier rebuilds.
 */
public final class UnaryExpression {
    private UnaryExpression() {}

    /** The function an expression denotes; a malformed expression is an IllegalArgumentException. */
    public static DoubleUnaryOperator compile(String expression) {
        String[] tokens = expression.split(" ");
        check(tokens, expression);
        // Numbers parsed once here, not per evaluation (the same doubles: parseDouble is exact and deterministic).
        double[] constants = new double[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (arity(tokens[i]) == 0 && !tokens[i].equals("x")) constants[i] = Double.parseDouble(tokens[i]);
        }
        return x -> evaluate(tokens, constants, x);
    }

    private static void check(String[] tokens, String expression) {
        int depth = 0;
        for (String t : tokens) {
            int pops = arity(t);
            if (pops < 0) throw new IllegalArgumentException("unknown token '" + t + "' in expression '" + expression + "'");
            if (depth < pops) throw new IllegalArgumentException("operator '" + t + "' lacks operands in expression '" + expression + "'");
            depth += 1 - pops;
        }
        if (depth != 1) throw new IllegalArgumentException("expression '" + expression + "' leaves " + depth + " values");
    }

    /** Operands an operator pops (0 for x and numbers), or −1 for an unknown token. */
    private static int arity(String t) {
        return switch (t) {
            case "x" -> 0;
            case "add", "sub", "mul", "div", "max", "min", "leaky_relu" -> 2;
            case "neg", "relu", "sigmoid", "tanh", "erf", "hard_swish" -> 1;
            case "hard_sigmoid" -> 3;
            default -> isNumber(t) ? 0 : -1;
        };
    }

    private static boolean isNumber(String t) {
        try {
            return !t.isEmpty() && Double.isFinite(Double.parseDouble(t)) && Double.toString(Double.parseDouble(t)).equals(t);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double evaluate(String[] tokens, double[] constants, double x) {
        double[] s = new double[tokens.length];
        int top = -1;
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            switch (t) {
                case "x" -> s[++top] = x;
                case "neg" -> s[top] = -s[top];
                case "relu" -> s[top] = Math.max(s[top], 0);
                case "sigmoid" -> s[top] = Functions.sigmoid(s[top]);
                case "tanh" -> s[top] = StrictMath.tanh(s[top]);
                case "erf" -> s[top] = Functions.erf(s[top]);
                case "hard_swish" -> s[top] = Functions.hardSwish(s[top]);
                case "hard_sigmoid" -> {
                    top -= 2;
                    s[top] = Functions.hardSigmoid(s[top], s[top + 1], s[top + 2]);
                }
                case "add", "sub", "mul", "div", "max", "min", "leaky_relu" -> {
                    double b = s[top--], a = s[top];
                    s[top] = switch (t) {
                        case "add" -> a + b;
                        case "sub" -> a - b;
                        case "mul" -> a * b;
                        case "div" -> a / b;
                        case "max" -> Math.max(a, b);
                        case "min" -> Math.min(a, b);
                        default -> a >= 0 ? a : b * a;
                    };
                }
                default -> s[++top] = constants[i];
            }
        }
        return s[top];
    }
}
