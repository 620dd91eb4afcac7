"""Report renderers: table, JSON, CSV and HTML over the document built by ``crawler.jobs.report.build_report``.

``crawler.report.formats.RENDERERS`` maps each ``--format`` to its renderer. The package imports nothing itself, so
a command that needs only ``crawler.report.text`` does not load the HTML renderer and the engine behind it.
"""
