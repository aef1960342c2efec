#!/usr/bin/env python3
"""Writes templates/holidays/eu_<iso2>.toml, the national public holidays of each EU Member State, for the DORA
"next working day" note.

A developer tool only: no build step runs it, the TOML files it writes are committed and reviewed like any other
data. It needs the PyPI `holidays` package (`pip install holidays`); the package version goes into every file's
header so a later run with a newer package shows up as a diff to review, not a silent change.

    python3 scripts/gen-eu-holidays.py            # rewrites the 27 files
    python3 scripts/gen-eu-holidays.py --check    # exits 1 when a file differs from what would be written
"""

import argparse
import sys
import textwrap
from pathlib import Path

import holidays

FIRST_YEAR = 2025
LAST_YEAR = 2030
OUT_DIR = Path(__file__).resolve().parent.parent / "templates" / "holidays"

# ISO 3166-1 alpha-2 (Greece is GR here, not the EU's EL, because that is what the package and users know).
MEMBER_STATES = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "HR": "Croatia",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DK": "Denmark",
    "EE": "Estonia",
    "FI": "Finland",
    "FR": "France",
    "DE": "Germany",
    "GR": "Greece",
    "HU": "Hungary",
    "IE": "Ireland",
    "IT": "Italy",
    "LV": "Latvia",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "MT": "Malta",
    "NL": "Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "ES": "Spain",
    "SE": "Sweden",
}

# Spain is the one country where the package's "observed" mode is wrong for a national list: it drops a national
# holiday that falls on a Sunday because some autonomous communities move it to the Monday, which is a regional
# choice. Everywhere else "observed" days are moved by national law (BG, LV, NL) or by the package's reading of
# national practice (GR), so they stay.
NOT_OBSERVED = {"ES"}

# Other categories of the package: days that banks or many employers close on but that are not public holidays.
# They are named in the header so a user whose authority closes on them knows what to add, never included.
EXTRA_CATEGORIES = ("bank", "optional", "de_facto")

# The deliberate per-country choices, written into the header.
NOTES = {
    "BG": "Substitute days are included: under the Labour Code a holiday falling on a Saturday or Sunday makes the "
    "next working day a day off (not for Holy Saturday and Easter Sunday, followed by Easter Monday anyway). The "
    "one-off non-working days set by the Council of Ministers are included as far as the package knows them (31 Dec "
    "2025, 2 Jan 2026); the Saturdays worked in exchange are not modelled (Firebreak treats every Saturday as "
    "non-working).",
    "DE": "That leaves the nine holidays of every Land: Epiphany, Corpus Christi, Assumption, Reformation Day, All "
    "Saints', Repentance Day and Women's Day are holidays of some Länder only.",
    "ES": "Statutory dates are kept even on a Sunday (the package was run with observed=False): moving a Sunday "
    "holiday to the Monday, and swapping some national days for regional ones, is decided by each autonomous "
    "community, so those days are regional. Maundy Thursday is regional too.",
    "FI": "Midsummer Eve and Christmas Eve are included, as the package lists them: offices and banks are closed "
    "and Finnish law on time limits treats them like holidays.",
    "FR": "Alsace-Moselle's Good Friday and 26 December and the overseas departments' abolition-of-slavery days are "
    "regional and left out.",
    "GR": "Labour Day is moved when it falls on a weekend or on Easter Monday, as the package has it (2027, Holy "
    "Saturday: Tuesday 4 May); the Ministry of Labour fixes the actual day each year, so check it.",
    "HU": "The bridge days that a government decree makes rest days are included as far as the package knows them "
    "(2025, 2026); later years' decrees are not in it, and the Saturdays worked in exchange are not modelled "
    "(Firebreak treats every Saturday as non-working).",
    "IE": "No substitute days: Irish law gives no automatic next weekday off when a public holiday falls on a "
    "weekend (St Patrick's Day 2030, Christmas 2027), although banks usually close on the next weekday. St Brigid's "
    "Day is the first Monday of February, or 1 February when that is a Friday.",
    "IT": "Patron saints' days of cities are regional and left out. St Francis of Assisi (4 October) is a national "
    "holiday again from 2026.",
    "LV": "Substitute days are included: by law 4 May and 18 November falling on a weekend give the next working "
    "day off. The bridge days moved by Cabinet order are included as far as the package knows them (2025, 2026); "
    "later years' orders are not in it, and the Saturdays worked in exchange are not modelled (Firebreak treats "
    "every Saturday as non-working).",
    "NL": "King's Day falling on a Sunday is held on the Saturday before (2025: 26 April). Liberation Day (5 May) "
    "is a public holiday only every fifth year (2025, 2030), as the package has it.",
    "SK": "1 September and 17 November are working days from 2025, and 8 May and 15 September are working days in "
    "2026 only (Law 261/2025), as the package has it.",
}


