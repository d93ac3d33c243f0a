"""Settings are split by role: `node` (clinic PC, SQLite), `hub` (PostgreSQL), `test`."""
