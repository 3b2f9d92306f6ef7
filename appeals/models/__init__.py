from appeals.models.appeal import Appeal, AppealStatus, ClockPause, Remedy
from appeals.models.audit import AuditAction, AuditCheck, AuditEvent
from appeals.models.decision import BasisKind, Decision, DecisionProposal, Outcome
from appeals.models.draft import AppealDraft
from appeals.models.email import OutboundEmail
from appeals.models.escalation import Escalation
from appeals.models.evidence import EvidenceFile
from appeals.models.imports import ImportRun
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
from appeals.models.misuse import Gravity, MisuseMark, Sanction
from appeals.models.organisation import (
    Mandate,
    Membership,
    Organisation,
    TrustedFlaggerDesignation,
)
from appeals.models.platform import Platform, PlatformToken
from appeals.models.ratelimit import RateCounter
from appeals.models.report import (
    ContentLocation,
    HarmCategory,
    HarmReport,
    Referral,
    ReferralStatus,
    RequestedAction,
)
from appeals.models.retraction import (
    Compensation,
    LiaisonProfile,
    Retraction,
    RetractionStatus,
)
from appeals.models.review import (
    ConflictDeclaration,
    FourEyesRule,
    ReviewerProfile,
)
from appeals.models.stats import StatFact, StatKind, TransparencyReport
from appeals.models.takedown import Takedown
from appeals.models.user import User

__all__ = [
    "Appeal",
    "AppealDraft",
    "AppealMessage",
    "AppealStatus",
    "AuditAction",
    "AuditCheck",
    "AuditEvent",
    "BasisKind",
    "CaseType",
    "ClockPause",
    "Compensation",
    "ConflictDeclaration",
    "ContentLocation",
    "DeadlinePolicy",
    "DeadlineUnit",
    "Decision",
    "DecisionProposal",
    "Escalation",
    "EvidenceFile",
    "FourEyesRule",
    "Gravity",
    "HarmCategory",
    "HarmReport",
    "ImportRun",
    "Jurisdiction",
    "Letter",
    "LiaisonProfile",
    "Mandate",
    "Membership",
    "MisuseMark",
    "Organisation",
    "OutOfCourtBody",
    "OutboundEmail",
    "Outcome",
    "Platform",
    "PlatformToken",
    "Priority",
    "RateCounter",
    "Referral",
    "ReferralStatus",
    "Remedy",
    "RequestedAction",
    "Retraction",
    "RetractionStatus",
    "ReviewerProfile",
    "Sanction",
    "StatFact",
    "StatKind",
    "Takedown",
    "TransparencyReport",
    "TrustedFlaggerDesignation",
    "User",
]
