"""The OpenAPI 3.1 description of the platform API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Invalid request",
        401: "No valid key",
        404: "Not found for this platform",
        409: "Not possible in the current state",
    }
    return {str(c): {"description": text[c], **_json(ERROR)} for c in codes}


SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Redress portal platform API",
        "version": "1.0.0",
        "description": (
            "Platforms send statements of reasons, receive the appeals against their "
            "decisions and the retraction orders that follow reversals, and confirm or "
            "dispute those orders. Authenticate with `Authorization: Bearer <key>`; a key "
            "sees only its own platform."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
            "Appeal": {
                "type": "object",
                "required": ["reference", "status", "filed_at", "due_at"],
                "properties": {
                    "id": {"type": "integer"},
                    "reference": {"type": "string"},
                    "status": {"type": "string"},
                    "filed_at": {"type": "string", "format": "date-time"},
                    "due_at": {"type": "string", "format": "date-time"},
                    "platform_reference": {"type": "string"},
                    "content_url": {"type": "string"},
                    "measures": {"type": "array", "items": {"type": "string"}},
                    "grounds": {"type": "string"},
                    "remedies": {"type": "array", "items": {"type": "string"}},
                },
            },
            "Retraction": {
                "type": "object",
                "required": ["id", "appeal", "remedy", "status", "due_at"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "appeal": {"type": "string"},
                    "remedy": {"type": "string"},
                    "status": {"type": "string"},
                    "due_at": {"type": "string", "format": "date-time"},
                    "content_url": {"type": "string"},
                    "platform_reference": {"type": "string"},
                },
            },
            "StatementsResult": {
                "type": "object",
                "properties": {
                    "created": {"type": "integer"},
                    "duplicates": {"type": "integer"},
                    "errors": {"type": "array", "items": {"type": "object"}},
                    "warnings": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    },
    "paths": {
        "/appeals": {
            "get": {
                "summary": "Appeals against this platform's decisions, oldest first",
                "parameters": [
                    {
                        "name": "after",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                        "description": (
                            "Return appeals with an id above this (keyset paging): the "
                            "next_after of the previous page. Anything but digits 0-9 is a 400."
                        ),
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Up to 100 appeals",
                        **_json(
                            {
                                "type": "object",
                                "properties": {
                                    "appeals": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Appeal"},
                                    },
                                    "next_after": {"type": ["integer", "null"]},
                                },
                            }
                        ),
                    },
                    **_errors(400, 401),
                },
            }
        },
        "/retractions": {
            "get": {
                "summary": "Open retraction orders for this platform, due first",
                "responses": {
                    "200": {
                        "description": "Open orders",
                        **_json(
                            {
                                "type": "object",
                                "properties": {
                                    "retractions": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Retraction"},
                                    }
                                },
                            }
                        ),
                    },
                    **_errors(401),
                },
            }
        },
        "/retractions/{id}/confirm": {
            "post": {
                "summary": "Confirm an order is carried out, with what proves it",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "type": "object",
                            "required": ["proof"],
                            "properties": {
                                "proof": {"type": "string"},
                                "done_at": {"type": "string", "format": "date-time"},
                            },
                        }
                    ),
                },
                "responses": {
                    "200": {
                        "description": "Confirmed",
                        **_json({"$ref": "#/components/schemas/Retraction"}),
                    },
                    **_errors(400, 401, 404, 409),
                },
            }
        },
        "/retractions/{id}/dispute": {
            "post": {
                "summary": "Dispute an order; the portal's supervisors are told",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "type": "object",
                            "required": ["reason"],
                            "properties": {"reason": {"type": "string"}},
                        }
                    ),
                },
                "responses": {
                    "200": {
                        "description": "Disputed",
                        **_json({"$ref": "#/components/schemas/Retraction"}),
                    },
                    **_errors(400, 401, 404, 409),
                },
            }
        },
        "/statements": {
            "post": {
                "summary": (
                    'Send statements of reasons: one, or {"statements": [...]} with up to 100'
                ),
                "requestBody": {"required": True, **_json({"type": "object"})},
                "responses": {
                    "200": {
                        "description": "Imported",
                        **_json({"$ref": "#/components/schemas/StatementsResult"}),
                    },
                    **_errors(400, 401),
                },
            }
        },
    },
}
