"""The build service: a content-addressed store, API tokens, uploads, a Celery job queue on
Redis and the HTTP API over them (`publish serve`, `publish worker`, `publish token`).

Nothing here is imported by `publish build`, `lint` or `check`, nor by `publish --help`.
"""
