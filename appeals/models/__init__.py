from appeals.models.appeal import Appeal, AppealStatus, ClockPause, Remedy
from appeals.models.audit import AuditAction, AuditEvent
from appeals.models.decision import BasisKind, Decision, Outcome
from appeals.models.draft import AppealDraft
from appeals.models.email import OutboundEmail
from appeals.models.evidence import EvidenceFile
from appeals.models.jurisdiction import (
    CaseType,
    DeadlinePolicy,
    DeadlineUnit,
    Jurisdiction,
    OutOfCourtBody,
    Priority,
)
from appeals.models.letter import Letter
from appeals.models.message import AppealMessage
from appeals.models.platform import Platform
from appeals.models.retraction import (
    Compensation,
    Escalation,
    LiaisonProfile,
    Retraction,
    RetractionStatus,
)
from appeals.models.review import (
    ConflictDeclaration,
    DecisionProposal,
    FourEyesRule,
    ReviewerProfile,
)
from appeals.models.takedown import Takedown
from appeals.models.user import User

__all__ = [
    "Appeal",
    "AppealDraft",
    "AppealMessage",
    "AppealStatus",
    "AuditAction",
    "AuditEvent",
    "BasisKind",
    "CaseType",
    "ClockPause",
    "Compensation",
    "ConflictDeclaration",
    "DeadlinePolicy",
    "DeadlineUnit",
    "Decision",
    "DecisionProposal",
    "Escalation",
    "EvidenceFile",
    "FourEyesRule",
    "Jurisdiction",
    "Letter",
    "LiaisonProfile",
    "OutOfCourtBody",
    "OutboundEmail",
    "Outcome",
    "Platform",
    "Priority",
    "Remedy",
    "Retraction",
    "RetractionStatus",
    "ReviewerProfile",
    "Takedown",
    "User",
]
