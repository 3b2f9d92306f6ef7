from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appeals.models import (
    Appeal,
    AuditEvent,
    ConflictDeclaration,
    DeadlinePolicy,
    FourEyesRule,
    HarmReport,
    Jurisdiction,
    Letter,
    LiaisonProfile,
    Mandate,
    Membership,
    Organisation,
    OutboundEmail,
    OutOfCourtBody,
    Platform,
    ReviewerProfile,
    Sanction,
    Takedown,
    TrustedFlaggerDesignation,
    User,
)
from appeals.models.decision import Outcome
from appeals.roles import Role
from appeals.services.organisations import (
    member_change_by_operator,
    member_invite_by_operator,
    member_remove_by_operator,
    organisation_verify,
)
from appeals.services.reference_data import reference_delete, reference_save
from appeals.services.roles import (
    role_grant,
    role_revoke,
    user_password_set_by_operator,
    user_save_from_admin,
    users_delete_by_operator,
)
from appeals.vocabulary import Category

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


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete goes through ``appeals.services.reference_data``, which
    records an audit event with what changed. Many-to-many fields are set by that
    service too (in ``save_model``), so the event holds their old and new members."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        m2m = {
            field.name: form.cleaned_data[field.name]
            for field in obj._meta.many_to_many
            if field.name in form.cleaned_data
        }
        reference_save(obj=obj, changed=list(form.changed_data), m2m=m2m, by=_operator(request))

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        # No form.save_m2m(): save_model's service has set the many-to-many fields.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        operator = _operator(request)
        formset.save(commit=False)  # sorts the rows into new, changed and deleted
        for obj in formset.deleted_objects:
            self.delete_inline(obj, by=operator)
        for obj, changed in formset.changed_objects:
            self.save_inline(obj, changed=list(changed), by=operator)
        for obj in formset.new_objects:
            names = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
            self.save_inline(obj, changed=names, by=operator)

    def save_inline(self, obj: Any, *, changed: list[str], by: User) -> None:
        reference_save(obj=obj, changed=changed, by=by)

    def delete_inline(self, obj: Any, *, by: User) -> None:
        reference_delete(objects=[obj], by=by)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        reference_delete(objects=[obj], by=_operator(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        reference_delete(objects=list(queryset), by=_operator(request))


class OperatorPasswordForm(AdminPasswordChangeForm):
    """The admin's password form, saved only through ``user_password_set_by_operator``."""

    def save(self, commit: bool = True) -> Any:
        raise RuntimeError("An operator's password change goes through its audited service.")


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

    change_password_form = OperatorPasswordForm

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        operator = _operator(request)
        user_save_from_admin(user=obj, changed=list(form.changed_data), by=operator)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        users_delete_by_operator(users=[obj], by=_operator(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users_delete_by_operator(users=list(queryset), by=_operator(request))

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's view, with the successful POST done by the audited service (the
        form itself refuses to save). Errors and the GET are Django's own page."""
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        user = self.get_object(request, unquote(id))
        if user is None or not self.has_change_permission(request, user):
            return super().user_change_password(request, id, form_url)
        form = self.change_password_form(user, request.POST)
        if not form.is_valid() or not (
            form.cleaned_data["set_usable_password"] or "unset-password" in request.POST
        ):
            return super().user_change_password(request, id, form_url)
        usable = bool(form.cleaned_data["set_usable_password"])
        user_password_set_by_operator(
            user=user,
            password=form.cleaned_data["password1"] if usable else None,
            by=_operator(request),
        )
        self.log_change(request, user, self.construct_change_message(request, form, []))
        messages.success(
            request,
            gettext("Password changed successfully.")
            if usable
            else gettext("Password-based authentication was disabled."),
        )
        update_session_auth_hash(request, user)
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:appeals_user_change", args=(user.pk,))
        )

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        names = {g.name for g in obj.groups.all()}
        return ", ".join(str(Role(n).label) for n in sorted(names) if n in Role.values)


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdmin):
    list_display = ["code", "name", "time_zone", "holiday_calendar", "is_eu_member"]
    search_fields = ["code", "name"]


@admin.register(Platform)
class PlatformAdmin(AuditedAdmin):
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
class DeadlinePolicyAdmin(AuditedAdmin):
    list_display = ["__str__", "jurisdiction", "case_type", "priority", "amount", "unit"]
    list_filter = ["case_type", "priority", "unit"]
    list_select_related = ["jurisdiction"]


@admin.register(OutOfCourtBody)
class OutOfCourtBodyAdmin(AuditedAdmin):
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


class MembershipForm(forms.ModelForm):
    def clean_email(self) -> str:
        # Stored lower-case (as invitations are), so the same address typed with capitals
        # is caught as already invited here, as a form error.
        return str(self.cleaned_data["email"]).strip().lower()


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    fields = ["email", "role", "user", "joined_at"]
    readonly_fields = ["user", "joined_at"]


class DesignationInline(admin.TabularInline):
    model = TrustedFlaggerDesignation
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "country", "verified_at", "is_mandated_body"]
    list_select_related = ["country"]
    search_fields = ["name"]
    readonly_fields = ["verified_at", "verified_by", "verification_basis"]
    inlines = [MembershipInline, DesignationInline]
    actions = ["verify"]

    def save_inline(self, obj: Any, *, changed: list[str], by: User) -> None:
        if not isinstance(obj, Membership):
            return super().save_inline(obj, changed=changed, by=by)
        if obj.pk is None:
            member_invite_by_operator(
                organisation=obj.organisation, email=obj.email, role=obj.role, by=by
            )
        else:
            member_change_by_operator(membership=obj, changed=changed, by=by)

    def delete_inline(self, obj: Any, *, by: User) -> None:
        if isinstance(obj, Membership):
            member_remove_by_operator(membership=obj, by=by)
        else:
            super().delete_inline(obj, by=by)

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
class MandateAdmin(AuditedAdmin):
    list_display = ["organisation", "principal", "recorded_at", "revoked_at"]
    list_select_related = ["organisation", "principal"]
    autocomplete_fields = ["principal"]
    # Who recorded it is the operator who did (set by the service), not a choice.
    readonly_fields = ["recorded_by"]
    show_full_result_count = False


