"""The ASGI entry point for servers: `uvicorn simulator.asgi:app --workers 4`."""

from simulator.app import create_app

app = create_app()
