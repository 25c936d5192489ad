package dev.verinfer.zkml;

import dev.verinfer.model.quant.QTensor;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The rule for passing one proof's committed output into another proof's committed input (a
 * pipeline's link, a market workflow's edge): the two tensors must have the same shape — so the
 * same padded layout, and the consumer never reads the producer's padding slots as inputs — the
 * same scale, so the integers mean the same reals, and the producer's declared bound must lie
 * within the consumer's, because the consumer's proof relies on its input's bound and does not
 * range-check a committed input: the producer's proof does. Both keys must also size their
 * commitments alike and agree on zero knowledge (a hiding root is opened only as hiding), or the roots could not be equal;
 * in zero knowledge the consumer's prover opens the producer's commitment object itself ({@link CommittedTensors}).
 */
public final class TensorLink {
    private TensorLink() {}

    /** Why output {@code output} of {@code producer} cannot feed input {@code input} of {@code consumer}, or empty if it can. */
    public static Optional<String> incompatibility(VerifyingKey producer, int output, VerifyingKey consumer, int input) {
        List<Integer> outputs = producer.graph().outputs();
        List<Integer> inputs = consumer.graph().inputs();
        if (output < 0 || output >= outputs.size()) {
            return Optional.of("the producer has " + outputs.size() + " outputs, not output " + output);
        }
        if (input < 0 || input >= inputs.size()) {
            return Optional.of("the consumer has " + inputs.size() + " inputs, not input " + input);
        }
        QTensor out = producer.graph().tensor(outputs.get(output));
        QTensor in = consumer.graph().tensor(inputs.get(input));
        if (!Arrays.equals(out.shape(), in.shape())) {
            return Optional.of("output '" + out.name() + "' has shape " + Arrays.toString(out.shape()) + ", input '" + in.name()
                    + "' " + Arrays.toString(in.shape()) + " (another padded layout)");
        }
        if (out.scale() != in.scale()) {
            return Optional.of("output '" + out.name() + "' has scale 2^" + out.scale() + ", input '" + in.name() + "' 2^" + in.scale());
        }
        if (out.bits() > in.bits()) {
            return Optional.of("output '" + out.name() + "' is bounded by 2^" + out.bits() + ", input '" + in.name() + "' only by 2^" + in.bits());
        }
        if (producer.security() != consumer.security()) {
            return Optional.of("the producer commits with " + producer.security() + " security, the consumer with " + consumer.security());
        }
        if (producer.zeroKnowledge() != consumer.zeroKnowledge()) {
            // a hiding root is opened only as hiding (its digest's label), a plain one only as plain
            return Optional.of("the producer " + (producer.zeroKnowledge() ? "hides" : "does not hide") + " its commitments (zero knowledge), the consumer "
                    + (consumer.zeroKnowledge() ? "does" : "does not"));
        }
        return Optional.empty();
    }
}
