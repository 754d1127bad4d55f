"""A task enqueued in tenant A runs in tenant A's schema on a real worker, over the
real Redis broker (the schema travels in the message headers)."""

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from mentorship.organizations.tasks import tenant_fan_out_task, tenant_heartbeat_task
from tests.conftest import PERSONAS
from tests.workers import running_worker

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(db, tmp_path):
    with running_worker(
        queue=settings.CELERY_TASK_DEFAULT_QUEUE, log_dir=tmp_path
    ) as worker:
        yield worker


def test_task_runs_in_the_schema_it_was_sent_from(worker):
    results = {}
    for schema in ("org_alpha", "org_beta"):
        with schema_context(schema):
            results[schema] = tenant_heartbeat_task.delay()

    for schema, result in results.items():
        payload = result.get(timeout=30)
        assert payload["schema"] == schema
        # Reads the tenant's own committed users, not the public schema's.
        assert payload["users"] == len(PERSONAS)


def test_fan_out_reaches_every_live_tenant_once(db, worker):
    summary = tenant_fan_out_task.delay(
        "mentorship.organizations.tasks.tenant_heartbeat_task"
    )
    fanned = summary.get(timeout=30)

    from mentorship.celery import app

    schemas = sorted(
        app.AsyncResult(task_id).get(timeout=30)["schema"]
        for task_id in fanned["task_ids"]
    )
    assert schemas == ["org_alpha", "org_beta", "org_gamma"]
    assert fanned["tenants"] == 3
