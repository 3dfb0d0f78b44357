"""Interactive explorers (ipywidgets), one per chapter, and the pattern they share.

Importing this subpackage imports ipywidgets; ``import initlab`` alone does not.
"""

from .explorer import Explorer

__all__ = ["Explorer"]
