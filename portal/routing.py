"""Websocket routes. Each consumer resolves the tenant and user from its connection."""

from django.urls import URLPattern, URLResolver, path

from imv.consumers import RoundBoardConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    path("ws/imv/rondes/<uuid:round_uuid>/", RoundBoardConsumer.as_asgi()),
]
