"""Golden vectors (YAML) and their JSON Schema; data only. See docs/vectors.md."""
