"""The API's OpenAPI 3.1 description, served at `/api/v1/openapi.json`: written out by hand
because the routes are plain Starlette and the paths and fields are a contract."""

from __future__ import annotations

from typing import Any

from publish.editions import EDITIONS
from publish.options import (
    BRAILLE_CELLS,
    BRAILLE_GRADES,
    BRAILLE_LINES,
    MAX_LARGE_PRINT_PT,
    MIN_LARGE_PRINT_PT,
)
from publish.profiles import PROFILES


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _json({"$ref": "#/components/schemas/Error"}, "an error, with a message")
_JOB = {"$ref": "#/components/schemas/Job"}
# further files an edition comes with, by format: `brf`, the braille PEF's ASCII braille
_COMPANIONS = {"type": "object", "additionalProperties": {"type": "string"},
               "description": "the edition's companion files by format (braille: `brf`)"}
_STARTED = {"type": "object", "properties": {
    "job": {"type": "string"}, "status": {"type": "string"},
    "download": {"type": "string"}, "companions": _COMPANIONS}}

_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}

DESCRIPTION: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "publish build service", "version": "1",
             "description": "Accessible editions of a manuscript on demand."},
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/manuscripts": {"post": {
            "summary": "Upload a .md file, a Word .docx file or a .zip of a book folder "
                       "(multipart field 'file')",
            "requestBody": {"content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {"file": {"type": "string",
                                                          "format": "binary"}}}}}},
            "responses": {
                "201": _json({"$ref": "#/components/schemas/Manuscript"}, "stored"),
                "200": _json({"$ref": "#/components/schemas/Manuscript"}, "already stored"),
                "400": _ERROR, "401": _ERROR, "413": _ERROR, "415": _ERROR, "422": _ERROR,
                "507": _ERROR}}},
        "/api/v1/manuscripts/{id}/editions": {"post": {
            "summary": "Build an edition, or find it built or being built",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "required": ["edition"], "properties": {
                    "edition": {"enum": list(EDITIONS)},
                    "size": {"type": "number", "minimum": MIN_LARGE_PRINT_PT,
                             "maximum": MAX_LARGE_PRINT_PT,
                             "description": "large print only: body size in points"},
                    "profile": {"enum": list(PROFILES),
                                "description": "large print only: the guidance followed"},
                    "cells": {"type": "integer", "minimum": BRAILLE_CELLS[0],
                              "maximum": BRAILLE_CELLS[1],
                              "description": "braille only: cells per line (40)"},
                    "lines": {"type": "integer", "minimum": BRAILLE_LINES[0],
                              "maximum": BRAILLE_LINES[1],
                              "description": "braille only: lines per page (25)"},
                    "grade": {"enum": list(BRAILLE_GRADES),
                              "description": "braille only: 2 contracted (default), "
                                             "1 uncontracted"}}}}}},
            "responses": {"200": _json(_STARTED, "built: status done and its download"),
                          "202": _json(_STARTED, "the job building it"),
                          "401": _ERROR, "404": _ERROR, "422": _ERROR,
                          "429": _ERROR}}},
        "/api/v1/jobs/{job}": {"get": {
            "summary": "A job's state",
            "parameters": [{"name": "job", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _json(_JOB, "the job"), "401": _ERROR, "404": _ERROR}}},
        "/api/v1/jobs/{job}/events": {"get": {
            "summary": "The job's state as server-sent events until it ends",
            "parameters": [{"name": "job", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "text/event-stream of Job objects"},
                          "401": _ERROR, "404": _ERROR}}},
        "/api/v1/files/{key}": {"get": {
            "summary": "A built file, named <title>-<edition>.<ext>",
            "parameters": [{"name": "key", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the file"}, "401": _ERROR,
                          "404": _ERROR}}},
        "/api/v1/manuscripts/{id}/report": {"get": {
            "summary": "The check report of the newest file of each edition built so far "
                       "(JSON; HTML with Accept: text/html)",
            "parameters": [_ID],
            "responses": {"200": {"description": "the report", "content": {
                              "application/json": {"schema": {"type": "object"}},
                              "text/html": {"schema": {"type": "string"}}}},
                          "202": _json({"type": "object", "properties": {
                              "status": {"const": "checking"}, "message": {"type": "string"}}},
                              "a worker is running the validators: ask again after "
                              "Retry-After seconds"),
                          "401": _ERROR, "404": _ERROR}}},
        "/api/v1/manuscripts/{id}/publish": {"post": {
            "summary": "Put the title in the public OPDS catalogue and queue the editions it "
                       "offers (EPUB, print, large print at the profile's default size)",
            "parameters": [_ID],
            "responses": {"200": _json({"type": "object", "properties": {
                              "id": {"type": "string"}, "published": {"const": True},
                              "editions": {"type": "object",
                                           "additionalProperties": _STARTED}}},
                              "published; each edition as the editions route answers"),
                          "401": _ERROR, "404": _ERROR}}},
        "/opds/catalog.xml": {"get": {
            "summary": "OPDS 1.2 acquisition feed of the published titles", "security": [],
            "responses": {"200": {"description": "application/atom+xml;profile=opds-catalog"
                                                 ";kind=acquisition"}}}},
        "/opds/catalog.json": {"get": {
            "summary": "OPDS 2.0 feed of the published titles", "security": [],
            "responses": {"200": {"description": "application/opds+json"}}}},
        "/healthz": {"get": {"summary": "Broker, workers and store", "security": [],
                             "responses": {"200": {"description": "healthy"},
                                           "503": {"description": "failing"}}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "properties": {"error": {
                "type": "object", "properties": {"message": {"type": "string"}}}}},
            "Finding": {"type": "object", "properties": {
                "file": {"type": "string"}, "line": {"type": ["integer", "null"]},
                "place": {"type": ["string", "null"],
                          "description": "in a Word file, the heading and paragraph"},
                "code": {"type": "string"}, "message": {"type": "string"},
                "severity": {"enum": ["error", "warning"]}}},
            "Manuscript": {"type": "object", "properties": {
                "id": {"type": "string"}, "title": {"type": "string"},
                "lint": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}},
            "Job": {"type": "object", "properties": {
                "job": {"type": "string"},
                "status": {"enum": ["queued", "running", "done", "failed"]},
                "progress": {"type": "number", "minimum": 0, "maximum": 1},
                "download": {"type": ["string", "null"]},
                "companions": _COMPANIONS,
                "error": {"type": ["object", "null"], "properties": {
                    "message": {"type": "string"}, "file": {"type": ["string", "null"]},
                    "line": {"type": ["integer", "null"]}}}}},
        },
    },
}
