"""Facts: the snapshot format (model), its loader, the fact catalogue, State names."""
