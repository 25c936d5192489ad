package dev.verinfer.market;

import java.util.List;

/** The body of a market transaction; who sends it is the signer of its {@link SignedTx}. Amounts are in the market's smallest unit. */
public sealed interface Tx {
    /** Value entering the market: only the operator (the bridge to the outside) may sign it. */
    record Deposit(String account, long amount) implements Tx {
    }

    /** Value leaving the market from the sender's balance. */
    record Withdraw(long amount) implements Tx {
    }

    /** Registers a model under the id its verifying key defines; the sender owns it and earns {@code royalty} per paid inference. */
    record RegisterModel(byte[] verifyingKey, long royalty) implements Tx {
    }

    /** The owner withdraws a model from new requests (open ones still complete). */
    record DeprecateModel(String modelId) implements Tx {
    }

    /**
     * The owner of a private model's listing ({@code modelId}, or {@code modelId@owner}) posts a rotation of its weight
     * commitment: {@code nextRoot}, the same weights committed afresh, linked to {@code fromRoot} (the listing's current
     * weight root) by {@code proof} (verinfer-zkml {@code WeightRotations.linkProof}). Accepted, the listing's chain grows
     * by the link and its proofs verify under every root of the chain.
     */
    record RotateWeights(String modelId, byte[] fromRoot, byte[] nextRoot, byte[] proof) implements Tx {
        public RotateWeights {
            fromRoot = fromRoot.clone();
            nextRoot = nextRoot.clone();
            proof = proof.clone();
        }

        @Override
        public byte[] fromRoot() {
            return fromRoot.clone();
        }

        @Override
        public byte[] nextRoot() {
            return nextRoot.clone();
        }

        @Override
        public byte[] proof() {
            return proof.clone();
        }
    }

    record RegisterProver(long stake) implements Tx {
    }

    record AddStake(long amount) implements Tx {
    }

    /** Refused while the prover holds collateral on locked requests. */
    record WithdrawStake(long amount) implements Tx {
    }

    /** Registers a set of input oracles (Ed25519 public keys, X.509) of which {@code threshold} must attest an input; its id is {@link OracleSet#idOf}. */
    record RegisterOracleSet(int threshold, List<byte[]> publicKeys) implements Tx {
        public RegisterOracleSet {
            publicKeys = publicKeys.stream().map(byte[]::clone).toList();
        }
    }

