"""Rendering: Jinja2 environments and the pages built from the playbook."""
