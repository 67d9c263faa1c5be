"""The page chrome kept per process (apps.dashboard.templatetags.chrome, ``{% memo %}`` in base.html): every
page is the page rendered without it, each user sees their own name, role and organization, each
language its own words, and each request carries its own CSRF token."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.accounts.models import Role
from apps.dashboard.templatetags import chrome

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"([A-Za-z0-9]+)"')
# "finished 4 seconds ago" is 6 seconds ago on the next request when the machine is slow
AGO = re.compile(r"\d+(?:\s|\xa0)*(?:seconds?|minutes?|秒|分)(?:\s|\xa0)*(?:ago|前)")


@pytest.fixture(autouse=True)
def _empty_memo():
    chrome.clear()
    yield
    chrome.clear()


def url(name: str, **kw) -> str:
    return reverse(f"dashboard:{name}", kwargs=kw or None)


def page(client: Client, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, (path, resp.status_code)
    return AGO.sub("N ago", TOKEN.sub(r'\1"T"', resp.content.decode()))


def tokens(html: str) -> set[str]:
    return {m.group(2) for m in TOKEN.finditer(html)}


def test_pages_are_the_pages_rendered_without_the_memo(
    recruiter, seeker, settings, job, pool, finished_run, japanese_catalog
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.matching.models import MatchRun

    # "finished now" turns into "a second ago" between two renders on a busy machine: date the run
    # days back so that the relative times on these pages read the same in every render
    back = timezone.now() - timedelta(days=3)
    MatchRun.objects.update(created_at=back, started_at=back, finished_at=back, heartbeat_at=back)
    rclient, sclient, anonymous = Client(), Client(), Client()
    rclient.force_login(recruiter)
    sclient.force_login(seeker)
    paths = {
        rclient: [
            url("jobs"),
            url("job", job_id=job.id),
            url("shortlist", job_id=job.id),
            url("api_keys"),
            url("model_card"),
            url("shortlist", job_id=job.id) + "?must_have=yes&page=1",
        ],
        sclient: [url("seeker_home"), url("seeker_jobs")],
        anonymous: [url("login"), url("login") + "?next=/jobs/"],
    }
    for language in ("en", "ja"):
        for c in paths:
            c.cookies["django_language"] = language
        settings.TSUMIKI_CHROME_MEMO = False
        plain = {(id(c), p): page(c, p) for c, ps in paths.items() for p in ps}
        settings.TSUMIKI_CHROME_MEMO = True
        first = {(id(c), p): page(c, p) for c, ps in paths.items() for p in ps}  # rendered and kept
        again = {(id(c), p): page(c, p) for c, ps in paths.items() for p in ps}  # from the memo
        assert first == plain and again == plain
    assert chrome._entries  # noqa: SLF001 - the memo was used


def test_each_user_sees_their_own_name_role_and_organization(org, other_org, job):
    make_user("rita", org, Role.RECRUITER)
    make_user("rosa", org, Role.RECRUITER)  # differs from rita by name only
    make_user("otto", other_org, Role.RECRUITER)
    make_user("sam", org, Role.SEEKER)
    clients = {}
    for name in ("rita", "rosa", "otto", "sam"):
        clients[name] = Client()
        clients[name].post(url("login"), {"username": name, "password": PASSWORD})
    for _ in range(2):  # the second round comes from the memo
        rita = page(clients["rita"], url("jobs"))
        otto = page(clients["otto"], url("jobs"))
        sam = page(clients["sam"], url("seeker_jobs"))
        rosa = page(clients["rosa"], url("jobs"))
        assert "rita · Acme" in rita and "otto" not in rita and "rosa" not in rita
        assert "rosa · Acme" in rosa and "rita" not in rosa
        assert "otto · Other Co" in otto and "rita" not in otto
        assert "sam · Acme" in sam and url("api_keys") not in sam and url("api_keys") in rita
        assert 'href="/jobs/" aria-current="page"' in rita
        assert 'href="/me/jobs/" aria-current="page"' in sam
    anonymous = page(Client(), url("login"))
    assert "Log out" not in anonymous and "rita" not in anonymous


def test_each_language_has_its_own_chrome(rclient, japanese_catalog):
    english = page(rclient, url("jobs"))
    rclient.cookies["django_language"] = "ja"
    japanese = page(rclient, url("jobs"))
    rclient.cookies["django_language"] = "en"
    assert "Log out" in english and "ログアウト" not in english
    assert "ログアウト" in japanese and 'lang="ja"' in japanese
    assert page(rclient, url("jobs")) == english


def test_each_request_carries_its_own_csrf_token(recruiter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter)
    first = client.get(url("jobs")).content.decode()
    second = client.get(url("jobs")).content.decode()  # the top bar from the memo
    assert len(tokens(first)) == 1 and len(tokens(second)) == 1  # one token per page, in every form
    assert tokens(first) != tokens(second)  # masked anew for each request, never a kept one
    assert chrome.CSRF_SLOT not in second
    # the kept top bar's logout form works with its token
    resp = client.post(url("logout"), {"csrfmiddlewaretoken": tokens(second).pop()})
    assert resp.status_code == 302
    assert client.get(url("jobs")).status_code == 302


def test_without_a_request_nothing_is_kept():
    # no request, no CSRF token: {% csrf_token %} renders nothing, as it would without the memo
    html = render_to_string("registration/login.html", {"form": None})
    assert chrome.CSRF_SLOT not in html and "csrfmiddlewaretoken" not in html
    assert not chrome._entries  # noqa: SLF001


def test_the_key_decides_and_the_memo_is_bounded(monkeypatch):
    template = Template("{% load chrome %}{% memo who %}<p>{{ who }} {{ csrf_token }}</p>{% endmemo %}")
    request = RequestFactory().get("/")

    def render(who: str, token: str) -> str:
        return template.render(Context({"who": who, "csrf_token": token, "request": request}))

    assert render("a", "T1") == "<p>a T1</p>"
    assert render("b", "T2") == "<p>b T2</p>"
    assert render("a", "T3") == "<p>a T3</p>"  # kept, with this render's token
    monkeypatch.setattr(chrome, "MAX_ENTRIES", 3)
    for i in range(10):
        assert render(f"x{i}", "T") == f"<p>x{i} T</p>"
    assert len(chrome._entries) <= 3  # noqa: SLF001


def test_a_block_inside_a_memo_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load chrome %}{% memo %}{% block x %}{% endblock %}{% endmemo %}")


def test_a_key_that_misses_a_variable_is_caught(settings, rf):
    """The verification the test settings turn on: a memo whose key leaves out ``name`` would show the
    first user's name to the second; the second render raises instead of serving it."""
    settings.TSUMIKI_CHROME_MEMO = True
    settings.TSUMIKI_CHROME_MEMO_VERIFY = True
    tpl = Template("{% load chrome %}{% memo %}<b>{{ name }}</b>{% endmemo %}")
    complete = Template("{% load chrome %}{% memo name %}<b>{{ name }}</b>{% endmemo %}")
    assert tpl.render(Context({"name": "rita", "csrf_token": "a"})) == "<b>rita</b>"
    with pytest.raises(chrome.MemoKeyIncomplete, match="its key does not name"):
        tpl.render(Context({"name": "otto", "csrf_token": "b"}))
    assert complete.render(Context({"name": "rita", "csrf_token": "a"})) == "<b>rita</b>"
    assert complete.render(Context({"name": "otto", "csrf_token": "b"})) == "<b>otto</b>"
    settings.TSUMIKI_CHROME_MEMO_VERIFY = False  # production: the kept copy is served as it is
    assert tpl.render(Context({"name": "otto", "csrf_token": "b"})) == "<b>rita</b>"


