from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    default = True
    verbose_name = _("Appeals and redress")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from appeals.accounts import signals  # noqa: F401  (connects audit receivers)


class PortalAdminConfig(admin_apps.AdminConfig):
    """The Django admin, signed in through allauth and behind the staff MFA gate."""

    default = False
    default_site = "appeals.admin_site.PortalAdminSite"

    def ready(self) -> None:
        super().ready()  # every app's admin module registers its pages
        from appeals import admin_accounts  # noqa: F401  (then allauth's are replaced)
