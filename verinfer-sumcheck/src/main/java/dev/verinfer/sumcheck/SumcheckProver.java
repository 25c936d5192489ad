package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.List;

/**
 * Proves Σ_{x ∈ {0,1}^n} Σ_j c_j · Π_{k ∈ S_j} P_k(x) for multilinear tables P_k (see
 * {@link SumcheckVerifier} for the protocol). Variables are bound lowest first (point[0] first),
 * folding entry pairs (2i, 2i + 1). When every table is over the base field the first round runs in
 * F_p; each later round works on the folded extension tables in two ping-pong buffers per table.
 * Input tables are never modified.
 */
public final class SumcheckProver {
    private SumcheckProver() {}

    public static SumcheckProverResult prove(Transcript transcript, List<MleTable> tables, List<ProductTerm> terms) {
        int degree = ProductTerm.degree(terms);
        int n = checkShape(tables, terms);
        int count = tables.size();
        long[][] c0 = new long[count][];
        long[][] c1 = new long[count][];
        boolean allBase = true;
        for (int k = 0; k < count; k++) {
            switch (tables.get(k)) {
                case BaseTable(long[] values) -> c0[k] = values;
                case ExtTable(ExtVector values) -> {
                    c0[k] = values.c0();
                    c1[k] = values.c1();
                    allBase = false;
                }
            }
        }
        if (n == 0) {
            Ext2[] finals = currentValues(c0, c1);
            Ext2 sum = ProductTerm.evaluate(terms, finals);
            SumcheckTranscript.begin(transcript, 0, degree, sum);
            return new SumcheckProverResult(new SumcheckProof(new Ext2[0][]), sum, new Ext2[0], finals);
        }

        int length = 1 << n;
        // The first round also evaluates t = 1, which gives the claimed sum p(0) + p(1).
        RoundKernel first = new RoundKernel(terms, points(degree, true));
        Ext2[] firstValues = allBase ? first.baseRound(c0, length / 2) : first.extRound(c0, c1, length / 2);
        Ext2 claimedSum = firstValues[0].add(firstValues[1]);
        SumcheckTranscript.begin(transcript, n, degree, claimedSum);

        RoundKernel kernel = new RoundKernel(terms, points(degree, false));
        ExtVector[] bufferA = new ExtVector[count];
        ExtVector[] bufferB = new ExtVector[count];
        for (int k = 0; k < count; k++) {
            bufferA[k] = ExtVector.zeros(length / 2);
            bufferB[k] = ExtVector.zeros(Math.max(1, length / 4));
        }
        Ext2[][] rounds = new Ext2[n][];
        Ext2[] point = new Ext2[n];
        for (int round = 0; round < n; round++) {
            Ext2[] message;
            if (round == 0) {
                message = new Ext2[degree];
                message[0] = firstValues[0];
                System.arraycopy(firstValues, 2, message, 1, degree - 1);
            } else {
                message = kernel.extRound(c0, c1, length / 2);
            }
            rounds[round] = message;
            Ext2 r = SumcheckTranscript.round(transcript, message);
            point[round] = r;
            ExtVector[] target = (round & 1) == 0 ? bufferA : bufferB;
            for (int k = 0; k < count; k++) {
                if (c1[k] == null) {
                    Mle.foldLowest(c0[k], length, r, target[k]);
                } else {
                    Mle.foldLowest(new ExtVector(c0[k], c1[k]), length, r, target[k]);
                }
                c0[k] = target[k].c0();
                c1[k] = target[k].c1();
            }
            length /= 2;
        }
        return new SumcheckProverResult(new SumcheckProof(rounds), claimedSum, point, currentValues(c0, c1));
    }

    /** The evaluation points of a round: 0, (1,) 2, …, degree. */
    private static int[] points(int degree, boolean withOne) {
        int[] p = new int[withOne ? degree + 1 : degree];
        int i = 0;
        for (int t = 0; t <= degree; t++) {
            if (t != 1 || withOne) {
                p[i++] = t;
            }
        }
        return p;
    }

    private static Ext2[] currentValues(long[][] c0, long[][] c1) {
        Ext2[] out = new Ext2[c0.length];
        for (int k = 0; k < c0.length; k++) {
            out[k] = new Ext2(c0[k][0], c1[k] == null ? 0 : c1[k][0]);
        }
        return out;
    }

    private static int checkShape(List<MleTable> tables, List<ProductTerm> terms) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("sumcheck needs at least one table");
        }
        int length = tables.getFirst().length();
        int n = Mle.numVars(length);
        for (MleTable t : tables) {
            if (t.length() != length) {
                throw new IllegalArgumentException("tables differ in length: " + t.length() + " vs " + length);
            }
        }
        for (ProductTerm term : terms) {
            for (int f : term.factors()) {
                if (f < 0 || f >= tables.size()) {
                    throw new IllegalArgumentException("product term refers to table " + f + " of " + tables.size());
                }
            }
        }
        return n;
    }
}
