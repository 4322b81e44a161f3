"""Collections playbook generator: YAML knowledge → site, printables, letters."""

__version__ = "0.1.0"
