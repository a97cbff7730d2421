"""SQLite persistence: connections, migrations and one repository per table group."""
