"""Who may open which URL: the one table the isolation and permission sweep checks
(tests/security/test_url_sweep.py). A URL pattern that is not declared here fails the
sweep ("declare it").

Declaring a new URL
-------------------
Add one line to ``URLS`` below, keyed by the URL's name with its namespace (as you
would pass it to ``reverse``), with a preset that says who gets in::

    "reporting:survey-list": staff("GET"),
    "reporting:survey-edit": program_staff("GET POST"),
    "reporting:my-stories": signed_in("GET"),
    "reporting:shared-report": public("GET"),

The argument lists the methods the view serves; any other method must answer 405
(or the login/403 of a door checked before the method). Presets (``E`` is the expectation for the ids of the *home* objects, see below):

- ``public``         everyone, anonymous included, gets in (OK).
- ``signed_in``      any signed-in person of the organization; anonymous → LOGIN.
- ``staff``          coordinators and HR admins; members → 403 (no object in the URL).
- ``program_staff``  the program's coordinators and HR admins; a coordinator of another
                     program → 404; members → 403.
- ``pair_people``    the two people of the pair (or the person the object belongs to);
                     everyone else, coordinators and HR included → 404.
- ``pair_viewers``   the pair plus the program's coordinators and HR admins → OK.
- ``admin_page``     Django admin: HR admins OK, everyone else → LOGIN (admin login).
- ``admin_hidden``   in the admin, but not for this organization: 404 for all.

Change one role with ``.but(mentee=OK)``; say a mentee-only URL with
``pair_people("POST").but(mentor=R404)``; ``.but(R404, mentor=OK)`` sets every role
that gets past the login to 404 except the mentor. ``.on("POST", hr_admin=R403)``
changes one method only (it also wins over the 405 of a method the view does not
serve). ``.no_lookup()``: the view never reads the id (tried with home ids only). Outcomes: ``OK`` (the view ran: any status
below 500 that is not one of the others), ``LOGIN`` (302 to a login page, or 401 with
``HX-Redirect`` for htmx), ``R403``, ``R404`` (also the admin's "doesn't exist"
redirect to its index). A 5xx always fails.

Families: a key may be a glob (``"admin:reporting_*"``); an exact key wins over a glob,
a longer glob over a shorter one. Unnamed patterns are keyed by their route
(``"admin/programs/program/<path:object_id>/"``). Keys starting with ``public:`` are
the platform site's (mentorship/urls_public.py, host ``localhost``); its allauth,
admin and healthz pages need no line: they take the organization site's rule for the
same name, with every role treated as anonymous (no organization's session counts
there).

Ids in the URL
--------------
Each URL with ids is requested with the ids of several objects of the seeded world
(tests/security/world.py), and the expectation for each set is derived from ``E``:

- ``home``     program P / pair A: mentee, mentor and coordinator are theirs — ``E``.
- ``other``    program Q / pair B of the same organization (other_coordinator runs Q,
               other_mentor mentors B): roles swap, so coordinator gets E[other_coordinator],
               other_mentor gets E[mentor], mentor and mentee get E[other_mentor].
- ``sibling``  pair A2 in program P (only for ``scope="pair"`` presets): mentor and
               mentee get E[other_mentor]; the rest as E.
- ``mixed``    the first id from home, the others from ``other``: OK becomes 404.
- ``foreign``  ids of the other organization (beta) that do not exist here: OK → 404.

The world knows these kwargs: program_id, batch_id, enrollment_id, module_id,
resource_id, run_id, match_id, meeting_id, goal_id, milestone_id, suggestion_id,
circle_id, role, and admin object ids. For a new kind of id, seed one object per world
in tests/security/world_programs.py (``_seed_program`` or ``_seed_pair``) and add it to
``Ids`` (tests/security/world_types.py); until then the sweep only checks the not-found
cases of that URL and says so.

Requests: GET and POST (an empty body) for every pattern, role and id set; htmx and
plain with the home ids outside the admin; in the admin, foreign ids and the roles
its own login check shuts out are tried by GET only.

Roles: anonymous; mentee and mentor (pair A in P); other_mentor (mentor of pair B in
Q); other_coordinator (coordinates Q); coordinator (coordinates P); hr_admin; alien
(an HR admin of beta whose session cookie is replayed on alpha's host).

Known holes being fixed by someone else: ``.xfail("hr_admin", reason)`` (any role, or
"role METHOD"); the cell is then allowed to fail (not strict) and is listed in the
summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from types import MappingProxyType

# --- Roles and outcomes -------------------------------------------------------------------

ANON = "anonymous"
MENTEE = "mentee"
MENTOR = "mentor"
OTHER_MENTOR = "other_mentor"
OTHER_COORD = "other_coordinator"
COORD = "coordinator"
HR = "hr_admin"
ALIEN = "alien"
ROLES = (ANON, MENTEE, MENTOR, OTHER_MENTOR, OTHER_COORD, COORD, HR, ALIEN)
MEMBERS = (MENTEE, MENTOR, OTHER_MENTOR)
NOT_HR = tuple(role for role in ROLES if role != HR)

OK = "ok"
LOGIN = "login"
R403 = "403"
R404 = "404"
R405 = "405"
OUTCOMES = (OK, LOGIN, R403, R404, R405)


@dataclass(frozen=True)
class Rule:
    """Who gets in, for the home ids; see the module docstring."""

    methods: frozenset[str]
    expect: Mapping[str, str]
    # "pair": the object belongs to certain people (tried with a sibling pair's ids too).
    scope: str = ""
    # kwarg -> name of the world's object to use instead of the default for that kwarg.
    ids: Mapping[str, str] = field(default_factory=dict)
    # "role" or "role METHOD" -> why the cell may fail for now.
    xfails: Mapping[str, str] = field(default_factory=dict)
    # method -> role -> outcome, where one method differs from ``expect``.
    per_method: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # False: the view redirects on without looking the id up (only home ids tried).
    lookup: bool = True

    def but(self, everyone: str | None = None, **roles: str) -> Rule:
        """The same rule with some roles' outcomes changed (``everyone``: the rest)."""
        changed = _roles(self.expect, everyone, roles)
        return replace(self, expect=MappingProxyType({**self.expect, **changed}))

    def on(self, method: str, everyone: str | None = None, **roles: str) -> Rule:
        """Outcomes that hold for one method only, e.g. ``.on("POST", everyone=R404)``."""
        changed = {
            **self.per_method.get(method, {}),
            **_roles(self.expect, everyone, roles),
        }
        return replace(
            self, per_method=MappingProxyType({**self.per_method, method: changed})
        )

    def no_lookup(self) -> Rule:
        return replace(self, lookup=False)

    def using(self, **ids: str) -> Rule:
        return replace(self, ids=MappingProxyType({**self.ids, **ids}))

    def xfail(self, cell: str, reason: str) -> Rule:
        return replace(self, xfails=MappingProxyType({**self.xfails, cell: reason}))


