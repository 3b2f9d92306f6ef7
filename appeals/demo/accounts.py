"""Demo accounts and reference data for ``make run``. Never loaded in production.

The demo passwords and the staff TOTP secret are public (README, ``make run``
output): they exist so a newcomer can sign in as every role.
"""

from __future__ import annotations

from dataclasses import dataclass

from appeals.accounts.totp import totp_code
from appeals.roles import Role

# Base32; add it to any authenticator app, or run `manage.py demo_totp`.
# Public by design: shown in the README so newcomers can sign in as staff. Demo only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"  # noqa: S105  # nosec B105


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    full_name: str
    roles: tuple[Role, ...] = ()
    is_superuser: bool = False

    @property
    def needs_mfa(self) -> bool:
        return bool(self.roles) or self.is_superuser


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("appellant@example.org", "demo-appellant-pass", "Alex Appellant"),
    DemoUser("reviewer@example.org", "demo-reviewer-pass", "Rita Reviewer", (Role.REVIEWER,)),
    DemoUser(
        "supervisor@example.org",
        "demo-supervisor-pass",
        "Sam Supervisor",
        (Role.SUPERVISOR, Role.REVIEWER),
    ),
    DemoUser("auditor@example.org", "demo-auditor-pass", "Ada Auditor", (Role.AUDITOR,)),
    DemoUser("liaison@example.org", "demo-liaison-pass", "Lee Liaison", (Role.PLATFORM_LIAISON,)),
    DemoUser("operator@example.org", "demo-operator-pass", "Olu Operator", is_superuser=True),
    DemoUser("advocate@example.org", "demo-advocate-pass", "Ava Advocate"),
)

DEMO_ORGANISATION = "Safe Online e.V."

# (code, name, languages, time zone, holidays country, EU member)
DEMO_JURISDICTIONS: tuple[tuple[str, str, list[str], str, str, bool], ...] = (
    ("DE", "Germany", ["de"], "Europe/Berlin", "DE", True),
    ("FR", "France", ["fr"], "Europe/Paris", "FR", True),
    ("IE", "Ireland", ["en", "ga"], "Europe/Dublin", "IE", True),
    ("NL", "Netherlands", ["nl"], "Europe/Amsterdam", "NL", True),
    ("GB", "United Kingdom", ["en"], "Europe/London", "GB", False),
    ("US", "United States", ["en"], "America/New_York", "US", False),
)

# Fictional platforms: (slug, name, website)
DEMO_PLATFORMS: tuple[tuple[str, str, str], ...] = (
    ("chirp", "Chirp", "https://chirp.example"),
    ("picturebook", "Picturebook", "https://picturebook.example"),
    ("streamly", "Streamly", "https://streamly.example"),
    ("forumhub", "ForumHub", "https://forumhub.example"),
)


def demo_totp_code(at: float | None = None) -> str:
    """The code an authenticator app shows now for the demo secret."""
    return totp_code(DEMO_TOTP_SECRET, at)


# Certified out-of-court dispute settlement bodies (DSA Art. 21): (name, website, codes)
DEMO_OUT_OF_COURT_BODIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Appeals Centre Europe", "https://www.appealscentre.eu/", ("DE", "FR", "IE", "NL")),
    ("User Rights", "https://www.user-rights.org/", ("DE",)),
)

# Statements of reasons the demo "imported", so filing can show a prefilled decision:
# (platform slug, reference, measure, ground, rule, statement)
DEMO_TAKEDOWNS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "chirp",
        "SOR-DEMO-0001",
        "DECISION_VISIBILITY_CONTENT_REMOVED",
        "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "Community rules, section 3 (hateful conduct)",
        "Your post was removed because it breaks our rules on hateful conduct.",
    ),
    (
        "picturebook",
        "SOR-DEMO-0002",
        "DECISION_ACCOUNT_SUSPENDED",
        "DECISION_GROUND_ILLEGAL_CONTENT",
        "NetzDG § 3 with StGB § 130",
        "Your account was suspended after a legal complaint.",
    ),
)
