"""Site search that answers the questions reps type.

The pieces: ``lexicon`` (generic words and synonyms, upstream ``defaults/search.yaml``
plus the company's ``site_config/search.yaml``), ``questions`` (``playbook/questions.yaml``:
how people ask for each item), ``index`` (the compact index written into the built site)
and ``install`` (puts our engine where Material's search worker was). The engine itself
is JavaScript under ``templates/site/assets/search/`` (MiniSearch, vendored, MIT).
"""
