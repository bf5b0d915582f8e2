"""Package-deal file formats, kept apart from the computation: GENIUS XML (read and
write) and GeniusWeb JSON (read). Every reader returns a
:class:`~accord.deals.actors.DealProblem`; every error names the file, the element or
key path and the value."""

from accord.deals.io.genius import read_genius, write_genius
from accord.deals.io.geniusweb import read_geniusweb

__all__ = ["read_genius", "read_geniusweb", "write_genius"]
