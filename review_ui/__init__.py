"""The review server: FastAPI + Jinja2 + htmx pages for reviewers and an HTTP API for operators."""

from review_ui.app import create_app

__all__ = ["create_app"]
