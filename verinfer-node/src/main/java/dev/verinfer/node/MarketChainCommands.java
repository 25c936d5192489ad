package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.ChainException;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.eth.Receipt;
import dev.verinfer.eth.SampleDraw;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
 * contract and writes a deployment file; {@code market chain VERB} sends one transaction to it.
 * Accounts are secp256k1 key files ({@code market chain keygen}), not the embedded market's Ed25519 keys.
 */
final class MarketChainCommands {
    private MarketChainCommands() {}

    /** A command that talks to a chain as one account. */
    abstract static class ChainCommand extends BaseCommand {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The account's Ethereum key file (market chain keygen).")
        Path key;

        @Option(names = "--confirmations", defaultValue = "1", paramLabel = "N", description = "Blocks a transaction must have before it counts (default: 1).")
        int confirmations;

        ChainAccount account(String url) {
            Credentials c;
            try {
                c = EthKeys.read(key);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CliException(ExitCodes.USAGE, "no key file " + key + " (create one with 'market chain keygen')", e);
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read key file " + key + ": " + e.getMessage(), e);
            }
            try {
                return new ChainAccount(Web3j.build(new HttpService(url)), c, confirmations, 120_000);
            } catch (ChainException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }

        @Override final int run(Console console) {
            try {
                return act(console);
            } catch (ChainException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }

        abstract int act(Console console);

        static void gas(Console console, String step, Receipt r) {
            console.line("%-12s block %d, gas %d (transaction %s)", step, r.block(), r.gasUsed(), r.txHash());
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, header = "Deploy the market contract on an Ethereum chain; write a deployment file.",
            description = {"Deploys VerinferMarket with the embedded market's default parameters (in seconds), paid in the ERC-20 token --token;",
                    "without --token, first deploys a plain fixed-supply SimpleToken whose whole supply belongs to the deployer (for a local chain).",
                    "The protocol fees and slash shares go to --treasury (default: the deployer)."})
    static final class Deploy extends ChainCommand {
        @Option(names = "--chain", required = true, paramLabel = "URL", description = "The chain's JSON-RPC endpoint, e.g. http://127.0.0.1:8545.")
        String chain;

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
            ChainAccount a = account(chain);
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
                    "and prints its gas. The market is named by --deployment (the file 'market deploy' wrote).",
                    "Proofs are checked by the model's IProofVerifier contract; no verifier of verinfer proofs exists on chain yet."},
            subcommands = {Keygen.class, Deposit.class, RegisterModel.class, RegisterProver.class, Request.class, Lock.class, Result.class,
                    Challenge.class, Reveal.class, Prove.class, Advance.class, Cancel.class, Status.class, CommandLine.HelpCommand.class})
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
        @Option(names = "--deployment", defaultValue = "deployment.json", paramLabel = "FILE", description = "The deployment file (default: deployment.json).")
        Path deployment;

        @Option(names = "--chain", paramLabel = "URL", description = "The chain's JSON-RPC endpoint (default: the deployment file's).")
        String chain;

        JsonNode deploymentFile() {
            try {
                return Json.MAPPER.readTree(Files.readAllBytes(deployment));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CliException(ExitCodes.USAGE, "no deployment file " + deployment + " (written by 'market deploy')", e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read deployment file " + deployment + ": " + e.getMessage(), e);
            }
        }

        EthMarket market() {
            JsonNode d = deploymentFile();
            return new EthMarket(account(chain != null ? chain : d.path("chain").asText()), d.path("market").asText());
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

    /** A verb on one request. */
    abstract static class RequestVerb extends MarketVerb {
        @Option(names = "--id", required = true, paramLabel = "N", description = "The request id.")
        long id;
    }

    @Command(name = "deposit", mixinStandardHelpOptions = true, header = "Approve and move tokens into the account's balance in the market.")
    static final class Deposit extends MarketVerb {
        @Option(names = "--amount", required = true, paramLabel = "N", description = "Token units.")
        BigInteger amount;

        @Override int act(Console console) {
            JsonNode d = deploymentFile();
            ChainAccount a = account(chain != null ? chain : d.path("chain").asText());
            EthMarket m = new EthMarket(a, d.path("market").asText());
            gas(console, "approve", new Erc20(a, d.path("token").asText()).approve(m.address(), amount));
            gas(console, "deposit", m.deposit(amount));
            console.line("balance    %s", m.balanceOf(a.address()));
            console.result(Map.of("balance", m.balanceOf(a.address())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "register-model", mixinStandardHelpOptions = true, header = "Register a model with the contract that checks its proofs; the signer owns it.")
    static final class RegisterModel extends MarketVerb {
        @Option(names = {"-m", "--model"}, paramLabel = "DIR", description = "Model directory written by 'verinfer compile' (its verifying key's model id is the key hash).")
        Path model;

        @Option(names = "--vk-hash", paramLabel = "HEX", description = "The verifying key's hash, instead of --model.")
        String vkHash;

        @Option(names = "--verifier", required = true, paramLabel = "ADDRESS", description = "The IProofVerifier contract that checks this model's proofs.")
        String verifier;

        @Option(names = "--royalty", defaultValue = "0", paramLabel = "N", description = "Units paid to the owner per paid inference (default: 0).")
        BigInteger royalty;

        @Override int act(Console console) {
            if ((model == null) == (vkHash == null)) {
                throw new CliException(ExitCodes.USAGE, "give exactly one of --model and --vk-hash");
            }
            byte[] vk = model != null ? ModelDir.open(model).verifyingKey().modelId() : hex32(vkHash, "--vk-hash");
            EthMarket m = market();
            gas(console, "register", m.registerModel(vk, verifier, royalty));
            String id = Numeric.toHexString(m.modelIdOf(accountAddress(m), vk));
            console.line("model id   %s", id);
            console.result(Map.of("modelId", id));
            return ExitCodes.OK;
        }
    }

    static String accountAddress(EthMarket m) {
        return m.account().address();
    }

    @Command(name = "register-prover", mixinStandardHelpOptions = true, header = "Register the signer as a prover with a stake from its balance.")
    static final class RegisterProver extends MarketVerb {
        @Option(names = "--stake", required = true, paramLabel = "N", description = "Units moved from the balance to the stake.")
        BigInteger stake;

        @Override int act(Console console) {
            gas(console, "register", market().registerProver(stake));
            return ExitCodes.OK;
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true, header = "Escrow a fee for an inference of a model on an input file.")
    static final class Request extends MarketVerb {
        @Option(names = "--model-id", required = true, paramLabel = "HEX", description = "The model id ('register-model' printed it).")
        String modelId;

        @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "The input bytes (the market keeps their hash; the event carries them).")
        Path input;

        @Option(names = "--max-fee", required = true, paramLabel = "N", description = "Units escrowed; the auction starts at half.")
        BigInteger maxFee;

        @Option(names = "--deadline-in", defaultValue = "3600", paramLabel = "SECONDS", description = "The deadline, from now (default: 3600).")
        long deadlineIn;

        @Option(names = "--mode", defaultValue = "zk", paramLabel = "MODE", description = "zk, optimistic:WINDOW_S or sampled:BPS:WINDOW_S (default: zk).")
        String mode;

        @Option(names = "--secret-out", paramLabel = "FILE", description = "For sampled: where to keep the secret to reveal (required with sampled).")
        Path secretOut;

        @Override int act(Console console) {
            EthMarket.Terms terms = terms();
            EthMarket m = market();
            long now = latestTime(m);
            Receipt r = m.submitRequest(hex32(modelId, "--model-id"), read(input), maxFee, now + deadlineIn, terms);
            long id = m.requestId(r);
            gas(console, "request", r);
            console.line("request    %d", id);
            console.result(Map.of("id", id, "block", r.block()));
            return ExitCodes.OK;
        }

        private EthMarket.Terms terms() {
            String[] p = mode.split(":");
            try {
                return switch (p[0]) {
                    case "zk" -> new EthMarket.Terms.Zk();
                    case "optimistic" -> new EthMarket.Terms.Optimistic(Long.parseLong(p[1]));
                    case "sampled" -> {
                        if (secretOut == null) {
                            throw new CliException(ExitCodes.USAGE, "a sampled request needs --secret-out FILE to keep the secret it reveals after the result");
                        }
                        byte[] secret = SampleDraw.newSecret(new SecureRandom());
                        FileIO.write(secretOut, (Numeric.toHexString(secret) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), "sampling secret");
                        yield new EthMarket.Terms.Sampled(Integer.parseInt(p[1]), Long.parseLong(p[2]), SampleDraw.commitment(secret));
                    }
                    default -> throw new IllegalArgumentException(p[0]);
                };
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new CliException(ExitCodes.USAGE, "--mode is zk, optimistic:WINDOW_S or sampled:BPS:WINDOW_S, not '" + mode + "'");
            }
        }
    }

    static long latestTime(EthMarket m) {
        try {
            return m.account().web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send()
                    .getBlock().getTimestamp().longValueExact();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "the chain did not answer eth_getBlockByNumber: " + e.getMessage(), e);
        }
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

    @Command(name = "cancel", mixinStandardHelpOptions = true, header = "The client takes back an open request (nobody has locked it) and its escrow.")
    static final class Cancel extends RequestVerb {
        @Override int act(Console console) {
            gas(console, "cancel", market().cancel(id));
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Print a request as the contract stores it.")
    static final class Status extends RequestVerb {
        @Override int act(Console console) {
            EthMarket.RequestView r = market().request(id);
            if (r.status() == EthMarket.Status.NONE) {
                throw new CliException(ExitCodes.USAGE, "no request " + id);
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", r.id());
            v.put("status", r.status().name());
            v.put("mode", r.mode().name());
            v.put("client", r.client());
            v.put("maxFee", r.maxFee());
            v.put("prover", r.prover());
            v.put("price", r.price());
            v.put("deadline", r.deadline());
            v.put("outputHash", Numeric.toHexString(r.outputHash()));
            v.forEach((k, val) -> console.line("%-10s %s", k, val));
            console.result(v);
            return ExitCodes.OK;
        }
    }
}