def holiday_map(code, years, categories, observed=True):
    return holidays.country_holidays(
        code, years=years, categories=categories, observed=observed, language="en_US"
    )


def extra_days(code):
    """Names of the package's bank/optional/de-facto days for `code`, for the header."""
    cls = type(holidays.country_holidays(code))
    names = []
    for cat in EXTRA_CATEGORIES:
        if cat not in cls.supported_categories:
            continue
        for _, name in sorted(holiday_map(code, range(FIRST_YEAR, LAST_YEAR + 1), (cat,)).items()):
            for part in name.split("; "):
                if part not in names:
                    names.append(part)
    return names


def comment(paragraph):
    # A no-break space keeps "<data folder>" on one line, so the path can be copied from the file.
    lines = textwrap.wrap(paragraph.replace("<data folder>", "<data\u00a0folder>"), 116)
    return "".join("# " + line.replace("\u00a0", " ") + "\n" for line in lines)


def render(code):
    country = MEMBER_STATES[code]
    cls = type(holidays.country_holidays(code))
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    observed = code not in NOT_OBSERVED
    days = holiday_map(code, years, ("public",), observed)

    head = (
        f"{country}: national public holidays {FIRST_YEAR}-{LAST_YEAR}, generated by scripts/gen-eu-holidays.py "
        f"from the Python holidays package {holidays.__version__} (country {code}, category public, "
        f"observed={observed}). Edit the script, not this file. Used for the DORA note \"a deadline on a weekend "
        f"or bank holiday may move to 12:00 of the next working day\"; days on a weekend are listed too."
    )
    regional = (
        "Regional holidays (of only some regions, provinces or cities) are left out."
        if getattr(cls, "subdivisions", ())
        else "The package knows no regional holidays for this country."
    )
    text = comment(head) + comment(regional)
    if code in NOTES:
        text += comment(NOTES[code])
    extra = extra_days(code)
    if extra:
        text += comment(
            "Not included, because they are not public holidays (the package lists them as bank, optional or de "
            f"facto days off): {', '.join(extra)}."
        )
    text += comment(
        "Add dates (a regional holiday, a day your authority is closed, a later year) in "
        f"<data folder>/templates/holidays/eu_{code.lower()}.toml: its dates are added to these."
    )
    text += f'name = "{country} (national public holidays)"\nfirst_year = {FIRST_YEAR}\nlast_year = {LAST_YEAR}\n'
    for day, name in sorted(days.items()):
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        text += f'\n[[holiday]]\ndate = "{day.isoformat()}"\nname = "{escaped}"\n'
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report files that differ instead of writing them")
    args = parser.parse_args()
    stale = []
    for code in MEMBER_STATES:
        path = OUT_DIR / f"eu_{code.lower()}.toml"
        text = render(code)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("differ from the package's data:", ", ".join(stale), file=sys.stderr)
        return 1
    done = "checked" if args.check else "wrote"
    print(f"{done} {len(MEMBER_STATES)} calendars with holidays {holidays.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
