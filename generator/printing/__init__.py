"""Printable checklists, trainer handouts and course workbooks (A4 PDFs).

* ``catalog`` decides what there is to print, from ``playbook/checklists.yaml``,
  the modules and the courses;
* ``content`` turns playbook objects into what the templates show (checklist rows,
  agenda timings …);
* ``render`` fills ``templates/print/*.html.j2`` and turns the HTML into PDFs in
  parallel, skipping PDFs whose inputs have not changed (``cache``);
* ``site`` adds the «打印资料» page; ``build`` writes every PDF into ``site/downloads/``.
"""

from __future__ import annotations

from generator.printing.catalog import Printable, catalog, ladder_rungs
from generator.printing.render import PrintResult, print_all

__all__ = ["PrintResult", "Printable", "catalog", "ladder_rungs", "print_all"]
