package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.logup.GroupClaim;
import dev.verinfer.logup.LogUpClaims;
import dev.verinfer.logup.LogUpProof;
import dev.verinfer.logup.LogUpProver;
import dev.verinfer.logup.LogUpProverResult;
import dev.verinfer.logup.LogUpRejectedException;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.logup.LogUpVerifier;
import dev.verinfer.logup.LookupWitness;
import dev.verinfer.logup.RangeTable;
import dev.verinfer.logup.TableClaim;
import dev.verinfer.poly.Mle;
import dev.verinfer.zkml.layout.Indicators;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.ArrayList;
import java.util.List;

/**
 * The non-linear ops: rescale relations checked at a random point, then one LogUp-GKR argument per
 * table (the shared 16-bit range table and each function table) over every use of it. Every result
 * is a claim on a committed value or on an op's input.
 */
final class LookupPhase {
    private LookupPhase() {}

    // ---------------------------------------------------------------- rescale relations

    /** x + 2^(k−1)·ind = 2^k·q + Σ_l 2^(16l)·limb_l, as polynomials: checked at a random point ρ. */
    static void proveRescales(ProverContext cx, Witness witness) {
        for (ProofPlan.RescaleCheck r : cx.plan().rescales) {
            PaddedShape shape = cx.plan().shapes[r.q()];
            Ext2[] rho = cx.channel().challenges("rescale-point", shape.numVars());
            Ext2[] values = new Ext2[1 + r.remainderLimbs().size()];
            values[0] = Mle.evaluate(cx.tensors().padded(r.q()), rho);
            for (int l = 0; l < r.remainderLimbs().size(); l++) {
                values[l + 1] = Mle.evaluate(witness.items[r.remainderLimbs().get(l)], rho);
            }
            cx.channel().sendExts("rescale-values", values);
            recordRescaleClaims(cx.plan(), cx.claims(), r, rho, values);
        }
    }

    static void verifyRescales(VerifierContext cx) throws MalformedProofException {
        for (ProofPlan.RescaleCheck r : cx.plan().rescales) {
            PaddedShape shape = cx.plan().shapes[r.q()];
            Ext2[] rho = cx.channel().challenges("rescale-point", shape.numVars());
            Ext2[] values = cx.channel().receiveExts("rescale-values", 1 + r.remainderLimbs().size());
            recordRescaleClaims(cx.plan(), cx.claims(), r, rho, values);
        }
    }

    private static void recordRescaleClaims(ProofPlan plan, ClaimBook claims, ProofPlan.RescaleCheck r, Ext2[] rho, Ext2[] values) {
        Ext2 x = values[0].mul(Goldilocks.pow(2, r.k()));
        claims.onTensor(r.q(), new Claim(rho, values[0]));
        for (int l = 0; l < r.remainderLimbs().size(); l++) {
            x = x.add(values[l + 1].mul(Goldilocks.pow(2, (long) ProofPlan.RANGE_BITS * l)));
            claims.onItem(r.remainderLimbs().get(l), new Claim(rho, values[l + 1]));
        }
        Ext2 half = Indicators.realRegion(plan.shapes[r.q()], rho).mul(Goldilocks.pow(2, r.k() - 1));
        claims.onTensor(r.x(), new Claim(rho, x.sub(half)));
    }

    /** tensor + shift·ind = Σ_l 2^(16l)·limb_l, as polynomials: checked at a random point ρ. */
    static void proveLimbSplits(ProverContext cx, Witness witness) {
        for (ProofPlan.LimbSplit s : cx.plan().limbSplits) {
            Ext2[] rho = cx.channel().challenges("limb-point", cx.plan().shapes[s.tensor()].numVars());
            Ext2[] limbs = new Ext2[s.limbs().size()];
            for (int l = 0; l < limbs.length; l++) {
                limbs[l] = Mle.evaluate(witness.items[s.limbs().get(l)], rho);
            }
            cx.channel().sendExts("limb-values", limbs);
            recordLimbClaims(cx.plan(), cx.claims(), s, rho, limbs);
        }
    }

    static void verifyLimbSplits(VerifierContext cx) throws MalformedProofException {
        for (ProofPlan.LimbSplit s : cx.plan().limbSplits) {
            Ext2[] rho = cx.channel().challenges("limb-point", cx.plan().shapes[s.tensor()].numVars());
            Ext2[] limbs = cx.channel().receiveExts("limb-values", s.limbs().size());
            recordLimbClaims(cx.plan(), cx.claims(), s, rho, limbs);
        }
    }

