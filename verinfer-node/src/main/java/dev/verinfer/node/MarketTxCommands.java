package dev.verinfer.node;

import dev.verinfer.market.DirectoryTensorStore;
import dev.verinfer.market.Mode;
import dev.verinfer.market.StatementCodec;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.zkml.VerifyingKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The client commands that send transactions, on either backend ({@link MarketTarget}): to a node
 * (one signed transaction, printed once committed) or to a market contract on a chain (each
 * transaction simulated, sent, confirmed, its gas printed).
 */
final class MarketTxCommands {
    private MarketTxCommands() {}

    /** A command that acts on a market as the account of --key. */
    abstract static class TxCommand extends BaseCommand {
        @Mixin
        MarketTarget market;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The signing account's key file (a node: Ed25519, 'market keygen'; a chain: secp256k1, 'market chain keygen').")
        Path key;

        @Override final int run(Console console) {
            refuseLocally();
            return MarketChainCommands.onChain(() -> {
                console.result(act(market.as(key), console));
                return ExitCodes.OK;
            });
        }

        abstract Object act(MarketBackend backend, Console console);

        /** Refuses, before the market is reached (and a fee paid), what the command's own files already rule out. */
        void refuseLocally() {}
    }

    @Command(name = "deposit", mixinStandardHelpOptions = true, header = "Credit an account: on a node, signed by the operator's key; on a chain, the signer's own tokens.")
    static final class Deposit extends TxCommand {
        @Option(names = "--to", paramLabel = "ACCOUNT", description = "The account to credit: its id, or its key file (a node: required; a chain: the signer).")
        String to;

        @Option(names = "--amount", required = true, paramLabel = "N", description = "Units to credit (a node: up to 2^63 - 1; a chain: up to 2^256 - 1).")
        BigInteger amount;

        @Override Object act(MarketBackend backend, Console console) {
            return backend.deposit(to, amount, console);
        }
    }

    @Command(name = "register-model", mixinStandardHelpOptions = true, header = "List a compiled model (its verifying key) under the signer, who owns the listing.")
    static final class RegisterModel extends TxCommand {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile'.")
        Path model;

        @Option(names = "--royalty", defaultValue = "0", paramLabel = "N", description = "Units paid to the owner per paid inference (default: 0).")
        BigInteger royalty;

        @Option(names = "--verifier", paramLabel = "ADDRESS", description = "A chain only: the IProofVerifier contract that checks this model's proofs.")
        String verifier;

        @Override Object act(MarketBackend backend, Console console) {
            return backend.registerModel(ModelDir.open(model).verifyingKey(), royalty, verifier, console);
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, header = "Post a private model's weight commitment rotations to the market (the listing's owner).",
            description = {"Posts, in order, the links of DIR/verifying.key.rotations ('verinfer rotate -m DIR') that the signer's listing of the model lacks,",
                    "one RotateWeights transaction each: the node verifies each link against the listing's current weight root, and then accepts proofs under",
                    "every root of the chain. A node only (the market contract has no rotations). Restart the model's provers after rotating: they load the",
                    "proving key at the directory's epoch."})
    static final class Rotate extends TxCommand {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory of a zero-knowledge model written by 'verinfer compile' and rotated by 'verinfer rotate'.")
        Path model;

        @Override Object act(MarketBackend backend, Console console) {
            if (!(backend instanceof MarketBackend.OnNode node)) {
                throw new CliException(ExitCodes.USAGE, "weight rotations are posted to the embedded market (--node): the market contract does not read zero-knowledge keys");
            }
            ModelDir dir = ModelDir.open(model);
            VerifyingKey vk = dir.verifyingKey();
            if (!vk.zeroKnowledge()) {
                throw new CliException(ExitCodes.USAGE, model + " is not a zero-knowledge model (it was compiled with --no-zk): its weight commitment does not rotate");
            }
            return node.rotate(vk, ModelDir.rotations(dir.dir().resolve(ModelDir.VERIFYING_KEY), vk), console);
        }
    }

    @Command(name = "register-prover", mixinStandardHelpOptions = true, header = "Register the signer as a prover with a stake from its balance.")
    static final class RegisterProver extends TxCommand {
        @Option(names = "--stake", required = true, paramLabel = "N", description = "Units moved from the balance to the stake (a chain: up to 2^128 - 1).")
        BigInteger stake;

        @Override Object act(MarketBackend backend, Console console) {
            return backend.registerProver(stake, console);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, header = "The client takes back an open request (nobody has locked it) and its escrow.")
    static final class Cancel extends TxCommand {
        @Parameters(paramLabel = "ID", description = "The request's id.")
        long id;

