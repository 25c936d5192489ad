package dev.verinfer.model;

import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is refused is refused in one line that names every blocking node, never only the first. */
class CoverageRefusalTest {
    private static UnsupportedModelException refusal(OnnxBuilder b, int[] shape) {
        return assertThrows(UnsupportedModelException.class, () -> CompiledModel.compile(OnnxImporter.parse(b.build()), Map.of("x", shape),
                List.of(Map.of("x", OnnxBuilder.uniform(1, OnnxBuilder.size(shape), -1, 1))), QuantConfig.DEFAULT));
    }

    @Test void everyUnknownOperatorIsNamedInOneLine() {
        UnsupportedModelException e = refusal(new OnnxBuilder(13).input("x", 1, 4).node("Mystery", "x", "a").node("Relu", "a", "b")
                .node("Enigma", "b", "y").output("y"), new int[] {1, 4});
        assertTrue(e.getMessage().startsWith("2 nodes block this model"), e.getMessage());
        assertTrue(e.getMessage().contains("'Mystery_0' (Mystery)") && e.getMessage().contains("'Enigma_2' (Enigma)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test void everyNodeTheQuantiserRefusesIsNamed() {
        // NonZero of an activation has a data-dependent shape; a Gather by computed indices is not a static movement
        UnsupportedModelException e = refusal(new OnnxBuilder(13).input("x", 2, 4).node("NonZero", "x", "nz").node("Relu", "x", "r")
                .node("ArgMax", "r", "i", "axis", 1).node("Gather", "r,i", "g", "axis", 1).output("nz", 7).output("g"), new int[] {2, 4});
        assertTrue(e.getMessage().contains("NonZero_0") && e.getMessage().contains("data-dependent output shape"), e.getMessage());
        assertTrue(e.getMessage().contains("Gather_3"), e.getMessage());
    }

    @Test void anIfOnDataIsRefusedClearly() {
        OnnxBuilder then = new OnnxBuilder(13).node("Relu", "x", "yt").output("yt");
        OnnxBuilder otherwise = new OnnxBuilder(13).node("Neg", "x", "ye").output("ye");
        OnnxBuilder b = new OnnxBuilder(13).input("x", 1, 4).node("ReduceSum", "x", "s", "keepdims", 0).scalar("zero", 0)
                .node("Greater", "s,zero", "c").node("If", "c", "y", "then_branch", then.graphProto(), "else_branch", otherwise.graphProto()).output("y");
        UnsupportedModelException e = refusal(b, new int[] {1, 4});
        assertTrue(e.getMessage().contains("If_2") && e.getMessage().contains("depends on the model's inputs"), e.getMessage());
        ModelInspector.ModelInfo info = ModelInspector.inspect(OnnxImporter.parse(b.build()), Map.of());
        assertEquals(List.of("If_2"), info.unsupported().stream().map(ModelInspector.NodeInfo::name).toList());
    }
}