    private static void recordLimbClaims(ProofPlan plan, ClaimBook claims, ProofPlan.LimbSplit s, Ext2[] rho, Ext2[] limbs) {
        Ext2 value = Ext2.ZERO;
        for (int l = 0; l < limbs.length; l++) {
            value = value.add(limbs[l].mul(Goldilocks.pow(2, (long) ProofPlan.RANGE_BITS * l)));
            claims.onItem(s.limbs().get(l), new Claim(rho, limbs[l]));
        }
        Ext2 shift = Indicators.realRegion(plan.shapes[s.tensor()], rho).mul(Goldilocks.fromSigned(s.shift()));
        claims.onTensor(s.tensor(), new Claim(rho, value.sub(shift)));
    }

    // ---------------------------------------------------------------- look-ups

    static void proveLookups(ProverContext cx, Witness witness) {
        for (ProofPlan.Table table : cx.plan().tables) {
            List<LookupWitness> groups = new ArrayList<>();
            for (ProofPlan.Group g : table.groups()) {
                long[][] columns = new long[g.columns().size()][];
                for (int c = 0; c < columns.length; c++) {
                    columns[c] = witness.column(cx.tensors(), g.columns().get(c));
                }
                groups.add(new LookupWitness(columns, Indicators.realRegionTable(g.shape())));
            }
            LogUpProverResult res = LogUpProver.prove(cx.channel().transcript, groups, tableColumns(table),
                    witness.items[table.multiplicityItem()]);
            res.proof().write(cx.channel().out);
            recordLookupClaims(cx.plan(), cx.claims(), table, res.claims());
        }
    }

    static void verifyLookups(VerifierContext cx) throws MalformedProofException, ProofRejectedException {
        for (ProofPlan.Table table : cx.plan().tables) {
            LogUpShape shape = shape(table);
            LogUpProof proof = LogUpProof.read(cx.channel().in, shape);
            LogUpClaims claims;
            try {
                claims = LogUpVerifier.verify(cx.channel().transcript, shape, proof);
            } catch (LogUpRejectedException e) {
                throw new ProofRejectedException(tableName(table) + ": " + e.getMessage(), e);
            }
            for (int g = 0; g < table.groups().size(); g++) {
                GroupClaim gc = claims.groups().get(g);
                if (!gc.selectorEvaluation().equals(Indicators.realRegion(table.groups().get(g).shape(), gc.point()))) {
                    throw new ProofRejectedException(tableName(table) + ": padding selector of look-up group " + g + " is wrong");
                }
            }
            TableClaim tc = claims.table();
            Ext2 identity = RangeTable.evaluate(tc.point()); // MLE of j ↦ j
            if (table.isRange()) {
                if (!tc.columnEvaluations()[0].equals(identity)) {
                    throw new ProofRejectedException("range table evaluation is wrong");
                }
            } else {
                Ext2 inputs = identity.add(Goldilocks.fromSigned(table.function().inMin()));
                Ext2 outputs = Mle.evaluate(ProverTensors.toField(table.function().values()), tc.point());
                if (!tc.columnEvaluations()[0].equals(inputs) || !tc.columnEvaluations()[1].equals(outputs)) {
                    throw new ProofRejectedException(tableName(table) + ": table evaluation is wrong");
                }
            }
            recordLookupClaims(cx.plan(), cx.claims(), table, claims);
        }
    }

    private static void recordLookupClaims(ProofPlan plan, ClaimBook book, ProofPlan.Table table, LogUpClaims claims) {
        for (int g = 0; g < table.groups().size(); g++) {
            ProofPlan.Group group = table.groups().get(g);
            GroupClaim gc = claims.groups().get(g);
            for (int c = 0; c < group.columns().size(); c++) {
                ProofPlan.Column column = group.columns().get(c);
                // column = scale·source + shift  ⇒  source = (column − shift)/scale
                Ext2 v = gc.columnEvaluations()[c].sub(Goldilocks.fromSigned(column.shift()))
                        .mul(Goldilocks.inverse(Goldilocks.fromSigned(column.scale())));
                book.on(column.source(), new Claim(gc.point(), v));
            }
        }
        book.onItem(table.multiplicityItem(), new Claim(claims.table().point(), claims.table().multiplicityEvaluation()));
    }

    static LogUpShape shape(ProofPlan.Table table) {
        return new LogUpShape(table.columns(), table.numVars(),
                table.groups().stream().map(g -> new LogUpShape.GroupShape(g.shape().numVars(), true)).toList());
    }

    private static long[][] tableColumns(ProofPlan.Table table) {
        int size = 1 << table.numVars();
        long[] inputs = new long[size];
        long base = table.isRange() ? 0 : table.function().inMin();
        for (int j = 0; j < size; j++) {
            inputs[j] = Goldilocks.fromSigned(base + j);
        }
        return table.isRange() ? new long[][] {inputs} : new long[][] {inputs, ProverTensors.toField(table.function().values())};
    }

    private static String tableName(ProofPlan.Table table) {
        return table.isRange() ? "range look-ups" : "look-ups into " + table.function();
    }
}
