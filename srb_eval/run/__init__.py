"""run layer: rendering, manifests, reproduction and the command line (docs/design.md)."""

import sys

#: jsonschema's parser of IRIs, which this layer's processes do without (see below).
IRI_SYNTAX_MODULE = "rfc3987_syntax"

# jsonschema, which nbformat imports to validate notebooks (and so papermill, nbconvert
# and every render), imports ``rfc3987_syntax`` where it is installed, to check the "iri"
# string format of JSON schemas; that module builds a Lark parser as it is imported,
# about 1 s of CPU in each process that renders. JupyterLab brings it in (jupyter-events
# asks for ``jsonschema[format-nongpl]``). The notebook schemas use no string format, so
# this layer marks the module as absent: ``import rfc3987_syntax`` then raises
# ImportError, which jsonschema catches (it checks "iri" strings only where the module
# imports). A process that imported the module already keeps it.
sys.modules.setdefault(IRI_SYNTAX_MODULE, None)  # type: ignore[arg-type]
