"""The demo organizations' programs, keyed by organization slug (data only;
demo/programs.py creates them)."""

from __future__ import annotations

from typing import Any

from programs.models import Program
from programs.services import ModuleData, ObjectiveData, QuestionData

PROGRAMS: dict[str, dict[str, Any]] = {
    "meridian": {
        "fields": {
            "name": "Engineering Growth Mentoring 2027",
            "kind": Program.Kind.ONE_TO_ONE,
            "description": (
                "Six months of one-to-one mentoring that pairs engineers in "
                "Ho Chi Minh City, Bengaluru, Kraków and Austin with senior "
                "engineers and leaders from another office."
            ),
            "focus_areas": [
                "system design",
                "technical leadership",
                "career growth",
                "public speaking",
            ],
            "meeting_cadence_days": 14,
            "meeting_length_minutes": 45,
            "confidentiality_agreement": (
                "What we discuss in mentoring sessions stays between us. I will not "
                "share my partner's personal or career information without consent."
            ),
            "communication_norms": (
                "Agree an agenda before each meeting; answer messages within two "
                "working days; reschedule at least a day ahead."
            ),
            "sponsor_name": "James Carter, VP Engineering",
            "sponsor_message": (
                "Our best engineers grew because someone invested in them. "
                "This program is how we pay that forward across every office."
            ),
            "mentee_capacity": 20,
        },
        "objectives": [
            ObjectiveData(
                "Mentees lead a design review within six months",
                "70% of mentees lead at least one design review",
            ),
            ObjectiveData(
                "Stronger links between offices",
                "Every pair spans two offices; 80% meet at least 8 times",
            ),
        ],
        "questions": [
            QuestionData(
                "What would you most like to grow in the next six months?",
                kind="long_text",
                for_role="mentee",
            ),
            QuestionData(
                "Which focus area matters most to you?",
                kind="single_choice",
                choices=(
                    "system design",
                    "technical leadership",
                    "career growth",
                    "public speaking",
                ),
                for_role="both",
            ),
            QuestionData(
                "How many mentees could you take on?",
                kind="single_choice",
                choices=("1", "2", "3"),
                for_role="mentor",
            ),
        ],
        "modules": [
            ModuleData(
                "Mentoring 101: the first conversation",
                url="https://www.mentoring.org/resource/becoming-a-better-mentor/",
                content="Twenty minutes on setting goals and expectations together.",
            )
        ],
    },
    "bridges": {
        "fields": {
            "name": "Association Leaders Exchange",
            "kind": Program.Kind.ONE_TO_ONE,
            "description": (
                "Experienced association executives, volunteering their time, "
                "mentor leaders of member associations across four continents."
            ),
            "focus_areas": [
                "governance",
                "advocacy",
                "fundraising",
                "membership growth",
            ],
            "meeting_cadence_days": 21,
            "meeting_length_minutes": 60,
            "confidentiality_agreement": (
                "Conversations about my association, its members and its finances "
                "are confidential to the pair."
            ),
            "communication_norms": (
                "Meet by video at a time that falls in both partners' working hours; "
                "mentors are volunteers, so confirm meetings a week ahead."
            ),
            "sponsor_name": "Claire Dubois, Network Director",
            "sponsor_message": "Strong associations make strong economies. Thank you for sharing what you know.",
            "mentee_capacity": 15,
        },
        "objectives": [
            ObjectiveData(
                "Stronger governance in member associations",
                "Each mentee presents a governance improvement to their board",
            ),
            ObjectiveData(
                "Growth in membership and income",
                "Half of mentee associations grow membership or income within a year",
            ),
        ],
        "questions": [
            QuestionData(
                "Which challenge is your association facing right now?",
                kind="long_text",
                for_role="mentee",
            ),
            QuestionData(
                "Which areas can you help with?",
                kind="multi_choice",
                choices=("governance", "advocacy", "fundraising", "membership growth"),
                for_role="mentor",
            ),
        ],
        "modules": [
            ModuleData(
                "Working across cultures and time zones",
                content="A short guide to agreeing meeting times and styles across regions.",
            )
        ],
    },
}