    /**
     * Escrows {@code maxFee} from the sender's balance; {@code input} is the encoded public input,
     * attested by an oracle set if {@code attestation} is not {@link Attestation#NONE}. A SAMPLED
     * request may carry {@code sampleCommitment}, {@link SampleDraw#commitment} of a secret the
     * client reveals ({@link RevealSample}) once the result is posted; without it every result is
     * sampled.
     */
    record SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode, Attestation attestation, byte[] sampleCommitment) implements Tx {
        public SubmitRequest {
            input = input.clone();
            sampleCommitment = sampleCommitment.clone();
        }

        /** An unattested request. */
        public SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode) {
            this(modelId, input, maxFee, deadline, mode, Attestation.NONE);
        }

        /** A request without a sampling commitment. */
        public SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode, Attestation attestation) {
            this(modelId, input, maxFee, deadline, mode, attestation, new byte[0]);
        }

        @Override
        public byte[] input() {
            return input.clone();
        }

        @Override
        public byte[] sampleCommitment() {
            return sampleCommitment.clone();
        }
    }

    /**
     * Oracle signatures on a request's input: {@code signatures.get(i)} is the i-th key's of set
     * {@code oracleSet} (empty where that oracle did not sign), over {@link Signer#attest}'s message.
     */
    record Attestation(String oracleSet, List<byte[]> signatures) {
        public static final Attestation NONE = new Attestation("", List.of());

        public Attestation {
            signatures = signatures.stream().map(byte[]::clone).toList();
        }
    }

    /** A prover takes an open request at the current auction price, posting collateral from its stake. */
    record LockRequest(long requestId) implements Tx {
    }

    /**
     * Locks several requests in one transaction, each as a {@link LockRequest} would (its auction
     * price, its collateral, its lock length, in the listed order); a listed request that cannot be
     * locked (taken first by another prover, too close to its deadline, stake short) is skipped. Refused
     * only if none is locked. A batching prover's way to take what its next batch proof will settle.
     */
    record LockRequests(List<Long> requestIds) implements Tx {
        public LockRequests {
            requestIds = List.copyOf(requestIds);
        }
    }

    /** The locking prover's output; with a proof in ZK mode, without one in the other modes. */
    record SubmitResult(long requestId, byte[] output, byte[] proof) implements Tx {
    }

    /** Disputes an optimistic result within its window, posting the challenge bond. */
    record Challenge(long requestId) implements Tx {
    }

    /** The prover's answer to a challenge or a sampling draw. */
    record SubmitProof(long requestId, byte[] proof) implements Tx {
    }

    /**
     * A request on a committed input: one commitment root per input tensor of the model (as
     * {@code TensorCommitments.root} computes it); the client hands the values to the prover off the
     * market. The output is public. {@code attestation} signs the roots ({@link Signer#attestCommitted}).
     */
    record SubmitCommittedRequest(String modelId, List<byte[]> inputRoots, long maxFee, long deadline, Mode mode, Attestation attestation) implements Tx {
        public SubmitCommittedRequest {
            inputRoots = inputRoots.stream().map(byte[]::clone).toList();
        }
    }

    /** The locking prover's result of a request whose output is committed: one root per output tensor, with the proof. */
    record SubmitCommittedResult(long requestId, List<byte[]> outputRoots, byte[] proof) implements Tx {
        public SubmitCommittedResult {
            outputRoots = outputRoots.stream().map(byte[]::clone).toList();
        }
    }

    /**
     * Results of several ZK requests of one model locked by the sender, listed in increasing id
     * order with their public outputs, and one batch proof whose B inferences are the B requests in
     * that order.
     */
    record SubmitBatchResult(List<Long> requestIds, List<byte[]> outputs, byte[] proof) implements Tx {
        public SubmitBatchResult {
            requestIds = List.copyOf(requestIds);
            outputs = outputs.stream().map(byte[]::clone).toList();
        }
    }

    /**
     * A workflow: steps in topological order (a step's input may only use earlier steps' outputs),
     * escrowing the sum of their max fees. See {@link Workflow}.
     */
    record SubmitWorkflow(List<Step> steps) implements Tx {
        public SubmitWorkflow {
            steps = List.copyOf(steps);
        }
    }

    /**
     * One step of a workflow: a request on {@code modelId} (only {@link Mode.Zk} for now) due by
     * {@code deadline}. An input given by the client (public, or client roots only) may be attested
     * as a request's is; an input taken from earlier steps is bound by their proofs instead.
     */
    record Step(String modelId, long maxFee, long deadline, Mode mode, StepInput input, Attestation attestation) {
        /** An unattested step. */
        public Step(String modelId, long maxFee, long deadline, Mode mode, StepInput input) {
            this(modelId, maxFee, deadline, mode, input, Attestation.NONE);
        }
    }

    /** Where a step's input comes from. */
    sealed interface StepInput {
        /** Public tensors ({@link StatementCodec} encoding) given by the client. */
        record Public(byte[] input) implements StepInput {
            public Public {
                input = input.clone();
            }

            @Override
            public byte[] input() {
                return input.clone();
            }
        }

        /** Committed tensors, one per input tensor of the step's model, in the model's order. */
        record Committed(List<TensorRef> tensors) implements StepInput {
            public Committed {
                tensors = List.copyOf(tensors);
            }
        }
    }

    /** One committed input tensor of a workflow step. */
    sealed interface TensorRef {
        /** A commitment root given by the client. */
        record Root(byte[] root) implements TensorRef {
            public Root {
                root = root.clone();
            }

            @Override
            public byte[] root() {
                return root.clone();
            }
        }

        /** Output tensor {@code tensor} of the earlier step {@code step} (0-based, in this workflow). */
        record Output(int step, int tensor) implements TensorRef {
        }
    }

    /** The client of a SAMPLED request reveals the secret of its commitment once the result is posted: the draw follows. */
    record RevealSample(long requestId, byte[] secret) implements Tx {
        public RevealSample {
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }
    }

    /** The client withdraws a request nobody has locked (OPEN, or a WAITING workflow step): its escrow comes back. */
    record CancelRequest(long requestId) implements Tx {
    }

    /**
     * The locking prover shows that the request's input cannot be proven: a public input is
     * re-checked as it stands ({@code values} empty); a committed input by its {@code values}
     * (encoded tensors), which must have the request's commitment roots. Upheld, it is the
     * client's fault: the client pays {@code clientFaultBps} of the max fee to the prover, who keeps
     * its collateral, and the rest of the escrow comes back.
     */
    record ClaimUnprovable(long requestId, byte[] values) implements Tx {
        public ClaimUnprovable {
            values = values.clone();
        }

        @Override
        public byte[] values() {
            return values.clone();
        }
    }

    /** The operator moves value from the treasury to its own balance (from which it may withdraw). */
    record WithdrawTreasury(long amount) implements Tx {
    }
}
