package dev.verinfer.eth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender on a real node: a dropped transaction is sent again with its nonce and executes once; nonces used behind its back are re-read. */
class ChainAccountTest {
    private static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        chain = new Chain();
    }

    @AfterAll
    static void stopChain() {
        chain.close();
    }

    private static int pending() {
        Map<?, ?> status = (Map<?, ?>) chain.rpc("txpool_status", List.of());
        return new BigInteger(String.valueOf(status.get("pending")).replace("0x", ""), 16).intValue();
    }

    @Test
    void aDroppedTransactionIsResentWithItsNonceAndExecutesOnce() throws Exception {
        ChainAccount holder = chain.account("dropped-holder");
        String token = Erc20.deploySimpleToken(holder, "T", "T", BigInteger.valueOf(1_000), holder.address()).contractAddress();
        Erc20 t = new Erc20(holder, token);
        String to = chain.account("dropped-recipient").address();
        chain.rpc("evm_setAutomine", List.of(false));
        try {
            CompletableFuture<Receipt> sent = CompletableFuture.supplyAsync(() -> t.transfer(to, BigInteger.TEN));
            while (pending() == 0) {
                Thread.sleep(10);
            }
            chain.rpc("anvil_dropAllTransactions", List.of());
            assertEquals(0, pending(), "dropped from the pool");
            while (pending() == 0) { // the sender notices and sends the same signed transaction again
                assertFalse(sent.isDone(), "the sender must not give up on a dropped transaction");
                Thread.sleep(10);
            }
            chain.mine();
            Receipt r = sent.get(60, TimeUnit.SECONDS);
            assertTrue(r.block() > 0);
        } finally {
            chain.rpc("evm_setAutomine", List.of(true));
        }
        chain.mine();
        assertEquals(BigInteger.TEN, t.balanceOf(to), "executed exactly once");
        assertEquals(BigInteger.valueOf(990), t.balanceOf(holder.address()));
    }

    @Test
    void aTransactionReorganisedAwayBeforeItsConfirmationsIsSentAgainAndExecutesOnce() throws Exception {
        ChainAccount holder = chain.account("reorg-holder");
        String token = Erc20.deploySimpleToken(holder, "T", "T", BigInteger.valueOf(1_000), holder.address()).contractAddress();
        ChainAccount careful = new ChainAccount(chain.web3j, Chain.credentials("reorg-holder"), 3, 60_000);
        String to = chain.account("reorg-recipient").address();
        CompletableFuture<Receipt> sent = CompletableFuture.supplyAsync(() -> new Erc20(careful, token).transfer(to, BigInteger.TEN));
        while (new Erc20(holder, token).balanceOf(to).signum() == 0) {
            Thread.sleep(10);
        }
        chain.rpc("anvil_reorg", List.of(1, List.of())); // the block holding the transfer is replaced by an empty one
        assertEquals(BigInteger.ZERO, new Erc20(holder, token).balanceOf(to), "undone by the reorganisation");
        assertFalse(sent.isDone(), "one block is not three confirmations");
        while (!sent.isDone()) {
            chain.mine();
            Thread.sleep(100);
        }
        Receipt r = sent.get();
        assertTrue(r.block() > 0);
        chain.mine();
        assertEquals(BigInteger.TEN, new Erc20(holder, token).balanceOf(to), "executed again, once");
    }

    @Test
    void aTransactionWhoseEstimateFitsTheBlockIsSentThoughItsHeadRoomWouldNot() {
        ChainAccount deployer = chain.account("small-block");
        long used = Erc20.deploySimpleToken(deployer, "T", "T", BigInteger.ONE, deployer.address()).gasUsed();
        // A block limit above the deployment's gas but below the sender's 1.3x head room: the limit sent is capped at the block's.
        chain.rpc("anvil_setBlockGasLimit", List.of("0x" + Long.toHexString(used * 23 / 20)));
        try {
            Receipt r = Erc20.deploySimpleToken(deployer, "T", "T", BigInteger.ONE, deployer.address());
            assertFalse(r.contractAddress().isEmpty());
            assertEquals(used, r.gasUsed());
        } finally {
            chain.rpc("anvil_setBlockGasLimit", List.of("0x" + Long.toHexString(30_000_000L)));
        }
    }

    @Test
    void aNonceUsedByAnotherSenderOfTheSameKeyIsReRead() {
        ChainAccount first = chain.account("shared-key");
        ChainAccount second = chain.account("shared-key");
        String token = Erc20.deploySimpleToken(first, "T", "T", BigInteger.valueOf(1_000), first.address()).contractAddress();
        String to = chain.account("shared-recipient").address();
        new Erc20(second, token).transfer(to, BigInteger.ONE);
        new Erc20(first, token).transfer(to, BigInteger.ONE); // first's cached nonce was used by second
        assertEquals(BigInteger.TWO, new Erc20(first, token).balanceOf(to));
    }

    @Test
    void aTokenCallingBackIntoDepositIsRefused() {
        ChainAccount holder = chain.account("reentry-holder");
        Artifact hostile = Artifact.load(ChainAccountTest.class, "ReenteringTestToken");
        String args = org.web3j.abi.FunctionEncoder.encodeConstructor(List.of(new org.web3j.abi.datatypes.Address(holder.address()),
                new org.web3j.abi.datatypes.generated.Uint256(1_000)));
        String token = holder.deploy(hostile.bytecode() + args.replaceFirst("^0x", ""), d -> d).contractAddress();
        EthMarket market = new EthMarket(holder, EthMarket.deploy(holder, token, holder.address(), EthMarket.Params.defaults()).contractAddress());
        ChainException e = assertThrows(ChainException.class, () -> market.deposit(BigInteger.TEN));
        assertEquals("Reentered", e.error());
        assertEquals(BigInteger.ZERO, market.deposited());
    }

    @Test
    void aRefusalCostsNothingAndSaysWhyInOneLine() {
        ChainAccount holder = chain.account("refused-holder");
        String token = Erc20.deploySimpleToken(holder, "T", "T", BigInteger.valueOf(5), holder.address()).contractAddress();
        ChainException e = assertThrows(ChainException.class, () -> new Erc20(holder, token).transfer(chain.account("x").address(), BigInteger.TEN));
        assertEquals("the contract refused: InsufficientBalance(balance=5, needed=10)", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
