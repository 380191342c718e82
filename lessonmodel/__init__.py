"""The lesson model: the config, the typed names of every quantity shown (``names``), the values
each idea shows (named, from nncore), number formatting.

Layer two of four: it imports nncore only; the scenes and the application import it.
"""
