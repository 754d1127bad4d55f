"""The participant file's format: limits, the columns and their labels, the header
aliases exports use, and the seniority words. Data only."""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 1000
MAX_PROBLEMS = 1000
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
MAX_XLSX_PARTS = 200
MAX_CAPACITY = 20

REQUIRED_COLUMNS = ("email", "full_name", "role")
OPTIONAL_COLUMNS = (
    "preferred_name",
    "time_zone",
    "country",
    "city",
    "languages",
    "title",
    "department",
    "seniority",
    "skills_offered",
    "skills_wanted",
    "capacity",
    "working_hours",
    "working_days",
    "affiliation",
    # Organization mentoring: the member organization whose team the person joins
    # (it must exist already; the import service checks the name).
    "member_organization",
    "manager_email",
    # HR fields (retention and promotion reports); new people only, like the profile.
    "employment_status",
    "hired_on",
    "left_on",
    "grade",
    "last_promoted_on",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Columns read but not stored as such: they make full_name (and preferred_name).
NAME_PARTS = ("first_name", "last_name")
FIELDS = COLUMNS + NAME_PARTS
TEXT_LIMITS = {
    "full_name": 200,
    "preferred_name": 100,
    "first_name": 100,
    "last_name": 100,
    "title": 200,
    "department": 200,
    "city": 120,
    "affiliation": 200,
    "member_organization": 200,
    "grade": 40,
}
# Columns that are lists: ; , / or a line break inside the cell separate items.
LIST_COLUMNS = ("languages", "skills_offered", "skills_wanted")

# What each field is called, in the preview's mapping step.
FIELD_LABELS = {
    "email": "Email",
    "full_name": "Full name",
    "first_name": "First (given) name",
    "last_name": "Last (family) name",
    "preferred_name": "Preferred name",
    "role": "Role in this program (mentor or mentee)",
    "time_zone": "Time zone",
    "country": "Country",
    "city": "City",
    "languages": "Languages",
    "title": "Job title",
    "department": "Department",
    "seniority": "Seniority",
    "skills_offered": "Skills offered",
    "skills_wanted": "Skills wanted",
    "capacity": "Mentee capacity",
    "working_hours": "Working hours",
    "working_days": "Working days",
    "affiliation": "Affiliation",
    "member_organization": "Member organization",
    "manager_email": "Manager's email",
    "employment_status": "Employment status",
    "hired_on": "Hire date",
    "left_on": "Leave date",
    "grade": "Grade",
    "last_promoted_on": "Last promotion date",
}

# Header names as exports write them, besides the field's own name (a few in
# French, German, Spanish and Polish too); compared by header_key (case, spaces,
# punctuation and accents ignored).
HEADER_ALIASES = {
    "email": (
        "e-mail",
        "email address",
        "e-mail address",
        "work email",
        "work e-mail",
        "business email",
        "primary email",
        "mail",
        "email (work)",
        "work email address",
        "corporate email",
        "courriel",
        "e-mail-adresse",
        "adresse e-mail",
        "correo electrónico",
        "correo",
    ),
    "full_name": (
        "name",
        "full name",
        "display name",
        "employee name",
        "person",
        "participant",
        "legal name",
    ),
    "first_name": (
        "first name",
        "given name",
        "forename",
        "first",
        "firstname",
        "given names",
        "legal first name",
        "prénom",
        "vorname",
        "nombre de pila",
        "imię",
    ),
    "last_name": (
        "last name",
        "surname",
        "family name",
        "last",
        "lastname",
        "legal last name",
        "nom",
        "nom de famille",
        "nachname",
        "familienname",
        "apellido",
        "apellidos",
        "nazwisko",
    ),
    "preferred_name": (
        "preferred name",
        "preferred first name",
        "nickname",
        "known as",
        "goes by",
        "call me",
    ),
    "role": (
        "program role",
        "mentoring role",
        "participant role",
        "mentor or mentee",
        "mentor/mentee",
        "mentor / mentee",
    ),
    "time_zone": (
        "time zone",
        "timezone",
        "tz",
        "zone",
        "time zone (iana)",
        "olson time zone",
        "windows time zone",
        "iana time zone",
        "fuseau horaire",
        "zeitzone",
        "zona horaria",
        "strefa czasowa",
    ),
    "country": (
        "country",
        "country/region",
        "country or region",
        "country code",
        "country/region code",
        "work country",
        "location country",
    ),
    "city": ("town", "location", "office", "office location", "work location", "site"),
    "languages": ("language", "spoken languages", "languages spoken"),
    "title": (
        "job title",
        "position",
        "job",
        "position title",
        "designation",
        "business title",
        "job position",
    ),
    "department": (
        "dept",
        "team",
        "division",
        "business unit",
        "org unit",
        "organization unit",
        "organisation unit",
        "cost center",
    ),
    "seniority": (
        "level",
        "career level",
        "seniority level",
        "job level",
        "experience level",
    ),
    "skills_offered": (
        "skills",
        "expertise",
        "can teach",
        "strengths",
        "skills to offer",
    ),
    "skills_wanted": (
        "wants to learn",
        "development areas",
        "learning goals",
        "interests",
        "skills to learn",
        "growth areas",
    ),
    "capacity": ("mentee capacity", "max mentees", "mentoring capacity"),
    "working_hours": ("work hours", "hours", "office hours"),
    "working_days": ("work days", "days", "workdays"),
    "affiliation": ("member association",),
    "member_organization": (
        "member organization",
        "member organisation",
        "association",
        "organization",
        "organisation",
        "chamber",
        "chamber of commerce",
        "member chamber",
        "team organization",
    ),
    "manager_email": (
        "manager email",
        "manager e-mail",
        "manager's email",
        "manager email address",
        "supervisor email",
        "line manager email",
        "reports to email",
        "reports to (email)",
        "manager work email",
    ),
    "employment_status": ("employee status", "worker status"),
    "hired_on": (
        "hire date",
        "date of hire",
        "start date",
        "original hire date",
        "hired",
        "date hired",
        "employment start date",
    ),
    "left_on": ("termination date", "leave date", "end date", "last day", "date left"),
    "grade": ("job grade", "band", "pay grade", "grade level", "job band"),
    "last_promoted_on": (
        "last promotion date",
        "promotion date",
        "last promotion",
        "promoted on",
    ),
}

# Seniority words, matched after header_key-style folding ("Mid-level" -> midlevel).
SENIORITY_WORDS = {
    1: ("entry", "entrylevel", "intern", "graduate", "trainee", "apprentice"),
    2: ("junior", "early", "earlycareer", "associate", "jr"),
    3: ("mid", "midlevel", "intermediate", "middle", "experienced"),
    4: ("senior", "sr", "snr"),
    5: ("lead", "leadmanager", "manager", "principal", "staff", "teamlead", "head"),
    6: ("executive", "exec", "director", "vp", "vicepresident", "clevel", "chief"),
}
