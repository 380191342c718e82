"""The scenes' kit: the base scene, style, notation and the drawings the scenes share.

Scene modules import the kit and the lesson model, never each other.
"""