def _roles(
    current: Mapping[str, str], everyone: str | None, roles: dict[str, str]
) -> dict[str, str]:
    """``roles``, plus ``everyone`` for each other role that is let past the login."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    if everyone is not None:
        rest = {role: everyone for role in ROLES if current[role] != LOGIN}
        roles = {**rest, **roles}
    assert set(roles.values()) <= set(OUTCOMES), roles
    return roles


def _rule(methods: str, scope: str = "", **expect: str) -> Rule:
    chosen = frozenset(methods.upper().split())
    assert chosen, methods
    assert chosen <= {"GET", "POST"}, methods
    assert set(expect) == set(ROLES), sorted(set(ROLES) ^ set(expect))
    return Rule(chosen, MappingProxyType(expect), scope)


def public(methods: str = "GET POST") -> Rule:
    return _rule(methods, **dict.fromkeys(ROLES, OK))


def signed_in(methods: str) -> Rule:
    return _rule(methods, **{**dict.fromkeys(ROLES, OK), ANON: LOGIN, ALIEN: LOGIN})


def staff(methods: str) -> Rule:
    return _rule(
        methods,
        **{
            ANON: LOGIN,
            ALIEN: LOGIN,
            **dict.fromkeys(MEMBERS, R403),
            COORD: OK,
            OTHER_COORD: OK,
            HR: OK,
        },
    )


def program_staff(methods: str) -> Rule:
    return staff(methods).but(other_coordinator=R404)


def pair_people(methods: str) -> Rule:
    return _rule(
        methods,
        scope="pair",
        **{
            ANON: LOGIN,
            ALIEN: LOGIN,
            MENTEE: OK,
            MENTOR: OK,
            OTHER_MENTOR: R404,
            OTHER_COORD: R404,
            COORD: R404,
            HR: R404,
        },
    )


def pair_viewers(methods: str) -> Rule:
    return pair_people(methods).but(coordinator=OK, hr_admin=OK)


def admin_page(methods: str = "GET POST") -> Rule:
    return _rule(methods, **{**dict.fromkeys(ROLES, LOGIN), HR: OK})


def admin_hidden(methods: str = "GET POST") -> Rule:
    return admin_page(methods).but(hr_admin=R404)


def no_add_admin(*models: str) -> dict[str, Rule]:
    """Admin pages of models the admin may not add (e.g. "checkins_goal")."""
    return {f"admin:{model}_add": admin_page().but(hr_admin=R403) for model in models}


def read_only_admin(*models: str) -> dict[str, Rule]:
    """Admin pages of models the admin shows but never adds or saves."""
    rules = no_add_admin(*models)
    for model in models:
        rules[f"admin:{model}_change"] = admin_page().on("POST", hr_admin=R403)
    return rules


# --- The table ------------------------------------------------------------------------------

URLS: dict[str, Rule] = {
    # Site plumbing and allauth's entrance pages (hold no one's data).
    "healthz": public("GET"),
    "account_login": public(),
    "account_logout": public(),
    "account_signup": public(),
    "account_reset_password": public(),
    "account_reset_password_from_key": public(),
    # allauth's own, shadowed by ours (mentorship/accounts/views.py: a first
    # password signs in); its path resolves to ours.
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": public(),
    "account_inactive": public("GET"),
    "account_email_verification_sent": public("GET"),
    "account_reset_password_done": public("GET"),
    "account_reset_password_from_key_done": public("GET"),
    # A bad key shows "this link is invalid"; posting to it finds nothing.
    "account_confirm_email": public().on("POST", everyone=R404),
    # Only while a login code is pending; otherwise back to the login page.
    "account_confirm_login_code": public().but(anonymous=LOGIN, alien=LOGIN),
    # allauth pages about one's own account.
    "account_reauthenticate": signed_in("GET POST"),
    "account_email": signed_in("GET POST"),
    "account_change_password": signed_in("GET POST"),
    "account_set_password": signed_in("GET POST"),
    "mfa_index": signed_in("GET"),
    "mfa_*": signed_in("GET POST"),
    # Only the mentor has an authenticator; nobody has recovery codes.
    "mfa_deactivate_totp": signed_in("GET POST").but(R404, mentor=OK),
    "mfa_view_recovery_codes": signed_in("GET").but(R404),
    "mfa_download_recovery_codes": signed_in("GET POST").but(R404),
    # Notifications (the bell and the in-app list are the viewer's own).
    "notifications:list": signed_in("GET"),
    "notifications:bell": signed_in("GET"),
    # Everyone's own preferences and welcome (issue 15).
    "preferences": signed_in("GET POST"),
    "welcome": signed_in("GET POST"),
    "portal-waiting": signed_in("GET"),
    # From the links in emails, no login, but only with a live signed token of this
    # organization: any other token is 404 for everyone.
    "preferences-signed": public("GET POST"),
    "unsubscribe": public("GET POST"),
    # Portal.
    "home": signed_in("GET"),
    "programs:profile-edit": signed_in("GET POST"),
    "programs:enrollment-apply": signed_in("GET POST").using(program_id="open_program"),
    "programs:invitation-accept": pair_people("GET POST")
    .but(mentor=R404)
    .using(enrollment_id="invitation"),
    "programs:enrollment-withdraw": pair_people("POST").but(mentor=R404),
    "programs:training-toggle": pair_people("POST").but(mentor=R404),
    "programs:resource-download": program_staff("GET").but(
        mentee=OK, mentor=OK, other_mentor=R404
    ),
    "matching:my-matches": signed_in("GET"),
    "matching:my-matches-summary": signed_in("GET"),
    "matching:match-accept": pair_people("POST"),
    "matching:match-decline": pair_people("POST"),
    "matching:suggestion-pick": pair_people("POST").but(mentor=R404),
    # Your data (privacy): the page and asking for a copy are everyone's own; a
    # download needs its owner's live signed link (the sweep's token is nobody's).
    "privacy:my-data": signed_in("GET"),
    "privacy:export-request": signed_in("POST"),
    "privacy:export-download": signed_in("GET").but(R404),
    "checkins:pair-list": signed_in("GET"),
    "checkins:pair-detail": pair_viewers("GET"),
    "checkins:meeting-propose": pair_people("POST"),
    "checkins:goal-create": pair_people("POST"),
    "checkins:goal-progress": pair_people("POST"),
    "checkins:milestone-add": pair_people("POST"),
    "checkins:goal-comment": pair_people("POST"),
    "checkins:milestone-toggle": pair_people("POST").but(mentor=R403),  # mentee's
    "checkins:update-post": pair_people("POST"),
    "checkins:update-reply": pair_people("POST"),
    # A mentee names mentors of their own program when it allows it; the world's
    # programs don't (tests/matching/test_mentor_choose.py has the allowed case).
    "matching:mentor-choose": pair_people("GET POST").but(R404),
    "checkins:pair-rhythm": pair_people("POST"),
    "checkins:pair-pause": pair_viewers("GET POST"),
    "checkins:pair-pause-end": pair_viewers("POST"),
    "checkins:meeting-detail": pair_people("GET"),
    "checkins:meeting-accept": pair_people("POST"),
    "checkins:meeting-decline": pair_people("POST"),
    "checkins:meeting-counter": pair_people("POST"),
    "checkins:meeting-reschedule": pair_people("POST"),
    "checkins:meeting-cancel": pair_people("POST"),
    "checkins:meeting-log": pair_people("POST"),
    "checkins:meeting-pulse": pair_people("POST"),
    "checkins:meeting-feedback": pair_people("POST"),
    "checkins:action-item-toggle": pair_people("POST"),
    "checkins:meeting-ics": pair_people("GET"),
    "checkins:circle-detail": pair_people("GET POST"),
    # Coordinator dashboard.
    "reporting:manage-home": staff("GET"),
    "programs:program-create": staff("GET POST"),
    "programs:participant-import-template": staff("GET"),
    "programs:program-detail": program_staff("GET"),
    "programs:program-edit": program_staff("GET POST"),
    "programs:program-transition": program_staff("POST"),
    "programs:enrollment-bulk-decide": program_staff("POST"),
    # Member organizations (issue 18): every coordinator and HR admin manages them.
    "members:member-organization-list": staff("GET"),
    "members:member-organization-create": staff("GET POST"),
    "members:member-organization-detail": staff("GET"),
    "members:member-organization-edit": staff("GET POST"),
    "members:membership-add": staff("POST"),
    "members:membership-lead-set": staff("POST"),
    "members:membership-end": staff("POST"),
    # The training gate and a person's page (issue 14 part B).
    "programs:training": program_staff("GET"),
    "programs:training-mark": program_staff("POST"),
    "programs:training-waiver": program_staff("POST"),
    "programs:resource-library": program_staff("GET POST"),
    "programs:resource-edit": program_staff("GET POST"),
    "programs:resource-move": program_staff("POST"),
    "programs:resource-delete": program_staff("POST"),
    # The world seeds no participant ids: the sweep checks the not-found cases;
    # tests/reporting/test_participant_page.py covers coordinators of other programs.
    "reporting:participant-detail": staff("GET"),
    "programs:participant-import": program_staff("GET POST"),
    "programs:participant-import-preview": program_staff("GET"),
    "programs:participant-import-confirm": program_staff("POST"),
    "programs:participant-import-reread": program_staff("POST"),
    "matching:review": program_staff("GET"),
    "matching:criteria-edit": program_staff("GET POST"),
    "matching:run-start": program_staff("POST"),
    "matching:run-status": program_staff("GET"),
    "matching:run-publish": program_staff("POST"),
    "matching:run-discard": program_staff("POST"),
    "matching:match-remove": program_staff("POST"),
    "matching:match-reassign": program_staff("GET POST"),
    "matching:match-list": program_staff("GET"),
    "matching:match-create": program_staff("GET POST"),
    "matching:match-end": program_staff("GET POST"),
    "matching:match-remind": program_staff("POST"),
    "checkins:program-health": program_staff("GET"),
    # A coordinator acting on a pair (check-in record, message, nudge): staff first
    # (members 403), then the pair must be in a program they manage.
    **dict.fromkeys(
        [
            "checkins:coordinator-checkin",
            "checkins:pair-message",
            "checkins:pair-nudge",
        ],
        pair_viewers("POST").but(mentee=R403, mentor=R403, other_mentor=R403),
    ),
    # Impact surveys (issue 10): the builder, sends and results; closing a program and
    # ending a match go through reporting (they send the closing surveys).
    "reporting:survey-list": program_staff("GET"),
    "reporting:survey-create": program_staff("POST"),
    "reporting:survey-builder": program_staff("GET POST"),
    "reporting:survey-action": program_staff("POST"),
    "reporting:question-create": program_staff("GET POST"),
    "reporting:question-edit": program_staff("GET POST"),
    "reporting:question-change": program_staff("POST"),
    "reporting:survey-preview": program_staff("GET"),
    "reporting:survey-send": program_staff("GET POST"),
    "reporting:survey-results": program_staff("GET"),
    "reporting:program-close": program_staff("GET POST"),
    "reporting:match-end": program_staff("POST"),
    # The person's own surveys: the portal panel, and answering one (theirs only).
    "reporting:portal-surveys-panel": signed_in("GET"),
    "reporting:survey-answer": pair_people("GET POST").but(mentor=R404),  # one person's
    # Impact dashboards (issue 11); the organization's is for HR admins only.
    "reporting:impact-dashboard": program_staff("GET"),
    "reporting:impact-compare": program_staff("GET"),
    "reporting:objective-measures": program_staff("GET POST"),
    "reporting:organization-impact": staff("GET").but(
        **dict.fromkeys((COORD, OTHER_COORD), R403)
    ),
    # Impact reporting: stories, exports, the printable and the published report.
    "reporting:story-list": program_staff("GET"),
    "reporting:story-create": program_staff("GET POST"),
    "reporting:story-edit": program_staff("GET POST"),
    "reporting:story-action": program_staff("POST"),
    "reporting:share-list": program_staff("GET"),
    "reporting:share-create": program_staff("POST"),
    "reporting:share-revoke": program_staff("GET POST"),
    "reporting:impact-report": program_staff("GET"),
    "reporting:organization-report": staff("GET"),
    "reporting:impact-export": program_staff("GET"),
    # The people a story names answer for themselves; coordinators use the dashboard.
    "reporting:my-stories": signed_in("GET"),
    "reporting:story-consent": pair_people("GET POST"),
    # No login, but only with a live token: any other token is 404 for everyone.
    "reporting:shared-report": public("GET"),
    # The organization's admin: HR admins only.
    "admin:*": admin_page(),
    "admin/*": admin_page().no_lookup(),  # …/<id>/ redirects to …/<id>/change/
    "admin:password_change_done": admin_page("GET"),
    "admin:jsi18n": admin_page("GET"),
    "admin:autocomplete": admin_page("GET").but(hr_admin=R403),  # needs a field
    "admin:*_process_import": admin_page("POST"),
    # Signed in without admin rights: 403 (allauth's secure_admin_login).
    "admin:login": admin_page().but(
        **dict.fromkeys((*MEMBERS, COORD, OTHER_COORD), R403)
    ),
    # Without admin rights the admin sends you to its index (→ its login).
    "admin:logout": admin_page("POST")
    .but(**dict.fromkeys(NOT_HR, OK))
    .on("GET", **dict.fromkeys(NOT_HR, OK), hr_admin=R405),
    "admin/(?P<url>.*)$": admin_page().but(hr_admin=R404),
    # Read-only in the admin (made by the product's services): no add, no save.
    **read_only_admin(
        "mfa_authenticator",
        "programs_importbatch",
        "checkins_meeting",
        "checkins_meetinglog",
        "checkins_pulse",
        "checkins_goalevent",
        "checkins_asyncupdate",
        "checkins_pairpause",
        # The audit log and consent records: append-only, read-only everywhere.
        "auditlog_logentry",
        "audit_consentrecord",
        # People listed for erasure (an action with a confirmation page).
        "privacy_person",
    ),
    # Nobody deletes audit entries, consents or the retention period; the period is
    # one row (no add).
    "admin:auditlog_logentry_delete": admin_page().but(hr_admin=R403),
    "admin:audit_consentrecord_delete": admin_page().but(hr_admin=R403),
    "admin:privacy_person_delete": admin_page().but(hr_admin=R403),
    "admin:privacy_retentionpolicy_delete": admin_page().but(hr_admin=R403),
    "admin:privacy_retentionpolicy_add": admin_page().but(hr_admin=R403),
    **no_add_admin(
        "notifications_notification",
        "matching_matchrun",
        "checkins_goal",
        "reporting_surveyassignment",
        "reporting_response",
    ),
    # The world's survey is anonymous: its response is filtered out of every admin
    # view, and its answered question can't be deleted.
    "admin:reporting_response_change": admin_page().but(hr_admin=R404),
    "admin:reporting_response_history": admin_page().but(hr_admin=R404),
    "admin:reporting_response_delete": admin_page().but(hr_admin=R404),
    "admin:reporting_question_delete": admin_page().but(hr_admin=R403),
    # The platform site: see the end of this module.
    "public:landing": public("GET"),
}


def as_anonymous(rule: Rule) -> Rule:
    """The rule with every role getting what anonymous gets."""
    return replace(
        rule,
        expect=MappingProxyType(dict.fromkeys(ROLES, rule.expect[ANON])),
        per_method=MappingProxyType(
            {
                method: dict.fromkeys(ROLES, outcomes[ANON])
                for method, outcomes in rule.per_method.items()
                if ANON in outcomes
            }
        ),
    )


# The platform site (localhost) shares healthz and allauth with the organizations'
# sites, and its admin's pages have the same names. Nobody of an organization has a
# session there: every role's cookie is replayed and gets what anonymous gets on an
# organization's site ("public:X" falls back to X's rule, as anonymous).
PLATFORM_MIRRORS = ("healthz", "account_", "mfa_", "admin")


def rule_for(key: str) -> Rule | None:
    """The declared rule for a pattern key: exact key, else the longest matching glob."""
    if key in URLS:
        return URLS[key]
    if key.startswith("public:") and key[7:].startswith(PLATFORM_MIRRORS):
        own = _lookup(key)
        if own is not None:
            return own
        mirrored = rule_for(key[7:])
        return as_anonymous(mirrored) if mirrored is not None else None
    return _lookup(key)


def _lookup(key: str) -> Rule | None:
    """The rule of the longest glob matching ``key`` (same site only)."""
    globs = [
        pattern
        for pattern in URLS
        if "*" in pattern
        and fnmatchcase(key, pattern)
        and pattern.startswith("public:") == key.startswith("public:")
    ]
    if not globs:
        return None
    return URLS[max(globs, key=len)]
