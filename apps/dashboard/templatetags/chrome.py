"""``{% memo %}``: the page chrome (top bar, footer) rendered once per process for each set of inputs.

The chrome of base.html is the same for every request of one user on one page: rendering it (a dozen
``{% url %}``/``{% static %}`` tags, the language list, translations) cost about a fifth of a cached
shortlist request's CPU (docs/benchmarks.md, "Load"). ``{% memo a b c %}...{% endmemo %}``
keeps the rendered block in this process's memory, keyed by the values of ``a``, ``b``, ``c`` and,
always, the active language, the URL script prefix, the autoescape mode and the CSP nonce. So the key
must name every variable the block reads (besides ``csrf_token``): the output is a function of the
key, nothing is invalidated and nothing can be stale. The user's name, role and organization are read
afresh on every request (apps.accounts.backends) and are part of the key: a role change or a logout
shows on the next request like any other.

The CSRF token is never kept: the block is rendered with a placeholder where the token goes, and each
request's own token is put in its place. Blocks (``{% block %}``) must stay outside a memo (their
content belongs to the page, not to the key). ``TSUMIKI_CHROME_MEMO`` off (the default with ``DEBUG``
on, where templates are reloaded on change): the block is rendered every time.

A key that misses a variable would serve one user's block to another, so the key's completeness is
checked, not trusted: with ``TSUMIKI_CHROME_MEMO_VERIFY`` on (the test settings) every hit renders the
block again and raises MemoKeyIncomplete, naming the template and line, when the kept copy differs.
Every test that renders a page for two users or two organizations is then a test of the keys.
"""

from __future__ import annotations

import itertools

from django import template
from django.conf import settings
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Rendered where the block's CSRF token goes. Template text is escaped where it comes from data, so
# "<!--" in the output only ever comes from a template: the placeholder cannot be forged by content.
CSRF_SLOT = "<!--tsumiki:memo-csrf-->"
MAX_ENTRIES = 2048  # a few kB each; distinct paths of the language form's "next" field make most keys

_entries: dict[tuple, str] = {}


class MemoKeyIncomplete(AssertionError):
    """A memo block rendered differently for the same key: its key misses a variable it reads."""


_sites = itertools.count()


def clear() -> None:
    """Forget every rendered block (tests)."""
    _entries.clear()


def _remember(key: tuple, html: str) -> None:
    if len(_entries) >= MAX_ENTRIES:
        try:  # the oldest entry; another thread may have removed it first
            _entries.pop(next(iter(_entries)), None)
        except (StopIteration, RuntimeError):
            pass
    _entries[key] = html


class MemoNode(Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression], site: int) -> None:
        self.nodelist, self.keys, self.site = nodelist, keys, site

    def render(self, context: Context) -> SafeString:
        token = context.get("csrf_token")
        if not settings.TSUMIKI_CHROME_MEMO or token is None or str(token) == "NOTPROVIDED":
            # no token to fill in (no request): {% csrf_token %} renders nothing then; keep it exact
            return self.nodelist.render(context)
        key = (
            self.site,
            get_language(),
            get_script_prefix(),
            context.autoescape,
            context.get("csp_nonce"),
            *(k.resolve(context) for k in self.keys),
        )
        try:
            html = _entries.get(key)
        except TypeError:  # an unhashable key value: render, do not keep
            return self.nodelist.render(context)
        if html is None:
            html = self._render_slotted(context)
            _remember(key, html)
        elif getattr(settings, "TSUMIKI_CHROME_MEMO_VERIFY", False) and self._render_slotted(context) != html:
            origin = getattr(self, "origin", None)
            where = f"{getattr(origin, 'name', '?')}, line {(self.token.lineno if self.token else '?')}"
            raise MemoKeyIncomplete(f"{{% memo %}} at {where}: the block reads a variable its key does not name")
        if CSRF_SLOT in html:
            html = html.replace(CSRF_SLOT, str(token))  # the token: letters and digits only
        return mark_safe(html)  # noqa: S308 - rendered by the template, data escaped there

    def _render_slotted(self, context: Context) -> str:
        with context.push(csrf_token=mark_safe(CSRF_SLOT)):  # noqa: S308 - a constant
            return self.nodelist.render(context)


@register.tag
def memo(parser: Parser, token: Token) -> MemoNode:
    """``{% memo var1 var2 ... %}...{% endmemo %}``: see the module docstring."""
    bits = token.split_contents()[1:]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% memo %} must not contain a {% block %}")
    # one number per parsed tag: templates are parsed once per process (the cached loader, DEBUG off)
    return MemoNode(nodelist, [parser.compile_filter(b) for b in bits], next(_sites))
