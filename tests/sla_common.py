"""Shared by the tests of appeals.sla (tests/test_sla_*.py): time zones, calendars and
property-test settings.

Every expected value is a literal worked out by hand (weekday, holidays, UTC offset of
the day), never computed by the code under test. Offsets used below:
Europe/Berlin and Europe/Paris +01:00 (CET) / +02:00 (CEST); Europe/London +00:00 /
+01:00 (BST); America/New_York -05:00 (EST) / -04:00 (EDT); Pacific/Auckland +13:00
(NZDT, southern summer). In 2026 the EU and UK clocks change on Sun 29 Mar and
Sun 25 Oct, New York's on Sun 8 Mar and Sun 1 Nov.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import settings

from appeals.sla import Calendar, Unit

BERLIN = ZoneInfo("Europe/Berlin")
PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
SANTIAGO = ZoneInfo("America/Santiago")

DE = Calendar(time_zone="Europe/Berlin", holiday_country="DE")
FR = Calendar(time_zone="Europe/Paris", holiday_country="FR")
GB = Calendar(time_zone="Europe/London", holiday_country="GB")
US = Calendar(time_zone="America/New_York", holiday_country="US")
BERLIN_WEEKENDS_ONLY = Calendar(time_zone="Europe/Berlin")
AUCKLAND_WEEKENDS_ONLY = Calendar(time_zone="Pacific/Auckland")
SANTIAGO_WEEKENDS_ONLY = Calendar(time_zone="America/Santiago")

CAL = Unit.CALENDAR_DAYS
BIZ = Unit.BUSINESS_DAYS
HOURS = Unit.HOURS

# The settings used by every property test: no example database on disk, and no
# per-example deadline (the first lookup of a year's holidays is slower than the rest).
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None)
