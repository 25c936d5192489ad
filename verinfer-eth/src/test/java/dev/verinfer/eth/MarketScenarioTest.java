package dev.verinfer.eth;

import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market's rules on a real Ethereum node (anvil): the honest flow of each mode, a cheater
 * slashed in each mode, a silent prover, a frivolous challenge, client cancel, refunds; value
 * conservation is checked from chain state after every scenario. Proof verdicts come from the
 * test-only verifier (no verifier of verinfer proofs exists on chain yet): a proof is valid exactly
 * when the test declared it valid for the statement the market hands over.
 */
class MarketScenarioTest extends MarketOnAnvilTest {
    private static final BigInteger FEE = BigInteger.valueOf(10_000);
    private static final byte[] INPUT = "input tensor".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OUTPUT = "output tensor".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private BigInteger balance(ChainAccount a) {
        return w.market.balanceOf(a.address());
    }

    private long lock(ChainAccount p, long id) {
        GAS.step("lock", w.as(p).lock(id));
        return id;
    }

    @Test
    void honestZkResultIsVerifiedAndPaidAtTheLockedPrice() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        assertEquals(EthMarket.Status.OPEN, w.market.request(id).status());
        BigInteger clientBefore = balance(w.client);
        BigInteger ownerBefore = balance(w.owner);
        BigInteger proverBefore = balance(w.prover);
        lock(w.prover, id);
        EthMarket.RequestView locked = w.market.request(id);
        assertEquals(FEE.multiply(BigInteger.valueOf(w.params.collateralBps())).divide(BigInteger.valueOf(10_000)), locked.collateral());
        assertTrue(locked.price().compareTo(FEE.divide(BigInteger.TWO)) >= 0 && locked.price().compareTo(FEE) <= 0, "price " + locked.price());
        w.checkConservation();
        byte[] proof = w.honestProof(id, INPUT, OUTPUT);
        Receipt r = GAS.step("submitResult ZK (verified)", w.as(w.prover).submitZkResult(id, OUTPUT, INPUT, proof));
        assertEquals(1, w.market.events(r, "Settled").size());
        EthMarket.RequestView settled = w.market.request(id);
        assertEquals(EthMarket.Status.SETTLED, settled.status());
        assertArrayEquals(org.web3j.crypto.Hash.sha3(OUTPUT), settled.outputHash());
        BigInteger price = locked.price();
        BigInteger fee = price.subtract(World.ROYALTY).multiply(BigInteger.valueOf(w.params.protocolFeeBps())).divide(BigInteger.valueOf(10_000));
        assertEquals(clientBefore.add(FEE.subtract(price)), balance(w.client), "the client gets max fee - price back");
        assertEquals(ownerBefore.add(World.ROYALTY), balance(w.owner), "royalty");
        assertEquals(proverBefore.add(price).subtract(World.ROYALTY).subtract(fee), balance(w.prover), "the prover's pay");
        assertEquals(fee, balance(w.treasury), "protocol fee");
        EthMarket.ProverView p = w.market.prover(w.prover.address());
        assertEquals(World.STAKE, p.stake(), "collateral back to the stake");
        assertEquals(1, p.served());
    }

    @Test
    void zkCheaterIsSlashedAndTheRequestServedByAnotherProver() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        lock(w.prover, id);
        BigInteger collateral = w.market.request(id).collateral();
        BigInteger clientBefore = balance(w.client);
        Receipt r = GAS.step("submitResult ZK (invalid: slashed)", w.as(w.prover).submitZkResult(id, "a wrong output".getBytes(StandardCharsets.UTF_8), INPUT, World.bogusProof()));
        assertEquals(1, w.market.events(r, "Slashed").size());
        EthMarket.RequestView reopened = w.market.request(id);
        assertEquals(EthMarket.Status.OPEN, reopened.status(), "re-opened: the deadline allows");
        BigInteger toVictim = collateral.multiply(BigInteger.valueOf(w.params.slashVictimBps())).divide(BigInteger.valueOf(10_000));
        assertEquals(clientBefore.add(toVictim), balance(w.client), "the wronged client's share of the collateral");
        assertEquals(collateral.subtract(toVictim), balance(w.treasury));
        EthMarket.ProverView cheater = w.market.prover(w.prover.address());
        assertEquals(World.STAKE.subtract(collateral), cheater.stake());
        assertEquals(1, cheater.slashed());
        w.checkConservation();

        lock(w.prover2, id);
        w.as(w.prover2).submitZkResult(id, OUTPUT, INPUT, w.honestProof(id, INPUT, OUTPUT));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
    }

    @Test
    void aValidProofOfAnotherProverDoesNotPay() {
        // The statement's proof context names the lock holder: prover 1's proof, declared valid for its own lock, is worthless to prover 2.
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        lock(w.prover, id);
        byte[] firstProof = w.honestProof(id, INPUT, OUTPUT);
        chain.advanceTime(w.params.lockSeconds() + 1);
        GAS.step("advance (silent prover slashed)", w.market.advance(id));
        lock(w.prover2, id);
        w.as(w.prover2).submitZkResult(id, OUTPUT, INPUT, firstProof);
        assertEquals(1, w.market.prover(w.prover2.address()).slashed(), "a copied proof is an invalid proof");
        assertEquals(EthMarket.Status.OPEN, w.market.request(id).status());
    }

    @Test
    void zkResultWithAnotherInputIsRefusedWithoutEffect() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        lock(w.prover, id);
        ChainException e = assertThrows(ChainException.class,
                () -> w.as(w.prover).submitZkResult(id, OUTPUT, "another input".getBytes(StandardCharsets.UTF_8), World.bogusProof()));
        assertEquals("WrongInput", e.error());
        assertEquals("the contract refused: WrongInput()", e.getMessage());
        assertEquals(EthMarket.Status.LOCKED, w.market.request(id).status());
    }

    @Test
    void honestOptimisticResultSettlesAfterItsWindow() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Optimistic(120), "submitRequest OPTIMISTIC");
        lock(w.prover, id);
        GAS.step("submitResult OPTIMISTIC/SAMPLED (posted)", w.as(w.prover).submitResult(id, OUTPUT));
        assertEquals(EthMarket.Status.POSTED, w.market.request(id).status());
        assertEquals("NothingDue", assertThrows(ChainException.class, () -> w.market.advance(id)).error(), "the window is still open");
        w.checkConservation();
        chain.advanceTime(120);
        assertEquals("WindowClosed", assertThrows(ChainException.class, () -> w.as(w.watcher).challenge(id)).error());
        GAS.step("advance (settle unchallenged/unrevealed)", w.as(w.watcher).advance(id));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
    }

    @Test
    void frivolousChallengeLosesItsBondToTheProver() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Optimistic(120), "submitRequest OPTIMISTIC");
        lock(w.prover, id);
        w.as(w.prover).submitResult(id, OUTPUT);
        assertEquals("OwnResult", assertThrows(ChainException.class, () -> w.as(w.prover).challenge(id)).error());
        BigInteger watcherBefore = balance(w.watcher);
        GAS.step("challenge", w.as(w.watcher).challenge(id));
        BigInteger bond = w.market.request(id).bond();
        assertEquals(FEE.divide(BigInteger.TEN), bond);
        assertEquals(EthMarket.Status.PROOF_DUE, w.market.request(id).status());
        w.checkConservation();
        BigInteger proverBefore = balance(w.prover);
        GAS.step("submitProof (valid)", w.as(w.prover).submitProof(id, INPUT, OUTPUT, w.honestProof(id, INPUT, OUTPUT)));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
        assertEquals(watcherBefore.subtract(bond), balance(w.watcher), "the challenger lost its bond");
        assertTrue(balance(w.prover).subtract(proverBefore).compareTo(bond) > 0, "the prover got the bond and its pay");
    }

    @Test
    void optimisticCheaterSilentAfterAChallengeIsSlashedToTheWatcher() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Optimistic(120), "submitRequest OPTIMISTIC");
        lock(w.prover, id);
        w.as(w.prover).submitResult(id, "a wrong output".getBytes(StandardCharsets.UTF_8));
        BigInteger watcherBefore = balance(w.watcher);
        w.as(w.watcher).challenge(id);
        BigInteger collateral = w.market.request(id).collateral();
        chain.advanceTime(w.params.responseSeconds() + 1);
        Receipt r = GAS.step("advance (no proof: slashed)", w.as(w.watcher).advance(id));
        assertEquals(1, w.market.events(r, "Slashed").size());
        BigInteger reward = collateral.multiply(BigInteger.valueOf(w.params.challengeRewardBps())).divide(BigInteger.valueOf(10_000));
        assertEquals(watcherBefore.add(reward), balance(w.watcher), "the watcher gets its bond back and the challenger's reward");
        assertEquals(FEE.multiply(BigInteger.valueOf(10_000)).divide(BigInteger.valueOf(7_500)).add(BigInteger.ONE), collateral,
                "OPTIMISTIC collateral: (1 - reward) K > max fee, so challenging oneself does not pay");
        assertEquals(EthMarket.Status.OPEN, w.market.request(id).status());
        assertEquals("SlashedBefore", assertThrows(ChainException.class, () -> w.as(w.prover).lock(id)).error(), "a slashed prover may not lock it again");
    }

    @Test
    void challengingOnesOwnWrongResultFromAnotherAccountDoesNotPay() {
        // The cheapest way out for an OPTIMISTIC cheater expecting a challenge: challenge first from a second account and collect the challenger's reward.
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Optimistic(120), "submitRequest OPTIMISTIC");
        BigInteger before = holdings(w.prover).add(holdings(w.prover2));
        lock(w.prover, id);
        w.as(w.prover).submitResult(id, "a wrong output".getBytes(StandardCharsets.UTF_8));
        w.as(w.prover2).challenge(id);
        chain.advanceTime(w.params.responseSeconds() + 1);
        w.market.advance(id);
        BigInteger loss = before.subtract(holdings(w.prover).add(holdings(w.prover2)));
        assertTrue(loss.compareTo(FEE) > 0, "the pair lost " + loss + ", more than the max fee " + FEE + " any cheat could earn");
    }

    /** Balance plus free stake plus collateral: all an account holds in the market. */
    private BigInteger holdings(ChainAccount a) {
        EthMarket.ProverView p = w.market.prover(a.address());
        return balance(a).add(p.stake()).add(p.collateral());
    }

    @Test
    void optimisticCheaterAnsweringWithAnInvalidProofIsSlashed() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Optimistic(120), "submitRequest OPTIMISTIC");
        lock(w.prover, id);
        byte[] wrong = "a wrong output".getBytes(StandardCharsets.UTF_8);
        w.as(w.prover).submitResult(id, wrong);
        w.as(w.watcher).challenge(id);
        assertEquals("WrongOutput", assertThrows(ChainException.class, () -> w.as(w.prover).submitProof(id, INPUT, OUTPUT, World.bogusProof())).error(),
                "the proof is of the posted output or of nothing");
        GAS.step("submitProof (invalid: slashed)", w.as(w.prover).submitProof(id, INPUT, wrong, World.bogusProof()));
        assertEquals(1, w.market.prover(w.prover.address()).slashed());
        assertEquals(EthMarket.Status.OPEN, w.market.request(id).status());
    }

    @Test
    void sampledResultDrawnAtCertaintyIsProvenAndPaid() {
        byte[] secret = SampleDraw.newSecret(RANDOM);
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Sampled(10_000, 60, SampleDraw.commitment(secret)), "submitRequest SAMPLED");
        lock(w.prover, id);
        assertEquals("WrongStatus", assertThrows(ChainException.class, () -> w.as(w.client).revealSample(id, secret)).error(),
                "the secret is revealed once the result is posted");
        w.as(w.prover).submitResult(id, OUTPUT);
        assertEquals("NotClient", assertThrows(ChainException.class, () -> w.as(w.watcher).revealSample(id, secret)).error());
        assertEquals("WrongSecret", assertThrows(ChainException.class, () -> w.as(w.client).revealSample(id, new byte[32])).error());
        GAS.step("revealSample (drawn)", w.as(w.client).revealSample(id, secret));
        assertEquals(EthMarket.Status.PROOF_DUE, w.market.request(id).status());
        w.as(w.prover).submitProof(id, INPUT, OUTPUT, w.honestProof(id, INPUT, OUTPUT));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
    }

    @Test
    void sampledCollateralCoversTheFeeOverTheProbability() {
        byte[] secret = SampleDraw.newSecret(RANDOM);
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Sampled(2_500, 60, SampleDraw.commitment(secret)), "submitRequest SAMPLED");
        assertEquals(FEE.multiply(BigInteger.valueOf(4)), w.market.collateralOf(id), "maxFee / q at q = 25 %");
    }

    @Test
    void sampledDrawOnChainIsTheCommitRevealDraw() {
        int drawn = 0;
        for (int i = 0; i < 8; i++) {
            byte[] secret = SampleDraw.newSecret(RANDOM);
            long id = w.request(INPUT, FEE, new EthMarket.Terms.Sampled(5_000, 60, SampleDraw.commitment(secret)), "submitRequest SAMPLED");
            Receipt lastLock = GAS.step("lock", w.as(w.prover).lock(id));
            EthMarket.RequestView locked = w.market.request(id);
            long lockBlock = w.market.events(lastLock, "RequestLocked").getFirst().getBlockNumber().longValueExact();
            assertArrayEquals(chain.blockHash(lockBlock - 1), locked.sampleSeed(), "the seed is the lock block's parent hash");
            w.as(w.prover).submitResult(id, OUTPUT);
            boolean expected = SampleDraw.drawn(secret, locked.sampleSeed(), id, 5_000);
            GAS.step(expected ? "revealSample (drawn)" : "revealSample (not drawn: settles)", w.as(w.client).revealSample(id, secret));
            assertEquals(expected ? EthMarket.Status.PROOF_DUE : EthMarket.Status.SETTLED, w.market.request(id).status(), "request " + id);
            if (expected) {
                drawn++;
                w.as(w.prover).submitProof(id, INPUT, OUTPUT, w.honestProof(id, INPUT, OUTPUT));
            }
            w.checkConservation();
        }
        System.out.println("sampled at q = 50 %: " + drawn + " of 8 drawn");
    }

    @Test
    void unrevealedSampleOwesItsProofAsIfDrawn() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Sampled(1_000, 60, SampleDraw.commitment(SampleDraw.newSecret(RANDOM))), "submitRequest SAMPLED");
        lock(w.prover, id);
        w.as(w.prover).submitResult(id, OUTPUT);
        chain.advanceTime(w.params.revealSeconds());
        GAS.step("advance (unrevealed: proof owed)", w.market.advance(id));
        assertEquals(EthMarket.Status.PROOF_DUE, w.market.request(id).status(), "a withheld secret counts as drawn: the client cannot suppress a draw");
        w.as(w.prover).submitProof(id, INPUT, OUTPUT, w.honestProof(id, INPUT, OUTPUT));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
    }

    @Test
    void sampledCheaterDrawnIsSlashedForAnInvalidProofAndForNoProof() {
        for (boolean answers : new boolean[] {true, false}) {
            byte[] secret = SampleDraw.newSecret(RANDOM);
            long id = w.request(INPUT, FEE, new EthMarket.Terms.Sampled(10_000, 60, SampleDraw.commitment(secret)), "submitRequest SAMPLED");
            lock(w.prover, id);
            w.as(w.prover).submitResult(id, "a wrong output".getBytes(StandardCharsets.UTF_8));
            w.as(w.client).revealSample(id, secret);
            BigInteger clientBefore = balance(w.client);
            BigInteger collateral = w.market.request(id).collateral();
            if (answers) {
                w.as(w.prover).submitProof(id, INPUT, "a wrong output".getBytes(StandardCharsets.UTF_8), World.bogusProof());
            } else {
                chain.advanceTime(61);
                w.as(w.client).advance(id);
            }
            assertEquals(EthMarket.Status.OPEN, w.market.request(id).status());
            assertEquals(clientBefore.add(collateral.divide(BigInteger.TWO)), balance(w.client), "half of the collateral (maxFee/q) to the client");
            w.checkConservation();
        }
        assertEquals(2, w.market.prover(w.prover.address()).slashed());
    }

    @Test
    void afterTheSecretIsRevealedEveryLaterRoundOwesItsProof() {
        byte[] secret = SampleDraw.newSecret(RANDOM);
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Sampled(5_000, 60, SampleDraw.commitment(secret)), "submitRequest SAMPLED");
        boolean drawn = false;
        // Round 1: the drawn cheater is slashed (a request that is not drawn settles; then try another one).
        while (!drawn) {
            lock(w.prover, id);
            w.as(w.prover).submitResult(id, "a wrong output".getBytes(StandardCharsets.UTF_8));
            w.as(w.client).revealSample(id, secret);
            drawn = w.market.request(id).status() == EthMarket.Status.PROOF_DUE;
            if (!drawn) {
                secret = SampleDraw.newSecret(RANDOM);
                id = w.request(INPUT, FEE, new EthMarket.Terms.Sampled(5_000, 60, SampleDraw.commitment(secret)), "submitRequest SAMPLED");
            }
        }
        long drawnId = id;
        w.as(w.prover).submitProof(drawnId, INPUT, "a wrong output".getBytes(StandardCharsets.UTF_8), World.bogusProof());
        assertEquals(EthMarket.Status.OPEN, w.market.request(drawnId).status());
        // Round 2: the secret is public, so the next prover's result owes its proof at once, whatever the new seed.
        lock(w.prover2, drawnId);
        w.as(w.prover2).submitResult(drawnId, OUTPUT);
        assertEquals(EthMarket.Status.PROOF_DUE, w.market.request(drawnId).status());
        byte[] known = secret;
        assertThrows(ChainException.class, () -> w.as(w.client).revealSample(drawnId, known), "nothing left to draw");
        w.as(w.prover2).submitProof(drawnId, INPUT, OUTPUT, w.honestProof(drawnId, INPUT, OUTPUT));
        assertEquals(EthMarket.Status.SETTLED, w.market.request(drawnId).status());
    }

    @Test
    void silentProverIsSlashedAfterItsLockExpires() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        lock(w.prover, id);
        assertEquals("CollateralHeld", assertThrows(ChainException.class, () -> w.as(w.prover).withdrawStake(BigInteger.ONE)).error());
        assertEquals("NothingDue", assertThrows(ChainException.class, () -> w.market.advance(id)).error());
        chain.advanceTime(w.params.lockSeconds() + 1);
        assertEquals("LockExpired", assertThrows(ChainException.class,
                () -> w.as(w.prover).submitZkResult(id, OUTPUT, INPUT, w.honestProof(id, INPUT, OUTPUT))).error());
        Receipt r = w.as(w.client).advance(id);
        assertEquals(1, w.market.events(r, "Slashed").size());
        assertEquals(1, w.market.prover(w.prover.address()).slashed());
        assertEquals(EthMarket.Status.OPEN, w.market.request(id).status());
        assertTrue(w.market.slashedOn(id, w.prover.address()));
        assertEquals("SlashedBefore", assertThrows(ChainException.class, () -> w.as(w.prover).lock(id)).error());
        lock(w.prover2, id);
        GAS.step("withdrawStake", w.as(w.prover).withdrawStake(BigInteger.ONE));
    }

    @Test
    void clientCancelsAnOpenRequestButNotALockedOne() {
        long id = w.request(INPUT, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        BigInteger before = balance(w.client);
        assertEquals("NotClient", assertThrows(ChainException.class, () -> w.as(w.watcher).cancel(id)).error());
        GAS.step("cancel", w.as(w.client).cancel(id));
        assertEquals(EthMarket.Status.CANCELLED, w.market.request(id).status());
        assertEquals(before.add(FEE), balance(w.client), "the whole escrow back");
        long locked = w.request(INPUT, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK");
        lock(w.prover, locked);
        ChainException e = assertThrows(ChainException.class, () -> w.as(w.client).cancel(locked));
        assertEquals("the contract refused: WrongStatus(id=" + locked + ", status=LOCKED)", e.getMessage());
    }

    @Test
    void openRequestPastItsDeadlineIsRefundedAndASlashAfterItRefundsToo() {
        long id = w.market.requestId(w.as(w.client).submitRequest(w.modelId, INPUT, FEE, chain.now() + 30, new EthMarket.Terms.Zk()));
        chain.advanceTime(31);
        assertEquals("DeadlinePassed", assertThrows(ChainException.class, () -> w.as(w.prover).lock(id)).error());
        BigInteger before = balance(w.client);
        GAS.step("advance (refund past deadline)", w.market.advance(id));
        assertEquals(EthMarket.Status.REFUNDED, w.market.request(id).status());
        assertEquals(before.add(FEE), balance(w.client));

        long late = w.market.requestId(w.as(w.client).submitRequest(w.modelId, INPUT, FEE, chain.now() + 30, new EthMarket.Terms.Zk()));
        lock(w.prover, late);
        assertEquals(w.market.request(late).deadline(), w.market.request(late).lockExpiresAt(), "the lock ends at the deadline");
        chain.advanceTime(40);
        w.market.advance(late);
        assertEquals(EthMarket.Status.REFUNDED, w.market.request(late).status());
    }

    @Test
    void requestTermsAreChecked() {
        assertEquals("FeeBelowRoyalty", assertThrows(ChainException.class,
                () -> w.as(w.client).submitRequest(w.modelId, INPUT, BigInteger.valueOf(1_999), chain.now() + 60, new EthMarket.Terms.Zk())).error(),
                "the auction floor (50 %) must cover the royalty");
        assertEquals("BadTerms", assertThrows(ChainException.class,
                () -> w.as(w.client).submitRequest(w.modelId, INPUT, FEE, chain.now() + 60, new EthMarket.Terms.Sampled(10_000, 60, new byte[32]))).error(),
                "a sampled request commits a secret");
        assertEquals("BadDeadline", assertThrows(ChainException.class,
                () -> w.as(w.client).submitRequest(w.modelId, INPUT, FEE, chain.now() + 31L * 24 * 3600, new EthMarket.Terms.Zk())).error(),
                "escrow cannot be parked beyond the longest deadline");
        assertEquals("BadTerms", assertThrows(ChainException.class,
                () -> w.as(w.client).submitRequest(w.modelId, INPUT, FEE, chain.now() + 60, new EthMarket.Terms.Optimistic(0))).error(),
                "watchers need a window");
        assertEquals("EmptyInput", assertThrows(ChainException.class,
                () -> w.as(w.client).submitRequest(w.modelId, new byte[0], FEE, chain.now() + 60, new EthMarket.Terms.Zk())).error());
        assertEquals("InsufficientBalance", assertThrows(ChainException.class,
                () -> w.as(w.client).submitRequest(w.modelId, INPUT, World.DEPOSIT.add(BigInteger.ONE), chain.now() + 60, new EthMarket.Terms.Zk())).error());
        GAS.step("deprecateModel", w.as(w.owner).deprecateModel(w.modelId));
        assertEquals("ModelIsDeprecated", assertThrows(ChainException.class,
                () -> w.as(w.client).submitRequest(w.modelId, INPUT, FEE, chain.now() + 60, new EthMarket.Terms.Zk())).error());
        byte[] squatted = w.market.modelIdOf(w.client.address(), World.VK_HASH);
        assertFalse(java.util.Arrays.equals(squatted, w.modelId), "model ids are salted by the owner");
    }

    @Test
    void withdrawalLeavesTheMarketWithTheTokens() {
        BigInteger tokensBefore = w.token.balanceOf(w.client.address());
        GAS.step("withdraw", w.as(w.client).withdraw(BigInteger.valueOf(5_000)));
        assertEquals(tokensBefore.add(BigInteger.valueOf(5_000)), w.token.balanceOf(w.client.address()));
        assertEquals(BigInteger.valueOf(5_000), w.market.withdrawn());
        assertEquals("InsufficientBalance(balance=" + World.DEPOSIT.subtract(BigInteger.valueOf(5_000)) + ", needed=" + World.DEPOSIT + ")",
                assertThrows(ChainException.class, () -> w.as(w.client).withdraw(World.DEPOSIT)).getMessage().substring("the contract refused: ".length()));
        assertEquals(Numeric.toHexString(w.market.modelIdOf(w.owner.address(), World.VK_HASH)), Numeric.toHexString(w.modelId));
    }
}
