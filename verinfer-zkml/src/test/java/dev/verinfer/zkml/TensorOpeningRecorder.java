package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.merkle.MerkleMultiProof;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.pcs.TensorPcsParameters;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The attacker's verifier for the tensor-code PCS: in place of the opening check it replays the
 * opening's public Fiat–Shamir schedule (absorb the claims, draw one row combiner per commitment,
 * absorb the rows, draw the columns; {@code TensorTranscript}) and records, for the first
 * commitment (the weights, whose claim the zkml verifier lists first), everything the proof reveals
 * about its matrix M: the combined rows aᵀM with their coefficient vectors a (the combiner γ and
 * eq(r_high) of each claim) and the opened codeword columns with their indices. It reads only the
 * proof and the verifier's own transcript.
 */
final class TensorOpeningRecorder implements MultilinearPcs {
    /** What one opening revealed about the weight matrix (rows × cols, index = row·cols + col). */
    record Revealed(int rows, int cols, int logInverseRate, List<Ext2[]> coefficients, List<Ext2[]> combinedRows,
                    int[] columns, long[][] columnValues) {}

    private final MultilinearPcs scheme;
    private final TensorPcsParameters params;
    private final List<Revealed> revealed = new ArrayList<>();

    TensorOpeningRecorder(MultilinearPcs scheme, TensorPcsParameters params) {
        this.scheme = scheme;
        this.params = params;
    }

    List<Revealed> revealed() {
        return revealed;
    }

    @Override
    public PcsCommitment commit(long[] evaluations) {
        throw new UnsupportedOperationException("the recorder only observes verification");
    }

    @Override
    public PcsOpeningProof open(Transcript transcript, List<PcsOpening> openings) {
        throw new UnsupportedOperationException("the recorder only observes verification");
    }

    @Override
    public PcsOpeningProof readProof(ProofReader reader) throws MalformedProofException {
        return scheme.readProof(reader);
    }

    private record Group(Ext2[] proximity, List<Ext2[]> evaluations, long[][] columns) {}

    @Override
    public void verify(Transcript t, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        List<Group> groups;
        try {
            groups = parse(proof);
        } catch (MalformedProofException e) {
            throw new PcsRejectedException("unreadable opening: " + e.getMessage());
        }
        // (1) the claims, as TensorTranscript.absorbClaims
        t.absorbField("pcs/tensor/log-inverse-rate", params.logInverseRate());
        t.absorbField("pcs/tensor/queries", params.queries());
        t.absorbField("pcs/claims", claims.size());
        for (PcsClaim c : claims) {
            t.absorbBytes("pcs/root", c.root());
            t.absorbField("pcs/num-vars", c.numVars());
            t.absorbExts("pcs/point", c.point());
            t.absorbExt("pcs/value", c.claimedValue());
        }
        // (2) one combiner per commitment (rows = the opened columns' length), (3) the rows, (4) the columns
        List<Ext2[]> combiners = new ArrayList<>();
        for (Group g : groups) {
            combiners.add(t.challengeExts("pcs/combiner", g.columns[0].length));
        }
        for (Group g : groups) {
            t.absorbExts("pcs/proximity-row", g.proximity);
            for (Ext2[] w : g.evaluations) {
                t.absorbExts("pcs/evaluation-row", w);
            }
        }
        List<int[]> columns = new ArrayList<>();
        for (Group g : groups) {
            int codeword = g.proximity.length << params.logInverseRate();
            columns.add(Arrays.stream(t.challengeIndices("pcs/columns", params.queries(), codeword)).sorted().distinct().toArray());
        }
        Group weights = groups.getFirst();
        int rows = weights.columns[0].length;
        int cols = weights.proximity.length;
        int logCols = Integer.numberOfTrailingZeros(cols);
        List<Ext2[]> coefficients = new ArrayList<>();
        List<Ext2[]> combined = new ArrayList<>();
        coefficients.add(combiners.getFirst());
        combined.add(weights.proximity);
        int m = 0;
        for (PcsClaim c : claims) {
            if (Arrays.equals(c.root(), claims.getFirst().root()) && c.numVars() == claims.getFirst().numVars()) {
                Ext2[] high = Arrays.copyOfRange(c.point(), logCols, c.numVars());
                var eq = Mle.eqTable(high);
                Ext2[] a = new Ext2[rows];
                for (int r = 0; r < rows; r++) {
                    a[r] = eq.get(r);
                }
                coefficients.add(a);
                combined.add(weights.evaluations.get(m++));
            }
        }
        revealed.add(new Revealed(rows, cols, params.logInverseRate(), coefficients, combined, columns.getFirst(), weights.columns));
    }

    /** The groups of a tensor opening proof, from its documented encoding (TensorOpeningProof.write). */
    private List<Group> parse(PcsOpeningProof proof) throws MalformedProofException {
        ProofWriter w = ProofWriter.begin("LEAK", 1);
        proof.write(w);
        ProofReader r = ProofReader.open(w.toByteArray(), "LEAK", 1);
        int count = r.readInt();
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            Ext2[] proximity = r.readExts(1 << 24, "proximity row");
            int rowCount = r.readInt();
            List<Ext2[]> evaluations = new ArrayList<>();
            for (int i = 0; i < rowCount; i++) {
                evaluations.add(r.readExts(1 << 24, "evaluation row"));
            }
            long[][] columns = new long[r.readInt()][];
            for (int k = 0; k < columns.length; k++) {
                columns[k] = r.readFields(1 << 24, "column");
            }
            MerkleMultiProof.read(r, MerkleMultiProof.maxSiblings(MerkleTree.MAX_LEAVES, params.queries()));
            groups.add(new Group(proximity, evaluations, columns));
        }
        return groups;
    }
}
