"""Each ``report --format`` and its renderer."""

from crawler.report.csv import render_csv
from crawler.report.html import render_html
from crawler.report.json import render_json
from crawler.report.table import render_table

RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv, "html": render_html}
