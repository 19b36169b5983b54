"""The portal's own settings with every cache replaced by Django's DummyCache: bench_city.py
serves the "no cache" measurements with these (DJANGO_SETTINGS_MODULE), so every request renders
its page whatever page cache the portal has and whatever its setting is called."""

from portal.settings import *  # noqa: F403

_ALIASES = globals().get("CACHES") or {"default": {}}
CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in _ALIASES}
