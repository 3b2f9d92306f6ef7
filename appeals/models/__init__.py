from appeals.models.audit import AuditAction, AuditEvent
from appeals.models.email import OutboundEmail
from appeals.models.jurisdiction import Jurisdiction
from appeals.models.platform import Platform
from appeals.models.user import User

__all__ = [
    "AuditAction",
    "AuditEvent",
    "Jurisdiction",
    "OutboundEmail",
    "Platform",
    "User",
]
