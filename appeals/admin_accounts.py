"""allauth's own admin pages, replaced (imported by PortalAdminConfig.ready, after every
app's admin module has registered its pages): an address marked verified or a second
factor removed by an operator is an access change in the trail, with the operator as
the actor; a second factor's secret (its data) is never shown."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from appeals.admin import _operator
from appeals.services.roles import (
    authenticators_remove_by_operator,
    email_address_save_by_operator,
    email_addresses_delete_by_operator,
    email_addresses_verify_by_operator,
)

for _model in (EmailAddress, Authenticator):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(EmailAddress)
class EmailAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["email", "user__email"]
    autocomplete_fields = ["user"]
    show_full_result_count = False
    actions = ["make_verified"]

    def save_model(self, request: HttpRequest, obj: EmailAddress, form: Any, change: bool) -> None:
        email_address_save_by_operator(
            address=obj, changed=list(form.changed_data), by=_operator(request)
        )

    def delete_model(self, request: HttpRequest, obj: EmailAddress) -> None:
        email_addresses_delete_by_operator(addresses=[obj], by=_operator(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[EmailAddress]) -> None:
        email_addresses_delete_by_operator(addresses=list(queryset), by=_operator(request))

    @admin.action(description=_("Mark selected email addresses as verified"))
    def make_verified(self, request: HttpRequest, queryset: QuerySet[EmailAddress]) -> None:
        count = email_addresses_verify_by_operator(
            addresses=list(queryset.select_related("user")), by=_operator(request)
        )
        self.message_user(request, _("%(count)d address(es) marked verified.") % {"count": count})


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Second factors can be listed and removed (a lost phone), never read or edited."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Authenticator) -> None:
        authenticators_remove_by_operator(authenticators=[obj], by=_operator(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Authenticator]) -> None:
        authenticators_remove_by_operator(
            authenticators=list(queryset.select_related("user")), by=_operator(request)
        )
