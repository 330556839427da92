"""What changed in a catalog between two git refs: snapshots, fields, the diff, CODEOWNERS."""
