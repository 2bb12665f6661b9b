"""Websocket routes. Each consumer resolves the tenant and user from its connection."""

from django.urls import URLPattern, URLResolver

websocket_urlpatterns: list[URLPattern | URLResolver] = []
