"""Locust users for bench/load.py (run that; it starts gunicorn and passes the
LOAD_* variables). Each page is reported under its own name; ``trivial`` is
``/healthz`` (one ``SELECT 1``) served by the same workers in the same run."""

from __future__ import annotations

import os
import re

from locust import HttpUser, between, task
from locust.exception import StopUser

TENANT_HOST = os.environ.get("LOAD_TENANT_HOST", "meridian.localhost")
PROGRAM = os.environ.get("LOAD_PROGRAM_ID", "1")
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
MENTEE = os.environ.get("LOAD_MENTEE_EMAIL", "")
COORDINATOR = os.environ.get("LOAD_COORDINATOR_EMAIL", "")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Visitor(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.headers["Host"] = TENANT_HOST

    def page(self, name: str, path: str) -> None:
        """GET ``path``; anything but a 200 (a redirect to sign-in too) is an error."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(1)
    def trivial(self) -> None:
        self.page("trivial", "/healthz")


class _SignedIn(_Visitor):
    abstract = True
    email = ""

    def on_start(self) -> None:
        super().on_start()
        form = self.client.get("/accounts/login/", name="sign_in")
        match = CSRF_RE.search(form.text)
        if match is None:
            raise StopUser
        with self.client.post(
            "/accounts/login/",
            data={
                "login": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1),
            },
            name="sign_in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered HTTP {response.status_code}")
                raise StopUser


class Anonymous(_Visitor):
    weight = 1

    @task(1)
    def login(self) -> None:
        self.page("login", "/accounts/login/")


class Mentee(_SignedIn):
    weight = 2
    email = MENTEE

    @task(1)
    def portal_home(self) -> None:
        self.page("portal_home", "/")


class Coordinator(_SignedIn):
    weight = 3
    email = COORDINATOR

    @task(1)
    def coordinator_home(self) -> None:
        self.page("coordinator_home", "/manage/")

    @task(1)
    def enrolment(self) -> None:
        self.page("enrolment_table", f"/manage/programs/{PROGRAM}/")

    @task(1)
    def health(self) -> None:
        self.page("health", f"/manage/programs/{PROGRAM}/health/")

    @task(1)
    def impact(self) -> None:
        self.page("impact_dashboard", f"/manage/programs/{PROGRAM}/impact/")


if __name__ == "__main__":
    print("The locustfile of bench/load.py: run that instead.")
