"""Compatibility: ``generator.model`` was split into ``generator.playbook`` (the data types)
and ``generator.loader`` (loading). Import from those; this module goes once no caller is left."""

from generator.loader import load, load_company, load_policy_only
from generator.playbook import Entry, Playbook
from generator.schema.playbook import Module
from generator.urls import URLS


def module_page(module: Module) -> str:
    return URLS.module(module.id)


__all__ = ["Entry", "Playbook", "load", "load_company", "load_policy_only", "module_page"]
