package dev.verinfer.node;

import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.ChainException;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.eth.Receipt;
import dev.verinfer.eth.VerifierSession;
import dev.verinfer.zkml.VerifyingKey;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The market on an Ethereum chain ({@code verinfer-eth}): {@code market deploy} deploys the
 * contract and writes a deployment file; {@code market chain VERB} makes one contract call that has
 * no counterpart among the client commands (lock, post a result, challenge, reveal, prove, advance),
 * for a party acting by hand. The client commands ({@code market deposit|register-model|request|...
 * --chain}) and the prover and watcher processes act on a chain through {@link MarketBackend}.
 * Accounts are secp256k1 key files ({@code market chain keygen}), not the embedded market's Ed25519 keys.
 */
final class MarketChainCommands {
    private MarketChainCommands() {}

    /** Runs a command body; a chain's refusal or silence is a one-line error (exit code 2). */
    static <T> T onChain(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (ChainException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** A command that talks to a chain as one account. */
    abstract static class ChainCommand extends BaseCommand {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The account's Ethereum key file (market chain keygen).")
        Path key;

        @Override final int run(Console console) {
            return onChain(() -> act(console));
        }

        abstract int act(Console console);

        static void gas(Console console, String step, Receipt r) {
            MarketBackend.OnChain.gas(console, step, r);
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, header = "Deploy the market contract on an Ethereum chain; write a deployment file.",
            description = {"Deploys VerinferMarket with the embedded market's default parameters (in seconds), paid in the ERC-20 token --token;",
                    "without --token, first deploys a plain fixed-supply SimpleToken whose whole supply belongs to the deployer (for a local chain).",
                    "The protocol fees and slash shares go to --treasury (default: the deployer)."})
    static final class Deploy extends ChainCommand {
        @Option(names = "--chain", required = true, paramLabel = "URL", description = "The chain's JSON-RPC endpoint, e.g. http://127.0.0.1:8545.")
        String chain;

        @Option(names = "--confirmations", defaultValue = "1", paramLabel = "N", description = "Blocks a transaction must have before it counts (default: 1).")
        int confirmations;

        @Option(names = "--token", paramLabel = "ADDRESS", description = "The ERC-20 token the market is paid in (default: deploy a SimpleToken).")
        String token;

        @Option(names = "--supply", defaultValue = "1000000000000000000000000", paramLabel = "N", description = "The SimpleToken's supply when one is deployed (default: 10^24).")
        BigInteger supply;

        @Option(names = "--treasury", paramLabel = "ADDRESS", description = "Where protocol fees and the treasury's slash shares go (default: the deployer).")
        String treasury;

        @Option(names = {"-o", "--output"}, defaultValue = "deployment.json", paramLabel = "FILE", description = "The deployment file to write (default: deployment.json).")
        Path out;

        @Override int act(Console console) {
            if (Files.exists(out)) {
                throw new CliException(ExitCodes.USAGE, out + " exists: a deployment file is never overwritten");
            }
            ChainAccount a = ChainMarket.account(chain, key, confirmations);
            String tokenAddress = token;
            if (tokenAddress == null) {
                Receipt t = Erc20.deploySimpleToken(a, "verinfer test token", "VIT", supply, a.address());
                gas(console, "token", t);
                tokenAddress = t.contractAddress();
            }
            Receipt m = EthMarket.deploy(a, tokenAddress, treasury == null ? a.address() : treasury, EthMarket.Params.defaults());
            gas(console, "market", m);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("chain", chain);
            d.put("chainId", a.chainId());
            d.put("market", m.contractAddress());
            d.put("token", tokenAddress);
            d.put("block", m.block());
            FileIO.write(out, Json.bytes(d), "deployment file");
            console.line("market     %s", m.contractAddress());
            console.line("token      %s", tokenAddress);
            console.line("deployment %s", out);
            console.result(d);
            return ExitCodes.OK;
        }
    }

    @Command(name = "chain", mixinStandardHelpOptions = true, header = "Act on a market deployed on an Ethereum chain ('market deploy').",
            description = {"Every verb sends one transaction (simulated first: a refusal prints the contract's reason and exits with code 2), waits for it",
                    "and prints its gas. The market is named by --deployment (the file 'market deploy' wrote) or --chain URL --contract ADDRESS.",
                    "The client commands take the same options: market deposit|register-model|register-prover|request|cancel|status|result|account|prover|watcher --chain ...",
                    "Proofs are checked by the IProofVerifier contract registered with each model."},
            subcommands = {Keygen.class, RegisterKey.class, Lock.class, Result.class, Challenge.class, Reveal.class, Prove.class, Advance.class, CommandLine.HelpCommand.class})
    static final class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true, header = "Create an Ethereum account's key file; print its address.")
    static final class Keygen extends BaseCommand {
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The key file to create (never overwritten).")
        Path out;

        @Override int run(Console console) {
            Credentials c = EthKeys.generate(new SecureRandom());
            try {
                EthKeys.write(c, out);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot create key file " + out + ": " + e, e);
            }
            console.line("address    %s", c.getAddress());
            console.result(Map.of("address", c.getAddress(), "keyFile", out.toString()));
            return ExitCodes.OK;
        }
    }

    /** A verb on a deployed market. */
    abstract static class MarketVerb extends ChainCommand {
        @Mixin
        ChainOption target;

        EthMarket market() {
            return target.connect(key).market();
        }

        static byte[] hex32(String hex, String what) {
            byte[] b;
            try {
                b = Numeric.hexStringToByteArray(hex);
            } catch (RuntimeException e) {
                b = new byte[0];
            }
            if (b.length != 32) {
                throw new CliException(ExitCodes.USAGE, what + " is 32 bytes in hex (64 digits), not '" + hex + "'");
            }
            return b;
        }

        static byte[] read(Path file) {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "register-key", mixinStandardHelpOptions = true,
            header = "Verify a compiled model's proofs on chain: register its key with a verifier session, list the model with the session as its verifier.",
            description = {"Compiles the model's verifying key into the key ZkmlVerifierSession takes (cfg, function tables, layer program, registers, weight root,",
                    "arities, WHIR parameter set), registers it there (its vkHash is the hash of those parts: anyone may register it) and lists the model on",
                    "the market under that vkHash, owned by --key and paid --royalty, with the session as its IProofVerifier. The session is --session ADDRESS,",
                    "else the deployment file's \"session\", else a new one is deployed (with its four stage contracts) and recorded in the deployment file.",
                    "The session verifies proofs of one inference with public inputs and outputs on a WHIR key without zero knowledge (no batch proofs, no",
                    "committed inputs or outputs): 'market prover' proves its requests one by one; clients request it by its model directory as usual."})
    static final class RegisterKey extends MarketVerb {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "The model directory ('verinfer compile').")
        Path model;

        @Option(names = "--session", paramLabel = "ADDRESS", description = "The ZkmlVerifierSession to use (default: the deployment file's, else a new one).")
        String session;

        @Option(names = "--royalty", defaultValue = "0", paramLabel = "N", description = "The owner's royalty per settled request (default: 0).")
        BigInteger royalty;

        @Option(names = "--max-tx-gas", paramLabel = "GAS", description = {"The most gas one transaction may take (default: 16777216, EIP-7825's cap): a key",
                "whose registration takes more is registered in parts (its chunks, then the seal), each part's gas printed."})
        long maxTxGas = VerifierSession.TX_GAS_CAP;

        @Override int act(Console console) {
            if (maxTxGas < 21_000) throw new CliException(ExitCodes.USAGE, "--max-tx-gas must be 21000 or more, not " + maxTxGas);
            VerifyingKey vk = ModelDir.open(model).verifyingKey();
            VerifierSession.KeyParts parts = SessionKeys.compile(vk, model);
            ChainMarket c = target.connect(key);
            VerifierSession s = session(c, console);
            java.util.List<VerifierSession.Step> steps = s.register(parts, maxTxGas);
            for (int i = 0; i < steps.size(); i++) {
                gas(console, steps.size() == 1 ? "key" : i < steps.size() - 1 ? "key " + (i + 1) + "/" + steps.size() : "key seal", steps.get(i).receipt());
            }
            VerifierSession.Step registered = steps.getLast();
            if (!java.util.Arrays.equals(registered.handover(), parts.vkHash())) {
                throw new CliException(ExitCodes.USAGE, "the session at " + s.address() + " registered the key as " + Numeric.toHexString(registered.handover())
                        + ", this verinfer computes " + Numeric.toHexString(parts.vkHash()) + ": the session is another version");
            }
            console.line("vkHash     %s (model id %s, %s)", Numeric.toHexString(parts.vkHash()), vk.modelIdHex(), vk.security().label());
            Map<String, Object> listed = new LinkedHashMap<>(new MarketBackend.OnChain(c).list(parts.vkHash(), royalty, s.address(), console));
            listed.put("session", s.address());
            console.result(listed);
            return ExitCodes.OK;
        }

        /** --session, else the deployment file's session, else a new session recorded in the deployment file (if the market is named by one). */
        private VerifierSession session(ChainMarket c, Console console) {
            Path file = target.deploymentFile();
            String address = session != null ? session : file == null ? null : ChainMarket.deploymentFile(file).path("session").asText(null);
            if (address != null) {
                return VerifierSession.at(c.account(), address)
                        .orElseThrow(() -> new CliException(ExitCodes.USAGE, "no verifier session (ZkmlVerifierSession) at " + address + " on " + c.url()));
            }
            Receipt deployed = VerifierSession.deploy(c.account(), VerifierSession.deployStages(c.account()));
            gas(console, "session", deployed);
            if (file != null) {
                com.fasterxml.jackson.databind.node.ObjectNode d = (com.fasterxml.jackson.databind.node.ObjectNode) ChainMarket.deploymentFile(file);
                d.put("session", deployed.contractAddress());
                FileIO.write(file, Json.bytes(d), "deployment file");
            }
            console.line("session    %s%s", deployed.contractAddress(), file == null ? "" : " (recorded in " + file + ")");
            return new VerifierSession(c.account(), deployed.contractAddress());
        }
    }

    /** A verb on one request. */
    abstract static class RequestVerb extends MarketVerb {
        @Option(names = "--id", required = true, paramLabel = "N", description = "The request id.")
        long id;
    }

    @Command(name = "lock", mixinStandardHelpOptions = true, header = "Lock an open request at the auction's current price, posting collateral.")
    static final class Lock extends RequestVerb {
        @Override int act(Console console) {
            EthMarket m = market();
            gas(console, "lock", m.lock(id));
            EthMarket.RequestView r = m.request(id);
            console.line("price      %s (collateral %s, result due by %d)", r.price(), r.collateral(), r.lockExpiresAt());
            return ExitCodes.OK;
        }
    }

    @Command(name = "result", mixinStandardHelpOptions = true, header = "Post the result of a locked request (ZK: with --input and --proof).")
    static final class Result extends RequestVerb {
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The output bytes.")
        Path output;

        @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "ZK only: the request's input bytes (checked by hash).")
        Path input;

        @Option(names = {"-p", "--proof"}, paramLabel = "FILE", description = "ZK only: the proof for the model's verifier contract.")
        Path proof;

        @Override int act(Console console) {
            EthMarket m = market();
            Receipt r = proof == null ? m.submitResult(id, read(output))
                    : m.submitZkResult(id, read(output), input == null ? new byte[0] : read(input), read(proof));
            gas(console, "result", r);
            console.line("status     %s", m.request(id).status());
            return ExitCodes.OK;
        }
    }

    @Command(name = "challenge", mixinStandardHelpOptions = true, header = "Challenge an optimistic result within its window, posting the bond.")
    static final class Challenge extends RequestVerb {
        @Override int act(Console console) {
            gas(console, "challenge", market().challenge(id));
            return ExitCodes.OK;
        }
    }

    @Command(name = "reveal", mixinStandardHelpOptions = true, header = "Reveal a sampled request's secret (the client, after the result): draws it.")
    static final class Reveal extends RequestVerb {
        @Option(names = "--secret", required = true, paramLabel = "FILE", description = "The file 'request --secret-out' wrote.")
        Path secret;

        @Override int act(Console console) {
            EthMarket m = market();
            gas(console, "reveal", m.revealSample(id, hex32(new String(read(secret), java.nio.charset.StandardCharsets.US_ASCII).strip(), "the secret")));
            console.line("status     %s", m.request(id).status());
            return ExitCodes.OK;
        }
    }

    @Command(name = "prove", mixinStandardHelpOptions = true, header = "Answer a challenge or a draw with the proof of the posted output.")
    static final class Prove extends RequestVerb {
        @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "The request's input bytes.")
        Path input;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The posted output bytes.")
        Path output;

        @Option(names = {"-p", "--proof"}, required = true, paramLabel = "FILE", description = "The proof for the model's verifier contract.")
        Path proof;

        @Override int act(Console console) {
            EthMarket m = market();
            gas(console, "prove", m.submitProof(id, read(input), read(output), read(proof)));
            console.line("status     %s", m.request(id).status());
            return ExitCodes.OK;
        }
    }

    @Command(name = "advance", mixinStandardHelpOptions = true, header = "Make the timer transition due on a request: refund, slash a silent prover, settle.")
    static final class Advance extends RequestVerb {
        @Override int act(Console console) {
            EthMarket m = market();
            gas(console, "advance", m.advance(id));
            console.line("status     %s", m.request(id).status());
            return ExitCodes.OK;
        }
    }
}
