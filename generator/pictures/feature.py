"""The pictures as one feature (``generator.lifecycle``): the SVG charts in the site's pages."""

from __future__ import annotations

from generator.lifecycle import ModuleFeature
from generator.pictures import site as site_module


class Pictures(ModuleFeature):
    name = "pictures"

    site = site_module


FEATURE = Pictures()
