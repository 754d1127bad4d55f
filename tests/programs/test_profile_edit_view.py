from programs.models import Participant


def _data(**overrides):
    data = {
        "full_name": "Priya Sharma",
        "time_zone": "Asia/Kolkata",
        "title": "Engineer",
        "department": "Platform",
        "seniority": "2",
        "country": "IN",
        "city": "Bengaluru",
        "working_hours_start": "09:30",
        "working_hours_end": "18:00",
        "working_days": ["0", "1", "2", "3", "4"],
        "languages": ["en", "hi"],
        "skills_offered": "Testing",
        "skills_wanted": "System Design\nPublic speaking",
        "communication_style": "direct",
        "learning_preferences": ["discussion", "feedback"],
        "bio": "Hello",
        "mentoring_capacity": "1",
        "affiliation": "",
    }
    data.update(overrides)
    return data


def test_creates_and_updates_the_profile(alpha, mentee):
    client = alpha.client("mentee")
    assert client.get("/profile/").status_code == 200
    response = client.post("/profile/", _data())
    assert response.status_code == 302
    participant = Participant.objects.select_related("user").get(user=mentee)
    assert participant.skills_wanted == ["system design", "public speaking"]
    assert participant.languages == ["en", "hi"]
    assert participant.user.full_name == "Priya Sharma"
    response = client.post("/profile/", _data(time_zone="Asia/Ho_Chi_Minh"))
    participant.user.refresh_from_db()
    assert participant.user.time_zone == "Asia/Ho_Chi_Minh"


def test_zone_country_and_language_come_from_real_lists(alpha, mentee):
    response = alpha.client("mentee").post(
        "/profile/", _data(time_zone="Mars/Base", country="XX", languages=["en", "xx"])
    )
    assert response.status_code == 422
    page = response.content.decode()
    for field in ("time_zone", "country", "languages"):
        assert f'id="id_{field}_errors"' in page
    assert not Participant.objects.filter(user=mentee).exists()


def test_equal_working_hours_are_refused(alpha, mentee):
    response = alpha.client("mentee").post(
        "/profile/", _data(working_hours_end="09:30")
    )
    assert response.status_code == 422


def test_anonymous_cannot_edit(alpha):
    assert alpha.client().get("/profile/").status_code == 302


def test_outsider_session_is_not_accepted(alpha, beta):
    # beta's mentee, signed in on beta, is a stranger on alpha's host
    beta_client = beta.client("mentee")
    replay = alpha.client()
    replay.cookies["sessionid"] = beta_client.cookies["sessionid"].value
    response = replay.post("/profile/", _data())
    assert response.status_code == 302
    assert not Participant.objects.filter(user__email="mentee@beta.example").exists()
