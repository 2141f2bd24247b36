"""The claims side of the REST API (/api/v1/)."""
