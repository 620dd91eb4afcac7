"""Article ingestion: parse an HTML or text article into metadata, cited claims and numbered references."""

from crawler.ingest.article import ParsedArticle, ParsedClaim, parse_article
from crawler.ingest.quotes import Quote, find_quotes
from crawler.ingest.references import ParsedReference

__all__ = [
    "ParsedArticle",
    "ParsedClaim",
    "ParsedReference",
    "Quote",
    "find_quotes",
    "parse_article",
]
