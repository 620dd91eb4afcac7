"""Demo helpers: small generators shared by fixtures, benchmarks and the demo site."""
