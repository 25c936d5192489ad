package dev.verinfer.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "pipeline", mixinStandardHelpOptions = true, header = "The openWakeWord pipeline proven step by step: prove or verify the chain.",
        description = "Audio -> melspectrogram (with openWakeWord's x/10 + 2 and the 16 embedding windows) -> embedding_model on each window -> the wake-word classifier, "
                + "one proof per step, each step's input bound to the previous step's committed output. Only the audio and the score are public.",
        subcommands = {PipelineProveCommand.class, PipelineVerifyCommand.class, PipelineWorkflowCommand.class})
final class PipelineCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
