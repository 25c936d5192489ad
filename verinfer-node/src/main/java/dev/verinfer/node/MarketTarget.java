package dev.verinfer.node;

import picocli.CommandLine.Mixin;

import java.nio.file.Path;

/**
 * Which market a client command acts on: the embedded market behind a node's API ({@code --node},
 * Ed25519 key files), or a market contract on an Ethereum chain ({@code --chain} / {@code --contract}
 * / {@code --deployment}, secp256k1 key files).
 */
final class MarketTarget {
    @Mixin
    NodeOption node;

    @Mixin
    ChainOption chain;

    /** The market as the account of {@code key}. */
    MarketBackend as(Path key) {
        onlyOne();
        return chain.named() ? new MarketBackend.OnChain(chain.connect(key)) : new MarketBackend.OnNode(node.client(), node.account(key));
    }

    private void onlyOne() {
        if (chain.named() && !node.node.toString().equals(NodeOption.DEFAULT)) {
            throw new CliException(ExitCodes.USAGE, "name one market: --node URL, or --chain/--contract/--deployment");
        }
    }

    /** The market for reading only (no key needed). */
    MarketBackend reader() {
        onlyOne();
        return chain.named() ? new MarketBackend.OnChain(chain.reader(null)) : new MarketBackend.OnNode(node.client(), null);
    }
}
