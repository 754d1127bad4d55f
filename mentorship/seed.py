"""The demo: two organizations with realistic people, created idempotently.

Wiring code (like settings and urls): it may name every app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_tenants.utils import schema_context

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from mentorship.organizations.models import Organization
from mentorship.organizations.services import org_create, organization_domain
from programs.seed_data import seed_programs

DEMO_PASSWORD = "mentor-demo-2026"  # noqa: S105  (published demo credential)


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    title: str
    role: str  # org role: hr_admin / coordinator / member
    zone: str
    country: str
    city: str
    languages: tuple[str, ...]
    department: str = ""
    seniority: int = 3  # 1 junior … 6 executive
    offers: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    program_role: str = ""  # mentor / mentee in the demo program, "" for staff
    affiliation: str = ""
    manager: str = ""  # email of the person's manager


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    people: tuple[Person, ...] = field(default_factory=tuple)


M, C, A = "member", "coordinator", "hr_admin"

MERIDIAN = DemoOrg(
    slug="meridian",
    name="Meridian Software",
    people=(
        Person(
            "hr@meridian.example",
            "Olivia Brooks",
            "Head of People",
            A,
            "America/Chicago",
            "US",
            "Austin",
            ("en",),
            "People",
            5,
        ),
        Person(
            "coordinator@meridian.example",
            "Thu Trang Le",
            "L&D Program Lead",
            C,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Ho Chi Minh City",
            ("vi", "en"),
            "People",
            4,
        ),
        Person(
            "rahul.iyer@meridian.example",
            "Rahul Iyer",
            "Principal Engineer",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "hi", "kn"),
            "Platform",
            6,
            (
                "system design",
                "distributed systems",
                "technical leadership",
                "code review",
            ),
            (),
            "mentor",
        ),
        Person(
            "mentor@meridian.example",
            "Marek Nowak",
            "Engineering Manager",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en"),
            "Payments",
            5,
            ("people management", "technical leadership", "agile delivery", "hiring"),
            (),
            "mentor",
        ),
        Person(
            "sarah.kim@meridian.example",
            "Sarah Kim",
            "Director of Product",
            M,
            "America/Chicago",
            "US",
            "Austin",
            ("en", "ko"),
            "Product",
            6,
            ("product strategy", "stakeholder management", "public speaking"),
            (),
            "mentor",
        ),
        Person(
            "anh.pham@meridian.example",
            "Anh Pham",
            "Senior QA Lead",
            M,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Ho Chi Minh City",
            ("vi", "en"),
            "Quality",
            5,
            ("test automation", "quality strategy", "people management"),
            (),
            "mentor",
        ),
        Person(
            "katarzyna.wojcik@meridian.example",
            "Katarzyna Wójcik",
            "Staff Engineer",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en", "de"),
            "Platform",
            5,
            ("distributed systems", "cloud architecture", "code review"),
            (),
            "mentor",
        ),
        Person(
            "james.carter@meridian.example",
            "James Carter",
            "VP Engineering",
            M,
            "America/Chicago",
            "US",
            "Austin",
            ("en", "es"),
            "Engineering",
            6,
            (
                "technical leadership",
                "hiring",
                "stakeholder management",
                "career growth",
            ),
            (),
            "mentor",
        ),
        Person(
            "mentee@meridian.example",
            "Minh Nguyen",
            "Software Engineer",
            M,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Ho Chi Minh City",
            ("vi", "en"),
            "Payments",
            2,
            (),
            ("system design", "public speaking", "career growth"),
            "mentee",
            manager="anh.pham@meridian.example",
        ),
        Person(
            "priya.sharma@meridian.example",
            "Priya Sharma",
            "Software Engineer II",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "hi"),
            "Platform",
            2,
            (),
            ("distributed systems", "technical leadership"),
            "mentee",
            manager="rahul.iyer@meridian.example",
        ),
        Person(
            "tomasz.zielinski@meridian.example",
            "Tomasz Zieliński",
            "Junior Developer",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en"),
            "Payments",
            1,
            (),
            ("code review", "agile delivery", "cloud architecture"),
            "mentee",
            manager="mentor@meridian.example",
        ),
        Person(
            "emily.davis@meridian.example",
            "Emily Davis",
            "Product Analyst",
            M,
            "America/Chicago",
            "US",
            "Austin",
            ("en",),
            "Product",
            2,
            (),
            ("product strategy", "stakeholder management"),
            "mentee",
            manager="sarah.kim@meridian.example",
        ),
        Person(
            "arjun.reddy@meridian.example",
            "Arjun Reddy",
            "Test Engineer",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "te", "hi"),
            "Quality",
            2,
            (),
            ("test automation", "quality strategy", "people management"),
            "mentee",
        ),
        Person(
            "linh.tran@meridian.example",
            "Linh Tran",
            "Frontend Developer",
            M,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Da Nang",
            ("vi", "en"),
            "Product",
            1,
            (),
            ("public speaking", "product strategy", "career growth"),
            "mentee",
        ),
        Person(
            "agnieszka.lewandowska@meridian.example",
            "Agnieszka Lewandowska",
            "DevOps Engineer",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en"),
            "Platform",
            3,
            (),
            ("cloud architecture", "distributed systems", "hiring"),
            "mentee",
        ),
        Person(
            "deepika.nair@meridian.example",
            "Deepika Nair",
            "Associate Engineer",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "ml", "hi"),
            "Payments",
            1,
            (),
            ("system design", "code review", "career growth"),
            "mentee",
        ),
    ),
)

BRIDGES = DemoOrg(
    slug="bridges",
    name="Bridges Association Network",
    people=(
        Person(
            "hr@bridges.example",
            "Claire Dubois",
            "Network Director",
            A,
            "Europe/Brussels",
            "BE",
            "Brussels",
            ("fr", "en", "nl"),
            "Secretariat",
            6,
        ),
        Person(
            "coordinator@bridges.example",
            "Daniel Okafor",
            "Volunteer Program Coordinator",
            C,
            "America/Toronto",
            "CA",
            "Toronto",
            ("en", "fr"),
            "Programs",
            4,
        ),
        Person(
            "mentor@bridges.example",
            "Robert Hayes",
            "Retired Association CEO (volunteer)",
            M,
            "America/New_York",
            "US",
            "Washington, DC",
            ("en",),
            "Volunteers",
            6,
            ("governance", "membership growth", "advocacy", "fundraising"),
            (),
            "mentor",
        ),
        Person(
            "margaret.chen@bridges.example",
            "Margaret Chen",
            "Former COO, trade association (volunteer)",
            M,
            "America/Vancouver",
            "CA",
            "Vancouver",
            ("en", "zh"),
            "Volunteers",
            6,
            ("financial management", "governance", "strategic planning"),
            (),
            "mentor",
        ),
        Person(
            "isabelle.martin@bridges.example",
            "Isabelle Martin",
            "Advocacy consultant (volunteer)",
            M,
            "Europe/Paris",
            "FR",
            "Lyon",
            ("fr", "en", "ar"),
            "Volunteers",
            5,
            ("advocacy", "policy analysis", "public speaking"),
            (),
            "mentor",
        ),
        Person(
            "hans.mueller@bridges.example",
            "Hans Müller",
            "Former Secretary General (volunteer)",
            M,
            "Europe/Berlin",
            "DE",
            "Berlin",
            ("de", "en"),
            "Volunteers",
            6,
            ("governance", "member services", "event management"),
            (),
            "mentor",
        ),
        Person(
            "lucia.romano@bridges.example",
            "Lucia Romano",
            "Fundraising director (volunteer)",
            M,
            "Europe/Rome",
            "IT",
            "Milan",
            ("it", "en", "fr"),
            "Volunteers",
            5,
            ("fundraising", "digital communication", "membership growth"),
            (),
            "mentor",
        ),
        Person(
            "mentee@bridges.example",
            "Farhana Rahman",
            "Executive Director, Dhaka Garment Exporters Association",
            M,
            "Asia/Dhaka",
            "BD",
            "Dhaka",
            ("bn", "en"),
            "Members",
            4,
            (),
            ("governance", "advocacy", "membership growth"),
            "mentee",
            "Dhaka Garment Exporters Association",
        ),
        Person(
            "youssef.benali@bridges.example",
            "Youssef Ben Ali",
            "Secretary General, Tunisian Chamber of Crafts",
            M,
            "Africa/Tunis",
            "TN",
            "Tunis",
            ("ar", "fr"),
            "Members",
            4,
            (),
            ("advocacy", "fundraising", "policy analysis"),
            "mentee",
            "Tunisian Chamber of Crafts",
        ),
        Person(
            "amina.diallo@bridges.example",
            "Amina Diallo",
            "Director, Senegal Women Entrepreneurs Network",
            M,
            "Africa/Dakar",
            "SN",
            "Dakar",
            ("fr", "wo", "en"),
            "Members",
            3,
            (),
            ("fundraising", "digital communication", "member services"),
            "mentee",
            "Senegal Women Entrepreneurs Network",
        ),
        Person(
            "sanjay.thapa@bridges.example",
            "Sanjay Thapa",
            "CEO, Nepal Hotel Association",
            M,
            "Asia/Kathmandu",
            "NP",
            "Kathmandu",
            ("ne", "en", "hi"),
            "Members",
            4,
            (),
            ("strategic planning", "event management", "financial management"),
            "mentee",
            "Nepal Hotel Association",
        ),
        Person(
            "nadia.haddad@bridges.example",
            "Nadia Haddad",
            "Programs Manager, Lebanese Industrialists Association",
            M,
            "Asia/Beirut",
            "LB",
            "Beirut",
            ("ar", "fr", "en"),
            "Members",
            3,
            (),
            ("advocacy", "policy analysis", "public speaking"),
            "mentee",
            "Lebanese Industrialists Association",
        ),
        Person(
            "kwame.mensah@bridges.example",
            "Kwame Mensah",
            "Executive Secretary, Ghana Agro Processors",
            M,
            "Africa/Accra",
            "GH",
            "Accra",
            ("en", "tw"),
            "Members",
            3,
            (),
            ("membership growth", "governance", "digital communication"),
            "mentee",
            "Ghana Agro Processors",
        ),
        Person(
            "siti.rahayu@bridges.example",
            "Siti Rahayu",
            "Director, Indonesian Coffee Cooperatives",
            M,
            "Asia/Jakarta",
            "ID",
            "Jakarta",
            ("id", "en"),
            "Members",
            3,
            (),
            ("financial management", "fundraising", "strategic planning"),
            "mentee",
            "Indonesian Coffee Cooperatives",
        ),
    ),
)

DEMO_ORGS = (MERIDIAN, BRIDGES)


def _login_rows(org: DemoOrg) -> list[tuple[str, str]]:
    rows = [("HR admin", org.people[0].email), ("Coordinator", org.people[1].email)]
    rows.append(("Mentor", f"mentor@{org.slug}.example"))
    rows.append(("Mentee", f"mentee@{org.slug}.example"))
    return rows


DEMO_LOGINS = {organization_domain(org.slug): _login_rows(org) for org in DEMO_ORGS}


def seed_demo(*, extra=None) -> list[str]:
    """Create the demo organizations and people if absent. Returns what it created.

    `extra(org, people_by_email)` lets domain code add programs and the like inside
    each organization's schema (wired in by the command).
    """
    created: list[str] = []
    # One hash for every demo login: hashing per user would cost seconds of PBKDF2.
    password_hash = make_password(DEMO_PASSWORD)
    for org in DEMO_ORGS:
        schema = f"org_{org.slug}"
        if not Organization.objects.filter(schema_name=schema).exists():
            org_create(slug=org.slug, name=org.name)
            created.append(org.name)
        with schema_context(schema), transaction.atomic():
            users = {}
            for person in org.people:
                user = User.objects.filter(email=person.email).first()
                if user is None:
                    user = user_create(
                        email=person.email,
                        password=None,
                        full_name=person.name,
                        role=person.role,
                        time_zone=person.zone,
                        verified=True,
                    )
                    user.password = password_hash
                    user.save(update_fields=["password"])
                    created.append(person.email)
                users[person.email] = user
            # Participant profiles and the demo program (programs.seed_data).
            created.extend(seed_programs(org, users))
            if extra is not None:
                created.extend(extra(org, users))
    return created
