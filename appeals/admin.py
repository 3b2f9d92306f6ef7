from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from appeals.models import (
    Appeal,
    AuditEvent,
    DeadlinePolicy,
    HarmReport,
    Jurisdiction,
    Letter,
    Mandate,
    Membership,
    Organisation,
    OutboundEmail,
    OutOfCourtBody,
    Platform,
    Sanction,
    Takedown,
    TrustedFlaggerDesignation,
    User,
)
from appeals.roles import Role
from appeals.services.organisations import organisation_verify
from appeals.services.roles import role_grant, role_revoke, user_save_from_admin

# Roles are granted through the audited actions on the user list, never by
# editing groups directly.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _operator(request: HttpRequest) -> User:
    """The signed-in operator (the admin site only lets signed-in staff in)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _role_action(role: Role, grant: bool) -> Any:
    def action(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        changed = 0
        operator = _operator(request)
        for user in queryset:
            if grant:
                changed += role_grant(user=user, role=role, granted_by=operator)
            else:
                changed += role_revoke(user=user, role=role, revoked_by=operator)
        modeladmin.message_user(
            request, _("%(count)d account(s) changed.") % {"count": changed}, messages.SUCCESS
        )

    verb = _("Grant role") if grant else _("Revoke role")
    action.__name__ = f"{'grant' if grant else 'revoke'}_{role.value}"
    action.short_description = f"{verb}: {role.label}"  # type: ignore[attr-defined]
    return action


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "roles", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name",)}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    actions = [_role_action(role, grant) for role in Role for grant in (True, False)]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        operator = _operator(request)
        user_save_from_admin(user=obj, changed=list(form.changed_data), by=operator)

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        names = {g.name for g in obj.groups.all()}
        return ", ".join(str(Role(n).label) for n in sorted(names) if n in Role.values)


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone", "holiday_calendar", "is_eu_member"]
    search_fields = ["code", "name"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "dsa_platform_id"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "occurred_at", "action", "actor_repr", "object_repr"]
    list_filter = ["action"]
    list_select_related = ["actor"]
    show_full_result_count = False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "template", "status", "sent_at", "attempts", "last_error"]
    list_filter = ["status"]
    exclude = ["body_text", "body_html"]
    show_full_result_count = False


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "jurisdiction", "case_type", "priority", "amount", "unit"]
    list_filter = ["case_type", "priority", "unit"]


@admin.register(OutOfCourtBody)
class OutOfCourtBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    filter_horizontal = ["jurisdictions"]
    search_fields = ["name"]


@admin.register(Takedown)
class TakedownAdmin(ReadOnlyAdmin):
    """Takedowns come from statements of reasons or from appellants; the record a
    reviewer relies on is not edited by hand."""

    list_display = ["platform", "platform_reference", "decision_ground", "decided_on", "source"]
    list_filter = ["source", "decision_ground"]
    list_select_related = ["platform"]
    search_fields = ["=platform_reference"]
    show_full_result_count = False
    readonly_fields = ["public_id", "source", "created_at"]
    list_per_page = 50


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """Appeals change only through the portal's services, never by editing here."""

    list_display = ["reference", "status", "jurisdiction", "filed_at", "due_at"]
    list_filter = ["status", "jurisdiction"]
    list_select_related = ["jurisdiction"]
    search_fields = ["=reference"]
    show_full_result_count = False
    exclude = ["grounds", "late_reason"]


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    """Letters waiting or failing show here with their last error; workers retry them."""

    list_display = ["verification_code", "kind", "status", "attempts", "requested_at", "issued_at"]
    list_filter = ["status", "kind"]
    search_fields = ["=verification_code"]
    show_full_result_count = False
    readonly_fields = ["last_error"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["email", "role", "user", "joined_at"]
    readonly_fields = ["user", "joined_at"]


class DesignationInline(admin.TabularInline):
    model = TrustedFlaggerDesignation
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "verified_at", "is_mandated_body"]
    search_fields = ["name"]
    readonly_fields = ["verified_at", "verified_by", "verification_basis"]
    inlines = [MembershipInline, DesignationInline]
    actions = ["verify"]

    @admin.action(description=_("Verify (records who, when and the basis: checked in the admin)"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        operator = _operator(request)
        for organisation in queryset:
            organisation_verify(
                organisation=organisation,
                by=operator,
                basis=_("Verified by %(who)s in the administration") % {"who": operator.email},
            )


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["organisation", "principal", "recorded_at", "revoked_at"]
    raw_id_fields = ["principal", "recorded_by"]


@admin.register(HarmReport)
class HarmReportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "filed_at", "threat_to_life", "trusted_flagger"]
    search_fields = ["=reference"]
    show_full_result_count = False
    exclude = ["pin_hash", "link_token_hash", "explanation", "victim_contact"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "contested_at", "lifted_at"]
