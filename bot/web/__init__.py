"""The secretariat's web console: aiohttp routes and server-rendered pages over the same
services, database and audit log as the chat and the CLI. aiohttp and jinja2 stay here."""
