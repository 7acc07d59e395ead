"""Merger-study report: a self-contained HTML page, an Excel workbook and the SVG figures both use.

::

    from detector.report import render_html, write_excel, group_network_svg
    html = render_html(result, engine.registry, engine.thresholds)
"""
from .excel import excel_bytes, write_excel
from .html import render_html
from .plots import (burden_svg, city_coverage_svg, county_members_svg, group_network_svg, industry_gaps_svg,
                    liaison_svg, score_histogram_svg, strength_svg)

__all__ = ["burden_svg", "city_coverage_svg", "county_members_svg", "excel_bytes", "group_network_svg",
           "industry_gaps_svg", "liaison_svg", "render_html", "score_histogram_svg", "strength_svg", "write_excel"]
