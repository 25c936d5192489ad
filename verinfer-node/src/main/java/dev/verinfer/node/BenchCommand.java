package dev.verinfer.node;

import dev.verinfer.bench.model.ModelBenchmark;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.ZeroKnowledge;
import dev.verinfer.bench.model.ModelResult;
import dev.verinfer.field.Parallelism;
import dev.verinfer.model.RealModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

@Command(name = "bench", mixinStandardHelpOptions = true, header = "The whole-model benchmark of the real models.",
        description = "The whole-model benchmark: for each real model on its realistic input, set up in zero knowledge as 'compile' sets it up by default (--no-zk: plain; --with-plain: both), ONNX Runtime and integer-executor time, setup, prove and verify time (medians after warm-up), proof size, peak heap while proving, and prove/ORT. Models the prover cannot prove yet are reported as such. Writes JSON, a Markdown table and an HTML chart.")
final class BenchCommand extends BaseCommand {
    @Parameters(paramLabel = "MODEL", arity = "0..*", description = "Real models (default: all six of MODELS.md).")
    List<String> names = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs per step (median reported; default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up runs per step (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write bench-TIME.json, .md and .html (default: bench-results/ in the repository).")
    Path out;

    @Option(names = "--pcs-security", defaultValue = "proven", split = ",", paramLabel = "proven|proven-evm|proven-unique|conjectured|conjectured-evm|tensor-proven|tensor-conjectured",
            description = "Commitment security to set the models up with; several (comma-separated) give a row each. " + PcsSecurityOption.DESCRIPTION)
    List<String> securities;

    // Named by its negative form: picocli sets a negatable option that is true by default to false by its negated name (--no-zk), true by the other (--zk).
    @Option(names = "--no-zk", negatable = true, defaultValue = "true",
            description = {"Zero-knowledge rows, the default: each model set up as 'compile' sets it up by default (refused, with the reason, where zero knowledge is not available yet).",
                    "--no-zk: plain rows, as 'compile --no-zk'."})
    boolean zk;

    @Option(names = "--with-plain", description = "With zero knowledge: a plain row ('compile --no-zk') beside each zero-knowledge row, to read the cost of zero knowledge, and the zero-knowledge row's online/plain ratio measured paired (plain proofs and proofs from reserves alternated, at least 10 rounds).")
    boolean withPlain;

    @Option(names = "--zk-openings", split = ",", paramLabel = "N", description = "Zero knowledge only: the weight opening budgets to set the models up with"
            + " (as 'compile --zk-openings'; default: chosen at setup, 256, 512 or 1024); several (comma-separated) give a zero-knowledge row each.")
    List<Integer> zkOpenings;

    /** The mode of a plain row (the others are zero-knowledge rows, by budget). */
    private static final int PLAIN = -1;

    @Override int run(Console console) {
        if (runs < 1 || warmup < 0) throw new CliException(ExitCodes.USAGE, "--runs must be ≥ 1 and --warmup ≥ 0");
        List<RealModels> models = names.isEmpty() ? Arrays.asList(RealModels.values()) : names.stream().map(FetchCommand::model).toList();
        List<PcsSecurity> pcs = securities.stream().map(PcsSecurityOption::parse).distinct().toList();
        if (zk) pcs.forEach(ModelCompiler::requireHiding);
        List<ModelResult> results = new ArrayList<>();
        if (zkOpenings != null && !zk) throw new CliException(ExitCodes.USAGE, "--zk-openings sizes the zero-knowledge rows' weight commitments: --no-zk has none");
        if (withPlain && !zk) throw new CliException(ExitCodes.USAGE, "--with-plain adds plain rows beside the zero-knowledge ones: with --no-zk every row is plain");
        List<Integer> budgets = zkOpenings == null ? List.of(ZeroKnowledge.WEIGHT_OPENING_BUDGET) : zkOpenings.stream().distinct().toList();
        for (int b : zkOpenings == null ? List.<Integer>of() : budgets) {
            if (!ZeroKnowledge.budgetInRange(b)) throw new CliException(ExitCodes.USAGE, "--zk-openings: " + ZeroKnowledge.budgetOutsideRange(b));
        }
        List<Integer> modes = new ArrayList<>(); // PLAIN; else a zero-knowledge row with that budget (WEIGHT_OPENING_BUDGET: setup's choice)
        if (!zk || withPlain) modes.add(PLAIN);
        if (zk) modes.addAll(budgets);
        int total = models.size() * pcs.size() * modes.size();
        try (Progress p = console.progress("benchmark")) {
            for (RealModels m : models) {
                for (PcsSecurity s : pcs) {
                    for (int mode : modes) {
                        int done = results.size();
                        ModelBenchmark bench = new ModelBenchmark(warmup, runs, s, mode != PLAIN, mode != PLAIN ? mode : ZeroKnowledge.WEIGHT_OPENING_BUDGET,
                                withPlain && mode != PLAIN, (model, step) -> p.update(model + ": " + step, done, total));
                        results.add(bench.run(m));
                    }
                }
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        BenchReport report = new BenchReport(now.toString(), BenchReport.Machine.current(), Parallelism.threads(), warmup, runs, results);
        Path dir = out != null ? out : RealModels.repoRoot().resolve("bench-results");
        String stem = "bench-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
        Path json = dir.resolve(stem + ".json"), html = dir.resolve(stem + ".html"), md = dir.resolve(stem + ".md");
        FileIO.write(json, Json.bytes(report), "benchmark JSON");
        FileIO.write(md, (String.join("\n", BenchTable.markdown(results)) + "\n\n" + BenchTable.PROVE_NOTE + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), "benchmark table");
        FileIO.write(html, BenchHtml.page(report).getBytes(java.nio.charset.StandardCharsets.UTF_8), "benchmark chart");
        console.line("whole-model benchmark, %d threads, medians of %d runs after %d warm-up runs (times in ms)", report.threads(), runs, warmup);
        BenchTable.text(results).forEach(console::line);
        console.line("%s", BenchTable.PROVE_NOTE);
        results.forEach(r -> console.line("input of %s: %s", r.model(), r.input()));
        results.stream().filter(r -> !r.proofBytesByPart().isEmpty())
                .forEach(r -> console.line("proof bytes of %s (%s): %s", r.model(), r.commitmentSecurity(), BenchTable.parts(r)));
        console.line("wrote %s, %s and %s", json, md, html);
        console.result(report);
        return ExitCodes.OK;
    }
}
