package dev.verinfer.node;

import dev.verinfer.client.KeyFile;
import dev.verinfer.market.Signer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.security.KeyPair;
import java.nio.file.Path;
import java.util.Map;

@Command(name = "keygen", mixinStandardHelpOptions = true, header = "Create an account's key file; print the account id.",
        description = "Generate an Ed25519 key pair into a new key file (readable by its owner only) and print the account id (the first 20 bytes of SHA-256 of the public key, hex). The operator's id is what 'market node --operator' takes.")
final class MarketKeygenCommand extends BaseCommand {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The key file to create (never overwritten).")
    Path out;

    @Override int run(Console console) {
        KeyPair keys = KeyFile.generate();
        try {
            KeyFile.write(out, keys);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        String id = new Signer(keys, "").accountId();
        console.line("account    %s", id);
        console.line("key file   %s", out);
        console.result(Map.of("account", id, "keyFile", out.toString()));
        return ExitCodes.OK;
    }
}
