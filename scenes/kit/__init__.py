"""The scenes' kit: the base scenes (one chain, many neurons), style (colours, highlight, fonts),
notation (symbols, layer names, activation symbols, ∂) and the drawings the scenes share.

Scene modules import the kit and the lesson model, never each other.
"""