# --- the keys, read off the templates ---------------------------------------------------------------
# What a memo may read without naming it: the CSRF token goes in a slot, and the active language and
# CSP nonce are always part of the key (LANGUAGE_CODE is base.html's name for the active language).
ALWAYS_KEYED = {"csrf_token", "csp_nonce", "LANGUAGE_CODE"}
# A read decided by a key it does not name exactly, and why.
IMPLIED = {
    # Membership.role is a required field: it is None exactly when the user has no membership
    "user.membership": "user.membership.role",
    # the shortlist's run is a saved row: run.id is None exactly when there is no run ({% if run %})
    "run": "run.id",
}


def _bound_names(node) -> set[str]:
    """Names a tag binds for what it encloses or what follows it ({% for x in %}, {% with x= %},
    {% ... as x %})."""
    from django.template.defaulttags import ForNode, WithNode

    names = set(getattr(node, "loopvars", ()) if isinstance(node, ForNode) else ())
    if isinstance(node, WithNode):
        names |= set(node.extra_context)
    names |= {v for attr in ("variable", "asvar", "target_var") if isinstance(v := getattr(node, attr, None), str)}
    return names | {"forloop"}


def _reads(nodelist, seen=None) -> set[str]:
    """Every variable path (``user.membership.role``) the nodes read, including what the templates they
    include read, less the names bound inside."""
    from django.template.base import FilterExpression, Node, NodeList, Variable
    from django.template.loader import get_template
    from django.template.loader_tags import IncludeNode
    from django.template.smartif import TokenBase

    seen = set() if seen is None else seen
    reads: set[str] = set()
    bound: set[str] = set()

    def variable(v) -> None:
        if isinstance(v, Variable) and v.lookups and v.literal is None:
            reads.add(".".join(v.lookups))

    def walk(obj) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, FilterExpression):
            variable(obj.var)
            for _, args in obj.filters:
                for _, arg in args:
                    variable(arg)
        elif isinstance(obj, NodeList | list | tuple):
            for item in obj:
                walk(item)
        elif isinstance(obj, dict):
            for item in obj.values():
                walk(item)
        elif isinstance(obj, Node | TokenBase):
            if isinstance(obj, Node):
                bound.update(_bound_names(obj))
            if isinstance(obj, IncludeNode) and isinstance(obj.template.var, str):  # a constant name
                walk(get_template(obj.template.var).template.nodelist)
            for name, value in vars(obj).items():
                if name not in {"token", "origin"}:
                    walk(value)

    walk(nodelist)
    return {r for r in reads if r.split(".")[0] not in bound}


