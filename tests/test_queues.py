"""Every task lands on a named queue per kind of work (settings.CELERY_TASK_ROUTES)."""

from django.conf import settings

from sddcase.celery import app

KINDS = settings.CELERY_QUEUES_BY_KIND
# The project's apps with tasks; Celery's own (celery.*) and the tests' are not ours to route.
OURS = ("audit.", "indications.", "providers.", "signals.", "monitor.", "iwmo.", "letters.", "billing.")


def queue_of(name: str) -> str | None:
    route = app.amqp.router.route({}, name)
    return route["queue"].name


def our_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.startswith(OURS))


def test_every_task_is_routed_to_a_named_queue_of_its_kind():
    tasks = our_tasks()
    assert len(tasks) >= 10  # the signal checks alone are more
    expected = {
        "signals.": KINDS["signals"],
        "monitor.": KINDS["monitor"],
        "iwmo.": KINDS["delivery"],
        "letters.": KINDS["letters"],
    }
    for name in tasks:
        queue = queue_of(name)
        assert queue in KINDS.values(), name
        for prefix, kind_queue in expected.items():
            if name.startswith(prefix):
                assert queue == kind_queue, name
        # Every task of ours matches a route of its own (none falls through to the default by chance).
        assert any(name.startswith(pattern[:-1]) for pattern in settings.CELERY_TASK_ROUTES), name


def test_the_kinds_have_distinct_queues_and_the_delivery_tasks_theirs():
    assert len(set(KINDS.values())) == len(KINDS)
    assert queue_of("iwmo.deliver_message") == "delivery"
    assert queue_of("monitor.refresh") == "monitor"
    assert queue_of("letters.tasks.render_letter") == "letters"
    assert queue_of("indications.end_expired_beschikkingen") == "celery"


def test_sessions_are_not_kept_per_process():
    """Sessions in the database (through the cache): any web process reads any session."""
    assert settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }


def test_a_session_outlives_the_cache_of_the_process_that_wrote_it(client, django_user_model, db):
    """What one process wrote, another (with an empty cache of its own) reads from the database."""
    from importlib import import_module

    from django.core.cache import cache

    user = django_user_model.objects.create_user("sessie", password="x" * 12)
    client.force_login(user)
    key = client.session.session_key
    cache.clear()
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    assert store.load()["_auth_user_id"] == str(user.pk)
