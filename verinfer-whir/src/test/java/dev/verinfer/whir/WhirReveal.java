package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleNode;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.List;

/**
 * What a WHIR opening reveals, for leakage tests outside this package: verifies the proof (advancing the
 * transcript as {@link WhirPcs#verify} does) and writes, for one commitment group, every value it sent
 * as a functional of the committed coefficients ({@link WhirOpeningExtractor}).
 */
public final class WhirReveal {
    private WhirReveal() {}

    /**
     * One revealed value: Σ_i (c0_i + c1_i·X)·u_i = value in K, over the unknowns u: a plain group's are
     * f's 2^n multilinear coefficients; a hiding group's are f′'s 2^v (f's 2^n, then the mask ĥ's) and
     * then the opening's g (2^v).
     */
    public record Relation(String what, long[] c0, long[] c1, Ext2 value) {}

    /** The relations of one commitment group. */
    public record Group(int tableVars, int vars, boolean hiding, List<Relation> relations) {}

    /** Largest arity the dense extractor takes (its functionals are 2^v × 2^(v+1) extension elements). */
    public static final int MAX_VARS = 12;

    /**
     * Verifies and returns the relations of the {@code index}-th commitment among the claims (its arity at
     * most {@link #MAX_VARS}). For a component of a batched plain run these are the values that depend on
     * it alone — its claims, commit-time answers and iteration-0 fibres of its own tree; the run's later
     * messages mix every component.
     */
    public static Group verify(WhirPcs pcs, Transcript t, List<PcsClaim> claims, PcsOpeningProof proof, int index) throws PcsRejectedException {
        List<WhirVerifier.Coins> coins = new ArrayList<>();
        try {
            WhirVerifier.verify(pcs.parameters(), MerkleNode.PADDED, t, claims, proof, coins);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PcsRejectedException("malformed WHIR opening: " + e.getMessage());
        }
        WhirProof p = (WhirProof) proof;
        List<List<PcsClaim>> members = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (PcsClaim c : claims) {
            String key = java.util.HexFormat.of().formatHex(c.root()) + "/" + c.numVars();
            int at = keys.indexOf(key);
            if (at < 0) {
                keys.add(key);
                members.add(new ArrayList<>());
                at = keys.size() - 1;
            }
            members.get(at).add(c);
        }
        // Claim group `index` is a component of the plain run, or the k-th hiding commitment (the k-th hiding run).
        WhirProof.Group plain = p.groups().stream().filter(g -> !g.hiding()).findFirst().orElse(null);
        int component = -1;
        if (plain != null) {
            for (int j = 0; j < plain.components(); j++) {
                WhirProof.Group c = plain;
                byte[] root = j == 0 ? c.merkleRoot() : c.batch().others().get(j - 1).merkleRoot();
                Ext2[] ood = j == 0 ? c.commitOod() : c.batch().others().get(j - 1).commitOod();
                if (java.util.Arrays.equals(WhirTranscript.commitmentDigest(root, ood), members.get(index).getFirst().root())) {
                    component = j;
                }
            }
        }
        int n = members.get(index).getFirst().numVars();
        if (component >= 0 && plain.components() > 1) {
            if (n > MAX_VARS) {
                throw new IllegalArgumentException("a " + n + "-variable opening is too large for the dense extractor (at most " + MAX_VARS + ")");
            }
            List<Relation> relations = WhirOpeningExtractor.component(pcs.parameters(), members.get(index), plain, component,
                    coins.get(p.groups().indexOf(plain)).queries().getFirst()).stream().map(r -> new Relation(r.what(), r.c0(), r.c1(), r.value())).toList();
            return new Group(n, n, false, relations);
        }
        int run = component >= 0 ? p.groups().indexOf(plain) : -1;
        if (run < 0) {
            int hidingBefore = 0;
            for (int i = 0; i < index; i++) {
                if (!isPlain(plain, members.get(i).getFirst().root())) {
                    hidingBefore++;
                }
            }
            int seen = 0;
            for (int g = 0; g < p.groups().size(); g++) {
                if (p.groups().get(g).hiding() && seen++ == hidingBefore) {
                    run = g;
                    break;
                }
            }
        }
        WhirProof.Group group = p.groups().get(run);
        int vars = group.hiding() ? n + group.mask().extraVars() : n;
        if (vars > MAX_VARS) {
            throw new IllegalArgumentException("a " + vars + "-variable opening is too large for the dense extractor (at most " + MAX_VARS + ")");
        }
        List<Relation> relations = WhirOpeningExtractor.extract(pcs.parameters(), members.get(index), group, coins.get(run)).stream()
                .map(r -> new Relation(r.what(), r.c0(), r.c1(), r.value())).toList();
        return new Group(n, vars, group.hiding(), relations);
    }

    private static boolean isPlain(WhirProof.Group plain, byte[] root) {
        if (plain == null) {
            return false;
        }
        for (int j = 0; j < plain.components(); j++) {
            byte[] r = j == 0 ? plain.merkleRoot() : plain.batch().others().get(j - 1).merkleRoot();
            Ext2[] ood = j == 0 ? plain.commitOod() : plain.batch().others().get(j - 1).commitOod();
            if (java.util.Arrays.equals(WhirTranscript.commitmentDigest(r, ood), root)) {
                return true;
            }
        }
        return false;
    }
}
