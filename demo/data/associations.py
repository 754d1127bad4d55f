"""Bridges' organization-mentoring program (issue 18): member associations from
several countries, each with its team of 2–3 and a brief in its own words, mentored
by the network's volunteer executives (data only; demo/associations.py makes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demo.data.people import M, Person
from demo.data.stories import HeldMeeting
from programs.models import Program
from programs.services import ModuleData, ObjectiveData, QuestionData


@dataclass(frozen=True)
class TeamMember:
    person: Person
    role_title: str
    is_lead: bool = False


@dataclass(frozen=True)
class Association:
    fields: dict[str, Any]  # members.services.EDITABLE_FIELDS
    team: tuple[TeamMember, ...]


def _member(
    email: str,
    name: str,
    title: str,
    zone: str,
    country: str,
    city: str,
    languages: tuple[str, ...],
    wants: tuple[str, ...] = (),
) -> Person:
    # Only the lead contact is enrolled (``Match.mentee``): the rest of the team
    # takes part through the membership.
    return Person(
        email, name, title, M, zone, country, city, languages, "", 5, (), wants
    )


PROGRAM: dict[str, Any] = {
    "fields": {
        "name": "Association Mentoring 2027",
        "kind": Program.Kind.ORGANIZATION,
        "description": (
            "Volunteer executives from the United States, Canada and Europe mentor "
            "the leadership teams of member associations and chambers of commerce: "
            "one mentor, one association, its president and staff together."
        ),
        "focus_areas": [
            "advocacy",
            "governance",
            "membership growth",
            "member services",
            "fundraising",
        ],
        "meeting_cadence_days": 21,
        "meeting_length_minutes": 60,
        "confidentiality_agreement": (
            "What our association shares about its members, finances and dealings "
            "with government stays between our team and our mentor."
        ),
        "communication_norms": (
            "Understand each other's local context before advising; keep the "
            "meeting rhythm through elections, Ramadan and the fiscal year end, "
            "rescheduling rather than skipping; say plainly what is not working, "
            "both ways."
        ),
        "sponsor_name": "Claire Dubois, Network Director",
        "sponsor_message": (
            "An association that wins one reform for its members has changed more "
            "than any one company could. Thank you for walking with them."
        ),
        "mentee_capacity": 10,
    },
    "objectives": [
        ObjectiveData(
            "Advocacy that changes a rule",
            "Each association takes one policy ask to the authority that can grant it",
        ),
        ObjectiveData(
            "Members who stay and pay",
            "Membership renewals up by a tenth within a year",
        ),
    ],
    "questions": [
        QuestionData(
            "What would your association like to have achieved in a year?",
            kind="long_text",
            for_role="mentee",
        ),
    ],
    "modules": [
        ModuleData(
            "Reading a member association's context",
            content=(
                "Before the first meeting: read the association's brief, the "
                "economy and regulation it works in, and what it has already tried."
            ),
        )
    ],
}

# Volunteer executive mentors: Bridges' own (demo/data/people.py), enrolled in this
# program too.
MENTORS = (
    "mentor@bridges.example",  # Robert Hayes, Washington, DC
    "margaret.chen@bridges.example",  # Vancouver
    "isabelle.martin@bridges.example",  # Lyon
    "hans.mueller@bridges.example",  # Berlin
)

SYLHET = "Sylhet Chamber of Commerce and Industry"

ASSOCIATIONS = (
    Association(
        fields={
            "name": SYLHET,
            "country": "BD",
            "city": "Sylhet",
            "sector": "Chamber of commerce",
            "size": "250-999",
            "website": "https://sylhet-chamber.example",
            "languages": ["bn", "en"],
            "context_economy": (
                "Our 640 members are mostly family traders, tea-garden suppliers and "
                "small manufacturers. Remittances from the diaspora in the UK keep "
                "the local economy going, but bank credit is hard to get: a lender "
                "asks for a **credit-history report**, and the fee for it is more "
                "than many small traders will pay."
            ),
            "context_needs": (
                "- Win a lower credit-history fee for small businesses\n"
                "- A members' service worth renewing for (trade data, export help)\n"
                "- A board that meets on schedule and publishes its accounts"
            ),
            "context_tried": (
                "We wrote to the regional office twice in 2025 and got no answer. "
                "A one-off training day on exporting drew 80 members but nobody "
                "followed up."
            ),
        },
        team=(
            TeamMember(
                _member(
                    "abdul.chowdhury@sylhet-chamber.example",
                    "Abdul Karim Chowdhury",
                    "President",
                    "Asia/Dhaka",
                    "BD",
                    "Sylhet",
                    ("bn", "en"),
                    ("advocacy", "governance"),
                ),
                "President",
                is_lead=True,
            ),
            TeamMember(
                _member(
                    "nasreen.akter@sylhet-chamber.example",
                    "Nasreen Akter",
                    "Vice President",
                    "Asia/Dhaka",
                    "BD",
                    "Sylhet",
                    ("bn", "en"),
                ),
                "Vice President",
            ),
            TeamMember(
                _member(
                    "tanvir.hasan@sylhet-chamber.example",
                    "Tanvir Hasan",
                    "Program Officer",
                    "Asia/Dhaka",
                    "BD",
                    "Sylhet",
                    ("bn", "en"),
                ),
                "Program Officer",
            ),
        ),
    ),
    Association(
        fields={
            "name": "Union des Entrepreneurs de Sfax",
            "country": "TN",
            "city": "Sfax",
            "sector": "Business association",
            "size": "50-249",
            "website": "https://ues-sfax.example",
            "languages": ["ar", "fr"],
            "context_economy": (
                "Sfax is the country's second industrial city: olive oil, fish "
                "processing, leather. Our members export to Libya and Europe and "
                "lose weeks at customs; since 2023 the dinar and the shortages of "
                "imported inputs make planning difficult."
            ),
            "context_needs": (
                "- A clear position paper on customs delays, backed by members' data\n"
                "- Young entrepreneurs on the board, not only founders"
            ),
            "context_tried": (
                "A survey of members in 2024 had 19 answers; we did not know how to "
                "turn it into a demand the ministry would read."
            ),
        },
        team=(
            TeamMember(
                _member(
                    "leila.bensalah@ues-sfax.example",
                    "Leila Ben Salah",
                    "Présidente",
                    "Africa/Tunis",
                    "TN",
                    "Sfax",
                    ("ar", "fr", "en"),
                    ("advocacy",),
                ),
                "President",
                is_lead=True,
            ),
            TeamMember(
                _member(
                    "karim.trabelsi@ues-sfax.example",
                    "Karim Trabelsi",
                    "Vice-président",
                    "Africa/Tunis",
                    "TN",
                    "Sfax",
                    ("ar", "fr"),
                ),
                "Vice President",
            ),
            TeamMember(
                _member(
                    "sana.mejri@ues-sfax.example",
                    "Sana Mejri",
                    "Chargée de programmes",
                    "Africa/Tunis",
                    "TN",
                    "Sfax",
                    ("ar", "fr", "en"),
                ),
                "Program Officer",
            ),
        ),
    ),
    Association(
        fields={
            "name": "Kisumu Business Association",
            "country": "KE",
            "city": "Kisumu",
            "sector": "Business association",
            "size": "50-249",
            "website": "https://kisumu-business.example",
            "languages": ["en", "sw"],
            "context_economy": (
                "Lake Victoria's fish trade, sugar and a growing number of small "
                "tech and logistics firms. County levies change every budget and "
                "members learn of them from the collectors."
            ),
            "context_needs": (
                "- A seat at the county's budget consultations\n"
                "- Dues that members pay on time (M-Pesa collection?)"
            ),
            "context_tried": "A WhatsApp group of 200 members: lively, but no decisions.",
        },
        team=(
            TeamMember(
                _member(
                    "grace.otieno@kisumu-business.example",
                    "Grace Achieng Otieno",
                    "Chairperson",
                    "Africa/Nairobi",
                    "KE",
                    "Kisumu",
                    ("en", "sw"),
                    ("governance", "membership growth"),
                ),
                "Chairperson",
                is_lead=True,
            ),
            TeamMember(
                _member(
                    "brian.kiprotich@kisumu-business.example",
                    "Brian Kiprotich",
                    "Programme Officer",
                    "Africa/Nairobi",
                    "KE",
                    "Kisumu",
                    ("en", "sw"),
                ),
                "Program Officer",
            ),
        ),
    ),
    Association(
        fields={
            "name": "Asociación de Empresarios de Cartagena",
            "country": "CO",
            "city": "Cartagena",
            "sector": "Business association",
            "size": "10-49",
            "website": "https://empresarios-cartagena.example",
            "languages": ["es"],
            "context_economy": (
                "Tourism, the port and the petrochemical complex, with most small "
                "businesses informal. Formalising costs a shop more than it gains in "
                "the first two years."
            ),
            "context_needs": (
                "- Services that make formal membership worth it\n"
                "- Income beyond dues: sponsors, paid training"
            ),
            "context_tried": "",
        },
        team=(
            TeamMember(
                _member(
                    "maria.rios@empresarios-cartagena.example",
                    "María Fernanda Ríos",
                    "Presidenta",
                    "America/Bogota",
                    "CO",
                    "Cartagena",
                    ("es", "en"),
                    ("fundraising", "member services"),
                ),
                "President",
                is_lead=True,
            ),
            TeamMember(
                _member(
                    "andres.morales@empresarios-cartagena.example",
                    "Andrés Morales",
                    "Vicepresidente",
                    "America/Bogota",
                    "CO",
                    "Cartagena",
                    ("es",),
                ),
                "Vice President",
            ),
            TeamMember(
                _member(
                    "camila.herrera@empresarios-cartagena.example",
                    "Camila Herrera",
                    "Coordinadora de programas",
                    "America/Bogota",
                    "CO",
                    "Cartagena",
                    ("es", "en"),
                ),
                "Program Officer",
            ),
        ),
    ),
)

# The engagement under way: Sylhet's chamber with Robert Hayes (advocacy), matched
# ENGAGEMENT_STARTS_DAYS_AGO days ago, one meeting held, a goal and a story.
ENGAGEMENT_MENTOR = "mentor@bridges.example"
ENGAGEMENT_STARTS_DAYS_AGO = 40
ENGAGEMENT_MEETING = HeldMeeting(
    days_ago=26,
    pulses=(5, 4),
    topics="The brief; who decides the credit-history fee; our members' numbers",
    notes=(
        "The fee is set by the central bank's credit information bureau, not the "
        "regional office: the letter goes to Dhaka, with members' loan refusals."
    ),
    action_items=(
        "Tanvir: collect 30 members' refusals in a table\n"
        "Nasreen: ask the Dhaka chamber to co-sign"
    ),
    mentee_says="Robert listened before advising. Very useful.",
)
ENGAGEMENT_GOAL = ("Halve the credit-history fee for small businesses", 100)
STORY: dict[str, Any] = {
    "title": "The credit-history fee, halved",
    "what_happened": (
        "With Robert's coaching, the chamber gathered 30 members' loan refusals, "
        "wrote one letter with the Dhaka chamber, and took it to the central "
        "bank's credit information bureau. The bureau halved the fee for "
        "businesses with fewer than ten employees."
    ),
    "outcome": "Credit-history report fee for small businesses",
    "outcome_before": 500,
    "outcome_after": 250,
    "outcome_unit": "taka",
}
