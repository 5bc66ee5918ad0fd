from django import template

from nghiquyet.targets import charts

register = template.Library()


@register.filter
def chart_has_data(option) -> bool:
    """``{% if chart|chart_has_data %}``: see targets.charts.has_data."""
    return charts.has_data(option)


@register.simple_tag
def chart_no_data() -> str:
    return charts.NO_DATA