@admin.register(HarmReport)
class HarmReportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "filed_at", "threat_to_life", "trusted_flagger"]
    search_fields = ["=reference"]
    show_full_result_count = False
    exclude = ["pin_hash", "link_token_hash", "explanation", "victim_contact"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "contested_at", "lifted_at"]


# Staffing: what a reviewer or liaison covers, when a decision needs four eyes, and
# declared conflicts. People are chosen by search (there may be a million accounts).


class ReviewerProfileForm(forms.ModelForm):
    # Ticked from the portal's languages: a typed code that matches no appeal's language
    # would silently keep the reviewer out of assignment.
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: appeals in any language."),
    )

    class Meta:
        model = ReviewerProfile
        fields = ["user", "jurisdictions", "languages", "workload_cap", "active"]


class FourEyesRuleForm(forms.ModelForm):
    # Ticked from the vocabularies: a mistyped value would make the rule never apply.
    categories = forms.MultipleChoiceField(
        label=_("categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any category."),
    )
    outcomes = forms.MultipleChoiceField(
        label=_("outcomes"),
        choices=Outcome.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any outcome."),
    )

    class Meta:
        model = FourEyesRule
        fields = ["name", "categories", "outcomes", "when_compensation", "active"]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(AuditedAdmin):
    form = ReviewerProfileForm
    list_display = ["user", "jurisdiction_codes", "languages", "workload_cap", "active"]
    list_filter = ["active", "jurisdictions"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "jurisdictions"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewerProfile]:
        return super().get_queryset(request).prefetch_related("jurisdictions")

    @admin.display(description=_("jurisdictions"))
    def jurisdiction_codes(self, obj: ReviewerProfile) -> str:
        return ", ".join(sorted(j.code for j in obj.jurisdictions.all()))


@admin.register(LiaisonProfile)
class LiaisonProfileAdmin(AuditedAdmin):
    list_display = ["user", "platform_names"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "platforms"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiaisonProfile]:
        return super().get_queryset(request).prefetch_related("platforms")

    @admin.display(description=_("platforms"))
    def platform_names(self, obj: LiaisonProfile) -> str:
        return ", ".join(sorted(p.name for p in obj.platforms.all()))


@admin.register(FourEyesRule)
class FourEyesRuleAdmin(AuditedAdmin):
    form = FourEyesRuleForm
    list_display = ["name", "categories", "outcomes", "when_compensation", "active"]
    list_filter = ["active", "when_compensation"]
    search_fields = ["name"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(AuditedAdmin):
    list_display = ["reviewer", "platform", "person", "note", "declared_at"]
    list_select_related = ["reviewer", "platform", "person"]
    list_filter = ["platform"]
    search_fields = ["reviewer__email", "person__email"]
    autocomplete_fields = ["reviewer", "platform", "person"]
    show_full_result_count = False
