"""The HTML report of `tagctl report`: one self-contained file, with SVG charts."""
