"""Item pipelines of the crawl: thin adapters from spider items to extraction, health rules and the store."""
