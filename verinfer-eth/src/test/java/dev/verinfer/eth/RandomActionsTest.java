package dev.verinfer.eth;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded random walk over the market's actions by every party — requests in each mode, locks,
 * honest, wrong and missing results and proofs, challenges, reveals, cancels, withdrawals and time
 * steps — with value conservation checked from chain state after every accepted transaction, and
 * every refusal leaving the market's holdings unchanged.
 */
class RandomActionsTest {
    private static final int STEPS = 200;

    @Test
    void valueIsConservedAlongARandomWalkOfAllParties() throws Exception {
        try (Chain chain = new Chain()) {
            World w = new World(chain, new GasLog());
            Random random = new Random(20261202);
            List<ChainAccount> provers = List.of(w.prover, w.prover2);
            List<ChainAccount> anyone = w.accounts();
            List<byte[]> secrets = new ArrayList<>();
            secrets.add(new byte[0]); // request ids start at 1
            int accepted = 0;
            int refused = 0;
            for (int step = 0; step < STEPS; step++) {
                long next = w.market.nextRequestId();
                List<Long> live = new ArrayList<>();
                for (long r = 1; r < next; r++) {
                    if (w.market.request(r).escrow().signum() > 0) {
                        live.add(r);
                    }
                }
                // Mostly act on live requests; sometimes on any id (ended, or not yet made), which the rules must refuse.
                long id = !live.isEmpty() && random.nextInt(5) > 0 ? live.get(random.nextInt(live.size())) : 1 + random.nextInt((int) next);
                byte[] input = ("input " + id).getBytes(StandardCharsets.UTF_8);
                byte[] output = random.nextBoolean() ? "right".getBytes(StandardCharsets.UTF_8) : "wrong".getBytes(StandardCharsets.UTF_8);
                ChainAccount prover = provers.get(random.nextInt(2));
                BigInteger before = w.token.balanceOf(w.market.address());
                try {
                    switch (random.nextInt(12)) {
                        case 0, 1 -> {
                            byte[] secret = SampleDraw.newSecret(new java.security.SecureRandom());
                            EthMarket.Terms terms = switch (random.nextInt(3)) {
                                case 0 -> new EthMarket.Terms.Zk();
                                case 1 -> new EthMarket.Terms.Optimistic(30);
                                default -> new EthMarket.Terms.Sampled(5_000, 30, SampleDraw.commitment(secret));
                            };
                            long deadline = chain.now() + 20 + random.nextInt(200);
                            w.as(w.client).submitRequest(w.modelId, ("input " + next).getBytes(StandardCharsets.UTF_8),
                                    BigInteger.valueOf(2_000 + random.nextInt(20_000)), deadline, terms);
                            secrets.add(secret);
                        }
                        case 2, 3 -> w.as(prover).lock(id);
                        case 4 -> {
                            EthMarket.RequestView r = w.market.request(id);
                            ChainAccount holder = r.prover().equalsIgnoreCase(w.prover.address()) ? w.prover : w.prover2;
                            if (r.mode() == EthMarket.Mode.ZK) {
                                byte[] proof = random.nextBoolean() && r.status() == EthMarket.Status.LOCKED ? w.honestProof(id, input, output) : World.bogusProof();
                                w.as(holder).submitZkResult(id, output, input, proof);
                            } else {
                                w.as(holder).submitResult(id, output);
                            }
                        }
                        case 5 -> w.as(random.nextBoolean() ? w.watcher : prover).challenge(id);
                        case 6 -> w.as(w.client).revealSample(id, id < secrets.size() ? secrets.get((int) id) : new byte[32]);
                        case 7 -> {
                            EthMarket.RequestView r = w.market.request(id);
                            ChainAccount holder = r.prover().equalsIgnoreCase(w.prover.address()) ? w.prover : w.prover2;
                            byte[] right = "right".getBytes(StandardCharsets.UTF_8);
                            byte[] posted = java.util.Arrays.equals(r.outputHash(), org.web3j.crypto.Hash.sha3(right)) ? right : "wrong".getBytes(StandardCharsets.UTF_8);
                            byte[] proof = random.nextBoolean() && r.status() == EthMarket.Status.PROOF_DUE ? w.honestProof(id, input, posted) : World.bogusProof();
                            w.as(holder).submitProof(id, input, posted, proof);
                        }
                        case 8 -> w.as(anyone.get(random.nextInt(anyone.size()))).advance(id);
                        case 9 -> w.as(random.nextBoolean() ? w.client : w.watcher).cancel(id);
                        case 10 -> w.as(anyone.get(random.nextInt(anyone.size()))).withdraw(BigInteger.valueOf(1 + random.nextInt(5_000)));
                        default -> chain.advanceTime(1 + random.nextInt(40));
                    }
                    accepted++;
                } catch (ChainException e) {
                    refused++;
                    assertTrue(!e.error().isEmpty(), "a refusal names the contract's error: " + e.getMessage());
                    assertEquals(before, w.token.balanceOf(w.market.address()), "a refusal moves nothing");
                }
                w.checkConservation();
            }
            java.util.Map<EthMarket.Status, Integer> ends = new java.util.TreeMap<>();
            for (long id = 1; id < w.market.nextRequestId(); id++) {
                ends.merge(w.market.request(id).status(), 1, Integer::sum);
            }
            System.out.println("random walk: " + accepted + " accepted, " + refused + " refused; requests by status " + ends
                    + "; slashes " + (w.market.prover(w.prover.address()).slashed() + w.market.prover(w.prover2.address()).slashed()));
            assertTrue(accepted > STEPS / 3, "the walk mostly does things: " + accepted + " of " + STEPS);
        }
    }
}
