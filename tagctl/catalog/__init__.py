"""The catalog: configuration, discovery and loading of tag files."""
