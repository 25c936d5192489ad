package dev.verinfer.pcs;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.merkle.MerkleHash;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleProofException;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The opening verifier. Per commitment: every claimed value equals ⟨eq(r_low), w⟩ for its evaluation
 * row w; at every queried column j, Enc(u)[j] = Σ_r γ_r·C[r][j] and Enc(w)[j] = Σ_r eq(r_high)_r·C[r][j];
 * and the columns hash to leaves under the root. Sizes are checked before use, so hostile input
 * ends in {@link PcsRejectedException} only.
 */
final class TensorVerifier {
    private TensorVerifier() {}

    static void verify(TensorPcsParameters params, Transcript t, List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        if (!(proof instanceof TensorOpeningProof p)) {
            throw new PcsRejectedException("not a tensor-PCS proof");
        }
        List<TensorLayout> layouts = new ArrayList<>();
        for (PcsClaim c : claims) {
            layouts.add(checkedLayout(params, c));
        }
        List<int[]> groups = ClaimGroups.of(claims);
        if (p.groups().size() != groups.size()) {
            throw new PcsRejectedException("proof opens " + p.groups().size() + " commitments, claims name " + groups.size());
        }
        TensorTranscript.absorbClaims(t, params, claims);
        List<ExtVector> combiners = new ArrayList<>();
        for (int[] g : groups) {
            combiners.add(TensorTranscript.combiner(t, layouts.get(g[0])));
        }
        for (int i = 0; i < groups.size(); i++) {
            TensorOpeningProof.Group g = p.groups().get(i);
            checkRowShapes(g, layouts.get(groups.get(i)[0]), groups.get(i).length);
            TensorTranscript.absorbRows(t, g.proximityRow(), g.evaluationRows());
        }
        for (int i = 0; i < groups.size(); i++) {
            int[] members = groups.get(i);
            TensorLayout layout = layouts.get(members[0]);
            int[] columns = TensorTranscript.columns(t, params, layout);
            checkGroup(p.groups().get(i), layout, combiners.get(i), columns, members, claims);
        }
    }

    private static TensorLayout checkedLayout(TensorPcsParameters params, PcsClaim c) throws PcsRejectedException {
        if (c == null || c.root() == null || c.point() == null || c.claimedValue() == null) {
            throw new PcsRejectedException("incomplete claim");
        }
        if (c.root().length != MerkleHasher.DIGEST_BYTES) {
            throw new PcsRejectedException("root has " + c.root().length + " bytes");
        }
        if (c.numVars() < 0 || c.numVars() > TensorLayout.MAX_NUM_VARS || c.point().length != c.numVars()) {
            throw new PcsRejectedException("point of " + c.point().length + " coordinates for " + c.numVars() + " variables");
        }
        for (Ext2 x : c.point()) {
            if (x == null) {
                throw new PcsRejectedException("incomplete point");
            }
        }
        return TensorLayout.of(c.numVars(), params);
    }

    private static void checkRowShapes(TensorOpeningProof.Group g, TensorLayout layout, int claimCount) throws PcsRejectedException {
        if (g.proximityRow().length() != layout.cols()) {
            throw new PcsRejectedException("proximity row has " + g.proximityRow().length() + " entries, expected " + layout.cols());
        }
        if (g.evaluationRows().size() != claimCount) {
            throw new PcsRejectedException(g.evaluationRows().size() + " evaluation rows for " + claimCount + " claims");
        }
        for (ExtVector w : g.evaluationRows()) {
            if (w.length() != layout.cols()) {
                throw new PcsRejectedException("evaluation row has " + w.length() + " entries, expected " + layout.cols());
            }
        }
    }

    private static void checkGroup(TensorOpeningProof.Group g, TensorLayout layout, ExtVector combiner, int[] columns, int[] members,
                                   List<PcsClaim> claims) throws PcsRejectedException {
        ExtVector[] eqHigh = new ExtVector[members.length];
        ExtVector[] encodedEvaluations = new ExtVector[members.length];
        for (int m = 0; m < members.length; m++) {
            PcsClaim c = claims.get(members[m]);
            ExtVector w = g.evaluationRows().get(m);
            Ext2 value = RowAlgebra.innerProduct(Mle.eqTable(Arrays.copyOf(c.point(), layout.logCols())), w);
            if (!value.equals(c.claimedValue())) {
                throw new PcsRejectedException("claim " + members[m] + ": evaluation row gives " + value + ", claimed " + c.claimedValue());
            }
            eqHigh[m] = Mle.eqTable(Arrays.copyOfRange(c.point(), layout.logCols(), layout.numVars()));
            encodedEvaluations[m] = RowCode.encode(w, layout);
        }
        if (g.columns().length != columns.length) {
            throw new PcsRejectedException(g.columns().length + " opened columns, " + columns.length + " queried");
        }
        for (long[] column : g.columns()) {
            if (column.length != layout.rows()) {
                throw new PcsRejectedException("column has " + column.length + " entries, expected " + layout.rows());
            }
        }
        ExtVector encodedProximity = RowCode.encode(g.proximityRow(), layout);
        MerkleHasher hasher = new MerkleHasher();
        byte[] buf = new byte[8 * layout.rows()];
        byte[][] leaves = new byte[columns.length][];
        for (int k = 0; k < columns.length; k++) {
            long[] column = g.columns()[k];
            int j = columns[k];
            if (!RowAlgebra.combineColumn(combiner, column).equals(encodedProximity.get(j))) {
                throw new PcsRejectedException("column " + j + " disagrees with the proximity row");
            }
            for (int m = 0; m < members.length; m++) {
                if (!RowAlgebra.combineColumn(eqHigh[m], column).equals(encodedEvaluations[m].get(j))) {
                    throw new PcsRejectedException("column " + j + " disagrees with the evaluation row of claim " + members[m]);
                }
            }
            leaves[k] = RowCode.columnLeaf(hasher, column, buf);
        }
        try {
            g.paths().verify(MerkleHash.SHA256, claims.get(members[0]).root(), layout.codewordLength(), columns, leaves);
        } catch (MerkleProofException e) {
            throw new PcsRejectedException("column openings: " + e.getMessage());
        }
    }
}
