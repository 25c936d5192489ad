package dev.verinfer.eth;

import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Hash;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stage 2 in parts (ZkmlVerifierSession.runLayersUpTo, then runLayersFrom, cut between the layer program's instructions;
 * docs/ethereum.md, branch stage2chain29) on alexa_v0.1's conjectured-evm key: every split accepts the honest proof and its last part
 * hands over exactly what runLayers does; a part out of order, twice, skipped, past the program's end, on another proof's hand-over or
 * in another proof's session is refused, as are stage 2 whole, stage 1 again and stage 3 once the parts began; a proof with an altered
 * layer message and a proof mixing two proofs' parts are refused by the part that reads the bad message, with runLayers' own revert,
 * the parts before it accepted; the prover's plan fits a cap below stage 2's gas, and refuses a cap no instruction fits. anvil with
 * 30 M blocks that refuses a transaction over EIP-7825's 2^24 gas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayersInPartsTest {
    private static final PcsSecurity SECURITY = PcsSecurity.CONJECTURED_EVM;

    private Chain chain;
    private EthProofFixture f;
    private VerifierSession session;
    private byte[] vkHash;
    private long n;
    private int contexts;

    @BeforeAll
    void start() throws Exception {
        chain = new Chain(0, true);
        f = EthProofFixture.alexa(SECURITY);
        ChainAccount deployer = chain.account("layers-in-parts");
        session = new VerifierSession(deployer, VerifierSession.deploy(deployer, VerifierSession.deployStages(deployer)).contractAddress());
        vkHash = session.registerKey(f.keyParts()).handover();
        n = session.programLength(vkHash);
        assertEquals(f.keyParts().program().length, n, "the session's program length is the key's");
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    /** An honest proof bound to a context of its own, its statement, its parts (or others with them) and stage 1's hand-over, stage 1 run. */
    private record Bound(byte[] statementHash, byte[] statement, VerifierSession.Parts parts, byte[] stageOne) {
        byte[] proofHash() {
            return parts.proofHash();
        }
    }

    private Bound bound() {
        byte[] context = Hash.sha3(("layers in parts " + contexts++).getBytes(StandardCharsets.UTF_8));
        byte[] proof = f.proveBound(context);
        byte[] statement = RealModelGasTest.statement(f, vkHash, context, proof);
        return started(statement, session.split(vkHash, proof));
    }

    /** Stage 1 of {@code parts} under {@code statement}, run. */
    private Bound started(byte[] statement, VerifierSession.Parts parts) {
        VerifierSession.Step one = session.run(VerifierSession.lookupsCall(vkHash, statement, parts));
        return new Bound(Hash.sha3(statement), statement, parts, one.handover());
    }

    private String refusal(String data) {
        try {
            session.account().call(session.address(), data, VerifierSession::describe);
        } catch (ChainException e) {
            return e.getMessage();
        }
        throw new AssertionError("the session accepted the call");
    }

    private String first(Bound b, long to) {
        return VerifierSession.layersUpToCall(vkHash, b.statementHash(), b.parts(), b.stageOne(), to);
    }

    private String next(Bound b, byte[] handover, long from, long to) {
        return VerifierSession.layersFromCall(vkHash, b.statementHash(), b.parts(), handover, from, to);
    }

    private long at(Bound b) {
        BigInteger at = session.layersAt(vkHash, b.statementHash(), b.proofHash());
        return at.bitLength() > 63 ? -1 : at.longValueExact();
    }

    /** Stage 2 in parts cut at (or just past) {@code cuts}, in order, then the end; the steps (the last's hand-over stage 2's). */
    private List<VerifierSession.Step> parts(Bound b, long... cuts) {
        List<VerifierSession.Step> steps = new ArrayList<>();
        byte[] h = b.stageOne();
        long from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            long to = i < cuts.length ? cuts[i] : n;
            VerifierSession.Step s = session.run(from == 0 ? first(b, to) : next(b, h, from, to));
            steps.add(s);
            h = s.handover();
            from = at(b);
            if (from < 0) {
                break;
            }
            assertTrue(from >= to && from < n, "a part stops at the first instruction at or past its end: " + from + " for " + to);
        }
        assertEquals(-1, at(b), "the last part reached the program's end");
        return steps;
    }

    /** Stages 3 and 4 on stage 2's hand-over; whether the session then accepts. */
    private boolean finish(Bound b, byte[] stageTwo) {
        VerifierSession.Step opening = session.run(VerifierSession.openingCall(vkHash, b.statementHash(), b.parts(), stageTwo));
        session.run(VerifierSession.finalCall(vkHash, b.statementHash(), b.proofHash(), opening.handover()));
        return session.verify(vkHash, b.statement(), b.proofHash());
    }

    @Test
    void everySplitAcceptsTheHonestProofWithStageTwosOwnHandover() {
        // An edge (a first part of one instruction) and eight parts; the other edge (a last part of one), a middle cut and five parts
        // were dropped to keep the suite within its 25 minutes (each split runs stage 2 whole on the chain; session 37's run took 25:00).
        List<long[]> splits = List.of(new long[]{1}, java.util.stream.LongStream.range(1, 8).map(k -> k * n / 8).toArray());
        for (long[] cuts : splits) {
            Bound b = bound();
            byte[] whole = session.handover(VerifierSession.layersCall(vkHash, b.statementHash(), b.parts(), b.stageOne()));
            List<VerifierSession.Step> steps = parts(b, cuts);
            assertArrayEquals(whole, steps.getLast().handover(), "the last part hands over what stage 2 whole does");
            assertTrue(finish(b, steps.getLast().handover()), "stage 2 cut at " + java.util.Arrays.toString(cuts) + ": the session accepts");
            System.out.printf("alexa_v0.1 %s stage 2 (program %,d bytes) cut at %s: %s%n", SECURITY.label(), n, java.util.Arrays.toString(cuts),
                    steps.stream().map(st -> st.receipt().gasUsed()).toList());
        }
        // The prover's plan: stage 2 over a cap below its whole gas goes in parts, each under that cap.
        Bound b = bound();
        long stageTwo = session.account().estimateGas(session.address(), VerifierSession.layersCall(vkHash, b.statementHash(), b.parts(), b.stageOne()),
                VerifierSession::describe);
        List<VerifierSession.Step> steps = session.afterLookups(vkHash, b.statementHash(), b.parts(), b.stageOne(), stageTwo - 1, VerifierSession.TX_GAS_CAP);
        assertTrue(steps.size() > 3, "stage 2 over its cap goes in parts");
        for (VerifierSession.Step st : steps.subList(0, steps.size() - 2)) {
            assertTrue(st.receipt().gasUsed() < stageTwo, "each part of stage 2 is under the cap");
        }
        assertTrue(session.verify(vkHash, b.statement(), b.proofHash()), "the planned parts verify the honest proof");
        System.out.printf("alexa_v0.1 %s stage 2 (%,d) planned under %,d: %s%n", SECURITY.label(), stageTwo, stageTwo - 1,
                steps.subList(0, steps.size() - 2).stream().map(st -> st.receipt().gasUsed()).toList());
        // A cap under one instruction's part: refused before anything is sent, naming where.
        Bound c = bound();
        ChainException e = assertThrows(ChainException.class,
                () -> session.layersInParts(vkHash, c.statementHash(), c.parts(), c.stageOne(), 200_000, VerifierSession.TX_GAS_CAP));
        assertTrue(e.getMessage().contains("alone needs more than 196,875 gas (63/64 of the cap of 200,000"), e.getMessage());
        assertEquals(0, at(c), "nothing was sent");
    }

    @Test
    void aPartOutOfOrderTwiceSkippedPastTheEndOrOfAnotherProofIsRefused() {
        Bound other = bound();
        VerifierSession.Step otherFirst = session.run(first(other, n / 3));
        Bound b = bound();
        assertTrue(refusal(next(b, b.stageOne(), 0, n)).contains("WrongLayers"), "a next part before the first");
        assertTrue(refusal(first(b, 0)).contains("Rejected(code=155)"), "an empty first part");
        assertTrue(refusal(first(b, n + 1)).contains("Rejected(code=155)"), "a first part past the program's end");
        VerifierSession.Step one = session.run(first(b, n / 3));
        long c1 = at(b);
        assertEquals(at(other), c1, "the same cut on the same key stops at the same instruction");
        assertTrue(refusal(first(b, n / 3)).contains("WrongLayers"), "the first part twice");
        assertTrue(refusal(VerifierSession.layersCall(vkHash, b.statementHash(), b.parts(), b.stageOne())).contains("WrongLayers"),
                "stage 2 whole once its parts began");
        assertTrue(refusal(VerifierSession.lookupsCall(vkHash, b.statement(), b.parts())).contains("WrongLayers"),
                "stage 1 again once stage 2's parts began");
        assertTrue(refusal(VerifierSession.openingCall(vkHash, b.statementHash(), b.parts(), one.handover())).contains("WrongStage"),
                "stage 3 before stage 2's last part");
        assertTrue(refusal(next(b, one.handover(), c1 + 1, n)).contains("WrongLayers"), "a part that does not start where the last stopped");
        assertTrue(refusal(next(b, one.handover(), c1, c1)).contains("Rejected(code=155)"), "an empty part");
        assertTrue(refusal(next(b, one.handover(), c1, n + 1)).contains("Rejected(code=155)"), "a part past the program's end");
        assertTrue(refusal(next(b, otherFirst.handover(), c1, n)).contains("WrongHandover"), "another proof's hand-over");
        assertTrue(refusal(next(other, one.handover(), c1, n)).contains("WrongHandover"), "this hand-over in another proof's session");
        VerifierSession.Parts otherLayers = new VerifierSession.Parts(b.parts().lookups(), other.parts().layers(), b.parts().opening());
        assertTrue(refusal(VerifierSession.layersFromCall(vkHash, b.statementHash(), otherLayers, one.handover(), c1, n)).contains("WrongLayers"),
                "another proof's part 2: the session of that triple never began stage 2's parts");
        assertTrue(wrongPart(b, one.handover(), other.parts().layers(), c1).contains("WrongPart"), "another proof's part 2 in this session");
        VerifierSession.Step two = session.run(next(b, one.handover(), c1, 2 * n / 3));
        long c2 = at(b);
        assertTrue(refusal(next(b, one.handover(), c1, 2 * n / 3)).contains("WrongLayers"), "the second part twice");
        assertTrue(refusal(next(b, two.handover(), c1, n)).contains("WrongLayers"), "the second part again from its start");
        VerifierSession.Step last = session.run(next(b, two.handover(), c2, n));
        assertTrue(refusal(next(b, last.handover(), c2, n)).contains("WrongLayers"), "a part after the last (the parts are done: 2^256 − 1)");
        assertTrue(refusal(next(b, two.handover(), c2, n)).contains("WrongLayers"), "the last part twice");
        assertTrue(refusal(first(b, n)).contains("WrongLayers"), "a first part once stage 2 is done");
        assertTrue(finish(b, last.handover()), "the honest parts in order are accepted after the refused ones");
    }

    /** runLayersFrom from {@code from} on {@code handover} with {@code layers} as part 2 but this proof's part hashes. */
    private String wrongPart(Bound b, byte[] handover, byte[] layers, long from) {
        VerifierSession.Parts named = b.parts();
        String call = VerifierSession.layersFromCall(vkHash, b.statementHash(), named, handover, from, n);
        String honest = org.web3j.abi.TypeEncoder.encode(new org.web3j.abi.datatypes.DynamicBytes(named.layers()));
        String swapped = org.web3j.abi.TypeEncoder.encode(new org.web3j.abi.datatypes.DynamicBytes(layers));
        assertEquals(honest.length(), swapped.length(), "both proofs' part 2 have one length");
        assertTrue(call.endsWith(honest), "part 2 is the call's last argument");
        return refusal(call.substring(0, call.length() - honest.length()) + swapped);
    }

    /**
     * A session whose part 2 is not its proof's own — altered at one byte, or another proof's (mixing is forging) — is refused by the
     * part that reads the bad message, with runLayers' revert; the parts before it are accepted.
     */
    @Test
    void anAlteredLayerMessageOrAnotherProofsPartTwoIsRefusedByThePartThatReadsItWithTheWholeStagesRevert() {
        Bound honest = bound();
        Bound other = bound();
        byte[] altered = honest.parts().layers().clone();
        altered[altered.length * 3 / 4] ^= 1;
        Bound tampered = started(honest.statement(), new VerifierSession.Parts(honest.parts().lookups(), altered, honest.parts().opening()));
        Bound mixed = started(honest.statement(), new VerifierSession.Parts(honest.parts().lookups(), other.parts().layers(), honest.parts().opening()));
        for (Bound bad : List.of(tampered, mixed)) {
            String whole = refusal(VerifierSession.layersCall(vkHash, bad.statementHash(), bad.parts(), bad.stageOne()));
            assertTrue(whole.contains("Rejected("), whole);
            String runWhole = refusal(VerifierSession.wholeCall(vkHash, bad.statement(), bad.parts()));
            assertEquals(whole, runWhole, "runWhole refuses as runLayers");
            // parts of n/32 bytes of program each, until one is refused
            byte[] h = bad.stageOne();
            long from = 0;
            int accepted = 0;
            String refused = null;
            while (refused == null) {
                long to = Math.min(n, from + Math.max(1, n / 32));
                String call = from == 0 ? first(bad, to) : next(bad, h, from, to);
                try {
                    h = session.run(call).handover();
                    accepted++;
                    from = at(bad);
                    assertTrue(from > 0, "a part that is not refused does not reach the end of a refused stage 2");
                } catch (ChainException e) {
                    refused = e.getMessage();
                }
            }
            assertEquals(whole, refused, "the part that reads the bad message refuses as stage 2 whole");
            System.out.printf("alexa_v0.1 %s %s: %d parts accepted, then %s%n", SECURITY.label(), bad == tampered ? "part 2 altered at a byte" : "another proof's part 2",
                    accepted, refused);
            if (bad == tampered) {
                assertTrue(accepted > 0, "the parts before the altered message are accepted");
            }
        }
    }
}
