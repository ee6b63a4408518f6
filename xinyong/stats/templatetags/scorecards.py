"""Template filters of the scorecard pages: a figure of a scorecard by its key, and what
the figure counts (``stats.scorecards.DEFINITIONS``)."""

from django import template

from xinyong.stats.scorecards import DEFINITIONS

register = template.Library()


@register.filter
def figure(figures: dict, key: str):
    return figures.get(key)


@register.filter
def figure_meaning(key: str) -> str:
    return DEFINITIONS[key][2]
