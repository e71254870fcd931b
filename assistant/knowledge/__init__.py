"""The knowledge base: reading plans and cases, cutting them into cited chunks, indexing and retrieving them.

Reading happens in ``loaders`` (one module per file format), ``normalise`` makes text from
every format comparable, ``chunking`` cuts documents along their own section structure, and
``metadata`` describes each document (kind, hazards, region, year) for filtering and citation.
"""
