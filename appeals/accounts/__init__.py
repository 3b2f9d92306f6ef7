"""The identity concern: sign-in, second factor, account events. Every use of
django-allauth internals is in this package."""
