package dev.verinfer.logup;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.SumcheckProof;

import java.util.ArrayList;
import java.util.List;

/**
 * The prover's messages of a LogUp-GKR argument, in transcript order:
 * <ol>
 *   <li>{@code roots}: the root fraction (P, Q) of every tree over the packed leaves (all groups, and
 *       the tables with negated multiplicities; see {@link LogUpShape#treeVars});</li>
 *   <li>{@code layers}: for GKR layer i = 0 … maxDepth − 1, a degree-3 sumcheck over i variables and,
 *       for every tree deeper than i, the four values p(0,ρ), p(1,ρ), q(0,ρ), q(1,ρ) of its layer i + 1;</li>
 *   <li>{@code groupEvaluations}: per group, its columns' MLEs at the group's final point, then its
 *       selector's if it has one; {@code tableEvaluations}: per table, its columns' MLEs, then its multiplicities'.</li>
 * </ol>
 * In a zero-knowledge argument the roots and layer 0 are those of the blinded trees ({@link GkrBlinding})
 * and {@code blinding} holds the blinding step (after layer 0 in the transcript, written after the
 * layers); it is null otherwise.
 */
public record LogUpProof(List<Fraction> roots, List<GkrLayer> layers, List<Ext2[]> groupEvaluations, List<Ext2[]> tableEvaluations,
                         GkrLayer blinding) {
    /** A fraction p / q, unreduced. */
    public record Fraction(Ext2 numerator, Ext2 denominator) {}

    /**
     * One GKR layer: its sumcheck, the active trees' evaluations (four per tree) at the sumcheck point,
     * and, in a zero-knowledge argument ({@link LogUpMasking}), the sumcheck's mask sum G and mask
     * evaluation g(r) (empty otherwise).
     */
    public record GkrLayer(SumcheckProof sumcheck, Ext2[] evaluations, Ext2[] mask) {
        public GkrLayer {
            evaluations = evaluations.clone();
            mask = mask.clone();
            if (mask.length != 0 && mask.length != 2) {
                throw new IllegalArgumentException("a layer's mask part is (G, g(r)) or nothing, not " + mask.length + " values");
            }
        }

        public GkrLayer(SumcheckProof sumcheck, Ext2[] evaluations) {
            this(sumcheck, evaluations, new Ext2[0]);
        }

        @Override
        public Ext2[] evaluations() {
            return evaluations.clone();
        }

        @Override
        public Ext2[] mask() {
            return mask.clone();
        }
    }

    /** A proof without a blinding step. */
    public LogUpProof(List<Fraction> roots, List<GkrLayer> layers, List<Ext2[]> groupEvaluations, List<Ext2[]> tableEvaluations) {
        this(roots, layers, groupEvaluations, tableEvaluations, null);
    }

    public LogUpProof {
        roots = List.copyOf(roots);
        layers = List.copyOf(layers);
        groupEvaluations = groupEvaluations.stream().map(Ext2[]::clone).toList();
        tableEvaluations = tableEvaluations.stream().map(Ext2[]::clone).toList();
    }

    @Override
    public List<Ext2[]> groupEvaluations() {
        return groupEvaluations.stream().map(Ext2[]::clone).toList();
    }

    @Override
    public List<Ext2[]> tableEvaluations() {
        return tableEvaluations.stream().map(Ext2[]::clone).toList();
    }

    public void write(ProofWriter w) {
        w.writeInt(roots.size());
        for (Fraction f : roots) {
            w.writeExt(f.numerator()).writeExt(f.denominator());
        }
        w.writeInt(layers.size());
        for (GkrLayer layer : layers) {
            layer.sumcheck().write(w);
            w.writeExts(layer.evaluations);
            if (layer.mask.length != 0) {
                w.writeExt(layer.mask[0]).writeExt(layer.mask[1]);
            }
        }
        if (blinding != null) {
            blinding.sumcheck().write(w);
            w.writeExts(blinding.evaluations);
            w.writeExt(blinding.mask[0]).writeExt(blinding.mask[1]);
        }
        w.writeInt(groupEvaluations.size());
        for (Ext2[] e : groupEvaluations) {
            w.writeExts(e);
        }
        w.writeInt(tableEvaluations.size());
        for (Ext2[] e : tableEvaluations) {
            w.writeExts(e);
        }
    }

    /** Reads a proof for {@code shape}; every count must be exactly what the shape implies. */
    public static LogUpProof read(ProofReader r, LogUpShape shape) throws MalformedProofException {
        return read(r, shape, false);
    }

    /** As {@link #read(ProofReader, LogUpShape)}; {@code zeroKnowledge}: each layer carries (G, g(r)), the leaves unmasked. */
    public static LogUpProof read(ProofReader r, LogUpShape shape, boolean zeroKnowledge) throws MalformedProofException {
        return read(r, shape, zeroKnowledge, false);
    }

    /** As above; {@code maskedLeaves}: the leaf claims are masked ({@link LeafMasks}), which raises the leaf layers' degrees. */
    public static LogUpProof read(ProofReader r, LogUpShape shape, boolean zeroKnowledge, boolean maskedLeaves) throws MalformedProofException {
        int trees = expect(r.readLength(LogUpShape.MAX_TREES, "LogUp root count"), shape.treeVars().length, "LogUp root count");
        List<Fraction> roots = new ArrayList<>(trees);
        for (int t = 0; t < trees; t++) {
            roots.add(new Fraction(r.readExt(), r.readExt()));
        }
        int depth = expect(r.readLength(LogUpShape.MAX_PACKED_VARS, "LogUp layer count"), shape.maxDepth(), "LogUp layer count");
        List<GkrLayer> layers = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            SumcheckProof sumcheck = zeroKnowledge ? SumcheckProof.read(r, GkrLayerMasks.roundDegrees(shape, maskedLeaves, i)) : SumcheckProof.read(r, i, GkrLayers.DEGREE);
            Ext2[] evals = r.readExts(4 * LogUpShape.MAX_TREES, "LogUp layer evaluations");
            expect(evals.length, 4 * shape.activeTrees(i).length, "LogUp layer " + i + " evaluation count");
            layers.add(new GkrLayer(sumcheck, evals, zeroKnowledge ? new Ext2[] {r.readExt(), r.readExt()} : new Ext2[0]));
        }
        GkrLayer blinding = null;
        int blinded = GkrBlinding.blindedTrees(shape).length;
        if (zeroKnowledge && blinded > 0) {
            SumcheckProof sumcheck = SumcheckProof.read(r, GkrBlinding.roundDegrees(shape, maskedLeaves));
            Ext2[] evals = r.readExts(4 * LogUpShape.MAX_TREES, "LogUp blinding evaluations");
            expect(evals.length, 4 * blinded, "LogUp blinding evaluation count");
            blinding = new GkrLayer(sumcheck, evals, new Ext2[] {r.readExt(), r.readExt()});
        }
        int groups = expect(r.readLength(LogUpShape.MAX_GROUPS, "LogUp group count"), shape.groups().size(), "LogUp group count");
        List<Ext2[]> groupEvaluations = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            Ext2[] e = r.readExts(LogUpShape.MAX_COLUMNS + 1, "LogUp group evaluations");
            expect(e.length, shape.blockColumns(g) + (shape.groups().get(g).hasSelector() ? 1 : 0), "LogUp group " + g + " evaluation count");
            groupEvaluations.add(e);
        }
        int tables = expect(r.readLength(LogUpShape.MAX_TABLES, "LogUp table count"), shape.tables().size(), "LogUp table count");
        List<Ext2[]> tableEvaluations = new ArrayList<>(tables);
        for (int k = 0; k < tables; k++) {
            Ext2[] e = r.readExts(LogUpShape.MAX_COLUMNS + 1, "LogUp table evaluations");
            expect(e.length, shape.tables().get(k).numColumns() + 1, "LogUp table " + k + " evaluation count");
            tableEvaluations.add(e);
        }
        return new LogUpProof(roots, layers, groupEvaluations, tableEvaluations, blinding);
    }

    private static int expect(int actual, int expected, String what) throws MalformedProofException {
        if (actual != expected) {
            throw new MalformedProofException(what + " is " + actual + ", the shape requires " + expected);
        }
        return actual;
    }
}
