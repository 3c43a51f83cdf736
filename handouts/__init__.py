"""handouts: content YAML + Jinja2 templates -> verified one-page patient handouts (PDF).

The pipeline has one module a stage: ``load`` -> ``model`` -> ``tailor`` -> ``render`` ->
``layout`` (with ``markup`` and ``fonts``) -> ``verify`` -> ``write``; ``pipeline`` runs them
in order and ``cli`` is a thin command line over it.
"""

__version__ = "0.1.0"
