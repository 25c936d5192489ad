package dev.verinfer.api;

import dev.verinfer.market.Request;

import java.util.List;

/**
 * An inference request and where it stands. {@code input} (the encoded public input) is only in
 * {@code GET /v1/requests/{id}}, null in lists; {@code lock}, {@code result} and {@code dispute} are
 * null until the request reaches the stage that sets them. A committed input is {@code inputRoots}
 * (one commitment root per input tensor, empty for a public input); {@code workflowId} is 0 outside
 * a workflow.
 */
public record RequestView(long id, String client, String modelId, byte[] input, int inputBytes, long maxFee, long deadline, ModeView mode,
                          Request.Status status, long openedAt, Request.Lock lock, ResultView result, Request.Dispute dispute,
                          List<byte[]> inputRoots, boolean outputCommitted, long workflowId) {
    /** A posted output (encoded public values, or one commitment root per output tensor) and when it was posted. */
    public record ResultView(byte[] output, List<byte[]> outputRoots, long postedAt, long postedHeight) {
    }

    public static RequestView of(Request r, boolean withInput) {
        ResultView result = r.result() == null ? null
                : new ResultView(r.result().output(), r.result().outputRoots(), r.result().postedAt(), r.result().postedHeight());
        return new RequestView(r.id(), r.client(), r.modelId(), withInput ? r.input() : null, r.input().length, r.maxFee(), r.deadline(),
                ModeView.of(r.mode()), r.status(), r.openedAt(), r.lock(), result, r.dispute(), r.inputRoots(), r.outputCommitted(), r.workflowId());
    }

    /** The market's record, with {@code input} in place of the view's (which a list leaves out). */
    public Request toRequest(byte[] input) {
        Request.Result res = result == null ? null : new Request.Result(result.output(), result.outputRoots(), result.postedAt(), result.postedHeight());
        return new Request(id, client, modelId, input, maxFee, deadline, mode.toMode(), status, openedAt, lock, res, dispute,
                inputRoots, outputCommitted, workflowId);
    }
}
