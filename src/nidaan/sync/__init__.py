"""Offline-first sync between clinic nodes and the hub (design.md §3, docs/sync.md)."""
