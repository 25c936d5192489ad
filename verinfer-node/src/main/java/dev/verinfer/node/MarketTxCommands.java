package dev.verinfer.node;

import dev.verinfer.api.TxResult;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Model;
import dev.verinfer.market.StatementCodec;
import dev.verinfer.market.Tx;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.zkml.VerifyingKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The client commands that send one signed transaction and print its result once committed. */
final class MarketTxCommands {
    private MarketTxCommands() {}

    /** A command that signs one transaction with --key and submits it to --node. */
    abstract static class TxCommand extends BaseCommand {
        @Mixin
        NodeOption node;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The signing account's key file.")
        Path key;

        /** Submits; a rejection is an error with the market's reason. */
        TxResult send(RemoteAccount account, Tx body, Console console) {
            TxResult r = account.submit(body);
            if (!r.accepted()) {
                throw new CliException(ExitCodes.USAGE, "the market rejected the " + body.getClass().getSimpleName() + " (block " + r.height() + "): " + r.reason());
            }
            console.line("committed  %s at block %d (transaction %s)", body.getClass().getSimpleName(), r.height(), r.hash());
            return r;
        }
    }

    @Command(name = "deposit", mixinStandardHelpOptions = true, header = "Credit an account (signed by the operator's key).")
    static final class Deposit extends TxCommand {
        @Option(names = "--to", required = true, paramLabel = "ACCOUNT", description = "The account to credit: its id, or its key file.")
        String to;

        @Option(names = "--amount", required = true, paramLabel = "N", description = "Units to credit.")
        long amount;

        @Override int run(Console console) {
            TxResult r = send(node.account(key), new Tx.Deposit(NodeOption.accountId(to), amount), console);
            console.result(r);
            return ExitCodes.OK;
        }
    }

    @Command(name = "register-model", mixinStandardHelpOptions = true, header = "List a compiled model (its verifying key) under the signer, who owns the listing.")
    static final class RegisterModel extends TxCommand {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile'.")
        Path model;

        @Option(names = "--royalty", defaultValue = "0", paramLabel = "N", description = "Units paid to the owner per paid inference (default: 0).")
        long royalty;

        @Override int run(Console console) {
            ModelDir dir = ModelDir.open(model);
            String id = dir.verifyingKey().modelIdHex();
            TxResult r = send(node.account(key), new Tx.RegisterModel(dir.verifyingKey().toBytes(), royalty), console);
            String listing = Model.key(id, node.account(key).id());
            console.line("model id   %s", id);
            console.line("listing    %s (clients name this, or the model id while no other owner lists it)", listing);
            console.result(Map.of("modelId", id, "listing", listing, "height", r.height()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "register-prover", mixinStandardHelpOptions = true, header = "Register the signer as a prover with a stake from its balance.")
    static final class RegisterProver extends TxCommand {
        @Option(names = "--stake", required = true, paramLabel = "N", description = "Units moved from the balance to the stake.")
        long stake;

        @Override int run(Console console) {
            console.result(send(node.account(key), new Tx.RegisterProver(stake), console));
            return ExitCodes.OK;
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true, header = "Post an inference request with its fee in escrow; print its id.",
            description = "Quantise the input with the model's scales, post it for the model with --max-fee in escrow, and print the request's id ('market status ID', 'market result ID').")
    static final class SubmitRequest extends TxCommand {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile'.")
        Path model;

        @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "Input: EZKL input.json, {\"name\": [...]} or .npy.")
        Path input;

        @Option(names = "--max-fee", required = true, paramLabel = "N", description = "The most the client pays (escrowed).")
        long maxFee;

        @Option(names = "--mode", defaultValue = "zk", paramLabel = "zk|optimistic|sampled", description = "Verification mode (default: zk).")
        String mode;

        @Option(names = "--window-millis", defaultValue = "10000", paramLabel = "MS", description = "optimistic: the challenge window; sampled: the time to prove when drawn (default: 10000).")
        long windowMillis;

        @Option(names = "--probability-bps", defaultValue = "1000", paramLabel = "BPS", description = "sampled: the probability of a proof being demanded, in basis points (default: 1000).")
        int probabilityBps;

        @Option(names = "--deadline-seconds", defaultValue = "600", paramLabel = "S", description = "Refunded if not served within this long (default: 600).")
        long deadlineSeconds;

        @Option(names = "--owner", paramLabel = "ACCOUNT", description = "The owner whose listing of the model to use (needed once several owners list it).")
        String owner;

        @Override int run(Console console) {
            VerifyingKey vk = ModelDir.open(model).verifyingKey();
            List<TensorInfo> inputs = TensorInfo.inputs(vk.graph());
            NamedInput in = TensorFiles.read(input, TensorInfo.specs(inputs), "input_data");
            List<long[]> quantised = inputs.stream().map(t -> t.quantise(in.values().get(t.name()))).toList();
            Mode m = mode();
            RemoteAccount account = node.account(key);
            String modelId = owner == null ? vk.modelIdHex() : Model.key(vk.modelIdHex(), owner);
            long before = node.client().requests("client=" + account.id()).stream().mapToLong(r -> r.id()).max().orElse(0);
            TxResult r = send(account, new Tx.SubmitRequest(modelId, StatementCodec.encode(quantised), maxFee,
                    node.client().head().timeMillis() + deadlineSeconds * 1000, m), console);
            long id = node.client().requests("client=" + account.id() + "&after=" + before).getFirst().id();
            console.line("request    %d", id);
            console.result(Map.of("requestId", id, "height", r.height()));
            return ExitCodes.OK;
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
