"""``{% village_fragment "name" value ... %}...{% endvillage_fragment %}``: the enclosed part
of a public page, rendered once per site, generation of the site and language (and per the
values given after the name) and then read from the shared cache (core/website/fragments.py).

Only around parts that are the same for every visitor of the site: never forms with a CSRF
token, messages, anything about the signed-in user. Values the part depends on beyond the
site's content (the current section for the menu's ``aria-current``, the date for what is
current today, a page for its body) go after the name. Context values used only inside the
fragment can be lazy (querysets, :func:`core.website.fragments.lazy`) so a cached fragment
costs no query.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.functional import SimpleLazyObject, empty

from core.website import fragments

register = template.Library()


class VillageFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, vary: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: template.Context) -> str:
        name = str(self.name.resolve(context))
        vary = [expression.resolve(context) for expression in self.vary]
        return fragments.render_fragment(
            context.get("request"),
            name,
            vary,
            lambda: self.nodelist.render(context),
            lambda: _used_token(context),
        )


def _used_token(context: template.Context) -> list[str]:
    """The CSRF token of the page, if something on it asked for it already."""
    token = context.get("csrf_token")
    if token is None or (isinstance(token, SimpleLazyObject) and token._wrapped is empty):
        return []
    return [str(token)]


@register.tag("village_fragment")
def village_fragment(parser: Parser, token: Token) -> VillageFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a fragment name")
    nodelist = parser.parse(("endvillage_fragment",))
    parser.delete_first_token()
    return VillageFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
