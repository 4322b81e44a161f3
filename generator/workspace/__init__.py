"""«催收准备»: the playbook as a per-customer workspace in the browser (no server).

``site`` adds the page (``workspace.md``) with the checklists, the company's ladder and the
letters embedded as JSON at build time; ``assets`` writes the page's script and style sheet.
The rung rule itself is :func:`generator.ladder.decide.highest_rung`: the page gets the
rungs as data and ``templates/site/workspace/workspace.js`` applies the same comparison.
"""
