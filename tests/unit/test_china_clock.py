"""Legal dates are days in China: between 00:00 and 08:00 in Beijing the UTC
day is still yesterday, and nothing in the product may read that day."""

import re
from datetime import date, datetime, timezone

from freezegun import freeze_time

from conftest import ADDON_DIR
from enforcement_core.china_clock import china_clock_text, china_day, china_day_start_utc, china_today

# 16:30 UTC on 1 December is 00:30 on 2 December in Beijing.
AFTER_BEIJING_MIDNIGHT = datetime(2026, 12, 1, 16, 30)


def test_the_day_in_china_begins_eight_hours_before_the_utc_day():
    assert china_day(AFTER_BEIJING_MIDNIGHT) == date(2026, 12, 2)
    assert china_day(datetime(2026, 12, 1, 15, 59, 59)) == date(2026, 12, 1)
    assert china_day(AFTER_BEIJING_MIDNIGHT.replace(tzinfo=timezone.utc)) == date(2026, 12, 2)


def test_today_is_china_s_day_whatever_the_server_s_clock_says():
    with freeze_time(AFTER_BEIJING_MIDNIGHT):
        assert date.today() == date(2026, 12, 1)
        assert china_today() == date(2026, 12, 2)


def test_a_china_day_starts_at_16_00_utc_the_day_before():
    assert china_day_start_utc(date(2026, 12, 2)) == datetime(2026, 12, 1, 16, 0)
    assert china_clock_text(AFTER_BEIJING_MIDNIGHT) == "2026-12-02 00:30"


# The server's and the user's "today" (UTC for a user without a time zone).
OTHER_CLOCKS = re.compile(r"\bdate\.today\(\)|context_today|\bDate\.today\(|\bdatetime\.now\(\)|\butcnow\(\)\.date\(\)")


def test_server_code_reads_today_only_from_china_s_clock():
    offenders = []
    for path in sorted(ADDON_DIR.rglob("*.py")):
        relative = path.relative_to(ADDON_DIR)
        if relative.parts[0] == "tests" or relative.as_posix() == "enforcement_core/china_clock.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OTHER_CLOCKS.search(line.split("#")[0]):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "use enforcement_core.china_clock instead:\n" + "\n".join(offenders)
