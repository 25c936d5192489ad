// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.30;

import "IERC20.sol";
import "IProofVerifier.sol";
import "ProofBuffer.sol";

/// @title The verifiable inference market on Ethereum
/// @notice The embedded market's rules (verinfer-market, dev.verinfer.market) as a contract paid in
/// one ERC-20 token. Value enters by deposit (the token's transferFrom) into an internal balance
/// and leaves by withdraw; every other movement is between internal balances, stakes, escrows and
/// bonds, so that the token balance of this contract always equals
///   sum(balances) + sum(free stakes) + sum(collateral) + sum(escrow of live requests) + sum(bonds)
///   = deposited - withdrawn.
/// The treasury is an ordinary balance (of `treasury`). Time is block.timestamp in seconds.
/// Inputs and outputs are stored by keccak256 hash and carried in calldata and events; proofs are
/// never stored. Nothing happens by itself: a due timer transition (refund, slash, settle) is made
/// by anyone calling advance(id). Several ZK requests of one model locked by one prover settle
/// with one batch proof (submitBatchResult); a proof too large for one transaction is uploaded in
/// chunks to `proofBuffer` and named by its hash (the `...Buffered` calls).
contract VerinferMarket {
    enum Mode { ZK, OPTIMISTIC, SAMPLED }
    enum Status { NONE, OPEN, LOCKED, POSTED, PROOF_DUE, SETTLED, REFUNDED, CANCELLED }
    enum Cause { INVALID_PROOF, SILENT, NO_PROOF }

    /// @notice The market's constitution, fixed at deployment: the embedded market's MarketParams
    /// with durations in seconds (its per-transaction fees are Ethereum's gas here).
    /// slashVictimBps: the client's share of a slashed collateral; challengeRewardBps: the share of
    /// the challenger who caused the slash (its bond back besides); the treasury keeps the rest.
    /// minLockSeconds: a deadline lies at least this far ahead, and a lock needs this much time left;
    /// maxDeadlineSeconds: a deadline lies at most this far ahead. minWindowSeconds: the shortest
    /// challenge (OPTIMISTIC) or proof (SAMPLED) window. revealSeconds: how long a SAMPLED client has
    /// to reveal its secret after the result; then the proof is owed as if drawn.
    struct Params {
        uint16 floorBps;
        uint32 rampSeconds;
        uint32 lockSeconds;
        uint16 collateralBps;
        uint16 challengeBondBps;
        uint32 responseSeconds;
        uint16 protocolFeeBps;
        uint16 slashVictimBps;
        uint16 challengeRewardBps;
        uint32 revealSeconds;
        uint32 minLockSeconds;
        uint32 maxDeadlineSeconds;
        uint32 minWindowSeconds;
        uint128 minProverStake;
    }

    /// @notice How a request is verified: window is the OPTIMISTIC challenge window, or the time a
    /// drawn SAMPLED result has to bring its proof; sampleBps the SAMPLED draw probability;
    /// sampleCommit = keccak256(abi.encode(secret)) of the client's secret (SAMPLED only).
    struct Terms {
        Mode mode;
        uint32 window;
        uint16 sampleBps;
        bytes32 sampleCommit;
    }

    struct Model {
        address owner;
        uint96 royalty;
        IProofVerifier verifier;
        bool deprecated;
        bytes32 vkHash;
    }

    struct Prover {
        bool registered;
        uint128 stake;
        uint128 collateral;
        uint32 served;
        uint32 slashed;
    }

    struct Request {
        address client;
        uint96 maxFee;
        bytes32 modelId;
        bytes32 inputHash;
        bytes32 outputHash;
        address prover;
        uint96 price;
        uint96 collateral;
        uint40 deadline;
        uint40 openedAt;
        uint40 lockExpiresAt;
        Status status;
        Mode mode;
        uint16 sampleBps;
        uint32 window;
        uint40 postedAt;
        uint64 postedBlock;
        uint40 respondBy;
        address challenger;
        uint96 bond;
        bytes32 sampleCommit;
        bytes32 sampleSeed;
    }

    uint256 internal constant BPS = 10_000;
    /// Longest window a request may ask for (30 days), as in the embedded market.
    uint32 internal constant MAX_WINDOW = 30 days;
    bytes32 internal constant STATEMENT_DOMAIN = keccak256("verinfer-eth-statement-v1");
    bytes32 internal constant SAMPLE_DOMAIN = keccak256("verinfer-eth-sample-v1");
    bytes32 internal constant BATCH_STATEMENT_DOMAIN = keccak256("verinfer-eth-batch-statement-v1");
    /// Bound on the requests one batch settles, as in the embedded market.
    uint256 internal constant MAX_BATCH = 64;

    IERC20 public immutable token;
    /// Where provers upload proofs too large for one transaction (deployed with the market).
    ProofBuffer public immutable proofBuffer;
    address public immutable treasury;
    uint16 public immutable floorBps;
    uint32 public immutable rampSeconds;
    uint32 public immutable lockSeconds;
    uint16 public immutable collateralBps;
    uint16 public immutable challengeBondBps;
    uint32 public immutable responseSeconds;
    uint16 public immutable protocolFeeBps;
    uint16 public immutable slashVictimBps;
    uint16 public immutable challengeRewardBps;
    uint32 public immutable revealSeconds;
    uint32 public immutable minLockSeconds;
    uint32 public immutable maxDeadlineSeconds;
    uint32 public immutable minWindowSeconds;
    uint128 public immutable minProverStake;

    mapping(address => uint256) public balanceOf;
    mapping(bytes32 => Model) public models;
    mapping(address => Prover) public provers;
    mapping(uint256 => Request) public requests;
    /// A prover slashed on a request may not lock it again.
    mapping(uint256 => mapping(address => bool)) public slashedOn;
    uint256 public nextRequestId = 1;
    uint256 public deposited;
    uint256 public withdrawn;
    /// Set while a token transfer runs (EIP-1153 transient storage): a token that calls back into
    /// the market during a transfer (ERC-777 hooks call the sender) cannot deposit twice on one transfer.
    bool transient private inTransfer;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event ModelRegistered(bytes32 indexed modelId, address indexed owner, bytes32 vkHash, address verifier, uint96 royalty);
    event ModelDeprecated(bytes32 indexed modelId);
    event ProverRegistered(address indexed prover, uint128 stake);
    event StakeAdded(address indexed prover, uint128 amount);
    event StakeWithdrawn(address indexed prover, uint128 amount);
    event RequestSubmitted(uint256 indexed id, address indexed client, bytes32 indexed modelId, bytes32 inputHash, uint96 maxFee,
        uint40 deadline, Mode mode, uint32 window, uint16 sampleBps, bytes input);
    event RequestCancelled(uint256 indexed id);
    event RequestLocked(uint256 indexed id, address indexed prover, uint96 price, uint96 collateral, uint40 expiresAt);
    event ResultPosted(uint256 indexed id, address indexed prover, bytes32 outputHash, bytes output);
    event Challenged(uint256 indexed id, address indexed challenger, uint96 bond, uint40 respondBy);
    event SampleDrawn(uint256 indexed id, bool drawn, uint40 respondBy);
    event ProofAccepted(uint256 indexed id, address indexed prover);
    event Settled(uint256 indexed id, address indexed prover, uint96 price, uint96 royalty, uint96 fee);
    event Slashed(uint256 indexed id, address indexed prover, Cause cause, uint96 collateral, uint96 toClient, address challenger, uint96 toChallenger);
    event Reopened(uint256 indexed id, uint40 openedAt);
    event Refunded(uint256 indexed id, uint96 amount);
    /// One batch proof of `ids` (each also has its ResultPosted, then ProofAccepted and Settled, or Slashed).
    event BatchVerified(bytes32 indexed context, address indexed prover, uint256[] ids, bool valid);

    error BadParams();
    error BadAmount();
    error TransferFailed();
    error Reentered();
    error InsufficientBalance(uint256 balance, uint256 needed);
    error ModelExists(bytes32 modelId);
    error NoModel(bytes32 modelId);
    error ModelIsDeprecated(bytes32 modelId);
    error NotModelOwner(bytes32 modelId);
    error NotAVerifier(address verifier);
    error ProverExists();
    error NotAProver();
    error StakeBelowMinimum(uint256 stake, uint256 minimum);
    error CollateralHeld(uint256 collateral);
    error InsufficientStake(uint256 stake, uint256 needed);
    error BadTerms();
    error FeeBelowRoyalty(uint256 floor, uint256 royalty);
    error DeadlinePassed();
    error BadDeadline(uint256 deadline, uint256 earliest, uint256 latest);
    error SlashedBefore(uint256 id);
    error EmptyInput();
    error EmptyOutput();
    error WrongStatus(uint256 id, Status status);
    error NotClient(uint256 id);
    error NotLockHolder(uint256 id);
    error LockExpired(uint256 id);
    error ProofRequired();
    error ProofNotExpected();
    error WrongMode(uint256 id, Mode mode);
    error WindowClosed(uint256 id);
    error OwnResult();
    error WrongInput();
    error WrongOutput();
    error WrongSecret();
    error NothingDue(uint256 id);
    error BadBatch(uint256 size);
    error BatchOrder(uint256 id);
    error MixedModels(uint256 id);
    error VerifierOutOfGas();

    modifier noReentry() {
        if (inTransfer) revert Reentered();
        inTransfer = true;
        _;
        inTransfer = false;
    }

    constructor(IERC20 token_, address treasury_, Params memory p) {
        if (address(token_).code.length == 0 || treasury_ == address(0)) revert BadParams();
        if (p.floorBps > BPS || p.collateralBps > BPS || p.challengeBondBps > BPS || p.protocolFeeBps > BPS) revert BadParams();
        // A caught prover must lose something: collateral > 0, and the client's and challenger's shares within the whole and below it.
        if (p.collateralBps == 0 || uint256(p.slashVictimBps) + p.challengeRewardBps > BPS || p.challengeRewardBps >= BPS) revert BadParams();
        if (p.rampSeconds == 0 || p.lockSeconds == 0 || p.responseSeconds == 0 || p.revealSeconds == 0 || p.minWindowSeconds == 0) revert BadParams();
        if (p.minLockSeconds == 0 || p.minLockSeconds > p.lockSeconds || p.maxDeadlineSeconds < p.minLockSeconds || p.maxDeadlineSeconds > MAX_WINDOW)
            revert BadParams();
        token = token_;
        proofBuffer = new ProofBuffer();
        treasury = treasury_;
        floorBps = p.floorBps;
        rampSeconds = p.rampSeconds;
        lockSeconds = p.lockSeconds;
        collateralBps = p.collateralBps;
        challengeBondBps = p.challengeBondBps;
        responseSeconds = p.responseSeconds;
        protocolFeeBps = p.protocolFeeBps;
        slashVictimBps = p.slashVictimBps;
        challengeRewardBps = p.challengeRewardBps;
        revealSeconds = p.revealSeconds;
        minLockSeconds = p.minLockSeconds;
        maxDeadlineSeconds = p.maxDeadlineSeconds;
        minWindowSeconds = p.minWindowSeconds;
        minProverStake = p.minProverStake;
    }

    // ---------------------------------------------------------------- value in and out

    /// @notice Moves `amount` tokens from the sender (who approved this contract) to its balance here.
    function deposit(uint256 amount) external noReentry {
        if (amount == 0) revert BadAmount();
        uint256 before = token.balanceOf(address(this));
        if (!token.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        // Credit what arrived, so that a token taking a fee on transfer cannot break conservation.
        uint256 received = token.balanceOf(address(this)) - before;
        balanceOf[msg.sender] += received;
        deposited += received;
        emit Deposited(msg.sender, received);
    }

    function withdraw(uint256 amount) external noReentry {
        if (amount == 0) revert BadAmount();
        _debit(msg.sender, amount);
        withdrawn += amount;
        emit Withdrawn(msg.sender, amount);
        if (!token.transfer(msg.sender, amount)) revert TransferFailed();
    }

    // ---------------------------------------------------------------- models

    /// @notice Registers a model: its id is keccak256(owner, vkHash), salted by the owner so that
    /// nobody can squat another party's verifying key. The owner earns `royalty` per paid inference.
    function registerModel(bytes32 vkHash, IProofVerifier verifier, uint96 royalty) external returns (bytes32 id) {
        id = modelIdOf(msg.sender, vkHash);
        if (models[id].owner != address(0)) revert ModelExists(id);
        if (address(verifier).code.length == 0) revert NotAVerifier(address(verifier));
        models[id] = Model(msg.sender, royalty, verifier, false, vkHash);
        emit ModelRegistered(id, msg.sender, vkHash, address(verifier), royalty);
    }

    function modelIdOf(address owner, bytes32 vkHash) public pure returns (bytes32) {
        return keccak256(abi.encode(owner, vkHash));
    }

    /// @notice The owner closes a model to new requests; requests already made still complete.
    function deprecateModel(bytes32 id) external {
        Model storage m = models[id];
        if (m.owner == address(0)) revert NoModel(id);
        if (m.owner != msg.sender) revert NotModelOwner(id);
        if (m.deprecated) revert ModelIsDeprecated(id);
        m.deprecated = true;
        emit ModelDeprecated(id);
    }

    // ---------------------------------------------------------------- provers

    function registerProver(uint128 stake) external {
        Prover storage p = provers[msg.sender];
        if (p.registered) revert ProverExists();
        if (stake < minProverStake || stake == 0) revert StakeBelowMinimum(stake, minProverStake);
        _debit(msg.sender, stake);
        p.registered = true;
        p.stake = stake;
        emit ProverRegistered(msg.sender, stake);
    }

    function addStake(uint128 amount) external {
        Prover storage p = _prover(msg.sender);
        if (amount == 0) revert BadAmount();
        _debit(msg.sender, amount);
        p.stake += amount;
        emit StakeAdded(msg.sender, amount);
    }

    /// @notice Refused while the prover holds collateral on requests, as in the embedded market.
    function withdrawStake(uint128 amount) external {
        Prover storage p = _prover(msg.sender);
        if (amount == 0) revert BadAmount();
        if (p.collateral != 0) revert CollateralHeld(p.collateral);
        if (amount > p.stake) revert InsufficientStake(p.stake, amount);
        p.stake -= amount;
        balanceOf[msg.sender] += amount;
        emit StakeWithdrawn(msg.sender, amount);
    }

    // ---------------------------------------------------------------- requests

    /// @notice Escrows `maxFee` from the sender's balance for an inference of `modelId` on `input`
    /// (stored by hash, carried in the event), due by `deadline`.
    function submitRequest(bytes32 modelId, bytes calldata input, uint96 maxFee, uint40 deadline, Terms calldata terms)
        external returns (uint256 id)
    {
        Model storage m = models[modelId];
        if (m.owner == address(0)) revert NoModel(modelId);
        if (m.deprecated) revert ModelIsDeprecated(modelId);
        if (maxFee == 0) revert BadAmount();
        uint256 floor = uint256(maxFee) * floorBps / BPS;
        if (floor < m.royalty) revert FeeBelowRoyalty(floor, m.royalty);
        if (deadline < block.timestamp + minLockSeconds || deadline > block.timestamp + maxDeadlineSeconds)
            revert BadDeadline(deadline, block.timestamp + minLockSeconds, block.timestamp + maxDeadlineSeconds);
        if (input.length == 0) revert EmptyInput();
        _checkTerms(terms);
        _debit(msg.sender, maxFee);
        id = nextRequestId++;
        Request storage r = requests[id];
        r.client = msg.sender;
        r.maxFee = maxFee;
        r.modelId = modelId;
        r.inputHash = keccak256(input);
        r.deadline = deadline;
        r.openedAt = uint40(block.timestamp);
        r.status = Status.OPEN;
        r.mode = terms.mode;
        r.window = terms.window;
        r.sampleBps = terms.sampleBps;
        r.sampleCommit = terms.sampleCommit;
        emit RequestSubmitted(id, msg.sender, modelId, r.inputHash, maxFee, deadline, terms.mode, terms.window, terms.sampleBps, input);
    }

    function _checkTerms(Terms calldata t) private view {
        if (t.mode == Mode.ZK) {
            if (t.window != 0 || t.sampleBps != 0 || t.sampleCommit != 0) revert BadTerms();
        } else {
            if (t.window < minWindowSeconds || t.window > MAX_WINDOW) revert BadTerms();
            if (t.mode == Mode.OPTIMISTIC ? t.sampleBps != 0 || t.sampleCommit != 0 : t.sampleBps == 0 || t.sampleBps > BPS || t.sampleCommit == 0)
                revert BadTerms();
        }
    }

    /// @notice The client takes back an open request (no prover holds it) and its whole escrow.
    function cancel(uint256 id) external {
        Request storage r = requests[id];
        if (r.status != Status.OPEN) revert WrongStatus(id, r.status);
        if (r.client != msg.sender) revert NotClient(id);
        r.status = Status.CANCELLED;
        balanceOf[msg.sender] += r.maxFee;
        emit RequestCancelled(id);
    }

    /// @notice The reverse Dutch auction's price now: from floorBps of the max fee up to the max
    /// fee, linearly over rampSeconds from the moment the request (re-)opened.
    function priceOf(uint256 id) public view returns (uint96) {
        Request storage r = requests[id];
        uint256 floor = uint256(r.maxFee) * floorBps / BPS;
        uint256 elapsed = block.timestamp - r.openedAt;
        if (elapsed > rampSeconds) elapsed = rampSeconds;
        return uint96(floor + (r.maxFee - floor) * elapsed / rampSeconds);
    }

    /// @notice Collateral K a lock takes (the embedded market's MarketParams.collateral):
    /// collateralBps of the max fee (rounded up); for OPTIMISTIC at least the smallest K with
    /// (1 - challengeReward) K > maxFee, so that a prover challenging its own wrong result from
    /// another account (and taking the challenger's reward) still loses more than any fee; for
    /// SAMPLED(q) at least maxFee/q, so that cheating (gain at most the fee, caught with
    /// probability q) loses in expectation.
    function collateralOf(uint256 id) public view returns (uint256) {
        Request storage r = requests[id];
        uint256 c = _ceilDiv(uint256(r.maxFee) * collateralBps, BPS);
        uint256 floor;
        if (r.mode == Mode.OPTIMISTIC) {
            floor = uint256(r.maxFee) * BPS / (BPS - challengeRewardBps) + 1;
        } else if (r.mode == Mode.SAMPLED) {
            floor = _ceilDiv(uint256(r.maxFee) * BPS, r.sampleBps);
        }
        return floor > c ? floor : c;
    }

    /// @notice A prover takes an open request at the current auction price, moving collateral
    /// from its stake; it owes the result by min(deadline, now + lockSeconds).
    function lock(uint256 id) external {
        Request storage r = requests[id];
        Prover storage p = _prover(msg.sender);
        if (r.status != Status.OPEN) revert WrongStatus(id, r.status);
        if (block.timestamp + minLockSeconds > r.deadline) revert DeadlinePassed();
        if (slashedOn[id][msg.sender]) revert SlashedBefore(id);
        uint256 needed = collateralOf(id);
        if (p.stake < needed) revert InsufficientStake(p.stake, needed);
        uint96 c = uint96(needed); // a collateral beyond uint96 (a huge fee at a tiny q) cannot be held
        if (c != needed) revert InsufficientStake(p.stake, needed);
        p.stake -= c;
        p.collateral += c;
        uint256 expires = block.timestamp + lockSeconds;
        if (expires > r.deadline) expires = r.deadline;
        r.status = Status.LOCKED;
        r.prover = msg.sender;
        r.price = priceOf(id);
        r.collateral = c;
        r.lockExpiresAt = uint40(expires);
        if (r.mode == Mode.SAMPLED) {
            // The draw's seed: fixed after the client's commitment, unknown to the client when it committed.
            r.sampleSeed = blockhash(block.number - 1);
        }
        emit RequestLocked(id, msg.sender, r.price, c, uint40(expires));
    }

    /// @notice The lock holder's output. ZK: with `input` (the request's, checked by hash) and the
    /// proof, verified now: valid pays, invalid slashes. OPTIMISTIC and SAMPLED: input and proof
    /// empty; the result is posted and a proof follows only if challenged or drawn.
    function submitResult(uint256 id, bytes calldata output, bytes calldata input, bytes calldata proof) external {
        Request storage r = _postResult(id, output);
        if (r.mode == Mode.ZK) {
            if (proof.length == 0) revert ProofRequired();
            if (keccak256(input) != r.inputHash) revert WrongInput();
            _judge(id, r, _verify(id, r, input, output, proof));
        } else {
            if (proof.length != 0 || input.length != 0) revert ProofNotExpected();
            r.status = Status.POSTED;
            r.postedAt = uint40(block.timestamp);
            r.postedBlock = uint64(block.number);
            if (r.mode == Mode.SAMPLED && r.sampleCommit == 0) {
                // The secret was revealed in an earlier round: everyone knows the draw, so this round owes the proof.
                _demandProof(id, r);
            }
        }
    }

    /// @notice A ZK result whose proof the sender uploaded to `proofBuffer` under `proofHash`.
    function submitResultBuffered(uint256 id, bytes calldata output, bytes calldata input, bytes32 proofHash) external {
        Request storage r = _postResult(id, output);
        if (r.mode != Mode.ZK) revert WrongMode(id, r.mode);
        if (keccak256(input) != r.inputHash) revert WrongInput();
        _judge(id, r, _verifyLoaded(id, r, input, output, proofBuffer.load(msg.sender, proofHash)));
    }

    function _postResult(uint256 id, bytes calldata output) private returns (Request storage r) {
        r = _held(id, Status.LOCKED);
        if (block.timestamp > r.lockExpiresAt) revert LockExpired(id);
        if (output.length == 0) revert EmptyOutput();
        r.outputHash = keccak256(output);
        emit ResultPosted(id, msg.sender, r.outputHash, output);
    }

    /// A proof's verdict on request `id`: valid pays (with the challenger's bond, if any, to the prover), invalid slashes.
    function _judge(uint256 id, Request storage r, bool valid) private {
        if (valid) {
            emit ProofAccepted(id, msg.sender);
            if (r.bond != 0) {
                balanceOf[msg.sender] += r.bond;
                r.bond = 0;
            }
            _settle(id, r);
        } else {
            _slash(id, r, Cause.INVALID_PROOF);
        }
    }

    /// @notice One batch proof for 2..64 ZK requests of one model, all locked by the sender (the
    /// embedded market's SubmitBatchResult): listed in increasing id order (the order of the proof's
    /// inferences), with each request's input (checked by hash) and output. The proof is verified once
    /// against the batch statement (B, the batch's context, the inputs and outputs): valid, every
    /// request is paid at its own locked price; invalid, the prover is slashed on every request of the
    /// batch. A refused listing changes nothing.
    function submitBatchResult(uint256[] calldata ids, bytes[] calldata inputs, bytes[] calldata outputs, bytes calldata proof) external {
        if (proof.length == 0) revert ProofRequired();
        (Model storage m, bytes32 context, bytes memory statement) = _postBatch(ids, inputs, outputs);
        _judgeBatch(ids, context, _verdict(m.verifier, abi.encodeCall(IProofVerifier.verify, (m.vkHash, statement, proof))));
    }

    /// @notice submitBatchResult with the proof the sender uploaded to `proofBuffer` under `proofHash`.
    function submitBatchResultBuffered(uint256[] calldata ids, bytes[] calldata inputs, bytes[] calldata outputs, bytes32 proofHash) external {
        (Model storage m, bytes32 context, bytes memory statement) = _postBatch(ids, inputs, outputs);
        bytes memory proof = proofBuffer.load(msg.sender, proofHash);
        _judgeBatch(ids, context, _verdict(m.verifier, abi.encodeCall(IProofVerifier.verify, (m.vkHash, statement, proof))));
    }

    /// @notice The context a batch proof of `ids` (in order) by `prover` is bound to:
    /// keccak256(abi.encode(chain id, this market, ids, prover)).
    function batchContextOf(uint256[] calldata ids, address prover) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), ids, prover));
    }

    function _postBatch(uint256[] calldata ids, bytes[] calldata inputs, bytes[] calldata outputs)
        private returns (Model storage m, bytes32 context, bytes memory statement)
    {
        uint256 n = ids.length;
        if (n < 2 || n > MAX_BATCH || inputs.length != n || outputs.length != n) revert BadBatch(n);
        bytes32 modelId = requests[ids[0]].modelId;
        for (uint256 i; i < n; i++) {
            uint256 id = ids[i];
            if (i > 0 && ids[i - 1] >= id) revert BatchOrder(id);
            Request storage r = _postResult(id, outputs[i]);
            if (r.mode != Mode.ZK) revert WrongMode(id, r.mode);
            if (r.modelId != modelId) revert MixedModels(id);
            if (keccak256(inputs[i]) != r.inputHash) revert WrongInput();
        }
        m = models[modelId];
        context = batchContextOf(ids, msg.sender);
        statement = abi.encode(BATCH_STATEMENT_DOMAIN, m.vkHash, context, n, inputs, outputs);
    }

    function _judgeBatch(uint256[] calldata ids, bytes32 context, bool valid) private {
        emit BatchVerified(context, msg.sender, ids, valid);
        for (uint256 i; i < ids.length; i++) {
            _judge(ids[i], requests[ids[i]], valid);
        }
    }

    /// @notice A watcher disputes an OPTIMISTIC result within its window, posting a bond of
    /// challengeBondBps of the max fee; the prover then owes a valid proof within responseSeconds.
    function challenge(uint256 id) external {
        Request storage r = requests[id];
        if (r.mode != Mode.OPTIMISTIC) revert WrongMode(id, r.mode);
        if (r.status != Status.POSTED) revert WrongStatus(id, r.status);
        if (block.timestamp >= uint256(r.postedAt) + r.window) revert WindowClosed(id);
        if (msg.sender == r.prover) revert OwnResult();
        uint96 bond = uint96(_ceilDiv(uint256(r.maxFee) * challengeBondBps, BPS));
        _debit(msg.sender, bond);
        r.status = Status.PROOF_DUE;
        r.challenger = msg.sender;
        r.bond = bond;
        r.respondBy = uint40(block.timestamp + responseSeconds);
        emit Challenged(id, msg.sender, bond, r.respondBy);
    }

    /// @notice The SAMPLED draw by commit–reveal (the embedded market's SampleDraw): the client
    /// committed keccak256(secret) with its request; the lock recorded the hash of the lock block's
    /// parent as the seed; once the result is posted the client reveals the secret, within
    /// revealSeconds, and the result is drawn iff keccak256(domain, secret, seed, id) mod 10000 <
    /// sampleBps. The prover does not know the secret before it has posted; the client could not
    /// predict the seed when it committed; nobody who steers block contents after the lock changes
    /// the draw's inputs. Drawn: the proof is owed within the request's window; not drawn: settles.
    /// A secret withheld counts as drawn (advance): the client cannot suppress a draw. Once
    /// revealed the secret is public, so every later round of the request (after a slash) owes
    /// its proof: withholding never spares a prover, and neither does a known secret.
    function revealSample(uint256 id, bytes32 secret) external {
        Request storage r = requests[id];
        if (r.mode != Mode.SAMPLED) revert WrongMode(id, r.mode);
        if (r.status != Status.POSTED) revert WrongStatus(id, r.status);
        if (msg.sender != r.client) revert NotClient(id);
        if (block.timestamp >= uint256(r.postedAt) + revealSeconds) revert WindowClosed(id);
        if (r.sampleCommit == 0 || keccak256(abi.encode(secret)) != r.sampleCommit) revert WrongSecret();
        uint256 x = uint256(keccak256(abi.encode(SAMPLE_DOMAIN, secret, r.sampleSeed, id)));
        r.sampleCommit = 0; // revealed: a later round of this request (after a slash) owes its proof
        if (x % BPS < r.sampleBps) {
            _demandProof(id, r);
        } else {
            emit SampleDrawn(id, false, 0);
            _settle(id, r);
        }
    }

    function _demandProof(uint256 id, Request storage r) private {
        r.status = Status.PROOF_DUE;
        r.respondBy = uint40(block.timestamp + r.window);
        emit SampleDrawn(id, true, r.respondBy);
    }

    /// @notice The lock holder's proof when challenged or drawn, with the request's input and its
    /// posted output (both checked by hash). Valid: the challenger's bond goes to the prover and
    /// the request settles; invalid: slashed.
    function submitProof(uint256 id, bytes calldata input, bytes calldata output, bytes calldata proof) external {
        Request storage r = _owed(id, input, output);
        _judge(id, r, proof.length != 0 && _verify(id, r, input, output, proof));
    }

    /// @notice submitProof with the proof the sender uploaded to `proofBuffer` under `proofHash`.
    function submitProofBuffered(uint256 id, bytes calldata input, bytes calldata output, bytes32 proofHash) external {
        Request storage r = _owed(id, input, output);
        _judge(id, r, _verifyLoaded(id, r, input, output, proofBuffer.load(msg.sender, proofHash)));
    }

    function _owed(uint256 id, bytes calldata input, bytes calldata output) private view returns (Request storage r) {
        r = _held(id, Status.PROOF_DUE);
        if (block.timestamp > r.respondBy) revert WindowClosed(id);
        if (keccak256(input) != r.inputHash) revert WrongInput();
        if (keccak256(output) != r.outputHash) revert WrongOutput();
    }

    /// @notice Makes the timer transition that is due on request `id` (the embedded market's
    /// Timers): an open request past its deadline is refunded; a lock past its expiry without a
    /// result is slashed (silent prover); an unchallenged OPTIMISTIC result settles at the end of
    /// its window; a SAMPLED result whose secret was not revealed within revealSeconds owes its proof
    /// as if drawn; a proof owed past its due time is slashed. Reverts NothingDue otherwise. Anyone
    /// may call it.
    function advance(uint256 id) external {
        Request storage r = requests[id];
        Status s = r.status;
        if (s == Status.OPEN && block.timestamp >= r.deadline) {
            _refund(id, r);
        } else if (s == Status.LOCKED && block.timestamp > r.lockExpiresAt) {
            _slash(id, r, Cause.SILENT);
        } else if (s == Status.POSTED && r.mode == Mode.OPTIMISTIC && block.timestamp >= uint256(r.postedAt) + r.window) {
            _settle(id, r);
        } else if (s == Status.POSTED && r.mode == Mode.SAMPLED && block.timestamp >= uint256(r.postedAt) + revealSeconds) {
            _demandProof(id, r);
        } else if (s == Status.PROOF_DUE && block.timestamp > r.respondBy) {
            _slash(id, r, Cause.NO_PROOF);
        } else {
            revert NothingDue(id);
        }
    }

    // ---------------------------------------------------------------- the statement

    /// @notice What a proof of request `id` must establish, as handed to the model's verifier:
    /// the verifying key's hash, the proof context keccak256(chain id, this market, request id,
    /// prover) that binds a proof to one request and one prover (a copied proof names another
    /// prover), the input and the output. Isolated here so that it follows the proof format.
    function statementOf(uint256 id, bytes calldata input, bytes calldata output) external view returns (bytes memory) {
        Request storage r = requests[id];
        return _statement(id, r, models[r.modelId].vkHash, input, output);
    }

    function _statement(uint256 id, Request storage r, bytes32 vkHash, bytes calldata input, bytes calldata output)
        private view returns (bytes memory)
    {
        bytes32 context = keccak256(abi.encode(block.chainid, address(this), id, r.prover));
        return abi.encode(STATEMENT_DOMAIN, vkHash, context, input, output);
    }

    /// The model's verifier on the request's statement with this input and output (the input checked by the caller).
    function _verify(uint256 id, Request storage r, bytes calldata input, bytes calldata output, bytes calldata proof)
        private view returns (bool)
    {
        Model storage m = models[r.modelId];
        return _verdict(m.verifier, abi.encodeCall(IProofVerifier.verify, (m.vkHash, _statement(id, r, m.vkHash, input, output), proof)));
    }

    /// _verify with a proof loaded from the buffer (the same statement).
    function _verifyLoaded(uint256 id, Request storage r, bytes calldata input, bytes calldata output, bytes memory proof)
        private view returns (bool)
    {
        Model storage m = models[r.modelId];
        return _verdict(m.verifier, abi.encodeCall(IProofVerifier.verify, (m.vkHash, _statement(id, r, m.vkHash, input, output), proof)));
    }

    /// A revert, a short answer or anything but true is an invalid proof. STATICCALL: the verifier
    /// cannot change state or re-enter. A verifier that ran out of gas (the sender gave too little:
    /// at most 1/64 of the gas is left after the call) reverts the transaction rather than slashing.
    function _verdict(IProofVerifier verifier, bytes memory call) private view returns (bool) {
        uint256 before = gasleft();
        (bool ok, bytes memory ret) = address(verifier).staticcall(call);
        if (!ok && gasleft() <= before / 64) revert VerifierOutOfGas();
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
    }

    // ---------------------------------------------------------------- settlement

    /// Pays the locked price p: the model's royalty to its owner, protocolFeeBps of (p - royalty)
    /// to the treasury, the rest to the prover; maxFee - p back to the client; the collateral back
    /// to the stake. The auction floor covers the royalty (checked at submission).
    function _settle(uint256 id, Request storage r) private {
        Model storage m = models[r.modelId];
        Prover storage p = provers[r.prover];
        uint96 royalty = m.royalty;
        uint96 fee = uint96(uint256(r.price - royalty) * protocolFeeBps / BPS);
        p.collateral -= r.collateral;
        p.stake += r.collateral;
        p.served += 1;
        balanceOf[r.prover] += r.price - royalty - fee;
        balanceOf[m.owner] += royalty;
        balanceOf[treasury] += fee;
        balanceOf[r.client] += r.maxFee - r.price;
        r.status = Status.SETTLED;
        emit Settled(id, r.prover, r.price, royalty, fee);
    }

    /// Takes the whole collateral K: slashVictimBps of K to the client, challengeRewardBps of K to
    /// the challenger who caused the slash (with its bond back), the rest to the treasury. The
    /// request re-opens (the slashed prover may not lock it again), or is refunded if its deadline
    /// has passed.
    function _slash(uint256 id, Request storage r, Cause cause) private {
        Prover storage p = provers[r.prover];
        uint96 c = r.collateral;
        uint96 toClient = uint96(uint256(c) * slashVictimBps / BPS);
        uint96 toChallenger = r.challenger != address(0) ? uint96(uint256(c) * challengeRewardBps / BPS) : 0;
        p.collateral -= c;
        p.slashed += 1;
        slashedOn[id][r.prover] = true;
        balanceOf[r.client] += toClient;
        balanceOf[treasury] += c - toClient - toChallenger;
        if (r.challenger != address(0)) {
            balanceOf[r.challenger] += r.bond + toChallenger;
        }
        emit Slashed(id, r.prover, cause, c, toClient, r.challenger, toChallenger);
        r.prover = address(0);
        r.price = 0;
        r.collateral = 0;
        r.lockExpiresAt = 0;
        r.outputHash = 0;
        r.postedAt = 0;
        r.postedBlock = 0;
        r.respondBy = 0;
        r.challenger = address(0);
        r.bond = 0;
        r.sampleSeed = 0;
        if (block.timestamp < r.deadline) {
            r.status = Status.OPEN;
            r.openedAt = uint40(block.timestamp);
            emit Reopened(id, uint40(block.timestamp));
        } else {
            _refund(id, r);
        }
    }

    function _refund(uint256 id, Request storage r) private {
        r.status = Status.REFUNDED;
        balanceOf[r.client] += r.maxFee;
        emit Refunded(id, r.maxFee);
    }

    // ---------------------------------------------------------------- helpers

    function _held(uint256 id, Status expected) private view returns (Request storage r) {
        r = requests[id];
        if (r.status != expected) revert WrongStatus(id, r.status);
        if (r.prover != msg.sender) revert NotLockHolder(id);
    }

    function _prover(address a) private view returns (Prover storage p) {
        p = provers[a];
        if (!p.registered) revert NotAProver();
    }

    function _debit(address a, uint256 amount) private {
        uint256 b = balanceOf[a];
        if (b < amount) revert InsufficientBalance(b, amount);
        balanceOf[a] = b - amount;
    }

    function _ceilDiv(uint256 a, uint256 b) private pure returns (uint256) {
        return (a + b - 1) / b;
    }
}
