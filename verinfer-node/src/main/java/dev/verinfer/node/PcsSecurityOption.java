package dev.verinfer.node;

import dev.verinfer.zkml.PcsSecurity;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The --pcs-security option's values: a {@link PcsSecurity} by its label. */
final class PcsSecurityOption {
    static final String DESCRIPTION = "proven (default): WHIR commitment sized by proven bounds (list decoding to the Johnson bound), ≈100 bits. "
            + "proven-evm: the same bounds at rate 1/32, for keys verified on chain (fewer queries, and the function tables committed with the weights: "
            + "about 19%% less gas than proven for alexa_v0.1, about 2x the prove time). "
            + "proven-unique: WHIR sized by proven unique-decoding bounds (the default before; openings about 1.8x larger). "
            + "conjectured: WHIR sized by the up-to-capacity conjectures STARKs deploy, 100 bits; openings about 3x smaller than proven-unique. "
            + "conjectured-evm: the conjectures at rate 1/128 with 25 bits of query grinding and Keccak-256 Merkle trees, for keys verified on chain "
            + "(a third of proven-evm's queries: about 32%% less gas than proven-evm for alexa_v0.1, 2x its memory, and about 11 s of one core's "
            + "grinding a proof on top of 1.5 s of proving, spread over the cores). "
            + "tensor-proven, tensor-conjectured: the earlier tensor-code commitment (larger proofs). "
            + "Fixed at compile time in the verifying key and the model id.";

    private PcsSecurityOption() {}

    static PcsSecurity parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(PcsSecurity.values()).filter(s -> s.label().equals(t)).findFirst()
                .orElseThrow(() -> new CliException(ExitCodes.USAGE, "--pcs-security must be one of "
                        + Arrays.stream(PcsSecurity.values()).map(PcsSecurity::label).collect(Collectors.joining(", ")) + ", not '" + text + "'"));
    }
}
