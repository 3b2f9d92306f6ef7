"""Reads, each scoped to who asks: a case the person may not see raises Http404.
Services push, selectors pull."""
