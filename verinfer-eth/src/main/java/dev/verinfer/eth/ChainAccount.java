package dev.verinfer.eth;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;

/**
 * One Ethereum account (a secp256k1 key) sending transactions to one node, one at a time.
 *
 * <p>Each transaction is first simulated ({@code eth_estimateGas}), so that a refusal by the
 * contract is reported as its decoded custom error and costs nothing. It is then signed (EIP-1559,
 * with this account's next nonce, bound to the chain id) and sent, and the account waits for its
 * receipt and {@code confirmations} blocks on top. A transaction that leaves the node's pool
 * without being mined (dropped, or undone by a reorganisation) is sent again, the same signed bytes
 * with the same nonce, so it can never be executed twice. A nonce the chain reports as used
 * re-reads the account's nonce from the chain and signs again.
 */
public final class ChainAccount {
    private static final long POLL_MILLIS = 50;
    /** Polls between checks whether an unmined transaction is still in the node's pool. */
    private static final int POLLS_PER_POOL_CHECK = 20;

    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;
    private final int confirmations;
    private final long timeoutMillis;
    private BigInteger nextNonce;

    /**
     * @param confirmations blocks a receipt must have (1: mined; more on a chain that can reorganise)
     * @param timeoutMillis how long to wait for a receipt before giving up
     */
    public ChainAccount(Web3j web3j, Credentials credentials, int confirmations, long timeoutMillis) {
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations must be at least 1, not " + confirmations);
        }
        this.web3j = web3j;
        this.credentials = credentials;
        this.confirmations = confirmations;
        this.timeoutMillis = timeoutMillis;
        this.chainId = rpc(() -> web3j.ethChainId().send(), "eth_chainId").getChainId().longValueExact();
    }

    /** An account that waits for one confirmation and at most two minutes. */
    public ChainAccount(Web3j web3j, Credentials credentials) {
        this(web3j, credentials, 1, 120_000);
    }

    public String address() {
        return credentials.getAddress();
    }

    public Web3j web3j() {
        return web3j;
    }

    public long chainId() {
        return chainId;
    }

    /** A read-only call against the latest block; a revert becomes a {@link ChainException} described by {@code describe}. */
    public String call(String to, String data, Function<String, String> describe) {
        var r = rpc(() -> web3j.ethCall(Transaction.createEthCallTransaction(address(), to, data), DefaultBlockParameterName.LATEST).send(), "eth_call");
        if (r.hasError() || r.isReverted()) {
            throw r.hasError() ? refused(r.getError(), describe) : refused(r.getRevertReasonEncodedData(), describe);
        }
        return r.getValue();
    }

    /** The code at {@code address} in the latest block (empty for an account without code). */
    public byte[] code(String address) {
        return Numeric.hexStringToByteArray(rpc(() -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send(), "eth_getCode").getCode());
    }

    /** Deploys a contract: creation bytecode followed by the ABI-encoded constructor arguments. */
    public synchronized Receipt deploy(String bytecodeWithArgs, Function<String, String> describe) {
        return send(null, bytecodeWithArgs, describe);
    }

    /** Sends a transaction calling {@code to} with {@code data} and waits until it is mined and confirmed. */
    public synchronized Receipt send(String to, String data, Function<String, String> describe) {
        return send(to, data, describe, Long.MAX_VALUE);
    }

    /**
     * The same with a gas limit of at most {@code maxGas} (a chain's per-transaction cap, EIP-7825's 2^24):
     * refused here, unsent, when the estimate is above it.
     */
    public synchronized Receipt send(String to, String data, Function<String, String> describe, long maxGas) {
        return send(to, data, describe, estimate(to, data, describe), maxGas);
    }

    /** The same on an estimate the caller has already made ({@link #estimateGas}): one simulation fewer (a node's estimate searches). */
    synchronized Receipt send(String to, String data, Function<String, String> describe, BigInteger gas, long maxGas) {
        if (gas.compareTo(BigInteger.valueOf(maxGas)) > 0) {
            throw new ChainException("", "the transaction needs " + gas + " gas, over the cap of " + maxGas + " a transaction");
        }
        // Head room over the estimate: the proof verifier's STATICCALL gets only 63/64 of what is left (EIP-150).
        // Never above the block's gas limit either: a node refuses such a transaction outright, though the estimate fits.
        BigInteger gasLimit = gas.multiply(BigInteger.valueOf(13)).divide(BigInteger.TEN).add(BigInteger.valueOf(20_000))
                .min(BigInteger.valueOf(maxGas)).min(blockGasLimit());
        for (int attempt = 0; ; attempt++) {
            BigInteger nonce = nonce();
            BigInteger priority = rpc(() -> web3j.ethMaxPriorityFeePerGas().send(), "eth_maxPriorityFeePerGas").getMaxPriorityFeePerGas();
            BigInteger gasPrice = rpc(() -> web3j.ethGasPrice().send(), "eth_gasPrice").getGasPrice();
            BigInteger maxFee = gasPrice.multiply(BigInteger.TWO).add(priority);
            RawTransaction raw = RawTransaction.createTransaction(chainId, nonce, gasLimit, to == null ? "" : to, BigInteger.ZERO, data, priority, maxFee);
            String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, credentials));
            String hash = Hash.sha3(signed);
            String error = submit(signed);
            if (error != null && error.toLowerCase().contains("nonce too low") && attempt < 3) {
                nextNonce = null; // another sender of this key used it: re-read and sign again
                continue;
            }
            if (error != null) {
                throw new ChainException("", "the node refused the transaction: " + error);
            }
            nextNonce = nonce.add(BigInteger.ONE);
            TransactionReceipt receipt = await(hash, signed);
            if (!receipt.isStatusOK()) {
                // The state moved between the simulation and the block: say why it fails now.
                estimate(to, data, describe);
                throw new ChainException("", "transaction " + hash + " reverted on chain in block " + receipt.getBlockNumber());
            }
            return new Receipt(hash, receipt.getBlockNumber().longValueExact(), receipt.getGasUsed().longValueExact(),
                    receipt.getContractAddress() == null ? "" : receipt.getContractAddress(), receipt.getLogs());
        }
    }

    /** The gas limit of the pending block, the one a transaction sent now joins: no transaction may ask for more. */
    private BigInteger blockGasLimit() {
        return rpc(() -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.PENDING, false).send(), "eth_getBlockByNumber").getBlock().getGasLimit();
    }

    /** The gas a transaction calling {@code to} with {@code data} would take (eth_estimateGas); a refusal throws as {@link #send} would. */
    public long estimateGas(String to, String data, Function<String, String> describe) {
        return estimate(to, data, describe).longValueExact();
    }

    private BigInteger estimate(String to, String data, Function<String, String> describe) {
        Transaction tx = to == null ? Transaction.createContractTransaction(address(), null, null, data)
                : Transaction.createEthCallTransaction(address(), to, data);
        var r = rpc(() -> web3j.ethEstimateGas(tx).send(), "eth_estimateGas");
        if (r.hasError()) {
            throw refused(r.getError(), describe);
        }
        return r.getAmountUsed();
    }

    private BigInteger nonce() {
        if (nextNonce == null) {
            nextNonce = rpc(() -> web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING).send(), "eth_getTransactionCount").getTransactionCount();
        }
        return nextNonce;
    }

    /** Sends signed bytes; returns the node's error, or null if accepted (or already known to it). */
    private String submit(String signed) {
        EthSendTransaction sent = rpc(() -> web3j.ethSendRawTransaction(signed).send(), "eth_sendRawTransaction");
        if (!sent.hasError()) {
            return null;
        }
        String message = sent.getError().getMessage();
        return message.toLowerCase().contains("already known") ? null : message;
    }

    /**
     * Waits for the receipt of {@code hash} with {@code confirmations} blocks, re-sending
     * {@code signed} whenever the transaction is neither mined nor in the pool (dropped, or its block
     * reorganised away).
     */
    private TransactionReceipt await(String hash, String signed) {
        long giveUp = System.nanoTime() + timeoutMillis * 1_000_000;
        for (int poll = 1; System.nanoTime() < giveUp; poll++) {
            Optional<TransactionReceipt> receipt = rpc(() -> web3j.ethGetTransactionReceipt(hash).send(), "eth_getTransactionReceipt").getTransactionReceipt();
            if (receipt.isPresent()) {
                long head = rpc(() -> web3j.ethBlockNumber().send(), "eth_blockNumber").getBlockNumber().longValueExact();
                if (head - receipt.get().getBlockNumber().longValueExact() + 1 >= confirmations) {
                    return receipt.get();
                }
            } else if (poll % POLLS_PER_POOL_CHECK == 0
                    && rpc(() -> web3j.ethGetTransactionByHash(hash).send(), "eth_getTransactionByHash").getTransaction().isEmpty()) {
                String error = submit(signed);
                if (error != null && error.toLowerCase().contains("nonce too low")) {
                    // Our nonce was used: by this very transaction (then the receipt shows up) or by another one.
                    if (rpc(() -> web3j.ethGetTransactionReceipt(hash).send(), "eth_getTransactionReceipt").getTransactionReceipt().isEmpty()) {
                        nextNonce = null;
                        throw new ChainException("", "transaction " + hash + " was dropped and its nonce used by another transaction of "
                                + address() + "; re-read the state before retrying");
                    }
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("interrupted while waiting for transaction " + hash, e);
            }
        }
        throw new ChainException("", "transaction " + hash + " was not mined within " + timeoutMillis + " ms");
    }

    /** A node's error: a contract's revert (its data decoded) or another refusal (no funds for gas, ...) in the node's words. */
    private static ChainException refused(Response.Error e, Function<String, String> describe) {
        // web3j keeps the error's data as raw JSON: a revert's is a quoted hex string.
        String data = e.getData() == null ? "" : e.getData().strip().replace("\"", "");
        if (data.startsWith("0x") && data.length() >= 10) {
            return refused(data, describe);
        }
        return new ChainException("", "the node refused the transaction: " + e.getMessage());
    }

    private static ChainException refused(String revertData, Function<String, String> describe) {
        String why = describe.apply(revertData);
        String name = why.contains("(") ? why.substring(0, why.indexOf('(')) : "";
        return new ChainException(name, "the contract refused: " + why);
    }

    interface Rpc<T> {
        T send() throws IOException;
    }

    static <T extends Response<?>> T rpc(Rpc<T> call, String method) {
        try {
            return call.send();
        } catch (IOException e) {
            throw new ChainException("the node did not answer " + method + ": " + e.getMessage(), e);
        }
    }
}
