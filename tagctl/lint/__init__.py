"""The lint engine: discovery, per-file checks, cache, cross-file rules, results."""
