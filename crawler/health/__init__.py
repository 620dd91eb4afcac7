"""Source health: what a check of a source means for editors."""
