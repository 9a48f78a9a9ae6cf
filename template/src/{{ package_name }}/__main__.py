"""Lets `python -m <package>` behave like the installed command."""

from .cli import app

app()
