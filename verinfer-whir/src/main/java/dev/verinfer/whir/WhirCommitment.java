package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.PcsCommitment;

/**
 * The prover's data for one committed table: the table (a private copy), its multilinear coefficients
 * (a hiding commitment's only: a plain opening never reads them), the codeword of f̂ on L₀, the Merkle tree over its fibres and the out-of-domain answers f̂(z) at the
 * points {@link WhirTranscript#commitOodPoints} derives from the Merkle root. The public root binds the
 * Merkle root and those answers ({@link WhirTranscript#commitmentDigest}), so in the list-decoding
 * regime the commitment names one polynomial (WHIR §5, the commitment's out-of-domain sample).
 */
sealed class WhirCommitment implements PcsCommitment permits WhirHidingCommitment {
    final WhirParameters params;
    final WhirSchedule schedule;
    final long[] table;
    final long[] coefficients;
    /** The codeword of a plain commitment; null for a hiding one, which keeps its own ({@link #codeword()}). */
    private final long[] codeword;
    final MerkleTree tree;
    final Ext2[] oodAnswers;
    private final byte[] root;

    WhirCommitment(WhirParameters params, WhirSchedule schedule, long[] table, long[] coefficients, long[] codeword,
                   MerkleTree tree, Ext2[] oodAnswers, byte[] root) {
        this.params = params;
        this.schedule = schedule;
        this.table = table;
        this.coefficients = coefficients;
        this.codeword = codeword;
        this.tree = tree;
        this.oodAnswers = oodAnswers;
        this.root = root;
    }

    static WhirCommitment commit(long[] evaluations, WhirParameters params) {
        int n = evaluations.length;
        if (n == 0 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("table length must be a power of two: " + n);
        }
        for (long v : evaluations) {
            Goldilocks.canonical(v);
        }
        int numVars = Integer.numberOfTrailingZeros(n);
        WhirSchedule schedule = params.schedule(numVars);
        WhirSchedule.Round first = schedule.rounds().getFirst();
        long[] table = evaluations.clone();
        long[] coefficients = evaluations.clone();
        Codewords.toCoefficients(coefficients);
        long[] codeword = Codewords.encode(coefficients, first.logDomain());
        MerkleTree tree = Codewords.commit(codeword, null, first.logDomain(), first.fold(), params);
        Ext2[] points = WhirTranscript.commitOodPoints(params, numVars, tree.root(), schedule.commitOod());
        Ext2[] answers = new Ext2[points.length];
        for (int i = 0; i < points.length; i++) {
            answers[i] = Codewords.univariate(coefficients, points[i]);
        }
        // A plain opening reads the table and the codeword only: the coefficients are not kept.
        return new WhirCommitment(params, schedule, table, null, codeword, tree, answers,
                WhirTranscript.commitmentDigest(tree.root(), answers));
    }

    /** The codeword of f̂ (f̂′ for a hiding commitment) on L₀, which the opening's queries read. */
    long[] codeword() {
        return codeword;
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** The arity of the committed table (a hiding commitment's f′ has more: {@code schedule.numVars()}). */
    @Override
    public int numVars() {
        return schedule.numVars();
    }
}
