"""citetrack's relational store: SQLAlchemy 2.0 models, engine setup and queries."""
