"""Pictures drawn at build time as inline SVG (no outside requests, no scripts)."""
