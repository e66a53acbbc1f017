"""The pages MkDocs renders: the renderer and its templates (``site``), the training pages (``training``), and
what the hooks and the macros module share in one build (``context``)."""
