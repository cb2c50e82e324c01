// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.37;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {Rfc9162} from "./Rfc9162.sol";

/// @title Traceport consortium registry
/// @notice The members of the consortium and their roles, member admission by quorum, the append-only sequence
/// of Traceport log heads (each proven on chain to extend the previous one), and inspection attestations.
/// @dev The read interface (rootAt, latestHead, headCount, headAt, roles, isMember, attestation) is relied on
/// by third-party verifiers: extend it, never change it.
contract TraceportRegistry {
    using EnumerableSet for EnumerableSet.AddressSet;

    uint8 public constant ANCHORER = 1;
    uint8 public constant AGENCY = 2;
    uint8 public constant AUDITOR = 4;
    uint8 public constant ALL_ROLES = ANCHORER | AGENCY | AUDITOR;

    enum ProposalKind {
        Admit,
        Remove,
        ChangeRoles
    }

    struct Proposal {
        ProposalKind kind;
        address account;
        uint8 roles;
        address proposer;
        uint64 deadline;
        bool executed;
        address[] approvers;
    }

    struct Attestation {
        address agency;
        bytes32 resultHash;
        uint64 attestedAt;
    }

    /// @notice Seconds a proposal stays open for approvals.
    uint64 public immutable proposalLifetime;

    EnumerableSet.AddressSet private _members;
    mapping(address account => uint8 roles) private _roles;

    // Proposal ids start at 1 so that 0 never names a proposal.
    mapping(uint256 id => Proposal) private _proposals;
    mapping(uint256 id => mapping(address member => bool)) private _approved;
    uint256 private _proposalCount;

    mapping(uint64 treeSize => bytes32 root) private _roots;
    uint64[] private _headSizes;

    mapping(bytes32 subject => Attestation) private _attestations;

    event MemberAdmitted(address indexed account, uint8 roles);
    event MemberRemoved(address indexed account);
    event MemberRolesChanged(address indexed account, uint8 previousRoles, uint8 roles);
    event ProposalCreated(
        uint256 indexed id,
        ProposalKind kind,
        address indexed account,
        uint8 roles,
        address indexed proposer,
        uint64 deadline
    );
    event ProposalApproved(uint256 indexed id, address indexed approver, uint256 approvals);
    event ProposalExecuted(uint256 indexed id);
    event HeadAnchored(uint64 indexed treeSize, bytes32 root, address anchorer);
    event Attested(bytes32 indexed subject, address indexed agency, bytes32 resultHash);

    error NotMember(address account);
    error MissingRole(address account, uint8 role);
    error AlreadyMember(address account);
    /// @dev The subject of a removal or role change is not a member (NotMember is for the caller).
    error UnknownMember(address account);
    error InvalidRoles(uint8 roles);
    error RolesUnchanged(address account, uint8 roles);
    error ZeroAddress();
    error NoMembers();
    error LengthMismatch(uint256 members, uint256 roles);
    error InvalidProposalLifetime();
    error LastMember(address account);
    error UnknownProposal(uint256 id);
    error ProposalExpired(uint256 id, uint64 deadline);
    error ProposalAlreadyExecuted(uint256 id);
    error AlreadyApproved(uint256 id, address member);
    error QuorumNotReached(uint256 id, uint256 approvals, uint256 required);
    error EmptyTree();
    error ZeroHash();
    error HeadNotNewer(uint64 latestTreeSize, uint64 treeSize);
    error UnexpectedConsistencyProof();
    error InvalidConsistencyProof(uint64 fromTreeSize, uint64 toTreeSize);
    error AlreadyAttested(bytes32 subject);

    modifier onlyMember() {
        if (_roles[msg.sender] == 0) revert NotMember(msg.sender);
        _;
    }

    modifier onlyRole(uint8 role) {
        uint8 granted = _roles[msg.sender];
        if (granted == 0) revert NotMember(msg.sender);
        if (granted & role == 0) revert MissingRole(msg.sender, role);
        _;
    }

    constructor(address[] memory members_, uint8[] memory roles_, uint64 proposalLifetime_) {
        if (members_.length == 0) revert NoMembers();
        if (members_.length != roles_.length) revert LengthMismatch(members_.length, roles_.length);
        if (proposalLifetime_ == 0) revert InvalidProposalLifetime();
        proposalLifetime = proposalLifetime_;
        for (uint256 i = 0; i < members_.length; ++i) {
            _admit(members_[i], roles_[i]);
        }
    }

    // ---------------------------------------------------------------- members

    function roles(address account) external view returns (uint8) {
        return _roles[account];
    }

    function isMember(address account) public view returns (bool) {
        return _roles[account] != 0;
    }

    function hasRole(address account, uint8 role) external view returns (bool) {
        return _roles[account] & role != 0;
    }

    function memberCount() public view returns (uint256) {
        return _members.length();
    }

    function members() external view returns (address[] memory) {
        return _members.values();
    }

    /// @notice Approvals a proposal needs right now: a strict majority of the current members.
    function quorum() public view returns (uint256) {
        return _members.length() / 2 + 1;
    }

    // ------------------------------------------------------------- governance

    /// @notice Proposes admitting `account` with `roles_`, removing it, or changing its roles. The proposal
    /// counts as the proposer's approval, so in a consortium of one it takes effect at once.
    function propose(ProposalKind kind, address account, uint8 roles_) external onlyMember returns (uint256 id) {
        _checkAction(kind, account, roles_);
        id = ++_proposalCount;
        Proposal storage p = _proposals[id];
        p.kind = kind;
        p.account = account;
        p.roles = kind == ProposalKind.Remove ? 0 : roles_;
        p.proposer = msg.sender;
        p.deadline = uint64(block.timestamp) + proposalLifetime;
        emit ProposalCreated(id, kind, account, p.roles, msg.sender, p.deadline);
        _approve(id, p);
    }

    /// @notice Approves a proposal; the approval that reaches quorum executes it.
    function approve(uint256 id) external onlyMember {
        _approve(id, _openProposal(id));
    }

    /// @notice Executes a proposal whose approvals reached quorum without a further approval, e.g. because
    /// the membership shrank since the last approval.
    function execute(uint256 id) external onlyMember {
        Proposal storage p = _openProposal(id);
        uint256 approvals = _currentApprovals(p);
        if (approvals < quorum()) revert QuorumNotReached(id, approvals, quorum());
        _execute(id, p);
    }

    function proposalCount() external view returns (uint256) {
        return _proposalCount;
    }

    /// @dev `approvals` counts the approvers who are still members: those are what quorum is measured against.
    function proposal(uint256 id)
        external
        view
        returns (
            ProposalKind kind,
            address account,
            uint8 roles_,
            address proposer,
            uint64 deadline,
            bool executed,
            uint256 approvals
        )
    {
        Proposal storage p = _proposals[id];
        if (p.proposer == address(0)) revert UnknownProposal(id);
        return (p.kind, p.account, p.roles, p.proposer, p.deadline, p.executed, _currentApprovals(p));
    }

    function hasApproved(uint256 id, address member) external view returns (bool) {
        return _approved[id][member];
    }

    // -------------------------------------------------------------- log heads

    /// @notice Anchors the log head (treeSize, root). Every head after the first must extend the latest one:
    /// `consistencyProof` is the RFC 9162 consistency proof from the latest head to this one, verified here.
    function appendHead(uint64 treeSize, bytes32 root, bytes32[] calldata consistencyProof)
        external
        onlyRole(ANCHORER)
    {
        if (treeSize == 0) revert EmptyTree();
        // Zero is rootAt's "no head of that size"; SHA-256 never yields it in practice.
        if (root == bytes32(0)) revert ZeroHash();
        uint256 count = _headSizes.length;
        if (count == 0) {
            // Nothing to be consistent with; a proof here means the caller's idea of the chain is wrong.
            if (consistencyProof.length != 0) revert UnexpectedConsistencyProof();
        } else {
            uint64 latestSize = _headSizes[count - 1];
            if (treeSize <= latestSize) revert HeadNotNewer(latestSize, treeSize);
            if (!Rfc9162.verifyConsistency(latestSize, treeSize, _roots[latestSize], root, consistencyProof)) {
                revert InvalidConsistencyProof(latestSize, treeSize);
            }
        }
        _roots[treeSize] = root;
        _headSizes.push(treeSize);
        emit HeadAnchored(treeSize, root, msg.sender);
    }

    /// @notice The root anchored for a tree of `treeSize` leaves, or zero when no head of that size was anchored.
    function rootAt(uint64 treeSize) external view returns (bytes32) {
        return _roots[treeSize];
    }

    /// @notice The latest anchored head, or (0, 0) before the first.
    function latestHead() external view returns (uint64 treeSize, bytes32 root) {
        uint256 count = _headSizes.length;
        if (count == 0) return (0, bytes32(0));
        treeSize = _headSizes[count - 1];
        root = _roots[treeSize];
    }

    function headCount() external view returns (uint256) {
        return _headSizes.length;
    }

    /// @notice The `index`-th anchored head, oldest first.
    function headAt(uint256 index) external view returns (uint64 treeSize, bytes32 root) {
        treeSize = _headSizes[index];
        root = _roots[treeSize];
    }

    // ----------------------------------------------------------- attestations

    /// @notice Records an inspection agency's result for `subject`. A result is final: a correction is a new
    /// subject, so the first attestation can never be overwritten.
    function attest(bytes32 subject, bytes32 resultHash) external onlyRole(AGENCY) {
        if (resultHash == bytes32(0)) revert ZeroHash();
        if (_attestations[subject].agency != address(0)) revert AlreadyAttested(subject);
        _attestations[subject] = Attestation(msg.sender, resultHash, uint64(block.timestamp));
        emit Attested(subject, msg.sender, resultHash);
    }

    /// @notice The attestation recorded for `subject`; agency is the zero address when there is none.
    function attestation(bytes32 subject)
        external
        view
        returns (address agency, bytes32 resultHash, uint64 attestedAt)
    {
        Attestation storage a = _attestations[subject];
        return (a.agency, a.resultHash, a.attestedAt);
    }

    // --------------------------------------------------------------- internal

    function _openProposal(uint256 id) private view returns (Proposal storage p) {
        p = _proposals[id];
        if (p.proposer == address(0)) revert UnknownProposal(id);
        if (p.executed) revert ProposalAlreadyExecuted(id);
        if (block.timestamp > p.deadline) revert ProposalExpired(id, p.deadline);
    }

    function _approve(uint256 id, Proposal storage p) private {
        if (_approved[id][msg.sender]) revert AlreadyApproved(id, msg.sender);
        _approved[id][msg.sender] = true;
        p.approvers.push(msg.sender);
        uint256 approvals = _currentApprovals(p);
        emit ProposalApproved(id, msg.sender, approvals);
        if (approvals >= quorum()) _execute(id, p);
    }

    /// @dev Quorum is of *current* members: an approver removed since approving no longer counts.
    function _currentApprovals(Proposal storage p) private view returns (uint256 approvals) {
        uint256 n = p.approvers.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_roles[p.approvers[i]] != 0) ++approvals;
        }
    }

    function _execute(uint256 id, Proposal storage p) private {
        // Re-checked: another proposal may have changed the membership since this one was made.
        _checkAction(p.kind, p.account, p.roles);
        p.executed = true;
        if (p.kind == ProposalKind.Admit) {
            _admit(p.account, p.roles);
        } else if (p.kind == ProposalKind.Remove) {
            _members.remove(p.account);
            delete _roles[p.account];
            emit MemberRemoved(p.account);
        } else {
            uint8 previous = _roles[p.account];
            _roles[p.account] = p.roles;
            emit MemberRolesChanged(p.account, previous, p.roles);
        }
        emit ProposalExecuted(id);
    }

    function _checkAction(ProposalKind kind, address account, uint8 roles_) private view {
        if (account == address(0)) revert ZeroAddress();
        if (kind == ProposalKind.Admit) {
            if (isMember(account)) revert AlreadyMember(account);
            _checkRoles(roles_);
        } else if (kind == ProposalKind.Remove) {
            if (!isMember(account)) revert UnknownMember(account);
            if (_members.length() == 1) revert LastMember(account);
        } else {
            if (!isMember(account)) revert UnknownMember(account);
            _checkRoles(roles_);
            if (_roles[account] == roles_) revert RolesUnchanged(account, roles_);
        }
    }

    function _checkRoles(uint8 roles_) private pure {
        // A member always holds a role: membership is "roles != 0".
        if (roles_ == 0 || roles_ & ~ALL_ROLES != 0) revert InvalidRoles(roles_);
    }

    function _admit(address account, uint8 roles_) private {
        if (account == address(0)) revert ZeroAddress();
        _checkRoles(roles_);
        if (!_members.add(account)) revert AlreadyMember(account);
        _roles[account] = roles_;
        emit MemberAdmitted(account, roles_);
    }
}
