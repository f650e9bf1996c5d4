"""Sphinx configuration of the musclesim documentation site.

Build it from the repository root as docs/README.md says
(``sphinx-build -W --keep-going -b html docs docs/_build/html``). The Markdown pages of
``docs/`` are read by MyST as they are, so they stay readable on the code host; the
notebooks are rendered with their stored outputs (never re-executed here); the gallery
scripts in ``docs/gallery/`` run at build time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# The checkout's own package first (the docs describe this source tree), then the
# project's small Sphinx extension.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))
# Figures are drawn without a display.
os.environ.setdefault("MPLBACKEND", "Agg")

import musclesim  # noqa: E402

project = "musclesim"
author = "musclesim developers"
copyright = "musclesim developers, BSD-3-Clause"
release = musclesim.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "musclesim_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = [
    "_build",
    # How to build the site: a page for the code host, not for the site.
    "README.md",
    # sphinx-gallery's bookkeeping next to the generated gallery.
    "auto_gallery/*.json",
    "auto_gallery/*.py",
    "auto_gallery/*.ipynb",
    "auto_gallery/*.zip",
    "auto_gallery/*.md5",
    "auto_gallery/*.codeobj.json",
    # The gallery's sources; sphinx-gallery turns them into auto_gallery/.
    "gallery",
    # Student copies of the notebooks (answers stripped) are not part of the site.
    "notebooks/student",
    "**.ipynb_checkpoints",
]

# --- API reference: autosummary + numpydoc ---------------------------------------------
autosummary_generate = True
# Class pages document their methods (replace, to_toml, metrics, ...) in full.
templates_path = ["_templates"]
autosummary_imported_members = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # the numpydoc Parameters sections say type and unit
# numpydoc's own member tables would list every dataclass field a second time under
# autosummary's; the class pages show them through autodoc.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# No intersphinx: the build must pass with -W offline (a laptop, a CI runner without
# network), and an unreachable inventory is a warning.


# --- Markdown and notebooks (MyST, myst-nb) --------------------------------------------
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# The notebooks are executed and committed with their outputs; the site shows those.
nb_execution_mode = "off"
nb_merge_streams = True

# --- Gallery (sphinx-gallery) -----------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "gallery",
    "gallery_dirs": "auto_gallery",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "reference_url": {"musclesim": None},
}

# --- HTML -------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"musclesim {release}"
html_static_path = ["_static"]
html_css_files = ["musclesim.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # The wide generated tables and help texts get the page's full width
    # (_static/musclesim.css).
    "secondary_sidebar_items": {
        "**": ["page-toc", "sourcelink"],
        "cli": [],
        "claims": [],
        "validation": [],
    },
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
