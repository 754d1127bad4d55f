"""mentorship/warmup.py: a production worker's start-up work (URLconfs, templates)."""

from __future__ import annotations

from django.template import engines
from django.urls import get_resolver

from mentorship.warmup import warm


def _cached(loader) -> int:
    return len(getattr(loader, "get_template_cache", {})) + sum(
        _cached(inner) for inner in getattr(loader, "loaders", [])
    )


def test_warm_imports_the_urlconfs_and_compiles_the_project_templates(settings):
    engine = engines["django"].engine
    for loader in engine.template_loaders:
        loader.reset()
    warm()
    assert get_resolver(settings.ROOT_URLCONF)._populated
    # Every template of the project's own apps is compiled, e.g. the enrolment table.
    cached = [
        key
        for loader in engine.template_loaders
        for inner in [loader, *getattr(loader, "loaders", [])]
        for key in getattr(inner, "get_template_cache", {})
    ]
    assert "programs/program_detail.html" in cached
    assert "base.html" in cached
    assert _cached(engine.template_loaders[0]) > 50


def test_warm_never_raises(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no URLconf")

    monkeypatch.setattr("mentorship.warmup.get_resolver", broken)
    warm()  # logged, not raised: the worker still starts
