"""The statement-of-reasons vocabulary (DSA Transparency Database), with plain labels.

Stored values are the database's own codes, so imported statements and
takedowns described by a person are the same thing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    CONTENT_REMOVED = "DECISION_VISIBILITY_CONTENT_REMOVED", _("The content was removed")
    CONTENT_DISABLED = (
        "DECISION_VISIBILITY_CONTENT_DISABLED",
        _("Access to the content was blocked"),
    )
    CONTENT_DEMOTED = (
        "DECISION_VISIBILITY_CONTENT_DEMOTED",
        _("The content was shown to fewer people"),
    )
    CONTENT_AGE_RESTRICTED = (
        "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
        _("The content was limited to adults"),
    )
    CONTENT_INTERACTION_RESTRICTED = (
        "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
        _("Comments, likes or shares were switched off"),
    )
    CONTENT_LABELLED = "DECISION_VISIBILITY_CONTENT_LABELLED", _("A label was put on the content")
    VISIBILITY_OTHER = "DECISION_VISIBILITY_OTHER", _("The content was restricted in another way")
    MONETARY_SUSPENSION = "DECISION_MONETARY_SUSPENSION", _("Payments to you were paused")
    MONETARY_TERMINATION = "DECISION_MONETARY_TERMINATION", _("Payments to you were stopped")
    MONETARY_OTHER = "DECISION_MONETARY_OTHER", _("Payments to you were restricted in another way")
    SERVICE_PARTIAL_SUSPENSION = (
        "DECISION_PROVISION_PARTIAL_SUSPENSION",
        _("Part of the service was paused for you"),
    )
    SERVICE_TOTAL_SUSPENSION = (
        "DECISION_PROVISION_TOTAL_SUSPENSION",
        _("The whole service was paused for you"),
    )
    SERVICE_PARTIAL_TERMINATION = (
        "DECISION_PROVISION_PARTIAL_TERMINATION",
        _("Part of the service was ended for you"),
    )
    SERVICE_TOTAL_TERMINATION = (
        "DECISION_PROVISION_TOTAL_TERMINATION",
        _("The whole service was ended for you"),
    )
    ACCOUNT_SUSPENDED = "DECISION_ACCOUNT_SUSPENDED", _("Your account was suspended")
    ACCOUNT_TERMINATED = "DECISION_ACCOUNT_TERMINATED", _("Your account was closed")


class DecisionGround(models.TextChoices):
    ILLEGAL_CONTENT = "DECISION_GROUND_ILLEGAL_CONTENT", _("The platform said it broke a law")
    INCOMPATIBLE_CONTENT = (
        "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        _("The platform said it broke its own rules"),
    )


class ContentType(models.TextChoices):
    TEXT = "CONTENT_TYPE_TEXT", _("Text")
    IMAGE = "CONTENT_TYPE_IMAGE", _("Picture")
    VIDEO = "CONTENT_TYPE_VIDEO", _("Video")
    AUDIO = "CONTENT_TYPE_AUDIO", _("Audio")
    SYNTHETIC_MEDIA = "CONTENT_TYPE_SYNTHETIC_MEDIA", _("AI-generated or edited media")
    PRODUCT = "CONTENT_TYPE_PRODUCT", _("Product listing")
    APP = "CONTENT_TYPE_APP", _("App")
    OTHER = "CONTENT_TYPE_OTHER", _("Something else")


class AutomatedDecision(models.TextChoices):
    FULLY = "AUTOMATED_DECISION_FULLY", _("Fully automated")
    PARTIALLY = "AUTOMATED_DECISION_PARTIALLY", _("Partly automated")
    NOT_AUTOMATED = "AUTOMATED_DECISION_NOT_AUTOMATED", _("Not automated")
    UNKNOWN = "UNKNOWN", _("Not known")


class Category(models.TextChoices):
    ANIMAL_WELFARE = "STATEMENT_CATEGORY_ANIMAL_WELFARE", _("Animal welfare")
    CONSUMER_INFORMATION = "STATEMENT_CATEGORY_CONSUMER_INFORMATION", _("Consumer information")
    CYBER_VIOLENCE = "STATEMENT_CATEGORY_CYBER_VIOLENCE", _("Online violence")
    CYBER_VIOLENCE_AGAINST_WOMEN = (
        "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
        _("Online violence against women"),
    )
    DATA_PROTECTION = (
        "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        _("Data protection and privacy"),
    )
    ILLEGAL_OR_HARMFUL_SPEECH = (
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
        _("Illegal or harmful speech"),
    )
    INTELLECTUAL_PROPERTY = (
        "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        _("Copyright, trademarks and other intellectual property"),
    )
    CIVIC_DISCOURSE = (
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        _("Elections and public debate"),
    )
    NOT_SPECIFIED_NOTICE = "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", _("Not specified")
    OTHER_VIOLATION_TC = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC", _("Other breach of the terms")
    PROTECTION_OF_MINORS = "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", _("Protection of children")
    RISK_FOR_PUBLIC_SECURITY = (
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        _("Risk to public security"),
    )
    SCAMS_AND_FRAUD = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", _("Scams and fraud")
    SELF_HARM = "STATEMENT_CATEGORY_SELF_HARM", _("Self-harm")
    UNSAFE_PRODUCTS = (
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
        _("Unsafe or prohibited products"),
    )
    VIOLENCE = "STATEMENT_CATEGORY_VIOLENCE", _("Violence")