        @Override Object act(MarketBackend backend, Console console) {
            return backend.cancel(id, console);
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true, header = "Post an inference request with its fee in escrow; print its id.",
            description = "Quantise the input with the model's scales, post it for the model with --max-fee in escrow, and print the request's id ('market status ID', 'market result ID').")
    static final class SubmitRequest extends TxCommand {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile'.")
        Path model;

        @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "Input: EZKL input.json, {\"name\": [...]} or .npy.")
        Path input;

        @Option(names = "--max-fee", required = true, paramLabel = "N", description = "The most the client pays (escrowed; a chain: up to 2^96 - 1).")
        BigInteger maxFee;

        @Option(names = "--mode", defaultValue = "zk", paramLabel = "zk|optimistic|sampled", description = "Verification mode (default: zk).")
        String mode;

        @Option(names = "--window-millis", defaultValue = "10000", paramLabel = "MS", description = "optimistic: the challenge window; sampled: the time to prove when drawn (default: 10000; a chain rounds up to seconds).")
        long windowMillis;

        @Option(names = "--probability-bps", defaultValue = "1000", paramLabel = "BPS", description = "sampled: the probability of a proof being demanded, in basis points (default: 1000).")
        int probabilityBps;

        @Option(names = "--deadline-seconds", defaultValue = "600", paramLabel = "S", description = "Refunded if not served within this long (default: 600).")
        long deadlineSeconds;

        @Option(names = "--owner", paramLabel = "ACCOUNT", description = "The owner whose listing of the model to use (needed once several owners list it).")
        String owner;

        @Option(names = "--secret-out", paramLabel = "FILE", description = "A chain's sampled request: where to keep the secret to reveal ('market chain reveal'); without it every result owes its proof.")
        Path secretOut;

        @Option(names = "--tensors", paramLabel = "DIR", description = {"A node only: commit the input instead of posting it. Its tensors go to the tensor store DIR",
                "(shared with the provers: 'market prover --tensors DIR'), the request names their commitment roots; a private model's",
                "roots are hiding, from a fresh secret seed kept in DIR, so only who reads DIR learns the input."})
        Path tensors;

        @Override Object act(MarketBackend backend, Console console) {
            VerifyingKey vk = ModelDir.open(model).verifyingKey();
            List<TensorInfo> inputs = TensorInfo.inputs(vk.graph());
            NamedInput in = TensorFiles.read(input, TensorInfo.specs(inputs), "input_data");
            List<long[]> quantised = inputs.stream().map(t -> t.quantise(in.values().get(t.name()))).toList();
            if (tensors != null) {
                if (!(backend instanceof MarketBackend.OnNode node)) {
                    throw new CliException(ExitCodes.USAGE, "--tensors (a committed input) is for the embedded market (--node): the market contract has no committed requests");
                }
                long id = node.requestCommitted(vk, owner, CommittedInputs.commit(vk, inputs, quantised, new DirectoryTensorStore(tensors), node.account().id()), maxFee, deadlineSeconds,
                        mode(), console);
                console.line("request    %d (input committed; its values in %s)", id, tensors);
                return Map.of("requestId", id);
            }
            long id = backend.request(vk, owner, StatementCodec.encode(quantised), maxFee, deadlineSeconds, mode(), secretOut, console);
            console.line("request    %d", id);
            return Map.of("requestId", id);
        }

        /** A private model takes ZK requests only: the node refuses the others too, but a chain's market does not read keys. */
        @Override void refuseLocally() {
            if (!(mode() instanceof Mode.Zk) && ModelDir.open(model).verifyingKey().zeroKnowledge()) {
                throw new CliException(ExitCodes.USAGE, "the model in " + model + " is private (compiled in zero knowledge, compile's default): it takes --mode zk requests only,"
                        + " since nobody but its owner can re-run it to challenge a result; for " + mode.toLowerCase(java.util.Locale.ROOT)
                        + " requests its owner lists a plain key of the model, compiled with 'verinfer compile --no-zk'");
            }
        }

        private Mode mode() {
            try {
                return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
                    case "zk" -> new Mode.Zk();
                    case "optimistic" -> new Mode.Optimistic(windowMillis);
                    case "sampled" -> new Mode.Sampled(probabilityBps, windowMillis);
                    default -> throw new CliException(ExitCodes.USAGE, "--mode must be zk, optimistic or sampled, not '" + mode + "'");
                };
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
    }
}
