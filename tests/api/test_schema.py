"""The committed OpenAPI schema (docs/openapi.yaml) is the one the code generates, and valid.

After changing the API, regenerate it: ``make schema``.
"""

from pathlib import Path

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def generated() -> tuple[dict, bytes]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema, OpenApiYamlRenderer().render(schema, renderer_context={})


def test_the_committed_schema_is_in_step_with_the_code():
    _, text = generated()
    assert COMMITTED.read_bytes() == text, "docs/openapi.yaml is out of date: run `make schema` and commit it."


def test_the_schema_is_valid_openapi_3():
    schema, _ = generated()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_every_api_url_is_in_the_schema():
    from django.urls import get_resolver

    from tests.security.test_isolation_sweep import _walk

    schema, _ = generated()
    routes = {
        "/" + route.replace("<uuid:", "{").replace("<str:", "{").replace(">", "}")
        for _, route, _, _ in _walk(get_resolver().url_patterns)
        if route.startswith("api/v1/")
    }
    assert routes == set(schema["paths"])


def test_the_schema_is_served(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
