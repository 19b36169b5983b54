from django import template

from budgets import formatting, rates

register = template.Library()


@register.filter
def wan(amount):
    """An amount in 万元 with two places; blank when not published."""
    return formatting.wan(amount)


@register.filter
def signed_wan(amount):
    return formatting.signed_wan(amount)


@register.filter
def percent(rate, places=rates.PUBLISHED_PLACES):
    """A rate in percent as the final accounts print it: 101.5%, 87%."""
    return rates.percent_text(rate, int(places))


@register.filter
def points(value):
    return "" if value is None else format(value.normalize(), "f")


@register.filter
def share(part, whole):
    """part ÷ whole in percent, as text."""
    return rates.percent_text(rates.rate(part, whole, of=rates.Denominator.WHOLE))
