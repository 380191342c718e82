"""The lesson model: the config, the values each idea shows (named, from nncore), formatting.

Layer two of four: it imports nncore only; the scenes and the application import it.
"""
