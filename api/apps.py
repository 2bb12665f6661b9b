from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Lets DRF classes be subscripted for type checking (ModelSerializer[Model]). Done here
        # and not in settings: importing rest_framework before settings are complete makes DRF
        # cache its defaults instead of REST_FRAMEWORK.
        import django_stubs_ext
        from rest_framework import fields, generics, serializers, viewsets

        django_stubs_ext.monkeypatch(
            extra_classes=[
                fields.Field,
                serializers.BaseSerializer,
                generics.GenericAPIView,
                viewsets.GenericViewSet,
                viewsets.ReadOnlyModelViewSet,
                viewsets.ModelViewSet,
            ]
        )