def unkeyed_reads(memo) -> set[str]:
    """What a memo's block reads that its key leaves out: each such variable could serve one user's
    block to another."""
    keys = {k.token for k in memo.keys}
    return {r for r in _reads(memo.nodelist) if r not in keys and r not in ALWAYS_KEYED and IMPLIED.get(r) not in keys}


def _memos(nodelist):
    for node in nodelist:
        if isinstance(node, chrome.MemoNode):
            yield node
        for child in getattr(node, "child_nodelists", ()):
            yield from _memos(getattr(node, child, None) or [])
        if hasattr(node, "conditions_nodelists"):  # {% if %}
            for _, branch in node.conditions_nodelists:
                yield from _memos(branch)


def _project_templates() -> list[str]:
    from django.conf import settings

    roots = [d for t in settings.TEMPLATES for d in t["DIRS"]]
    return sorted(
        str(p.relative_to(root)) for root in roots for p in root.rglob("*.html") if "{% memo" in p.read_text()
    )


def test_every_memo_key_names_what_its_block_reads():
    """The top bar of one user must never be served to another: a variable added to a memo's block
    without extending its key fails here, before any page is rendered for two users."""
    from django.template.loader import get_template

    names = _project_templates()
    assert "base.html" in names and "dashboard/shortlist.html" in names
    found = {}
    for name in names:
        memos = list(_memos(get_template(name).template.nodelist))
        assert memos, name
        for memo in memos:
            if missing := unkeyed_reads(memo):
                found[f"{name}:{memo.token.lineno}"] = sorted(missing)
    assert found == {}


def test_a_variable_left_out_of_the_key_is_found():
    top_bar = Template(
        "{% load chrome %}{% memo user.get_username %}{% include 'dashboard/_admin_nav.html' %}"
        "{% for lang in languages %}{{ lang.code }}{% endfor %}{% with r=user.membership.role %}{{ r }}{% endwith %}"
        "{{ user.get_username }} {{ user.email|default:other.name }}{% endmemo %}"
    )
    (memo,) = _memos(top_bar.nodelist)
    # the included template's reads count; loop and with names do not, what they are bound to does
    assert unkeyed_reads(memo) == {
        "request.resolver_match.url_name",
        "languages",
        "user.membership.role",
        "user.email",
        "other.name",
    }
