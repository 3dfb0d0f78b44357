"""The book's experiments: one module per chapter topic, each built from core calls.

Chapters depend on the core (``initlab``), never on each other: no module here imports
another module of this sub-package.
"""
