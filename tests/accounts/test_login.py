from tests.conftest import PASSWORD, persona_email


def _login(world, persona, password=PASSWORD, email=None):
    client = world.client()
    response = client.post(
        "/accounts/login/",
        {"login": email or persona_email(persona, world.slug), "password": password},
    )
    return client, response


def test_each_role_lands_on_its_home(alpha):
    for persona, landing in [
        ("hradmin", "/admin/"),
        ("coordinator", "/manage/"),
        ("mentee", "/"),
        ("mentor", "/"),
    ]:
        _, response = _login(alpha, persona)
        assert response.status_code == 302, persona
        assert response["Location"] == landing, persona


def test_login_is_by_email_case_insensitively(alpha):
    _, response = _login(alpha, "mentee", email="MENTEE@alpha.example")
    assert response.status_code == 302


def test_another_organizations_user_cannot_sign_in(alpha, beta):
    # given: beta's mentee, with the right password, on alpha's host
    client, response = _login(alpha, "mentee", email=persona_email("mentee", "beta"))
    # then: the form comes back; nobody is signed in
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_are_rate_limited(alpha):
    for _ in range(6):
        _, response = _login(alpha, "mentor", password="wrong")
    assert b"Too many failed login attempts" in response.content
    # The right password is refused while limited.
    client, response = _login(alpha, "mentor")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signup_is_closed(alpha):
    response = alpha.client().get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code in (302, 404)


def test_mentee_cannot_open_dashboard_or_admin(alpha):
    client = alpha.client("mentee")
    assert client.get("/manage/").status_code == 403
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Site administration" not in page
    # Django's admin login would say "You are authenticated as mentee@…, but are not
    # authorized"; the branded 403 must not. The layout's own nav shows the signed-in
    # person their own name (email in its title), so only the page body is checked.
    assert "You are authenticated as" not in page
    assert 'name="password"' not in page
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "mentee@alpha.example" not in body


def test_navigation_follows_role(alpha):
    page = alpha.client("coordinator").get("/").content.decode()
    assert 'href="/manage/"' in page
    assert 'href="/admin/"' not in page
    page = alpha.client("hradmin").get("/").content.decode()
    assert 'href="/admin/"' in page
    page = alpha.client("mentee").get("/").content.decode()
    assert 'href="/manage/"' not in page


def test_hr_admin_reaches_admin_with_users(alpha):
    response = alpha.client("hradmin").get("/admin/accounts/user/")
    assert response.status_code == 200
    assert b"mentee@alpha.example" in response.content


def test_session_cookie_is_host_only(alpha):
    _client, response = _login(alpha, "mentee")
    cookie = response.cookies["sessionid"]
    assert cookie["domain"] == ""
    assert cookie["httponly"]


def test_admin_login_goes_through_allauth(alpha):
    response = alpha.client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_can_set_up_two_factor_authentication(alpha):
    client = alpha.client("hradmin")
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    # allauth asks a fresh sign-in to confirm, or shows the authenticator set-up.
    assert response.status_code == 200
    assert b"Authenticator" in response.content or b"Confirm" in response.content
