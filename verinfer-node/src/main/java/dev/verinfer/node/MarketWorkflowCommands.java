package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verinfer.api.RequestView;
import dev.verinfer.api.TxResult;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.DirectoryTensorStore;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;
import dev.verinfer.market.StatementCodec;
import dev.verinfer.market.Tx;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.zkml.VerifyingKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code market workflow submit FILE}: a DAG of inference steps from a JSON description, escrowed
 * and submitted in one transaction; {@code market workflow status ID}: where its steps stand and the
 * final step's output. The description:
 * <pre>{"deadlineSeconds": 600, "steps": [
 *   {"name": "a", "model": "DIR", "input": "input.json", "maxFee": 2000, "mode": "zk"},
 *   {"name": "b", "model": "DIR", "inputs": [{"step": "a", "output": 0}], "maxFee": 2000}]}</pre>
 * A step takes a public input file ({@code input}, quantised with the model's scales), a committed
 * one ({@code committedInput}: its tensors put in the {@code --tensors} store, the step naming their
 * roots — a private model's hiding, so the input stays off the market) or, per input tensor of its
 * model, an output tensor of an earlier step ({@code inputs}, named by step name or index); model
 * directories and input files are relative to the description's directory.
 */
final class MarketWorkflowCommands {
    private MarketWorkflowCommands() {}

    @Command(name = "workflow", mixinStandardHelpOptions = true, header = "Submit a workflow (a DAG of inference steps) or show where one stands.",
            subcommands = {Submit.class, Status.class, CommandLine.HelpCommand.class})
    static final class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, header = "Submit a workflow from its JSON description; print its id and its steps' request ids.",
            description = {"Each step is a request of its own, escrowed with the others in one transaction; a step that takes earlier steps' outputs waits",
                    "until they are verified and then opens on their commitments. Provers serve the steps ('market prover --tensors DIR')."})
    static final class Submit extends MarketTxCommands.TxCommand {
        @Parameters(paramLabel = "FILE", description = "The workflow's JSON description.")
        Path file;

        @Option(names = "--tensors", paramLabel = "DIR", description = {"The tensor store shared with the provers ('market prover --tensors DIR'), where a step's",
                "'committedInput' goes: the step names its commitment roots (a private model's hiding, from a fresh secret seed kept in DIR)."})
        Path tensors;

        @Override Object act(MarketBackend backend, Console console) {
            if (!(backend instanceof MarketBackend.OnNode node)) {
                throw new CliException(ExitCodes.USAGE, "workflows run on the embedded market (--node): the market contract has no workflows yet");
            }
            MarketClient api = node.client();
            RemoteAccount account = node.account();
            JsonNode d = read(file);
            Path base = file.toAbsolutePath().getParent();
            JsonNode steps = d.path("steps");
            if (!steps.isArray() || steps.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, file + ": 'steps' must be a non-empty array");
            }
            long deadline = api.head().timeMillis() + d.path("deadlineSeconds").asLong(600) * 1000;
            Map<String, Integer> names = new HashMap<>();
            List<Tx.Step> body = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                JsonNode s = steps.get(i);
                String where = file + ": step " + i;
                names.put(s.path("name").asText(Integer.toString(i)), i);
                if (!s.hasNonNull("model")) throw new CliException(ExitCodes.USAGE, where + " names no 'model' directory");
                VerifyingKey vk = ModelDir.open(base.resolve(s.get("model").asText())).verifyingKey();
                String modelId = s.hasNonNull("owner") ? Model.key(vk.modelIdHex(), s.get("owner").asText()) : vk.modelIdHex();
                long maxFee = s.path("maxFee").asLong(0);
                if (maxFee <= 0) throw new CliException(ExitCodes.USAGE, where + ": 'maxFee' must be a positive number of units");
                Tx.StepInput input;
                if (s.hasNonNull("committedInput")) {
                    if (tensors == null) throw new CliException(ExitCodes.USAGE, where + ": a 'committedInput' goes to the tensor store: give --tensors DIR");
                    List<TensorInfo> inputs = TensorInfo.inputs(vk.graph());
                    NamedInput in = TensorFiles.read(base.resolve(s.get("committedInput").asText()), TensorInfo.specs(inputs), "input_data");
                    List<byte[]> roots = CommittedInputs.commit(vk, inputs, inputs.stream().map(t -> t.quantise(in.values().get(t.name()))).toList(),
                            new DirectoryTensorStore(tensors), account.id());
                    input = new Tx.StepInput.Committed(roots.stream().<Tx.TensorRef>map(Tx.TensorRef.Root::new).toList());
                } else if (s.hasNonNull("input")) {
                    List<TensorInfo> inputs = TensorInfo.inputs(vk.graph());
                    NamedInput in = TensorFiles.read(base.resolve(s.get("input").asText()), TensorInfo.specs(inputs), "input_data");
                    input = new Tx.StepInput.Public(StatementCodec.encode(inputs.stream().map(t -> t.quantise(in.values().get(t.name()))).toList()));
                } else if (s.path("inputs").isArray()) {
                    List<Tx.TensorRef> refs = new ArrayList<>();
                    for (JsonNode ref : s.get("inputs")) {
                        String from = ref.path("step").asText();
                        Integer step = names.containsKey(from) && names.get(from) < i ? names.get(from) : null;
                        if (step == null) throw new CliException(ExitCodes.USAGE, where + ": input from '" + from + "', not an earlier step");
                        refs.add(new Tx.TensorRef.Output(step, ref.path("output").asInt(0)));
                    }
                    input = new Tx.StepInput.Committed(refs);
                } else {
                    throw new CliException(ExitCodes.USAGE, where + " has neither an 'input' file nor 'inputs' from earlier steps (nor a 'committedInput')");
                }
                body.add(new Tx.Step(modelId, maxFee, deadline, mode(s.path("mode").asText("zk"), where), input));
            }
            long before = api.requests("client=" + account.id()).stream().mapToLong(RequestView::id).max().orElse(0);
            TxResult r = node.send(new Tx.SubmitWorkflow(body), console);
            List<RequestView> created = api.requests("client=" + account.id() + "&after=" + before + "&limit=" + body.size());
            long workflow = created.getFirst().workflowId();
            console.line("workflow   %d: %d steps, requests %d..%d", workflow, body.size(), created.getFirst().id(), created.getLast().id());
            return Map.of("workflowId", workflow, "requests", created.stream().map(RequestView::id).toList(), "height", r.height());
        }

        private static Mode mode(String name, String where) {
            return switch (name) {
                case "zk" -> new Mode.Zk();
                default -> throw new CliException(ExitCodes.USAGE, where + ": mode '" + name + "': workflow steps are zk (a watcher cannot re-run a step on a committed input)");
            };
        }

        private static JsonNode read(Path file) {
            try {
                return Json.MAPPER.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read workflow " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Where a workflow's steps stand, and its final step's output.",
            description = "The final step's output is dequantised with --model's scales (the last step's model directory) when given.")
    static final class Status extends BaseCommand {
        @Mixin
        NodeOption node;

        @Parameters(paramLabel = "ID", description = "The workflow's id.")
        long id;

        @Option(names = {"-m", "--model"}, paramLabel = "DIR", description = "The last step's model directory, to print its output dequantised.")
        Path model;

        @Override int run(Console console) {
            List<RequestView> steps = steps(node.client(), id);
            if (steps.isEmpty()) throw new CliException(ExitCodes.USAGE, "no workflow " + id);
            Map<Request.Status, Integer> counts = new LinkedHashMap<>();
            for (RequestView r : steps) counts.merge(r.status(), 1, Integer::sum);
            console.line("workflow   %d: %d steps (requests %d..%d): %s", id, steps.size(), steps.getFirst().id(), steps.getLast().id(), counts);
            for (RequestView r : steps) {
                console.line("step %-5d request %d %s%s%s", r.id() - steps.getFirst().id(), r.id(), r.status(), r.lock() == null ? "" : " by " + r.lock().prover(),
                        r.result() == null ? "" : " at block " + r.result().postedHeight());
            }
            RequestView last = steps.getLast();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("workflowId", id);
            result.put("steps", steps.stream().map(r -> Map.of("requestId", r.id(), "status", r.status())).toList());
            if (last.result() != null && last.result().output().length > 0 && model != null) {
                List<TensorValues> outputs = TensorValues.of(TensorInfo.outputs(ModelDir.open(model).verifyingKey().graph()), StatementCodec.decode(last.result().output()));
                outputs.forEach(o -> console.line("output     %s", o.describe()));
                result.put("outputs", outputs);
            }
            console.result(result);
            return ExitCodes.OK;
        }

        /** The workflow's requests, in step order (they are consecutive). */
        private static List<RequestView> steps(MarketClient api, long workflow) {
            List<RequestView> found = new ArrayList<>();
            long after = 0;
            while (true) {
                List<RequestView> page = api.requests("after=" + after);
                if (page.isEmpty()) return found;
                for (RequestView r : page) {
                    if (r.workflowId() == workflow) found.add(r);
                    else if (!found.isEmpty()) return found;
                }
                after = page.getLast().id();
            }
        }
    }
}
