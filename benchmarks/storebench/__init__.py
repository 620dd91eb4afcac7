"""The store-at-scale benchmark's parts: the generated store (plan, rows, load) and the measuring (run, workload, explain)."""
